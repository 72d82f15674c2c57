import { Chart, Size } from 'cdk8s';
import {
  HaPostgres, Image, NetworkPeer, ObjectStoreCredentials, OneOffJob, PostgresBackup, ProductionApp, SecretSource, SecretStoreRef, SecretsBinding,
} from '../../lib';
import { UpgradeStep, upgradeStepOf } from '../../lib/core/upgrade-steps';
import { Manifest, ofKind, one, synth, testChart } from '../util';

function credentialsIn(chart: Chart): SecretsBinding {
  return new SecretsBinding(chart, 'Credentials', {
    source: SecretSource.externalSecret({ store: SecretStoreRef.cluster('store'), data: { ACCESS_KEY_ID: { key: 'id' }, ACCESS_SECRET_KEY: { key: 'key' } } }),
  });
}

/** A database with backups, an API connected to it and, unless `migrations` is false, migrations of `image` that prepare the API. */
function platform(options: { image?: string; apiImage?: string; migrations?: boolean; beforeUpgrade?: boolean; postgresImage?: string } = {}) {
  const chart = testChart();
  const db = new HaPostgres(chart, 'Db', {
    kubernetesApi: { peer: NetworkPeer.ipBlock('10.0.0.0/16') },
    storage: { size: Size.gibibytes(10) },
    image: options.postgresImage !== undefined ? Image.pinned('ghcr.io/cloudnative-pg/postgresql', options.postgresImage) : undefined,
    backup: PostgresBackup.toObjectStore({
      destinationPath: 's3://backups/db', credentials: ObjectStoreCredentials.s3({ secret: credentialsIn(chart) }), beforeUpgrade: options.beforeUpgrade,
    }),
  });
  const api = new ProductionApp(chart, 'Api', { image: Image.pinned('ghcr.io/acme/api', options.apiImage ?? '1.0.0'), port: 8080 });
  api.connectTo(db);
  if (options.migrations !== false) {
    const migrations = new OneOffJob(chart, 'Migrate', { image: Image.pinned('ghcr.io/acme/api', options.image ?? '1.0.0'), args: ['migrate'] });
    migrations.connectTo(db);
    migrations.prepares(api);
  }
  return { chart, db, manifests: synth(chart) };
}

const backupName = (manifests: Manifest[]) => one(manifests, 'Backup').metadata.name;

describe('the pre-upgrade backup of HaPostgres', () => {
  test('is an on-demand base backup of the cluster through the Barman Cloud plugin, from a standby, recorded as the backup step', () => {
    // The plugin's on-demand backup: method plugin with the plugin's name (plugin-barman-cloud v0.14.0
    // web/versioned_docs/version-0.14.0/usage.md); method defaults to barmanObjectStore (CRD cnpg-v1.30.0-backups.yaml).
    const { db, manifests } = platform();
    const backup = one(manifests, 'Backup');
    expect(backup.apiVersion).toBe('postgresql.cnpg.io/v1');
    expect(backup.metadata.name).toMatch(/^db-pre-upgrade-[0-9a-f]{10}$/);
    expect(backup.metadata.namespace).toBe('test');
    expect(backup.spec).toEqual({
      cluster: { name: 'db' }, method: 'plugin', pluginConfiguration: { name: 'barman-cloud.cloudnative-pg.io' }, target: 'prefer-standby',
    });
    expect(upgradeStepOf(db.preUpgradeBackup!)).toBe(UpgradeStep.BACKUP);
  });

  test('is not kept on prune: deleting a Backup object leaves its data in the bucket', () => {
    // CloudNativePG v1.30.0 puts no finalizer on a Backup (internal/controller/backup_controller.go), and the plugin
    // deletes data by its retention policy, then the Backup objects of what it deleted (plugin-barman-cloud v0.14.0
    // internal/cnpgi/instance/retention.go, deleteBackupsNotInCatalog).
    expect(one(platform().manifests, 'Backup').metadata.annotations).toBeUndefined();
  });

  test('a new release of the migrations or of PostgreSQL gets a backup of its own, and the same release keeps its name', () => {
    // A completed or failed Backup is never processed again and its spec is immutable (cloudnative-pg v1.30.0
    // backup_controller.go; CRD rule 'oldSelf == self'): a new backup needs a new object.
    const first = backupName(platform().manifests);
    expect(backupName(platform().manifests)).toBe(first);
    expect(backupName(platform({ image: '1.1.0' }).manifests)).not.toBe(first);
    expect(backupName(platform({ postgresImage: '18.5-minimal-trixie' }).manifests)).not.toBe(first);
  });

  test('is named after the migrations only, not every service connected to the database, which a synthesis renders once', () => {
    const first = backupName(platform({ migrations: false }).manifests);
    expect(backupName(platform({ migrations: false, apiImage: '2.0.0' }).manifests)).toBe(first);
  });

  test('is not taken with beforeUpgrade false, nor without backups', () => {
    expect(ofKind(platform({ beforeUpgrade: false }).manifests, 'Backup')).toEqual([]);
    const chart = testChart();
    const db = new HaPostgres(chart, 'Db', {
      kubernetesApi: { peer: NetworkPeer.ipBlock('10.0.0.0/16') }, storage: { size: Size.gibibytes(1) }, backup: PostgresBackup.none({ reason: 'scratch' }),
    });
    expect(db.preUpgradeBackup).toBeUndefined();
    expect(ofKind(synth(chart), 'Backup')).toEqual([]);
  });

  test('fails when beforeUpgrade is no boolean, instead of reading a string as true', () => {
    // A caller without a type checker, or a value read from YAML: 'false' is a string, which JavaScript reads as true.
    expect(() => platform({ beforeUpgrade: 'false' as any }))
      .toThrow(/^\[test\/Db\] 'backup.beforeUpgrade' \('false'\) must be true or false, or left unset$/);
  });
});
