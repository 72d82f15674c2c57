import { Tier } from '../../tier';
import { GuardrailObject } from '../objects';
import { GuardrailRule, RuleLevel, RuleSource } from '../rule';

const CNPG_API = 'postgresql.cnpg.io/v1';

function isCnpgCluster(o: GuardrailObject): boolean {
  return o.manifest.apiVersion === CNPG_API;
}

/** PostgreSQL (CloudNativePG `Cluster`) that survives a node loss and can be restored, in production. */
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
      return isCnpgCluster(o) && instances < 3 ? [`runs ${instances} instance${instances === 1 ? '' : 's'}`] : [];
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
      if (!isCnpgCluster(o)) {
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
      return isCnpgCluster(o) && !scheduled ? ['has no active ScheduledBackup'] : [];
    },
  },
];
