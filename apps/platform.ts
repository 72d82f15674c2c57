import { Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import {
  ApplyOrder, ExternalService, HaPostgres, HaRedis, HardenedIngress, Image, IRegistryCredentials, LogCollection, MetricsOptions, NamespaceBaseline,
  NetworkPeer, ObjectStoreCredentials, OneOffJob, PlatformAlerts, PostgresBackup, Prerequisite, Probe, ProductionApp, RegistryCredentials,
  RemoteSecretRef, ScheduledJob, SecretMount, SecretsBinding, SecretSource, SignIn, TeamAccess, setTier,
} from '../lib';
import { IdeStageConfig, StageConfig } from './stages';

/**
 * The Kubernetes versions the platform runs on: the narrowest support window of the operators it needs,
 * CloudNativePG 1.30's (cert-manager 1.21 supports 1.33 to 1.36, prometheus-operator 0.93 needs 1.25 or later,
 * External Secrets 2.9 is tested on 1.36).
 */
const KUBERNETES_VERSIONS = Prerequisite.kubernetesVersions('1.34', '1.36',
  'CloudNativePG 1.30 supports Kubernetes 1.34 to 1.36, the narrowest window of the operators the platform needs '
  + '(cert-manager 1.21: 1.33 to 1.36; prometheus-operator 0.93: 1.25 or later; External Secrets 2.9: tested on 1.36), '
  + 'and the Barman Cloud plugin\'s sidecar is a native sidecar (1.29 or later)');

const PART_OF = 'aishell';
const IMAGE_REPOSITORY = 'aishell/aishell';
/** Where the services read their credentials: one read-only file per key, never an environment variable. */
const LLM_KEYS_PATH = '/var/run/secrets/aishell/llm-keys';
const APP_SECRETS_PATH = '/var/run/secrets/aishell/app';
/**
 * The platform image's switch between the full app (API and UI) and the API alone. The AI-Shell guide documents no
 * such switch: it is the platform's contract with its image, modelled on Langflow's `LANGFLOW_BACKEND_ONLY`
 * (`langflow run --backend-only`), which Langflow's runtime chart sets.
 */
const BACKEND_ONLY = 'AISHELL_BACKEND_ONLY';

/** What every pod of a stage carries, whoever renders it: the registry credentials, and the log collector it declares. */
interface PodStageProps {
  readonly imagePullSecrets: IRegistryCredentials[];
  readonly logs: LogCollection;
}

/** The whole platform for one stage: the namespace baseline, the services and their public entry, wired together. */
export class Platform extends Chart {
  public readonly baseline: NamespaceBaseline;
  /** The credentials of the stage's private registry, which every pod of the stage pulls with. */
  public readonly registryCredentials: RegistryCredentials;
  public readonly api: ProductionApp;
  public readonly worker: ProductionApp;
  /** The LLM providers' APIs, which the API and the worker call. */
  public readonly llmProviders: readonly ExternalService[];
  /** The LLM provider keys, for every service that calls a model. */
  public readonly llmKeys: SecretsBinding;
  /** The application's own signing keys, for the API only. */
  public readonly appSecrets: SecretsBinding;
  public readonly alerts: PlatformAlerts;
  public readonly ingress: HardenedIngress;
  public readonly database: HaPostgres;
  /** The task queue and cache: the API enqueues background tasks, the worker consumes them. */
  public readonly cache: HaRedis;
  /** The access key of the database's backups, when it has any. */
  public readonly backupCredentials?: SecretsBinding;
  /** The database migrations of the release, run before the services roll out. */
  public readonly migrations: OneOffJob;
  /** The nightly maintenance: deletes the audit records older than the stage keeps. */
  public readonly maintenance: ScheduledJob;
  /** The IDE, behind single sign-on, in a stage that has one. */
  public readonly ide?: ProductionApp;
  /** The client secret and cookie secret of the IDE's sign-in proxy, in a stage with an IDE. */
  public readonly ideSignIn?: SecretsBinding;
  /** People's access to the namespace. */
  public readonly access: TeamAccess;

  public constructor(scope: Construct, id: string, stage: StageConfig) {
    super(scope, id, { namespace: stage.namespace, disableResourceNameHashes: true });
    setTier(this, stage.tier);
    // Every object gets the sync wave of its layer: namespace, secrets, data, the pre-upgrade backup,
    // the migrations, the workloads, the routes.
    ApplyOrder.apply(this);
    Prerequisite.declare(this, KUBERNETES_VERSIONS);
    const image = Image.pinned(`${stage.registry.host}/${IMAGE_REPOSITORY}`, stage.imageTag);
    const { dns, prometheus, egressEngine, logs } = stage;
    const metrics: MetricsOptions = { path: '/metrics', prometheus, alerts: { runbookBaseUrl: stage.runbookBaseUrl } };
    const remote = (name: string): RemoteSecretRef => ({ key: `${stage.secrets.keyPrefix}/${name}` });

    this.baseline = new NamespaceBaseline(this, 'Namespace', { name: stage.namespace, quota: stage.quota, dns });

    this.registryCredentials = new RegistryCredentials(this, 'RegistryCredentials', {
      name: 'aishell-registry',
      partOf: PART_OF,
      registry: stage.registry.host,
      store: stage.secrets.store,
      refreshInterval: stage.secrets.refreshInterval,
      username: remote('registry-username'),
      password: remote('registry-password'),
    });
    // What every pod of the stage carries: the registry credentials, and the log collector it declares. The guide does
    // not say the platform image writes JSON, so its pods keep the default, text; the database's pods write JSON.
    const pods: PodStageProps = { imagePullSecrets: [this.registryCredentials], logs };

    this.api = new ProductionApp(this, 'Api', {
      name: 'aishell',
      component: 'api',
      partOf: PART_OF,
      image,
      port: 8000,
      replicas: stage.api.replicas,
      autoscaling: stage.api.autoscaling,
      resources: stage.api.resources,
      readiness: Probe.http('/ready'),
      liveness: Probe.http('/health'),
      metrics,
      dns,
      egressEngine,
      ...pods,
      config: { ...stage.appConfig, [BACKEND_ONLY]: String(stage.api.backendOnly) },
    });

    this.worker = new ProductionApp(this, 'Worker', {
      name: 'aishell-worker',
      component: 'worker',
      partOf: PART_OF,
      image,
      args: ['worker'],
      port: 8000,
      replicas: stage.worker.replicas,
      autoscaling: stage.worker.autoscaling,
      resources: stage.worker.resources,
      readiness: Probe.http('/ready'),
      liveness: Probe.http('/health'),
      metrics,
      dns,
      egressEngine,
      ...pods,
      config: stage.appConfig,
    });
    this.worker.connectTo(this.api);

    // The providers whose keys the services mount, at the hosts their SDKs call by default (anthropic-sdk-python's
    // and openai-python's base URLs), on HTTPS. The config's LLM_PROVIDER 'ollama' (as the AI-Shell guide sets it)
    // names an Ollama server that neither the guide nor these manifests run, at no address: no egress is opened
    // for it. Run one as a workload and connect the services to it, or name a provider the keys are for.
    this.llmProviders = [
      new ExternalService(this, 'Anthropic', { hosts: ['api.anthropic.com'] }),
      new ExternalService(this, 'OpenAi', { hosts: ['api.openai.com'] }),
    ];
    for (const service of [this.api, this.worker]) {
      this.llmProviders.forEach((provider) => service.connectTo(provider));
    }

    // Two Secrets, so that the worker's node never receives the API's signing keys.
    this.llmKeys = new SecretsBinding(this, 'LlmKeys', {
      name: 'aishell-llm-keys',
      partOf: PART_OF,
      source: SecretSource.externalSecret({
        store: stage.secrets.store,
        refreshInterval: stage.secrets.refreshInterval,
        data: { ANTHROPIC_API_KEY: remote('anthropic-api-key'), OPENAI_API_KEY: remote('openai-api-key') },
      }),
      credentialsFor: [...this.llmProviders],
    });
    this.appSecrets = new SecretsBinding(this, 'AppSecrets', {
      name: 'aishell-app-secrets',
      partOf: PART_OF,
      source: SecretSource.externalSecret({
        store: stage.secrets.store,
        refreshInterval: stage.secrets.refreshInterval,
        data: { SECRET_KEY: remote('secret-key'), JWT_SECRET: remote('jwt-secret') },
      }),
    });
    const llmKeys = SecretMount.files(LLM_KEYS_PATH, { keys: ['ANTHROPIC_API_KEY', 'OPENAI_API_KEY'] });
    this.llmKeys.bindTo(this.api, llmKeys);
    this.llmKeys.bindTo(this.worker, llmKeys);
    this.appSecrets.bindTo(this.api, SecretMount.files(APP_SECRETS_PATH, { keys: ['SECRET_KEY', 'JWT_SECRET'] }));

    // No database, cache or task alerts here: HaPostgres and HaRedis watch their own pods with their exporters' metrics
    // (Aileron's "Redis unhealthy" is HaRedis's RedisDown or RedisMasterMissing, critical), and the platform runs no
    // task-metrics exporter: celery-exporter 0.12 takes the broker password only inside its broker URL (see the README).
    this.alerts = new PlatformAlerts(this, 'Alerts', { runbookBaseUrl: stage.runbookBaseUrl, prometheus });

    const { host, ...ingress } = stage.ingress;
    this.ingress = new HardenedIngress(this, 'Ingress', { name: 'aishell', ...ingress });
    this.ingress.route(host, '/', this.api);

    const backup = this.databaseBackup(stage, remote);
    this.backupCredentials = backup.credentials;
    this.database = new HaPostgres(this, 'Database', {
      name: 'aishell-db',
      partOf: PART_OF,
      databaseName: 'aishell',
      instances: stage.database.instances,
      storage: stage.database.storage,
      resources: stage.database.resources,
      kubernetesApi: { peer: NetworkPeer.ipBlock(stage.kubernetesApi.cidr), port: stage.kubernetesApi.port },
      backup: backup.backup,
      pooler: stage.database.poolerInstances !== undefined ? { instances: stage.database.poolerInstances } : undefined,
      monitoring: { runbookBaseUrl: stage.runbookBaseUrl, prometheus },
      dns,
      egressEngine,
      ...pods,
    });
    this.api.connectTo(this.database);
    this.worker.connectTo(this.database);

    // The queue of the background tasks: the API enqueues, the worker consumes, both as Celery apps (CELERY_BROKER_URL,
    // CELERY_RESULT_BACKEND and the password file). Its password is generated in the cluster, never stored anywhere.
    this.cache = new HaRedis(this, 'Cache', {
      name: 'aishell-redis',
      partOf: PART_OF,
      nodes: stage.cache.nodes,
      persistence: stage.cache.persistence,
      resources: stage.cache.resources,
      monitoring: { runbookBaseUrl: stage.runbookBaseUrl, prometheus },
      dns,
      ...pods,
    });
    this.api.connectTo(this.cache.celery());
    this.worker.connectTo(this.cache.celery());

    // The image's entrypoint takes a subcommand, as for the worker: `migrate` applies the schema
    // migrations of the release (idempotent: at the latest revision it does nothing). A new image is a
    // new Job (its name carries a hash of its spec); it is written after the database and before the
    // services it prepares.
    this.migrations = new OneOffJob(this, 'Migrations', {
      name: 'aishell-migrate',
      component: 'migrations',
      partOf: PART_OF,
      image,
      args: ['migrate'],
      resources: stage.jobs.resources,
      activeDeadline: Duration.minutes(30),
      dns,
      ...pods,
    });
    this.migrations.connectTo(this.database);
    this.migrations.node.addDependency(this.database);
    this.migrations.prepares(this.api, this.worker);

    // Audit logging is on (AUDIT_ENABLED): without a retention the audit records grow without bound.
    this.maintenance = new ScheduledJob(this, 'Maintenance', {
      name: 'aishell-audit-prune',
      component: 'maintenance',
      partOf: PART_OF,
      image,
      args: ['audit', 'prune', '--older-than-days', String(stage.jobs.auditRetentionDays)],
      resources: stage.jobs.resources,
      schedule: stage.jobs.maintenanceSchedule,
      dns,
      ...pods,
    });
    this.maintenance.connectTo(this.database);


    if (stage.ide !== undefined) {
      this.ideSignIn = new SecretsBinding(this, 'IdeSignIn', {
        name: 'aishell-ide-sign-in',
        partOf: PART_OF,
        source: SecretSource.externalSecret({
          store: stage.secrets.store,
          refreshInterval: stage.secrets.refreshInterval,
          data: { 'client-secret': remote('ide-oidc-client-secret'), 'cookie-secret': remote('ide-oidc-cookie-secret') },
        }),
      });
      this.ide = this.addIde(stage, stage.ide, image, metrics, this.ideSignIn, pods);
    }

    this.access = new TeamAccess(this, 'Access', { name: 'aishell', partOf: PART_OF, grants: stage.access });

    for (const namespaced of [this.registryCredentials, this.api, this.worker, this.llmKeys, this.appSecrets, this.backupCredentials, this.alerts, this.ingress, this.database,
      this.cache, this.migrations, this.maintenance, this.ideSignIn, this.ide, this.access]) {
      namespaced?.node.addDependency(this.baseline);
    }
  }

  /**
   * The IDE: the full app (API and UI), with the services' credentials and database, reached only through a sign-in
   * proxy on its own host: its NetworkPolicy admits the proxy's pods, never the ingress controller.
   */
  private addIde(stage: StageConfig, ide: IdeStageConfig, image: Image, metrics: MetricsOptions, signInSecret: SecretsBinding, pods: PodStageProps): ProductionApp {
    const { dns, prometheus, egressEngine } = stage;
    const app = new ProductionApp(this, 'Ide', {
      name: 'aishell-ide',
      component: 'ide',
      partOf: PART_OF,
      image,
      port: 8000,
      replicas: ide.replicas,
      autoscaling: ide.autoscaling,
      resources: ide.resources,
      readiness: Probe.http('/ready'),
      liveness: Probe.http('/health'),
      metrics,
      dns,
      egressEngine,
      ...pods,
      config: { ...stage.appConfig, [BACKEND_ONLY]: 'false' },
    });
    this.llmProviders.forEach((provider) => app.connectTo(provider));
    this.llmKeys.bindTo(app, SecretMount.files(LLM_KEYS_PATH, { keys: ['ANTHROPIC_API_KEY', 'OPENAI_API_KEY'] }));
    this.appSecrets.bindTo(app, SecretMount.files(APP_SECRETS_PATH, { keys: ['SECRET_KEY', 'JWT_SECRET'] }));
    app.connectTo(this.database);
    app.connectTo(this.cache.celery());
    const { signIn } = ide;
    this.ingress.route(ide.host, '/', app, {
      signIn: SignIn.oidc({
        identityProvider: signIn.identityProvider,
        clientId: signIn.clientId,
        secret: signInSecret,
        allowedGroups: signIn.allowedGroups,
        proxy: {
          replicas: signIn.proxy.replicas,
          autoscaling: signIn.proxy.autoscaling,
          resources: signIn.proxy.resources,
          dns,
          egressEngine,
          ...pods,
          metrics: { prometheus, alerts: { runbookBaseUrl: stage.runbookBaseUrl } },
        },
      }),
    });
    return app;
  }

  /**
   * The database's backups: the stage's decision to go without, or the WAL archive and base backups in
   * S3 with an access key that an ExternalSecret of the stage's store writes into the database's namespace.
   */
  private databaseBackup(stage: StageConfig, remote: (name: string) => RemoteSecretRef): { backup: PostgresBackup; credentials?: SecretsBinding } {
    const backup = stage.database.backup;
    if (backup instanceof PostgresBackup) {
      return { backup };
    }
    const credentials = new SecretsBinding(this, 'BackupCredentials', {
      name: 'aishell-db-backup-credentials',
      partOf: PART_OF,
      source: SecretSource.externalSecret({
        store: stage.secrets.store,
        refreshInterval: stage.secrets.refreshInterval,
        data: { ACCESS_KEY_ID: remote('postgres-backup-access-key-id'), ACCESS_SECRET_KEY: remote('postgres-backup-secret-access-key') },
      }),
    });
    return {
      backup: PostgresBackup.toObjectStore({
        destinationPath: backup.destinationPath,
        region: backup.region,
        retention: backup.retention,
        credentials: ObjectStoreCredentials.s3({ secret: credentials }),
      }),
      credentials,
    };
  }
}
