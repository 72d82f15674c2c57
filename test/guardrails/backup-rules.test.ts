import { ApiObject, Chart, Size, Testing } from 'cdk8s';
import { Guardrails, HaPostgres, NetworkPeer, ObjectStoreCredentials, PostgresBackup, SecretSource, SecretsBinding, SecretStoreRef, Tier, setTier } from '../../lib';

/** The findings of `rule` for `objects` in a chart of namespace `test`, at `tier`: errors in production, warnings otherwise. */
function findingsOf(rule: string, objects: Array<Record<string, unknown>>, tier = Tier.PRODUCTION): string[] {
  const app = Testing.app();
  const chart = new Chart(app, 'rules', { namespace: 'test' });
  setTier(chart, tier);
  objects.forEach((object, i) => new ApiObject(chart, `Object${i}`, object as any));
  return Guardrails.apply(app).evaluate().findings.filter((f) => f.rule.id === rule).map((f) => f.message);
}

const LABELS = { 'app.kubernetes.io/name': 'files', 'app.kubernetes.io/instance': 'files' };
const claim = (labels: Record<string, string> = LABELS) => ({
  apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'files-data', labels },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
});
/** A Velero Schedule (velero v1.18.1 CRD `schedules.velero.io`) in the `velero` namespace with `template` and `spec`. */
const schedule = (template: Record<string, unknown>, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'velero.io/v1', kind: 'Schedule', metadata: { name: 'test-files', namespace: 'velero' },
  spec: { schedule: '0 3 * * *', template: { includedNamespaces: ['test'], labelSelector: { matchLabels: LABELS }, ttl: '720h0m0s', ...template }, ...spec },
});

describe('volume-backup-schedule', () => {
  const NONE = ['is backed up by no Velero Schedule'];

  test('a claim is backed up by a Schedule that includes its namespace and selects its labels', () => {
    expect(findingsOf('volume-backup-schedule', [claim(), schedule({})])).toEqual([]);
    expect(findingsOf('volume-backup-schedule', [claim()])).toEqual(NONE);
  });

  test('a Schedule of every namespace, of every object or of every resource backs the claim up', () => {
    expect(findingsOf('volume-backup-schedule', [claim(), schedule({ includedNamespaces: undefined })])).toEqual([]);
    expect(findingsOf('volume-backup-schedule', [claim(), schedule({ includedNamespaces: ['*'] })])).toEqual([]);
    expect(findingsOf('volume-backup-schedule', [claim(), schedule({ labelSelector: undefined })])).toEqual([]);
    expect(findingsOf('volume-backup-schedule', [claim(), schedule({ includedResources: ['*'] })])).toEqual([]);
    expect(findingsOf('volume-backup-schedule', [claim(), schedule({ includedResources: ['persistentvolumeclaims', 'persistentvolumes'] })])).toEqual([]);
  });

  test('a paused Schedule, one that excludes the namespace or the claims, or selects other labels does not count', () => {
    expect(findingsOf('volume-backup-schedule', [claim(), schedule({}, { paused: true })])).toEqual(NONE);
    expect(findingsOf('volume-backup-schedule', [claim(), schedule({ includedNamespaces: ['*'], excludedNamespaces: ['test'] })])).toEqual(NONE);
    expect(findingsOf('volume-backup-schedule', [claim(), schedule({ includedNamespaces: ['other'] })])).toEqual(NONE);
    expect(findingsOf('volume-backup-schedule', [claim(), schedule({ excludedResources: ['pvc'] })])).toEqual(NONE);
    expect(findingsOf('volume-backup-schedule', [claim(), schedule({ includedResources: ['deployments'] })])).toEqual(NONE);
    expect(findingsOf('volume-backup-schedule', [claim({ 'app.kubernetes.io/name': 'other' }), schedule({})])).toEqual(NONE);
  });

  test('one of the orLabelSelectors is enough, and they replace the labelSelector', () => {
    const selectors = [{ matchLabels: { 'app.kubernetes.io/name': 'other' } }, { matchLabels: { 'app.kubernetes.io/name': 'files' } }];
    expect(findingsOf('volume-backup-schedule', [claim(), schedule({ labelSelector: undefined, orLabelSelectors: selectors })])).toEqual([]);
    expect(findingsOf('volume-backup-schedule', [claim(), schedule({ orLabelSelectors: [selectors[0]] })])).toEqual(NONE);
  });

  test('a StatefulSet names each claim template no Schedule selects by the template\'s labels', () => {
    // GIVEN two claim templates, of which the Schedule selects one
    const statefulSet = {
      apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'files' },
      spec: {
        serviceName: 'files', selector: { matchLabels: LABELS },
        template: { metadata: { labels: LABELS }, spec: { containers: [{ name: 'files', image: 'example/files:1.0.0' }] } },
        volumeClaimTemplates: [
          { metadata: { name: 'data', labels: LABELS }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } },
          { metadata: { name: 'cache', labels: { 'app.kubernetes.io/name': 'cache' } }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } },
        ],
      },
    };
    // THEN
    expect(findingsOf('volume-backup-schedule', [statefulSet, schedule({})])).toEqual(['claim template \'cache\' is backed up by no Velero Schedule']);
  });

  test('does not run in development, which may go without backups', () => {
    expect(findingsOf('volume-backup-schedule', [claim()], Tier.DEVELOPMENT)).toEqual([]);
  });
});

describe('postgres-pre-upgrade-backup', () => {
  function database(backup: (chart: Chart) => PostgresBackup): string[] {
    const app = Testing.app();
    const chart = new Chart(app, 'db', { namespace: 'test' });
    new HaPostgres(chart, 'Db', { kubernetesApi: { peer: NetworkPeer.ipBlock('10.0.0.0/16') }, storage: { size: Size.gibibytes(10) }, backup: backup(chart) });
    const report = Guardrails.apply(app).evaluate();
    return [...report.errors, ...report.suppressed].filter((f) => f.rule.id === 'postgres-pre-upgrade-backup')
      .map((f) => `${f.message}${f.suppression !== undefined ? ` (suppressed: ${f.suppression})` : ''}`);
  }
  const toStore = (beforeUpgrade?: boolean) => (chart: Chart) => PostgresBackup.toObjectStore({
    destinationPath: 's3://backups/db',
    credentials: ObjectStoreCredentials.s3({
      secret: new SecretsBinding(chart, 'Credentials', {
        source: SecretSource.externalSecret({ store: SecretStoreRef.cluster('store'), data: { ACCESS_KEY_ID: { key: 'id' }, ACCESS_SECRET_KEY: { key: 'key' } } }),
      }),
    }),
    beforeUpgrade,
  });

  test('a HaPostgres with backups takes one before upgrades unless told not to', () => {
    expect(database(toStore())).toEqual([]);
    expect(database(toStore(false))).toEqual(['has no Backup before upgrades']);
  });

  test('a database without backups on purpose has none before upgrades either, for the same reason', () => {
    expect(database(() => PostgresBackup.none({ reason: 'scratch copy' }))).toEqual(['has no Backup before upgrades (suppressed: scratch copy)']);
  });

  test('only a Backup of the cluster, in its namespace, counts; development may go without', () => {
    const cluster = { apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: 'db' }, spec: { instances: 3 } };
    const backupOf = (name: string, namespace?: string) => ({
      apiVersion: 'postgresql.cnpg.io/v1', kind: 'Backup', metadata: { name: `${name}-pre-upgrade`, namespace },
      spec: { cluster: { name }, method: 'plugin', pluginConfiguration: { name: 'barman-cloud.cloudnative-pg.io' } },
    });
    expect(findingsOf('postgres-pre-upgrade-backup', [cluster, backupOf('db')])).toEqual([]);
    expect(findingsOf('postgres-pre-upgrade-backup', [cluster, backupOf('other')])).toEqual(['has no Backup before upgrades']);
    expect(findingsOf('postgres-pre-upgrade-backup', [cluster, backupOf('db', 'elsewhere')])).toEqual(['has no Backup before upgrades']);
    expect(findingsOf('postgres-pre-upgrade-backup', [cluster], Tier.DEVELOPMENT)).toEqual([]);
  });
});
