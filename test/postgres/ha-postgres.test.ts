import { Chart, Duration, Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  BACKUPS_SUPPRESSED_ANNOTATION, BackupSchedule, ClusterDns, DataDurability, EgressEngine, Guardrails, HaPostgres, HaPostgresProps, Image,
  ISecretProducer, LogCollection, NetworkPeer, NodePool, ObjectStoreCredentials, PgBouncerPoolMode, PostgresBackup, PostgresRecovery,
  PostgresReplication, Prerequisite, ProductionApp, Prometheus, SecretsBinding, SecretSource, SecretStoreRef, setTier, SpreadPolicy,
  SynchronousMethod, TaintEffect, Tier,
} from '../../lib';
import { Manifest, ofKind, one, registryIn, synth, testChart } from '../util';

/**
 * A Secret the manifests produce, as a SecretsBinding in namespace `test` would: a construct tree of its
 * own, so that the databases of every test chart can read it.
 */
class ProducedSecret extends Construct implements ISecretProducer {
  public kept = false;
  public constructor(public readonly name: string, public readonly keys: readonly string[], public readonly namespace = 'test') {
    super(undefined as unknown as Construct, name);
  }
  public keepOnPrune(): void {
    this.kept = true;
  }
}

const KUBERNETES_API = { peer: NetworkPeer.ipBlock('10.0.0.0/16') };
/** kube-prometheus-stack's Prometheus pods: app.kubernetes.io/name=prometheus (prometheus-operator v0.93.0), in its release namespace. */
const PROMETHEUS_PODS = {
  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } },
};
const KEEP = { 'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false', 'kustomize.toolkit.fluxcd.io/prune': 'disabled' };
const BACKUP_SECRET = new ProducedSecret('backup-credentials', ['ACCESS_KEY_ID', 'ACCESS_SECRET_KEY', 'REGION']);
const S3 = ObjectStoreCredentials.s3({ secret: BACKUP_SECRET });
/** Backups to an S3 bucket in a known region: the instances reach the bucket's host by name. */
const BACKUP = PostgresBackup.toObjectStore({ destinationPath: 's3://backups/db', credentials: S3, region: 'eu-west-1' });
/** Backups to an S3 bucket without region or endpoint: nothing says where the bucket answers. */
const BACKUP_ANYWHERE = PostgresBackup.toObjectStore({ destinationPath: 's3://backups/db', credentials: S3 });
/** What the development stage passes: no backups, for a reason recorded on the Cluster. */
const NO_BACKUP = PostgresBackup.none({ reason: 'development tier' });

/** What production requires and nothing more. */
function productionProps(overrides: Partial<HaPostgresProps> = {}): HaPostgresProps {
  return { kubernetesApi: KUBERNETES_API, storage: { size: Size.gibibytes(10) }, backup: BACKUP, egressEngine: EgressEngine.cilium(), ...overrides };
}

/** A development database, as the dev stage declares it: one small instance without backups. */
function developmentProps(overrides: Partial<HaPostgresProps> = {}): HaPostgresProps {
  return { kubernetesApi: KUBERNETES_API, storage: { size: Size.gibibytes(1) }, backup: NO_BACKUP, ...overrides };
}

function database(props: HaPostgresProps = productionProps()): { chart: Chart; db: HaPostgres } {
  const chart = testChart();
  return { chart, db: new HaPostgres(chart, 'Db', props) };
}

/** The guardrail errors of a database in a chart of `tier`, as `<rule>: <object> <message>`. */
function guardrailErrors(props: HaPostgresProps, tier: Tier): string[] {
  const app = Testing.app();
  const chart = new Chart(app, 'test', { namespace: 'test', disableResourceNameHashes: true });
  setTier(chart, tier);
  // The Secret BACKUP_SECRET stands for, produced in the app as a stage produces it (references-resolve).
  new SecretsBinding(chart, 'BackupCredentials', {
    name: BACKUP_SECRET.name,
    source: SecretSource.externalSecret({
      store: SecretStoreRef.cluster('aws-secrets-manager'),
      data: Object.fromEntries(BACKUP_SECRET.keys.map((key) => [key, { key: `db/backup/${key}` }])),
    }),
  });
  new HaPostgres(chart, 'Db', props);
  const report = Guardrails.apply(app).evaluate();
  return [...report.errors, ...report.warnings].map((f) => `${f.rule.id}: ${f.object.title} ${f.message}`);
}

function app(chart: Chart, id = 'Api', name = 'api'): ProductionApp {
  return new ProductionApp(chart, id, { name, image: Image.pinned('acme/api', '1.0.0') });
}

function cluster(manifests: Manifest[]): Manifest {
  return one(manifests, 'Cluster', 'db');
}

function policy(manifests: Manifest[], name: string): Manifest {
  return one(manifests, 'NetworkPolicy', name);
}

const tcp = (...ports: number[]) => ports.map((port) => ({ port, protocol: 'TCP' }));
const INSTANCES = { podSelector: { matchLabels: { 'cnpg.io/cluster': 'db', 'cnpg.io/podRole': 'instance' } } };
const CLUSTER_PODS = { podSelector: { matchLabels: { 'cnpg.io/cluster': 'db' } } };
const DNS = {
  to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
  ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
};

describe('HaPostgres', () => {
  describe('cluster', () => {
    test('runs three instances with synchronous quorum commit, required durability and failover quorum by default', () => {
      // GIVEN / WHEN
      const { chart } = database();

      // THEN
      const spec = cluster(synth(chart)).spec;
      expect(spec.instances).toBe(3);
      expect(spec.postgresql.synchronous).toEqual({ method: 'any', number: 1, dataDurability: 'required', failoverQuorum: true });
      expect(spec.minSyncReplicas).toBeUndefined();
      expect(spec.maxSyncReplicas).toBeUndefined();
    });

    test('renders priority commit with preferred durability, without failover quorum', () => {
      const { chart } = database(productionProps({
        instances: 5,
        replication: PostgresReplication.synchronous({ standbys: 2, durability: DataDurability.PREFERRED, method: SynchronousMethod.PRIORITY }),
      }));

      expect(cluster(synth(chart)).spec.postgresql.synchronous).toEqual({ method: 'first', number: 2, dataDurability: 'preferred' });
    });

    test('places instances on distinct hosts (required) and spreads them over zones', () => {
      const { chart } = database(productionProps({ zoneSpread: SpreadPolicy.REQUIRED }));

      const spec = cluster(synth(chart)).spec;
      expect(spec.affinity).toEqual({ enablePodAntiAffinity: true, podAntiAffinityType: 'required', topologyKey: 'kubernetes.io/hostname' });
      expect(spec.topologySpreadConstraints).toEqual([{
        maxSkew: 1,
        topologyKey: 'topology.kubernetes.io/zone',
        whenUnsatisfiable: 'DoNotSchedule',
        labelSelector: { matchLabels: { 'cnpg.io/cluster': 'db', 'cnpg.io/podRole': 'instance' } },
      }]);
    });

    test('runs on the node pool it is given', () => {
      const pool = NodePool.of({ labels: { pool: 'core' }, taints: [{ key: 'dedicated', value: 'core', effect: TaintEffect.NO_SCHEDULE }] });
      const { chart } = database(productionProps({ nodePool: pool }));

      const affinity = cluster(synth(chart)).spec.affinity;
      expect(affinity.nodeSelector).toEqual({ pool: 'core' });
      expect(affinity.tolerations).toEqual([{ key: 'dedicated', operator: 'Equal', value: 'core', effect: 'NoSchedule' }]);
    });

    test('keeps the WAL on its own volume: a quarter of the data size, at least 2Gi', () => {
      const large = database(productionProps({ storage: { size: Size.gibibytes(40), storageClassName: 'gp3' } }));
      const small = database(productionProps({ storage: { size: Size.gibibytes(4) } }));

      expect(cluster(synth(large.chart)).spec.storage).toEqual({ size: '40Gi', storageClass: 'gp3' });
      expect(cluster(synth(large.chart)).spec.walStorage).toEqual({ size: '10Gi', storageClass: 'gp3' });
      expect(cluster(synth(small.chart)).spec.walStorage).toEqual({ size: '2Gi' });
    });

    test('bootstraps the application database with its owner, checksums on and superuser access off', () => {
      const { chart, db } = database(productionProps({ databaseName: 'aishell', owner: 'aishell_app' }));

      const spec = cluster(synth(chart)).spec;
      expect(spec.bootstrap).toEqual({ initdb: { database: 'aishell', owner: 'aishell_app', dataChecksums: true } });
      expect(spec.enableSuperuserAccess).toBe(false);
      expect(db.credentialsSecretName).toBe('db-app');
    });

    test('refuses client connections without TLS', () => {
      const { chart } = database();

      expect(cluster(synth(chart)).spec.postgresql.pg_hba).toEqual(['hostnossl all all all reject']);
    });

    test('sizes memory settings from the resources and caps the WAL kept for standbys; explicit parameters win', () => {
      const { chart } = database(productionProps({
        storage: { size: Size.gibibytes(10), walSize: Size.gibibytes(8) },
        resources: {
          cpu: { request: Cpu.units(1), limit: Cpu.units(2) },
          memory: { request: Size.gibibytes(4), limit: Size.gibibytes(4) },
          ephemeralStorage: { request: Size.mebibytes(256), limit: Size.gibibytes(1) },
        },
        parameters: { effective_cache_size: '2GB', work_mem: '16MB' },
      }));

      const spec = cluster(synth(chart)).spec;
      expect(spec.postgresql.parameters).toEqual({
        shared_buffers: '1024MB',
        effective_cache_size: '2GB',
        max_slot_wal_keep_size: '4096MB',
        work_mem: '16MB',
      });
      expect(spec.resources).toEqual({
        requests: { 'cpu': '1', 'memory': '4Gi', 'ephemeral-storage': '256Mi' },
        limits: { 'cpu': '2', 'memory': '4Gi', 'ephemeral-storage': '1Gi' },
      });
    });

    test('switches over before updating the primary, and keeps the operator\'s disruption budgets', () => {
      const { chart } = database();

      const spec = cluster(synth(chart)).spec;
      expect(spec.primaryUpdateMethod).toBe('switchover');
      expect(spec.primaryUpdateStrategy).toBe('unsupervised');
      expect(spec.enablePDB).toBe(true);
    });

    test('a single development instance has no synchronous standby and no disruption budget that would block drains', () => {
      const { chart } = database(developmentProps({ instances: 1 }));

      const spec = cluster(synth(chart)).spec;
      expect(spec.instances).toBe(1);
      expect(spec.postgresql.synchronous).toBeUndefined();
      expect(spec.enablePDB).toBe(false);
      expect(spec.primaryUpdateMethod).toBe('restart');
    });

    test('uses neither the deprecated in-tree barmanObjectStore nor the operator\'s PodMonitor flag', () => {
      const { chart } = database();

      const spec = cluster(synth(chart)).spec;
      expect(spec.backup).toBeUndefined();
      expect(spec.monitoring).toBeUndefined();
    });
  });

  describe('backups', () => {
    test('archive the WAL through the Barman Cloud plugin into an ObjectStore with a retention policy', () => {
      const { chart } = database(productionProps({
        backup: PostgresBackup.toObjectStore({
          destinationPath: 's3://backups/db',
          endpointUrl: 'https://minio.storage.svc:9000',
          credentials: ObjectStoreCredentials.s3({ secret: BACKUP_SECRET, regionKey: 'REGION' }),
          retention: Duration.days(14),
        }),
      }));

      const manifests = synth(chart);
      expect(cluster(manifests).spec.plugins).toEqual([{
        name: 'barman-cloud.cloudnative-pg.io', isWALArchiver: true, parameters: { barmanObjectName: 'db' },
      }]);
      const store = one(manifests, 'ObjectStore', 'db');
      expect(store.apiVersion).toBe('barmancloud.cnpg.io/v1');
      expect(store.spec.retentionPolicy).toBe('14d');
      expect(store.spec.configuration).toEqual({
        destinationPath: 's3://backups/db',
        endpointURL: 'https://minio.storage.svc:9000',
        s3Credentials: {
          accessKeyId: { name: 'backup-credentials', key: 'ACCESS_KEY_ID' },
          secretAccessKey: { name: 'backup-credentials', key: 'ACCESS_SECRET_KEY' },
          region: { name: 'backup-credentials', key: 'REGION' },
        },
        wal: { compression: 'gzip', maxParallel: 2 },
        data: { compression: 'gzip', jobs: 2 },
      });
      expect(store.spec.instanceSidecarConfiguration.resources).toEqual({
        requests: { 'cpu': '100m', 'memory': '128Mi', 'ephemeral-storage': '64Mi' },
        limits: { 'cpu': '1', 'memory': '512Mi', 'ephemeral-storage': '512Mi' },
      });
    });

    test('take base backups with the plugin method, right away and then daily, from a standby', () => {
      const { chart } = database();

      expect(one(synth(chart), 'ScheduledBackup', 'db').spec).toEqual({
        cluster: { name: 'db' },
        schedule: '0 0 2 * * *',
        method: 'plugin',
        pluginConfiguration: { name: 'barman-cloud.cloudnative-pg.io' },
        immediate: true,
        target: 'prefer-standby',
        backupOwnerReference: 'self',
      });
    });

    test('follow a custom schedule and archive under a custom server name', () => {
      const { chart } = database(productionProps({
        backup: PostgresBackup.toObjectStore({
          destinationPath: 's3://backups/db', credentials: S3, schedule: BackupSchedule.cron('0 30 */6 * * *'), serverName: 'db-v2',
        }),
      }));

      const manifests = synth(chart);
      expect(one(manifests, 'ScheduledBackup', 'db').spec.schedule).toBe('0 30 */6 * * *');
      expect(cluster(manifests).spec.plugins[0].parameters).toEqual({ barmanObjectName: 'db', serverName: 'db-v2' });
    });

    // plugin-barman-cloud v0.14.0 web/docs/object_stores.md: IRSA through the Cluster's serviceAccountTemplate annotation
    // (l.96-113), GKE Workload Identity with googleCredentials.gkeEnvironment and iam.gke.io/gcp-service-account (l.360-395),
    // Azure with azureCredentials.inheritFromAzureAD (l.248-266; "Azure AD Workload Identity" in CNPG's v1.16 release notes).
    test.each([
      ['an IAM role (IRSA)', ObjectStoreCredentials.awsIamRole('arn:aws:iam::123456789012:role/db-backup'), 's3://backups/db',
        { s3Credentials: { inheritFromIAMRole: true } }, { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/db-backup' }, undefined],
      ['a Google Cloud key', ObjectStoreCredentials.googleCloud({ secret: new ProducedSecret('gcs-credentials', ['credentials.json']) }), 'gs://backups/db',
        { googleCredentials: { applicationCredentials: { name: 'gcs-credentials', key: 'credentials.json' } } }, undefined, undefined],
      ['GKE Workload Identity', ObjectStoreCredentials.gkeWorkloadIdentity('db-backup@acme-prod.iam.gserviceaccount.com'), 'gs://backups/db',
        { googleCredentials: { gkeEnvironment: true } }, { 'iam.gke.io/gcp-service-account': 'db-backup@acme-prod.iam.gserviceaccount.com' }, undefined],
      ['an Azure storage key', ObjectStoreCredentials.azure({ secret: new ProducedSecret('azure-credentials', ['AZURE_STORAGE_ACCOUNT', 'AZURE_STORAGE_KEY']) }),
        'https://acme.blob.core.windows.net/backups/db',
        { azureCredentials: {
          storageAccount: { name: 'azure-credentials', key: 'AZURE_STORAGE_ACCOUNT' },
          storageKey: { name: 'azure-credentials', key: 'AZURE_STORAGE_KEY' },
        } }, undefined, undefined],
      ['Azure Workload Identity', ObjectStoreCredentials.azureWorkloadIdentity('00000000-1111-2222-3333-444444444444'), 'https://acme.blob.core.windows.net/backups/db',
        { azureCredentials: { inheritFromAzureAD: true } }, { 'azure.workload.identity/client-id': '00000000-1111-2222-3333-444444444444' },
        { labels: { 'azure.workload.identity/use': 'true' } }],
    ])('authenticate with %s', (_, credentials, destinationPath, expected, serviceAccountAnnotations, inheritedMetadata) => {
      const { chart } = database(productionProps({ backup: PostgresBackup.toObjectStore({ destinationPath, credentials }) }));

      const manifests = synth(chart);
      expect(one(manifests, 'ObjectStore', 'db').spec.configuration).toMatchObject(expected);
      expect(cluster(manifests).spec.serviceAccountTemplate?.metadata.annotations).toEqual(serviceAccountAnnotations);
      // The Azure identity webhook selects pods by label; CloudNativePG 1.30 copies inheritedMetadata labels to the instance
      // pods and jobs (internal/controller/cluster_create.go l.1309-1312 and l.1586, GetFixedInheritedLabels).
      expect(cluster(manifests).spec.inheritedMetadata).toEqual(inheritedMetadata);
    });

    test('with a workload identity, declare the identity and what it must trust: the Cluster\'s ServiceAccount, named after it', () => {
      // plugin-barman-cloud v0.14.0 internal/cnpgi/operator/specs/role.go binds its Role to ServiceAccount <cluster name>; CloudNativePG
      // 1.30 names the instances' ServiceAccount after the Cluster unless serviceAccountName is set (api/v1/cluster_funcs.go).
      const { chart } = database(productionProps({
        backup: PostgresBackup.toObjectStore({ destinationPath: 's3://backups/db', credentials: ObjectStoreCredentials.awsIamRole('arn:aws:iam::123456789012:role/db-backup') }),
      }));
      expect(Prerequisite.declaredIn(chart).map((d) => d.prerequisite.title))
        .toContain('AWS IAM role arn:aws:iam::123456789012:role/db-backup trusts ServiceAccount test/db');
    });

    test('with GKE Workload Identity, the instances reach the GKE metadata server that hands out the tokens', () => {
      const { chart } = database(productionProps({
        backup: PostgresBackup.toObjectStore({ destinationPath: 'gs://backups/db', credentials: ObjectStoreCredentials.gkeWorkloadIdentity('db-backup@acme-prod.iam.gserviceaccount.com') }),
      }));
      expect(one(synth(chart), 'NetworkPolicy', 'db').spec.egress).toContainEqual({ to: [{ ipBlock: { cidr: '169.254.169.254/32' } }], ports: [{ port: 80, protocol: 'TCP' }] });
    });

    test('with Azure Workload Identity, declare the webhook that injects the token', () => {
      const { chart } = database(productionProps({
        backup: PostgresBackup.toObjectStore({ destinationPath: 'https://acme.blob.core.windows.net/backups/db',
          credentials: ObjectStoreCredentials.azureWorkloadIdentity('00000000-1111-2222-3333-444444444444') }),
      }));
      expect(Prerequisite.declaredIn(chart).map((d) => d.prerequisite.title)).toContainEqual(
        expect.stringMatching(/^Azure Workload Identity webhook .*: injects the federated token into pods labelled azure.workload.identity\/use=true$/));
    });

    test('read their keys from a Secret a SecretsBinding of the manifests produces, which is kept with the database', () => {
      // GIVEN
      const chart = testChart();
      const credentials = new SecretsBinding(chart, 'BackupCredentials', {
        source: SecretSource.externalSecret({
          store: SecretStoreRef.cluster('aws-secrets-manager'),
          data: { ACCESS_KEY_ID: { key: 'db/backup/key-id' }, ACCESS_SECRET_KEY: { key: 'db/backup/secret-key' } },
        }),
      });

      // WHEN
      new HaPostgres(chart, 'Db', productionProps({
        backup: PostgresBackup.toObjectStore({ destinationPath: 's3://backups/db', credentials: ObjectStoreCredentials.s3({ secret: credentials }) }),
      }));

      // THEN
      const manifests = synth(chart);
      expect(one(manifests, 'ObjectStore', 'db').spec.configuration.s3Credentials.secretAccessKey).toEqual({ name: 'backup-credentials', key: 'ACCESS_SECRET_KEY' });
      // The kept Cluster archives through the ObjectStore at every WAL segment: pruning it, or the ExternalSecret that owns the
      // Secret, would stop the archive of a database that is kept, and fill its WAL volume.
      for (const [kind, name] of [['Cluster', 'db'], ['ObjectStore', 'db'], ['ExternalSecret', 'backup-credentials']]) {
        expect(one(manifests, kind, name).metadata.annotations).toMatchObject({
          'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false',
          'kustomize.toolkit.fluxcd.io/prune': 'disabled',
        });
      }
      expect(one(manifests, 'ScheduledBackup').metadata.annotations).toBeUndefined();
    });

    test('can be suppressed with a reason, which is recorded on the Cluster', () => {
      const { chart } = database(productionProps({ backup: PostgresBackup.none({ reason: 'scratch analytics copy, rebuilt nightly' }) }));

      const manifests = synth(chart);
      expect(cluster(manifests).metadata.annotations).toEqual({ [BACKUPS_SUPPRESSED_ANNOTATION]: 'scratch analytics copy, rebuilt nightly', ...KEEP });
      expect(cluster(manifests).spec.plugins).toBeUndefined();
      expect(ofKind(manifests, 'ObjectStore')).toHaveLength(0);
      expect(ofKind(manifests, 'ScheduledBackup')).toHaveLength(0);
    });

    test('are left out when the development stage declares none, and their absence is recorded', () => {
      const { chart } = database(developmentProps());

      const manifests = synth(chart);
      expect(cluster(manifests).metadata.annotations).toEqual({ [BACKUPS_SUPPRESSED_ANNOTATION]: 'development tier', ...KEEP });
      expect(ofKind(manifests, 'ScheduledBackup')).toHaveLength(0);
    });
  });

  describe('recovery', () => {
    test('bootstraps from another cluster\'s backups through the plugin, up to a point in time', () => {
      const { chart } = database(productionProps({
        recovery: PostgresRecovery.fromObjectStore({
          destinationPath: 's3://backups/db', credentials: S3, serverName: 'db', targetTime: new Date('2026-05-01T12:00:00Z'),
        }),
        backup: PostgresBackup.toObjectStore({ destinationPath: 's3://backups/db', credentials: S3, serverName: 'db-restored' }),
      }));

      const manifests = synth(chart);
      const spec = cluster(manifests).spec;
      expect(spec.bootstrap).toEqual({
        recovery: { source: 'origin', database: 'app', owner: 'app', recoveryTarget: { targetTime: '2026-05-01T12:00:00.000Z' } },
      });
      expect(spec.externalClusters).toEqual([{
        name: 'origin',
        plugin: { name: 'barman-cloud.cloudnative-pg.io', parameters: { barmanObjectName: 'db-recovery', serverName: 'db' } },
      }]);
      expect(one(manifests, 'ObjectStore', 'db-recovery').spec.retentionPolicy).toBeUndefined();
      expect(spec.plugins[0].parameters).toEqual({ barmanObjectName: 'db', serverName: 'db-restored' });
    });
  });

  describe('pooler', () => {
    test('runs PgBouncer with two instances, a disruption budget and its Service names in the server certificate', () => {
      const { chart, db } = database(productionProps({ pooler: { poolMode: PgBouncerPoolMode.TRANSACTION, parameters: { max_client_conn: '500' } } }));

      const manifests = synth(chart);
      const pooler = one(manifests, 'Pooler', 'db-pooler');
      expect(pooler.spec).toMatchObject({
        cluster: { name: 'db' },
        instances: 2,
        type: 'rw',
        pgbouncer: { poolMode: 'transaction', parameters: { max_client_conn: '500' } },
      });
      expect(pooler.spec.template.spec.containers).toEqual([{
        name: 'pgbouncer',
        resources: {
          requests: { 'cpu': '100m', 'memory': '64Mi', 'ephemeral-storage': '64Mi' },
          limits: { 'cpu': '500m', 'memory': '128Mi', 'ephemeral-storage': '256Mi' },
        },
      }]);
      expect(one(manifests, 'PodDisruptionBudget', 'db-pooler').spec).toEqual({
        maxUnavailable: 1, selector: { matchLabels: { 'cnpg.io/poolerName': 'db-pooler' } }, unhealthyPodEvictionPolicy: 'AlwaysAllow',
      });
      expect(cluster(manifests).spec.certificates.serverAltDNSNames).toContain('db-pooler.test.svc');
      expect(db.host).toBe('db-pooler.test.svc');
    });

    test('lets the pooler reach the instances, DNS and the API server, and the scraper its metrics', () => {
      const { chart } = database(productionProps({ pooler: {} }));

      const spec = policy(synth(chart), 'db-pooler').spec;
      expect(spec.podSelector).toEqual({ matchLabels: { 'cnpg.io/poolerName': 'db-pooler' } });
      expect(spec.egress).toEqual([
        { to: [INSTANCES], ports: tcp(5432) },
        DNS,
        { to: [{ ipBlock: { cidr: '10.0.0.0/16' } }], ports: tcp(443) },
      ]);
      expect(spec.ingress).toEqual([
        { from: [PROMETHEUS_PODS], ports: tcp(9127) },
      ]);
    });

    test('with Cilium, lets the pooler reach the API server by its entity too: Cilium\'s address rules miss a self-hosted API server', () => {
      // The PgBouncer pods' instance manager reads the Pooler and its Secrets through the API (cloudnative-pg v1.30.0).
      // Cilium 1.18 matches a CIDR rule against addresses outside the cluster only, unless the agent runs with
      // --policy-cidr-match-mode=nodes (Documentation/security/policy/language.rst, "Selecting nodes with CIDR / ipBlock").
      const { chart } = database(productionProps({ pooler: {}, kubernetesApi: { peer: NetworkPeer.ipBlock('172.18.0.0/16'), port: 6443 } }));

      const cnp = one(synth(chart), 'CiliumNetworkPolicy', 'db-pooler');
      expect(cnp.spec.endpointSelector).toEqual({ matchLabels: { 'cnpg.io/poolerName': 'db-pooler' } });
      expect(cnp.spec.egress).toEqual([{ toEntities: ['kube-apiserver'], toPorts: [{ ports: [{ port: '6443', protocol: 'TCP' }] }] }]);
    });
  });

  describe('network', () => {
    test('opens replication, status, the operator, the scraper, DNS, the API server and the object store, and nothing else', () => {
      // GIVEN / WHEN
      const { chart } = database();

      // THEN
      const spec = policy(synth(chart), 'db').spec;
      expect(spec.policyTypes).toEqual(['Ingress', 'Egress']);
      expect(spec.ingress).toEqual([
        { from: [CLUSTER_PODS], ports: tcp(5432) },
        { from: [INSTANCES], ports: tcp(8000) },
        {
          from: [{
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'cnpg-system' } },
            podSelector: { matchLabels: { 'app.kubernetes.io/name': 'cloudnative-pg' } },
          }],
          ports: tcp(8000, 5432),
        },
        { from: [PROMETHEUS_PODS], ports: tcp(9187) },
      ]);
      // The object store is reached by name, in the CiliumNetworkPolicy (test/postgres/object-store.test.ts).
      expect(spec.egress).toEqual([
        DNS,
        { to: [INSTANCES], ports: tcp(5432, 8000) },
        { to: [{ ipBlock: { cidr: '10.0.0.0/16' } }], ports: tcp(443) },
      ]);
      // The API server by Cilium's entity for it as well, beside the names: the instance manager and the initdb and join
      // jobs reach it, and on kubeadm it runs on a node, which Cilium's CIDR rules do not match by default.
      const cnp = one(synth(chart), 'CiliumNetworkPolicy', 'db');
      expect(cnp.spec.egress).toContainEqual({ toEntities: ['kube-apiserver'], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] });
    });

    test('without a region or an endpoint, admits every public address on 443, which the production guardrails fail', () => {
      // GIVEN: nothing says where the bucket answers
      const props = productionProps({ backup: BACKUP_ANYWHERE });

      // WHEN
      const { chart } = database(props);

      // THEN
      expect(policy(synth(chart), 'db').spec.egress).toContainEqual(
        { to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'] } }], ports: tcp(443) });
      expect(guardrailErrors(props, Tier.PRODUCTION)).toEqual(['network-egress-open: NetworkPolicy test/db egress rule 4 opens 0.0.0.0/0 on 443/TCP']);
    });

    test('applies to the instances and the operator\'s jobs for them, not to the cluster\'s PgBouncer pods', () => {
      const { chart } = database();

      expect(policy(synth(chart), 'db').spec.podSelector).toEqual({
        matchLabels: { 'cnpg.io/cluster': 'db' },
        matchExpressions: [{ key: 'cnpg.io/podRole', operator: 'NotIn', values: ['pooler'] }],
      });
    });

    test('opens no object-store path without backups, and the configured peers otherwise', () => {
      const without = database(productionProps({ backup: PostgresBackup.none({ reason: 'test' }), monitoring: { enabled: false } }));
      const custom = database(productionProps({
        kubernetesApi: { peer: NetworkPeer.ipBlock('172.18.0.2/32'), port: 6443 },
        operator: NetworkPeer.namespace('postgres-operator'),
        backup: PostgresBackup.toObjectStore({
          destinationPath: 's3://backups/db',
          credentials: S3,
          endpointUrl: 'https://minio.storage.svc:9000',
          endpoint: NetworkPeer.podsInNamespaces({ app: 'minio' }, { 'kubernetes.io/metadata.name': 'storage' }),
          endpointPort: 9000,
        }),
      }));

      expect(policy(synth(without.chart), 'db').spec.egress).toHaveLength(3);
      const spec = policy(synth(custom.chart), 'db').spec;
      expect(spec.egress).toContainEqual({ to: [{ ipBlock: { cidr: '172.18.0.2/32' } }], ports: tcp(6443) });
      expect(spec.egress).toContainEqual({
        to: [{ podSelector: { matchLabels: { app: 'minio' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'storage' } } }],
        ports: tcp(9000),
      });
      expect(spec.ingress).toContainEqual({ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'postgres-operator' } } }], ports: tcp(8000, 5432) });
    });
  });

  describe('connectTo', () => {
    test('gives the app libpq settings and a pointer to the password file, with no credential in its environment', () => {
      // GIVEN
      const { chart, db } = database(productionProps({ databaseName: 'orders', owner: 'orders_app' }));
      const api = app(chart);

      // WHEN
      api.connectTo(db);

      // THEN
      const env = one(synth(chart), 'Deployment', 'api').spec.template.spec.containers[0].env;
      expect(env).toEqual([
        { name: 'PGHOST', value: 'db-rw.test.svc' },
        { name: 'PGPORT', value: '5432' },
        { name: 'PGDATABASE', value: 'orders' },
        { name: 'PGUSER', value: 'orders_app' },
        { name: 'PGPASSWORD_FILE', value: '/var/run/secrets/postgres/db/password' },
        { name: 'PGSSLMODE', value: 'verify-full' },
        { name: 'PGSSLROOTCERT', value: '/etc/postgresql/db-ca/ca.crt' },
      ]);
      expect(env.filter((e: any) => e.valueFrom?.secretKeyRef !== undefined)).toEqual([]);
    });

    test('mounts the user name and password of the operator\'s Secret, and nothing else of it, as read-only owner-only files', () => {
      const { chart, db } = database();
      app(chart).connectTo(db);

      const pod = one(synth(chart), 'Deployment', 'api').spec.template.spec;
      expect(pod.volumes).toContainEqual({
        name: 'db-credentials',
        secret: { secretName: 'db-app', defaultMode: 0o400, items: [{ key: 'username', path: 'username' }, { key: 'password', path: 'password' }] },
      });
      expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'db-credentials', mountPath: '/var/run/secrets/postgres/db', readOnly: true });
    });

    test('mounts only the certificate of the cluster CA, never its key', () => {
      const { chart, db } = database();
      app(chart).connectTo(db);

      const pod = one(synth(chart), 'Deployment', 'api').spec.template.spec;
      expect(pod.volumes).toContainEqual({ name: 'db-ca', secret: { secretName: 'db-ca', items: [{ key: 'ca.crt', path: 'ca.crt' }], defaultMode: 0o444 } });
      expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'db-ca', mountPath: '/etc/postgresql/db-ca', readOnly: true });
    });

    test('opens exactly app pods to database pods on 5432, on both sides', () => {
      const { chart, db } = database();
      app(chart).connectTo(db);

      const manifests = synth(chart);
      const appPods = { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api' } } };
      expect(policy(manifests, 'api').spec.egress).toEqual([DNS, { to: [INSTANCES], ports: tcp(5432) }]);
      expect(policy(manifests, 'api').spec.ingress).toBeUndefined();
      expect(policy(manifests, 'db').spec.ingress).toContainEqual({ from: [appPods], ports: tcp(5432) });
    });

    test('with a pooler, goes app to pooler and pooler to instances, never app to instances', () => {
      const { chart, db } = database(productionProps({ pooler: {} }));
      app(chart).connectTo(db);

      const manifests = synth(chart);
      const appPods = { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api' } } };
      const poolerPods = { podSelector: { matchLabels: { 'cnpg.io/poolerName': 'db-pooler' } } };
      expect(policy(manifests, 'api').spec.egress).toEqual([DNS, { to: [poolerPods], ports: tcp(5432) }]);
      expect(policy(manifests, 'db-pooler').spec.ingress).toContainEqual({ from: [appPods], ports: tcp(5432) });
      expect(policy(manifests, 'db').spec.ingress).not.toContainEqual({ from: [appPods], ports: tcp(5432) });
      expect(one(manifests, 'Deployment', 'api').spec.template.spec.containers[0].env[0]).toEqual({ name: 'PGHOST', value: 'db-pooler.test.svc' });
    });

    test('fails when the app is in another namespace than the database', () => {
      const { chart, db } = database();
      const other = new ProductionApp(chart, 'Other', { name: 'other', namespace: 'elsewhere', image: Image.pinned('acme/api', '1.0.0') });

      expect(() => other.connectTo(db)).toThrow(
        /\[test\/Other\] 'connectTo' \('test\/Db'\) must be in the database's namespace 'test': the credentials Secret the operator writes is namespaced/);
    });

    test('fails when an app connects to two databases: libpq settings have one source', () => {
      const chart = testChart();
      const first = new HaPostgres(chart, 'First', productionProps());
      const second = new HaPostgres(chart, 'Second', productionProps());
      const api = app(chart);
      api.connectTo(first);

      expect(() => api.connectTo(second)).toThrow(/'env.PGHOST' \('PGHOST'\) is already set on this app/);
    });
  });

  describe('monitoring', () => {
    test('scrapes the instances with a PodMonitor on the metrics port', () => {
      const { chart } = database(productionProps({ monitoring: { interval: Duration.seconds(15) } }));

      expect(one(synth(chart), 'PodMonitor', 'db').spec).toEqual({
        selector: { matchLabels: { 'cnpg.io/cluster': 'db', 'cnpg.io/podRole': 'instance' } },
        namespaceSelector: { matchNames: ['test'] },
        podMetricsEndpoints: [{ port: 'metrics', interval: '15s', scheme: 'http' }],
      });
    });

    test('alerts on a lost instance or primary, lag, missing synchronous standbys, failing archiving, old backups and full volumes', () => {
      const { chart } = database();

      const rules = one(synth(chart), 'PrometheusRule', 'db').spec.groups[0].rules;
      expect(rules.map((r: any) => [r.alert, r.labels.severity, r.for])).toEqual([
        ['PostgresInstanceDown', 'warning', '5m'],
        ['PostgresPrimaryMissing', 'critical', '2m'],
        ['PostgresStorageNearlyFull', 'warning', '10m'],
        ['PostgresReplicationLagging', 'warning', '5m'],
        ['PostgresSynchronousStandbysMissing', 'critical', '5m'],
        ['PostgresWalArchivingFailing', 'critical', '5m'],
        ['PostgresBackupTooOld', 'warning', '10m'],
      ]);
      const expr = (alert: string) => rules.find((r: any) => r.alert === alert).expr;
      expect(expr('PostgresInstanceDown')).toBe('(count(cnpg_collector_up{namespace="test", pod=~"db-[0-9]+"} == 1) or vector(0)) < 3');
      expect(expr('PostgresReplicationLagging')).toBe('max by (pod) (cnpg_pg_replication_lag{namespace="test", pod=~"db-[0-9]+"}) > 30');
      expect(expr('PostgresBackupTooOld')).toBe(
        'time() - max(barman_cloud_cloudnative_pg_io_last_available_backup_timestamp{namespace="test", pod=~"db-[0-9]+"}) > 93600');
      expect(expr('PostgresStorageNearlyFull')).toContain('persistentvolumeclaim=~"db-[0-9]+(-wal)?"');
      for (const rule of rules) {
        expect(Object.keys(rule.annotations).sort()).toEqual(['description', 'summary']);
        expect(rule.labels).toMatchObject({ cnpg_cluster: 'db', namespace: 'test' });
      }
    });

    test('counts the standbys streaming from the primary against the declared synchronous standbys', () => {
      // CloudNativePG v1.30.0 exports cnpg_collector_sync_replicas with value="observed" only, the requested count
      // (pkg/management/postgres/webserver/metricserver/pg_collector.go, collectFromPrimarySynchronousStandbysNumber): a
      // comparison with value="expected" never fires. cnpg_pg_replication_streaming_replicas counts pg_stat_replication on each
      // instance (config/manager/default-monitoring.yaml, pg_replication), and in_recovery is 0 on the primary only.
      const { chart } = database(productionProps({ instances: 5, replication: PostgresReplication.synchronous({ standbys: 2 }) }));

      const rule = one(synth(chart), 'PrometheusRule', 'db').spec.groups[0].rules.find((r: any) => r.alert === 'PostgresSynchronousStandbysMissing');
      expect(rule.expr).toBe('max(cnpg_pg_replication_streaming_replicas{namespace="test", pod=~"db-[0-9]+"}'
        + ' and on (pod) (cnpg_pg_replication_in_recovery{namespace="test", pod=~"db-[0-9]+"} == 0)) < 2');
      expect(rule.expr).not.toContain('sync_replicas');
    });

    test('the PodMonitors and the PrometheusRule carry the labels the Prometheus selects', () => {
      const { chart } = database(productionProps({ pooler: {}, monitoring: { prometheus: Prometheus.kubePrometheusStack({ release: 'kps' }) } }));

      const manifests = synth(chart);
      for (const [kind, name] of [['PodMonitor', 'db'], ['PodMonitor', 'db-pooler'], ['PrometheusRule', 'db']]) {
        expect(one(manifests, kind, name).metadata.labels).toMatchObject({ release: 'kps', 'app.kubernetes.io/name': 'db' });
      }
      // Its pods, and only them, reach the metrics ports of the instances and the pooler.
      expect(policy(manifests, 'db').spec.ingress).toContainEqual({ from: [PROMETHEUS_PODS], ports: tcp(9187) });
      expect(policy(manifests, 'db-pooler').spec.ingress).toContainEqual({ from: [PROMETHEUS_PODS], ports: tcp(9127) });
    });

    test('links every alert to its runbook under the base URL', () => {
      const { chart } = database(productionProps({ monitoring: { runbookBaseUrl: 'https://runbooks.example.com/postgres/' } }));

      const rules = one(synth(chart), 'PrometheusRule', 'db').spec.groups[0].rules;
      expect(rules.length).toBeGreaterThan(0);
      for (const rule of rules) {
        expect(rule.annotations.runbook_url).toBe(`https://runbooks.example.com/postgres/${rule.alert.toLowerCase()}`);
      }
    });

    test('leaves out backup and replication alerts where there is nothing to watch', () => {
      const { chart } = database(developmentProps({ instances: 1 }));

      const rules = one(synth(chart), 'PrometheusRule', 'db').spec.groups[0].rules;
      expect(rules.map((r: any) => r.alert)).toEqual(['PostgresInstanceDown', 'PostgresPrimaryMissing', 'PostgresStorageNearlyFull']);
      expect(rules[0].labels.severity).toBe('critical');
    });

    test('can be turned off, which also closes the scraper\'s path', () => {
      const { chart } = database(productionProps({ monitoring: { enabled: false } }));

      const manifests = synth(chart);
      expect(ofKind(manifests, 'PodMonitor')).toHaveLength(0);
      expect(ofKind(manifests, 'PrometheusRule')).toHaveLength(0);
      expect(policy(manifests, 'db').spec.ingress).toHaveLength(3);
    });
  });

  describe('what the cluster must provide', () => {
    test('the operator and its plugin, the Kubernetes versions they support, the StorageClass, the API server and the operator\'s pods', () => {
      const { chart } = database(productionProps({ storage: { size: Size.gibibytes(10), storageClassName: 'gp3-retain' } }));

      // CloudNativePG 1.30 supports Kubernetes 1.34 to 1.36 (cloudnative-pg v1.30.0 docs/src/supported_releases.md l.90-92).
      expect(Prerequisite.declaredIn(chart).map((d) => d.prerequisite.title)).toEqual(expect.arrayContaining([
        'CloudNativePG 1.30',
        'Kubernetes 1.34 to 1.36',
        'StorageClass gp3-retain',
        'the Kubernetes API server endpoints are addresses in 10.0.0.0/16, port 443',
        'the CloudNativePG operator runs as pods with app.kubernetes.io/name=cloudnative-pg in the namespaces with kubernetes.io/metadata.name=cnpg-system',
        'Barman Cloud plugin for CloudNativePG 0.14',
      ]));
    });

    test('no plugin without backups, and the default StorageClass when none is named', () => {
      const { chart } = database(developmentProps());

      const titles = Prerequisite.declaredIn(chart).map((d) => d.prerequisite.title);
      expect(titles).not.toContain('Barman Cloud plugin for CloudNativePG 0.14');
      expect(titles).toContain('StorageClass (the default StorageClass)');
    });

    test('the Cluster and its volumes are kept when Argo CD or Flux prune the manifests', () => {
      // argo-cd v3.5.0 docs/user-guide/sync-options.md; kustomize-controller v1.9.4 docs/spec/v1/kustomizations.md.
      const { chart } = database(developmentProps());

      expect(cluster(synth(chart)).metadata.annotations).toMatchObject({
        'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false',
        'kustomize.toolkit.fluxcd.io/prune': 'disabled',
      });
    });

    test('the Secret backups read is kept with the database', () => {
      const secret = new ProducedSecret('kept-credentials', ['ACCESS_KEY_ID', 'ACCESS_SECRET_KEY']);
      database(productionProps({ backup: PostgresBackup.toObjectStore({ destinationPath: 's3://b/db', credentials: ObjectStoreCredentials.s3({ secret }) }) }));
      expect(secret.kept).toBe(true);
    });
  });

  test('matches the snapshot with minimal props (development)', () => {
    const { chart } = database(developmentProps());

    expect(synth(chart)).toMatchSnapshot();
  });

  test('matches the snapshot with all props (production)', () => {
    const ORDERS_BACKUP = new ProducedSecret('orders-backup', ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'], 'orders');
    const chart = testChart('orders');
    const props: Required<HaPostgresProps> = {
      kubernetesApi: { peer: NetworkPeer.ipBlock('10.0.0.0/16'), port: 443 },
      storage: { size: Size.gibibytes(50), storageClassName: 'gp3-retain', walSize: Size.gibibytes(10) },
      name: 'orders-db',
      namespace: 'orders',
      partOf: 'orders',
      instances: 3,
      replication: PostgresReplication.synchronous({ standbys: 1, durability: DataDurability.REQUIRED, method: SynchronousMethod.QUORUM }),
      backup: PostgresBackup.toObjectStore({
        destinationPath: 's3://acme-backups/orders',
        credentials: ObjectStoreCredentials.s3({ secret: ORDERS_BACKUP, accessKeyIdKey: 'AWS_ACCESS_KEY_ID', secretAccessKeyKey: 'AWS_SECRET_ACCESS_KEY' }),
        endpointUrl: 'https://s3.eu-west-1.amazonaws.com',
        endpoint: NetworkPeer.ipBlock('0.0.0.0/0', ['10.0.0.0/8']),
        endpointPort: 443,
        retention: Duration.days(35),
        schedule: BackupSchedule.daily(3, 30),
        maxAge: Duration.hours(30),
        serverName: 'orders-db-2026',
      }),
      recovery: PostgresRecovery.fromObjectStore({
        destinationPath: 's3://acme-backups/orders', credentials: ObjectStoreCredentials.s3({ secret: ORDERS_BACKUP, accessKeyIdKey: 'AWS_ACCESS_KEY_ID', secretAccessKeyKey: 'AWS_SECRET_ACCESS_KEY' }), serverName: 'orders-db',
      }),
      databaseName: 'orders',
      owner: 'orders_app',
      image: Image.pinned('ghcr.io/cloudnative-pg/postgresql', '17.6-minimal-trixie'),
      resources: {
        cpu: { request: Cpu.units(1), limit: Cpu.units(4) },
        memory: { request: Size.gibibytes(8), limit: Size.gibibytes(8) },
        ephemeralStorage: { request: Size.mebibytes(512), limit: Size.gibibytes(2) },
      },
      parameters: { work_mem: '32MB' },
      pooler: { instances: 3, poolMode: PgBouncerPoolMode.SESSION, parameters: { default_pool_size: '20' }, resources: {
        cpu: { request: Cpu.millis(200), limit: Cpu.units(1) },
        memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) },
        ephemeralStorage: { request: Size.mebibytes(64), limit: Size.mebibytes(256) },
      } },
      monitoring: {
        enabled: true,
        prometheus: Prometheus.kubePrometheusStack({ release: 'observability', namespace: 'observability' }),
        interval: Duration.seconds(15),
        maxReplicationLag: Duration.seconds(10),
        storageUsagePercent: 75,
        runbookBaseUrl: 'https://runbooks.example.com/orders',
      },
      operator: NetworkPeer.podsInNamespaces({ 'app.kubernetes.io/name': 'cloudnative-pg' }, { 'kubernetes.io/metadata.name': 'cnpg-system' }),
      nodePool: NodePool.of({ labels: { pool: 'core' } }),
      zoneSpread: SpreadPolicy.REQUIRED,
      dns: ClusterDns.nodeLocalCache(),
      egressEngine: EgressEngine.portable(),
      imagePullSecrets: [registryIn(chart)],
      logs: LogCollection.fluentBit({ destination: 'Loki at https://loki.example.com' }),
    };
    const db = new HaPostgres(chart, 'Db', props);
    new ProductionApp(chart, 'Api', { name: 'orders-api', image: Image.pinned('acme/orders', '1.0.0') }).connectTo(db);

    expect(synth(chart)).toMatchSnapshot();
  });

  describe('in production, the guardrails', () => {
    // The construct takes what the stage config gives it; the guardrails refuse what production cannot run.
    const cases: Array<[string, Partial<HaPostgresProps>, string]> = [
      ['there are fewer than 3 instances', { instances: 2 }, 'postgres-ha: Cluster test/db runs 2 instances'],
      ['the standbys replicate asynchronously', { replication: PostgresReplication.asynchronous() },
        'postgres-synchronous: Cluster test/db replicates asynchronously: no commit waits for a standby'],
      ['losing one standby would stop writes', { replication: PostgresReplication.synchronous({ standbys: 2 }) },
        'postgres-quorum-survives-loss: Cluster test/db waits for 2 synchronous standbys of 3 instances with required durability: '
        + 'losing one standby stops all writes'],
      ['the pooler is a single pod', { pooler: { instances: 1 } }, 'postgres-pooler-ha: Pooler test/db-pooler runs 1 instance'],
    ];

    test.each(cases)('fail when %s', (_, overrides, finding) => {
      expect(guardrailErrors(productionProps(overrides), Tier.PRODUCTION)).toContain(finding);
    });

    test('accept the defaults: three synchronous instances with backups and a two-pod pooler', () => {
      expect(guardrailErrors(productionProps({ pooler: {} }), Tier.PRODUCTION)).toEqual([]);
    });

    test('accept with required durability as many synchronous standbys as survive the loss of one', () => {
      const props = productionProps({ instances: 5, replication: PostgresReplication.synchronous({ standbys: 3 }) });
      expect(guardrailErrors(props, Tier.PRODUCTION)).toEqual([]);
    });

    test('accept asynchronous standbys, one instance and a single pooler pod in development', () => {
      const props = developmentProps({ instances: 1, replication: PostgresReplication.asynchronous(), pooler: { instances: 1 } });
      expect(guardrailErrors(props, Tier.DEVELOPMENT)).toEqual([]);
    });
  });

  describe('validation', () => {
    const s3 = (destinationPath: string, extra: object = {}) => PostgresBackup.toObjectStore({ destinationPath, credentials: S3, ...extra });
    const cases: Array<[string, Partial<HaPostgresProps>, RegExp]> = [
      ['the name is not a DNS label', { name: 'Orders_DB' }, /'name' \('Orders_DB'\) must be a DNS label of at most 50 characters/],
      ['the name leaves no room for the operator\'s suffixes', { name: 'a'.repeat(51) }, /'name' \('a{51}'\) must be a DNS label of at most 50/],
      ['the part-of label is invalid', { partOf: 'not valid!' }, /'partOf.app.kubernetes.io\/part-of' \('not valid!'\) is not a valid label value/],
      ['the image floats', { image: Image.pinned('ghcr.io/cloudnative-pg/postgresql', 'latest') },
        /'image' \('ghcr.io\/cloudnative-pg\/postgresql:latest'\) must be pinned to a version tag or a sha256 digest/],
      ['there are no instances', { instances: 0 }, /'instances' \(0\) must be an integer of at least 1/],
      ['no standby acknowledges commits', { replication: PostgresReplication.synchronous({ standbys: 0 }) },
        /'replication.standbys' \(0\) must be an integer of at least 1/],
      ['synchronous standbys are not fewer than instances', { instances: 2, replication: PostgresReplication.synchronous({ standbys: 2 }) },
        /'replication.standbys' \(2\) must be less than 'instances' \(2\)/],
      ['the data volume is under 1Gi', { storage: { size: Size.mebibytes(512) } }, /'storage.size' \('512Mi'\) must be at least 1Gi/],
      ['the WAL volume is under 2Gi', { storage: { size: Size.gibibytes(10), walSize: Size.gibibytes(1) } },
        /'storage.walSize' \('1Gi'\) must be at least 2Gi/],
      ['the storage class name is invalid', { storage: { size: Size.gibibytes(10), storageClassName: 'GP3' } },
        /'storage.storageClassName' \('GP3'\) must be a DNS-1123 subdomain/],
      ['a request exceeds its limit', { resources: {
        cpu: { request: Cpu.units(2), limit: Cpu.units(1) },
        memory: { request: Size.gibibytes(1), limit: Size.gibibytes(1) },
        ephemeralStorage: { request: Size.mebibytes(256), limit: Size.gibibytes(1) },
      } }, /'resources.cpu.request' \('2'\) must not exceed the limit \(1\)/],
      ['the database name is not an identifier', { databaseName: 'my-app' }, /'databaseName' \('my-app'\) must be a PostgreSQL identifier/],
      ['the owner is a role the operator manages', { owner: 'postgres' },
        /'owner' \('postgres'\) must not be one of the roles the operator manages \(postgres, streaming_replica, cnpg_pooler_pgbouncer\)/],
      ['a parameter name is invalid', { parameters: { 'work mem': '4MB' } }, /'parameters.work mem' \('work mem'\) must be a PostgreSQL setting name/],
      ['the API server port is invalid', { kubernetesApi: { peer: NetworkPeer.ipBlock('10.0.0.0/16'), port: 70000 } },
        /'kubernetesApi.port' \(70000\) must be an integer port between 1 and 65535/],
      ['no backup is declared', { backup: undefined }, /\[test\/Db\] 'backup' \(unset\) is required: .* PostgresBackup.none\(\{ reason \}\)/],
      ['backups are suppressed without a reason', { backup: PostgresBackup.none({ reason: ' ' }) },
        /'backup.reason' \(' '\) must explain why the database runs without backups/],
      ['the destination does not match the credentials', { backup: s3('gs://backups/db') },
        /'backup.destinationPath' \('gs:\/\/backups\/db'\) must start with s3:\/\/ for S3 credentials/],
      ['the object store endpoint is not HTTPS', { backup: s3('s3://backups/db', { endpointUrl: 'http://minio:9000' }) },
        /'backup.endpointUrl' \('http:\/\/minio:9000'\) must be an https:\/\/ URL/],
      ['the credentials Secret is produced in another namespace', {
        backup: PostgresBackup.toObjectStore({ destinationPath: 's3://b/db', credentials: ObjectStoreCredentials.s3({ secret: new ProducedSecret('c', ['ACCESS_KEY_ID', 'ACCESS_SECRET_KEY'], 'secrets') }) }),
      }, /\[test\/Db\] 'backup.credentials.secret' \('c'\) must produce its Secret in namespace 'test', not 'secrets': the backup plugin reads Secrets of its own namespace only/],
      ['the credentials Secret lacks the secret access key', {
        backup: PostgresBackup.toObjectStore({ destinationPath: 's3://b/db', credentials: ObjectStoreCredentials.s3({ secret: new ProducedSecret('c', ['ACCESS_KEY_ID']) }) }),
      }, /'backup.credentials.secretAccessKeyKey' \('ACCESS_SECRET_KEY'\) is not a key of Secret 'c' \(ACCESS_KEY_ID\): map it in the SecretsBinding's source/],
      ['the credentials Secret lacks the region key', {
        backup: PostgresBackup.toObjectStore({ destinationPath: 's3://b/db', credentials: ObjectStoreCredentials.s3({ secret: BACKUP_SECRET, regionKey: 'AWS_REGION' }) }),
      }, /'backup.credentials.regionKey' \('AWS_REGION'\) is not a key of Secret 'backup-credentials'/],
      ['the recovery credentials Secret lacks a key', {
        recovery: PostgresRecovery.fromObjectStore({ destinationPath: 's3://old/db', credentials: ObjectStoreCredentials.s3({ secret: new ProducedSecret('old', ['ACCESS_KEY_ID']) }), serverName: 'db' }),
      }, /'recovery.credentials.secretAccessKeyKey' \('ACCESS_SECRET_KEY'\) is not a key of Secret 'old'/],
      ['the Google Cloud key is not in the Secret', {
        backup: PostgresBackup.toObjectStore({ destinationPath: 'gs://b/db', credentials: ObjectStoreCredentials.googleCloud({ secret: BACKUP_SECRET }) }),
      }, /'backup.credentials.key' \('credentials.json'\) is not a key of Secret 'backup-credentials'/],
      ['the Azure storage key is not in the Secret', {
        backup: PostgresBackup.toObjectStore({ destinationPath: 'https://a.blob.core.windows.net/b', credentials: ObjectStoreCredentials.azure({ secret: BACKUP_SECRET }) }),
      }, /'backup.credentials.storageAccountKey' \('AZURE_STORAGE_ACCOUNT'\) is not a key of Secret 'backup-credentials'/],
      ['a credentials key is invalid', {
        backup: PostgresBackup.toObjectStore({ destinationPath: 's3://b/db', credentials: ObjectStoreCredentials.s3({ secret: BACKUP_SECRET, accessKeyIdKey: 'key id' }) }),
      }, /'backup.credentials.accessKeyIdKey' \('key id'\) must be a Secret key/],
      ['the Google service account is not one', {
        backup: PostgresBackup.toObjectStore({ destinationPath: 'gs://b/db', credentials: ObjectStoreCredentials.gkeWorkloadIdentity('db-backup') }),
      }, /'backup.credentials.serviceAccount' \('db-backup'\) must be a Google service account: <name>@<project>.iam.gserviceaccount.com/],
      ['the Azure client id is not a UUID', {
        backup: PostgresBackup.toObjectStore({ destinationPath: 'https://a.blob.core.windows.net/b', credentials: ObjectStoreCredentials.azureWorkloadIdentity('db-backup') }),
      }, /'backup.credentials.clientId' \('db-backup'\) must be the client id of the identity: a UUID/],
      ['backups and recovery assume two different cloud identities', {
        backup: PostgresBackup.toObjectStore({ destinationPath: 's3://new/db', credentials: ObjectStoreCredentials.awsIamRole('arn:aws:iam::123456789012:role/new') }),
        recovery: PostgresRecovery.fromObjectStore({ destinationPath: 's3://old/db', credentials: ObjectStoreCredentials.awsIamRole('arn:aws:iam::123456789012:role/old'), serverName: 'db' }),
      }, /'recovery.credentials' \('arn:aws:iam::123456789012:role\/old'\) must assume the identity of the backups \('arn:aws:iam::123456789012:role\/new'\): the Cluster has one ServiceAccount/],
      ['the DNS cache address is not an IP address', { dns: ClusterDns.nodeLocalCache('cache') }, /'dns' \('cache'\) must be an IP address/],
      ['the Prometheus selects by an invalid label', { monitoring: { prometheus: Prometheus.kubePrometheusStack({ release: '-kps' }) } },
        /'monitoring.prometheus.selectorLabels.release' \('-kps'\) is not a valid label value/],
      ['the IAM role is not a role ARN', {
        backup: PostgresBackup.toObjectStore({ destinationPath: 's3://b/db', credentials: ObjectStoreCredentials.awsIamRole('db-backup') }),
      }, /'backup.credentials.roleArn' \('db-backup'\) must be an IAM role ARN: arn:aws:iam::<account id>:role\/<name>/],
      ['the object store port is invalid', { backup: s3('s3://b/db', { endpointPort: 0 }) },
        /'backup.endpointPort' \(0\) must be an integer port between 1 and 65535/],
      ['the retention is not whole days', { backup: s3('s3://b/db', { retention: Duration.hours(36) }) },
        /'backup.retention' \('129600s'\) must be a whole number of days, at least 1/],
      ['the schedule is a five-field cron', { backup: s3('s3://b/db', { schedule: BackupSchedule.cron('0 2 * * *') }) },
        /'backup.schedule' \('0 2 \* \* \*'\) must be a cron expression with six fields, seconds first/],
      ['the daily backup time is not a time of day', { backup: s3('s3://b/db', { schedule: BackupSchedule.daily(25) }) },
        /'backup.schedule' \('0 0 25 \* \* \*'\) must be a time of day/],
      ['the backup age alert is under an hour', { backup: s3('s3://b/db', { maxAge: Duration.minutes(30) }) },
        /'backup.maxAge' \('1800s'\) must be at least one hour/],
      ['the backup server name is invalid', { backup: s3('s3://b/db', { serverName: 'db/2' }) },
        /'backup.serverName' \('db\/2'\) must be a folder name/],
      ['the recovery server name is invalid', {
        recovery: PostgresRecovery.fromObjectStore({ destinationPath: 's3://b/db', credentials: S3, serverName: '' }),
      }, /'recovery.serverName' \(''\) must be the folder name of the source cluster's backups/],
      ['the recovery target time is invalid', {
        recovery: PostgresRecovery.fromObjectStore({ destinationPath: 's3://b/db', credentials: S3, serverName: 'old', targetTime: new Date('yesterday') }),
      }, /'recovery.targetTime' \('Invalid Date'\) must be a valid date/],
      ['a recovered cluster would archive over its source', {
        recovery: PostgresRecovery.fromObjectStore({ destinationPath: 's3://backups/db', credentials: S3, serverName: 'db' }),
      }, /'backup.serverName' \('db'\) must differ from 'recovery.serverName' when both use s3:\/\/backups\/db/],
      ['the pooler has no instances', { pooler: { instances: 0 } }, /'pooler.instances' \(0\) must be an integer of at least 1/],
      ['a pooler request exceeds its limit', { pooler: { resources: {
        cpu: { request: Cpu.millis(100), limit: Cpu.millis(500) },
        memory: { request: Size.mebibytes(256), limit: Size.mebibytes(128) },
        ephemeralStorage: { request: Size.mebibytes(64), limit: Size.mebibytes(256) },
      } } }, /'pooler.resources.memory.request' \('256Mi'\) must not exceed the limit \(128Mi\)/],
      ['the storage alert threshold is not a percentage', { monitoring: { storageUsagePercent: 100 } },
        /'monitoring.storageUsagePercent' \(100\) must be an integer between 1 and 99/],
      ['the runbook base URL is not absolute', { monitoring: { runbookBaseUrl: 'runbooks/postgres' } },
        /'monitoring.runbookBaseUrl' \('runbooks\/postgres'\) must be an absolute http or https URL/],
    ];

    test.each(cases)('fails when %s', (_, overrides, message) => {
      expect(() => database(productionProps(overrides))).toThrow(message);
    });

    test('fails when the chart has no namespace', () => {
      const chart = new Chart(Testing.app(), 'test');

      expect(() => new HaPostgres(chart, 'Db', productionProps())).toThrow(/'namespace' \(unset\) must be set on the HaPostgres or its Chart/);
    });
  });
});
