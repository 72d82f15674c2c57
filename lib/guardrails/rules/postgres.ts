import { GuardrailObject } from '../objects';
import { GuardrailRule, RuleLevel, RuleSource } from '../rule';
import { Tier } from '../tier';

const CNPG_API = 'postgresql.cnpg.io/v1';

function isCnpg(o: GuardrailObject): boolean {
  return o.manifest.apiVersion === CNPG_API;
}

/** Standbys each commit waits for: `spec.postgresql.synchronous.number`, or the older `spec.minSyncReplicas`. */
function synchronousStandbys(o: GuardrailObject): number {
  return o.manifest.spec?.postgresql?.synchronous?.number ?? o.manifest.spec?.minSyncReplicas ?? 0;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** PostgreSQL (CloudNativePG `Cluster` and `Pooler`) that survives a node loss and can be restored, in production. */
export const POSTGRES_RULES: readonly GuardrailRule[] = [
  {
    id: 'postgres-ha',
    rule: 'a production CloudNativePG Cluster must run at least 3 instances',
    reason: 'with a primary and two replicas a node loss keeps a synchronous standby, so failover loses no committed data',
    fix: 'set spec.instances to 3 or more (HaPostgres does in production)',
    sources: [RuleSource.DESIGN],
    level: RuleLevel.ERROR,
    tiers: [Tier.PRODUCTION],
    kinds: ['Cluster'],
    check: (o) => {
      const instances = o.manifest.spec?.instances ?? 1;
      return isCnpg(o) && instances < 3 ? [`runs ${plural(instances, 'instance')}`] : [];
    },
  },
  {
    id: 'postgres-synchronous',
    rule: 'a production CloudNativePG Cluster must replicate synchronously',
    reason: 'with asynchronous standbys a failover loses the transactions the primary committed but had not yet streamed',
    fix: 'set spec.postgresql.synchronous with method any and a number of at least 1 (HaPostgres does whenever it has standbys)',
    sources: [RuleSource.DESIGN],
    level: RuleLevel.ERROR,
    tiers: [Tier.PRODUCTION],
    kinds: ['Cluster'],
    check: (o) => isCnpg(o) && synchronousStandbys(o) < 1 ? ['replicates asynchronously: no commit waits for a standby'] : [],
  },
  {
    id: 'postgres-quorum-survives-loss',
    rule: 'a production CloudNativePG Cluster with required durability must wait for at most instances - 2 synchronous standbys',
    reason: 'with required durability a commit waits for that many standbys: if every standby is needed, losing one stops all writes',
    fix: 'lower spec.postgresql.synchronous.number to spec.instances - 2 or fewer, or add instances',
    sources: [RuleSource.DESIGN],
    level: RuleLevel.ERROR,
    tiers: [Tier.PRODUCTION],
    kinds: ['Cluster'],
    check: (o) => {
      const synchronous = o.manifest.spec?.postgresql?.synchronous;
      const instances = o.manifest.spec?.instances ?? 1;
      // CloudNativePG's dataDurability defaults to required.
      if (!isCnpg(o) || synchronous === undefined || (synchronous.dataDurability ?? 'required') !== 'required' || synchronous.number <= instances - 2) {
        return [];
      }
      return [`waits for ${plural(synchronous.number, 'synchronous standby')} of ${plural(instances, 'instance')} with required durability: `
        + 'losing one standby stops all writes'];
    },
  },
  {
    id: 'postgres-wal-archive',
    rule: 'a production CloudNativePG Cluster must archive its WAL through an enabled WAL archiver plugin',
    reason: 'without a continuous WAL archive a restore loses everything since the last base backup',
    fix: 'add the Barman Cloud plugin (barman-cloud.cloudnative-pg.io) to spec.plugins with isWALArchiver: true',
    sources: [RuleSource.SEED_CHECKLIST, RuleSource.DESIGN],
    level: RuleLevel.ERROR,
    tiers: [Tier.PRODUCTION],
    kinds: ['Cluster'],
    check: (o) => {
      if (!isCnpg(o)) {
        return [];
      }
      const archivers = ((o.manifest.spec?.plugins ?? []) as any[]).filter((p) => p.isWALArchiver === true && p.enabled !== false);
      if (archivers.length > 0) {
        return [];
      }
      return o.manifest.spec?.backup?.barmanObjectStore !== undefined
        ? ['archives WAL with the deprecated in-tree barmanObjectStore instead of a plugin']
        : ['archives no WAL'];
    },
  },
  {
    id: 'postgres-scheduled-backup',
    rule: 'a production CloudNativePG Cluster must have an active ScheduledBackup',
    reason: 'base backups bound the time a restore takes and are the starting point of point-in-time recovery',
    fix: 'add a ScheduledBackup (postgresql.cnpg.io/v1) whose spec.cluster.name is the cluster, without suspend',
    sources: [RuleSource.SEED_CHECKLIST, RuleSource.DESIGN],
    level: RuleLevel.ERROR,
    tiers: [Tier.PRODUCTION],
    kinds: ['Cluster'],
    check: (o, index) => {
      const scheduled = index.ofKind('ScheduledBackup', o.namespace).some((b) =>
        b.manifest.apiVersion === CNPG_API && b.manifest.spec?.cluster?.name === o.name && b.manifest.spec?.suspend !== true);
      return isCnpg(o) && !scheduled ? ['has no active ScheduledBackup'] : [];
    },
  },
  {
    id: 'postgres-pooler-ha',
    rule: 'a production CloudNativePG Pooler must run at least 2 instances',
    reason: 'every connection goes through the pooler: a single PgBouncer pod is a single point of failure, and down during every node drain',
    fix: 'set spec.instances to 2 or more (HaPostgres\'s default)',
    sources: [RuleSource.DESIGN],
    level: RuleLevel.ERROR,
    tiers: [Tier.PRODUCTION],
    kinds: ['Pooler'],
    check: (o) => {
      const instances = o.manifest.spec?.instances ?? 1;
      return isCnpg(o) && instances < 2 ? [`runs ${plural(instances, 'instance')}`] : [];
    },
  },
];
