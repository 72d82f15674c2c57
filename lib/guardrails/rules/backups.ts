import { GuardrailObject, LabelSelector, ObjectIndex, selects } from '../objects';
import { GuardrailRule, RuleLevel, RuleSource } from '../rule';
import { Tier } from '../tier';

const CNPG_API = 'postgresql.cnpg.io/v1';
const VELERO_API = 'velero.io/v1';
const CLAIMS = 'persistentvolumeclaims';

/** Whether a Velero resource list (`includedResources`, `excludedResources`) names PersistentVolumeClaims. */
function namesClaims(resources: readonly string[] | undefined): boolean {
  return (resources ?? []).some((r) => r === '*' || r === CLAIMS || r === 'pvc');
}

/**
 * Whether the backups of Velero Schedule `schedule` take the claims with `labels` in `namespace`: it is not
 * paused, includes the namespace (an empty list, or `*`, is every namespace) and does not exclude it, does
 * not leave claims out of its resources, and its label selectors select the labels (no selector selects everything).
 */
function backsUp(schedule: GuardrailObject, namespace: string | undefined, labels: Readonly<Record<string, string>>): boolean {
  const spec = schedule.manifest.spec ?? {};
  const template = spec.template ?? {};
  const included: string[] = template.includedNamespaces ?? [];
  const namespaceIncluded = (included.length === 0 || included.includes('*') || included.includes(namespace ?? ''))
    && !(template.excludedNamespaces ?? []).includes(namespace ?? '');
  const resourceIncluded = ((template.includedResources ?? []).length === 0 || namesClaims(template.includedResources))
    && !namesClaims(template.excludedResources);
  const selectors: LabelSelector[] = template.orLabelSelectors ?? (template.labelSelector !== undefined ? [template.labelSelector] : []);
  const selected = selectors.length === 0 || selectors.some((selector) => selects(selector, labels));
  return spec.paused !== true && namespaceIncluded && resourceIncluded && selected;
}

/** Whether a Velero Schedule of the app backs up the claims with `labels` in `namespace`. */
function scheduled(index: ObjectIndex, namespace: string | undefined, labels: Readonly<Record<string, string>>): boolean {
  return index.ofKind('Schedule').some((s) => s.manifest.apiVersion === VELERO_API && backsUp(s, namespace, labels));
}

/** Data that survives an upgrade gone wrong, in production: a database backup before it, volume backups on a schedule. */
export const BACKUP_RULES: readonly GuardrailRule[] = [
  {
    id: 'postgres-pre-upgrade-backup',
    rule: 'a production CloudNativePG Cluster must have an on-demand Backup in the manifests, taken before the workloads of a release roll out',
    reason: 'a migration or a release that corrupts data is undone from the backup taken just before it; the daily backup and the WAL archive '
      + 'restore to a point in time, but only a backup taken at the release marks where the release began',
    fix: 'keep PostgresBackup.toObjectStore({ beforeUpgrade }) on (HaPostgres\'s default), or add a Backup (postgresql.cnpg.io/v1) whose spec.cluster.name is the cluster; '
      + 'ApplyOrder applies it before the migrations and the workloads',
    sources: [RuleSource.SEED_CHECKLIST, RuleSource.DESIGN],
    level: RuleLevel.ERROR,
    tiers: [Tier.PRODUCTION],
    kinds: ['Cluster'],
    check: (o, index) => {
      const backedUp = index.ofKind('Backup', o.namespace).some((b) => b.manifest.apiVersion === CNPG_API && b.manifest.spec?.cluster?.name === o.name);
      return o.manifest.apiVersion === CNPG_API && !backedUp ? ['has no Backup before upgrades'] : [];
    },
  },
  {
    id: 'volume-backup-schedule',
    rule: 'a production PersistentVolumeClaim, and each claim template of a StatefulSet, must be backed up by a Velero Schedule',
    reason: 'a volume holds data that no manifest can recreate: without backups, a lost volume, a deleted claim or a release that corrupts its files loses it',
    fix: 'add a VolumeBackupSchedule for the workload (a Velero Schedule, velero.io/v1, whose template includes the namespace and selects the claim\'s labels), '
      + 'or suppress the rule with how the volume is backed up otherwise',
    sources: [RuleSource.SEED_CHECKLIST, RuleSource.DESIGN],
    level: RuleLevel.ERROR,
    tiers: [Tier.PRODUCTION],
    kinds: ['PersistentVolumeClaim', 'StatefulSet'],
    check: (o, index) => {
      if (o.kind === 'PersistentVolumeClaim') {
        return o.manifest.apiVersion === 'v1' && !scheduled(index, o.namespace, o.manifest.metadata?.labels ?? {})
          ? ['is backed up by no Velero Schedule'] : [];
      }
      if (o.pod === undefined) {
        return [];
      }
      return ((o.manifest.spec?.volumeClaimTemplates ?? []) as any[])
        .filter((template) => !scheduled(index, o.namespace, template.metadata?.labels ?? {}))
        .map((template) => `claim template '${template.metadata?.name}' is backed up by no Velero Schedule`);
    },
  },
];
