import { Chart, Size } from 'cdk8s';
import { Construct } from 'constructs';
import {
  ApplyOrder, CertificateIssuer, ExternalService, HaPostgres, HardenedIngress, Image, IngressController, NamespaceBaseline, NetworkPeer,
  ObjectStoreCredentials, PostgresBackup, Probe, ProductionApp, SecretMount, SecretsBinding, SecretSource, StatefulApp, VolumeBackupSchedule,
  setTier,
} from 'cdk8s-golden-path';
import { PrometheusRule, PrometheusRuleSpecGroupsRulesExpr } from 'cdk8s-golden-path/imports/monitoring.coreos.com';
import { BACKUP_RETENTION, PROMETHEUS, StageConfig } from './stages';

/** The orders platform of one stage: an API and a worker, their database, credentials and public entry, wired together. */
export class OrdersPlatform extends Chart {
  public readonly api: ProductionApp;
  public readonly worker: ProductionApp;
  public readonly search: StatefulApp;
  public readonly database: HaPostgres;

  public constructor(scope: Construct, id: string, stage: StageConfig) {
    super(scope, id, { namespace: stage.namespace, disableResourceNameHashes: true });
    setTier(this, stage.tier);
    // Sync waves on every object: namespace, secrets, data, the pre-upgrade backup, migrations, workloads, routes.
    ApplyOrder.apply(this);
    const image = (name: string) => Image.pinned(`ghcr.io/acme/${name}`, stage.imageTag);

    const baseline = new NamespaceBaseline(this, 'Namespace', { name: stage.namespace, quota: stage.quota });

    this.api = new ProductionApp(this, 'Api', {
      name: 'orders-api',
      image: image('orders-api'),
      port: 8080,
      replicas: stage.replicas,
      autoscaling: stage.replicas > 1 ? { maxReplicas: 10 } : { enabled: false },
      readiness: Probe.http('/ready'),
      liveness: Probe.http('/health'),
      metrics: { path: '/metrics', prometheus: PROMETHEUS },
    });
    this.worker = new ProductionApp(this, 'Worker', {
      name: 'orders-worker',
      image: image('orders-worker'),
      args: ['worker'],
      port: 8080,
      replicas: stage.replicas,
      autoscaling: stage.replicas > 1 ? { maxReplicas: 6 } : { enabled: false },
      readiness: Probe.http('/ready'),
      liveness: Probe.http('/health'),
      egressEngine: stage.egressEngine,
    });
    this.worker.connectTo(this.api);

    // The backup plugin reads its access key from a Secret that an ExternalSecret of the stage's store writes.
    const backupCredentials = stage.backupPath === undefined ? undefined : new SecretsBinding(this, 'BackupCredentials', {
      source: SecretSource.externalSecret({
        store: stage.secretStore,
        data: {
          ACCESS_KEY_ID: { key: `orders/${stage.name}/backup-access-key-id` },
          ACCESS_SECRET_KEY: { key: `orders/${stage.name}/backup-secret-access-key` },
        },
      }),
    });

    // The search service keeps its index on a volume per replica: a StatefulApp, whose claims stay when
    // replicas go or the StatefulSet is deleted (the index can be rebuilt from the database, in hours).
    this.search = new StatefulApp(this, 'Search', {
      name: 'orders-search',
      image: image('orders-search'),
      port: 7700,
      replicas: stage.replicas,
      readiness: Probe.http('/ready'),
      liveness: Probe.http('/health'),
      volumeClaims: [{ name: 'index', mountPath: '/var/lib/orders-search', size: stage.searchIndexSize, storageClassName: stage.storageClassName }],
    });
    this.api.connectTo(this.search);
    // Where the cluster runs Velero, its index volumes are backed up every night and kept as long as the database's backups.
    if (stage.velero !== undefined) {
      new VolumeBackupSchedule(this, 'SearchBackups', { workload: this.search, velero: stage.velero, retention: BACKUP_RETENTION });
    }

    this.database = new HaPostgres(this, 'Database', {
      name: 'orders-db',
      instances: stage.databaseInstances,
      storage: { size: Size.gibibytes(20) },
      monitoring: { prometheus: PROMETHEUS },
      kubernetesApi: { peer: NetworkPeer.ipBlock('10.0.0.0/20'), port: 443 },
      egressEngine: stage.egressEngine,
      backup: stage.backupPath === undefined || backupCredentials === undefined
        ? PostgresBackup.none({ reason: 'development stage: its data is disposable' })
        : PostgresBackup.toObjectStore({
          destinationPath: stage.backupPath,
          region: stage.backupRegion,
          credentials: ObjectStoreCredentials.s3({ secret: backupCredentials }),
          retention: BACKUP_RETENTION,
        }),
    });
    this.api.connectTo(this.database);
    this.worker.connectTo(this.database);

    // The worker charges cards: it reaches the payment API by name, on HTTPS, and nothing else outside the cluster.
    const payments = new ExternalService(this, 'Payments', { hosts: ['api.stripe.com'] });
    this.worker.connectTo(payments);
    const secrets = new SecretsBinding(this, 'PaymentKeys', {
      source: SecretSource.externalSecret({
        store: stage.secretStore,
        data: { PAYMENT_API_KEY: { key: `orders/${stage.name}/payment-api-key` } },
      }),
      credentialsFor: [payments],
    });
    secrets.bindTo(this.worker, SecretMount.files('/var/run/secrets/orders'));

    const ingress = new HardenedIngress(this, 'Ingress', {
      controller: IngressController.haproxy(),
      issuer: CertificateIssuer.clusterIssuer('letsencrypt-prod'),
      rateLimit: { requestsPerSecond: 50 },
    });
    ingress.route(stage.host, '/', this.api);

    // The team's own alert, written with the typed binding the library ships for prometheus-operator.
    // It carries the labels the cluster's Prometheus selects, as the library's own rules do.
    new PrometheusRule(this, 'OrdersSlo', {
      metadata: { name: 'orders-slo', labels: { ...PROMETHEUS.selectorLabels } },
      spec: {
        groups: [{
          name: 'orders-slo',
          rules: [{
            alert: 'OrdersBacklogGrowing',
            expr: PrometheusRuleSpecGroupsRulesExpr.fromString(`sum(orders_queue_depth{namespace="${stage.namespace}"}) > 1000`),
            for: '15m',
            labels: { severity: 'warning', namespace: stage.namespace },
            annotations: { summary: 'more than 1000 orders wait for the worker' },
          }],
        }],
      },
    });

    for (const child of [this.api, this.worker, this.search, this.database, secrets, ingress, backupCredentials]) {
      child?.node.addDependency(baseline);
    }
  }
}
