import { Duration, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import {
  Access, AcmeServer, AutoscalingOptions, CertificateIssuer, ClusterDns, ContainerResources, DnsProvider, DnsRecords, EgressEngine, ExternalDnsPolicy,
  HardenedIngressProps, IdentityProvider, IngressController, LogCollection, NAMESPACE_NAME_LABEL, NamespaceQuota, NetworkPeer, Permission, PostgresBackup,
  PostgresStorage, Prometheus, RedisPersistence, Schedule, SecretStoreRef, Tier,
} from '../lib';

/** How one service of the platform runs in a stage. */
export interface ServiceStageConfig {
  /** Replicas, or the autoscaler's minimum. */
  readonly replicas: number;
  /** Autoscaling. */
  readonly autoscaling: AutoscalingOptions;
  /** Requests and limits. */
  readonly resources: ContainerResources;
}

/** How the platform's jobs run in a stage: the migrations before each release, and the nightly maintenance. */
export interface JobsStageConfig {
  /** Requests and limits of each job's pod. */
  readonly resources: ContainerResources;
  /** When the maintenance job runs, in UTC. */
  readonly maintenanceSchedule: Schedule;
  /** Days audit records are kept: the maintenance job deletes older ones. */
  readonly auditRetentionDays: number;
}

/** How the API runs in a stage: the runtime of the flows. */
export interface ApiStageConfig extends ServiceStageConfig {
  /**
   * Serve the API without the UI, as Langflow's runtime chart runs `langflow run --backend-only`: the UI builds
   * and runs flows, and belongs to the IDE, behind single sign-on. Rendered as the platform image's setting
   * `AISHELL_BACKEND_ONLY` (see `apps/platform.ts`).
   */
  readonly backendOnly: boolean;
}

/** Who may sign in to what people open in a stage, and how the sign-in proxy runs. */
export interface SignInStageConfig {
  /** The identity provider people sign in with. */
  readonly identityProvider: IdentityProvider;
  /** The client the sign-in proxy signs people in as. */
  readonly clientId: string;
  /** Groups whose members may sign in. */
  readonly allowedGroups: string[];
  /** Replicas, autoscaling and resources of the sign-in proxy. */
  readonly proxy: ServiceStageConfig;
}

/** The IDE: the full app (API and UI) where people build and test flows, behind single sign-on. */
export interface IdeStageConfig extends ServiceStageConfig {
  /** Host the IDE is served on; only the sign-in proxy reaches it. */
  readonly host: string;
  /** Who may sign in to it. */
  readonly signIn: SignInStageConfig;
}

/** Where the platform's credentials come from in a stage. */
export interface SecretsStageConfig {
  /** The External Secrets store the credentials are read from. */
  readonly store: SecretStoreRef;
  /** Prefix of the credentials' names in the store's backend: `<prefix>/jwt-secret`, ... */
  readonly keyPrefix: string;
  /** How often the operator re-reads the store. */
  readonly refreshInterval: Duration;
}

/** How traffic reaches the platform in a stage: the public host and the ingress that serves it. */
export interface IngressStageConfig extends HardenedIngressProps {
  /** Host name the API/UI is served on. */
  readonly host: string;
}

/**
 * Where the database's WAL archive and base backups go: an S3 bucket, reached with an access key that
 * the stage's secret store holds under `<keyPrefix>/postgres-backup-access-key-id` and
 * `<keyPrefix>/postgres-backup-secret-access-key`.
 */
export interface S3BackupStageConfig {
  /** Bucket and path: `s3://bucket/path`. */
  readonly destinationPath: string;
  /** AWS region of the bucket: the backup sidecar addresses the bucket there, and the database's egress names that host. */
  readonly region: string;
  /** How long base backups and the WAL are kept. */
  readonly retention: Duration;
}

/** How the platform's PostgreSQL runs in a stage. */
export interface DatabaseStageConfig {
  /** PostgreSQL instances: a primary and standbys. */
  readonly instances: number;
  /** Volumes of each instance. */
  readonly storage: PostgresStorage;
  /** Requests and limits of each instance. */
  readonly resources: ContainerResources;
  /**
   * Where WAL archive and base backups go, or `PostgresBackup.none({ reason })`: the guardrails accept a
   * database without backups in development, and in production only with that recorded reason.
   */
  readonly backup: S3BackupStageConfig | PostgresBackup;
  /** PgBouncer pods in front of the primary; none means the services connect to the primary directly. */
  readonly poolerInstances?: number;
}

/** How the Redis of the task queue and the cache runs in a stage. */
export interface CacheStageConfig {
  /** Redis nodes: 1 is a single node, more a replication watched by three Sentinels. */
  readonly nodes: number;
  /** The append-only file's volume of each node. */
  readonly persistence: RedisPersistence;
  /** Requests and limits of each node. */
  readonly resources: ContainerResources;
}

/**
 * The private registry the platform's image is pulled from: `<host>/aishell/aishell`. Its username and password are in
 * the stage's secret store under `<keyPrefix>/registry-username` and `<keyPrefix>/registry-password`, and every pod of
 * the stage (the services, the jobs, the sign-in proxy, the database's instances and poolers) pulls with them.
 */
export interface RegistryStageConfig {
  /** Host of the registry, as image references name it. */
  readonly host: string;
}

/** Where the stage cluster's Kubernetes API server endpoints are, for the NetworkPolicies of pods that talk to it. */
export interface KubernetesApiConfig {
  /** Addresses of the API server endpoints (`kubectl get endpoints kubernetes`). */
  readonly cidr: string;
  /** Port of the endpoints. */
  readonly port: number;
}

/** Everything that differs between the platform's stages: the one place where dev and prod part ways. */
export interface StageConfig {
  /** Stage name; the output goes to `dist/<name>/`. */
  readonly name: string;
  /** How strict the rules are: development relaxes availability, never security. */
  readonly tier: Tier;
  /** Namespace of the whole platform in this stage. */
  readonly namespace: string;
  /** Version tag of the platform image. */
  readonly imageTag: string;
  /** The private registry of the platform image. */
  readonly registry: RegistryStageConfig;
  /** The log pipeline the cluster runs: which collector reads the pods' standard output, and where the logs go. */
  readonly logs: LogCollection;
  /** Resource totals of the namespace. */
  readonly quota: NamespaceQuota;
  /** The API service: the runtime of the flows. */
  readonly api: ApiStageConfig;
  /** The IDE, in a stage where people build flows; a stage that only runs them (prod) has none: a smaller attack surface. */
  readonly ide?: IdeStageConfig;
  /** Who may do what in the stage's namespace, by group: namespaced Roles and RoleBindings only. */
  readonly access: Access[];
  /** The background worker. */
  readonly worker: ServiceStageConfig;
  /** The database migrations and the nightly maintenance. */
  readonly jobs: JobsStageConfig;
  /** Application settings (non-secret) given to the services. */
  readonly appConfig: Record<string, string>;
  /** Credentials (LLM provider keys, application secret key, JWT secret). */
  readonly secrets: SecretsStageConfig;
  /** Where the runbooks of the stage's alerts live: each alert links `<base>/<alert name in lowercase>`. */
  readonly runbookBaseUrl: string;
  /** Public entry: host, rendering (Ingress or Gateway API), certificates and traffic rules. */
  readonly ingress: IngressStageConfig;
  /** The PostgreSQL database of the services. */
  readonly database: DatabaseStageConfig;
  /** The Redis the API enqueues tasks to and the worker consumes them from. */
  readonly cache: CacheStageConfig;
  /** Where the Kubernetes API server answers. */
  readonly kubernetesApi: KubernetesApiConfig;
  /** Where the pods resolve names: the namespace baseline and every workload's NetworkPolicy admit DNS to it. */
  readonly dns: ClusterDns;
  /** What renders egress to hosts outside the cluster by name (the LLM APIs, the backup bucket): the cluster's network-policy engine. */
  readonly egressEngine: EgressEngine;
  /** The cluster's Prometheus: every ServiceMonitor, PodMonitor and PrometheusRule carries the labels it selects. */
  readonly prometheus: Prometheus;
}

/** kube-prometheus-stack as both stages' clusters install it: `helm install kube-prometheus-stack ... --namespace monitoring`. */
const PROMETHEUS = Prometheus.kubePrometheusStack({ release: 'kube-prometheus-stack', namespace: 'monitoring' });

const ACME_EMAIL = 'platform@example.com';
/** The company's registry: both stages run the same image, built once and promoted. */
const REGISTRY = { host: 'registry.example.com' };
const DEV_HOST = 'aishell.dev.example.com';
const DEV_IDE_HOST = 'ide.aishell.dev.example.com';
const PROD_HOST = 'aishell.example.com';
/** The groups of the company's identity provider, as the API server's authenticator and the IDE's sign-in see them. */
const DEVELOPERS = 'aishell-developers';
const ON_CALL = 'aishell-oncall';

/**
 * The company's Keycloak (the identity provider of the Aileron guide), realm `aishell`. NetworkPolicies cannot
 * name a host, so the sign-in proxy's egress rule names the address of Keycloak's load balancer.
 */
const KEYCLOAK = IdentityProvider.keycloak({ url: 'https://sso.example.com', realm: 'aishell', endpoint: NetworkPeer.domain('sso.example.com') });

/** Development: one replica each and a single database instance without backups; the same security as prod. */
export const DEV: StageConfig = {
  name: 'dev',
  tier: Tier.DEVELOPMENT,
  namespace: 'aishell-dev',
  imageTag: '2.0.0',
  registry: REGISTRY,
  // The development cluster's Fluent Bit DaemonSet ships to its own Loki.
  logs: LogCollection.fluentBit({ destination: 'Loki of the development cluster (http://loki-gateway.monitoring.svc)' }),
  // Sized so that the quota-headroom guardrail finds 10 % to spare with every workload at full scale.
  // Today, mid-rollout with a database job and a certificate order, the IDE and its sign-in proxy, the jobs and
  // the Redis node with its exporter: 14 pods, 3 claims, requests 1.49 CPU / 3.3Gi, limits 7.85 CPU / 5.5Gi;
  // the rest is room for what the developers add.
  quota: {
    requestsCpu: Cpu.units(8),
    requestsMemory: Size.gibibytes(16),
    limitsCpu: Cpu.units(24),
    limitsMemory: Size.gibibytes(32),
    persistentVolumeClaims: 10,
    pods: 30,
  },
  // The runtime without the UI in dev too: the only UI of the stage is the IDE's, behind single sign-on.
  api: {
    replicas: 1,
    autoscaling: { enabled: false },
    resources: {
      cpu: { request: Cpu.millis(100), limit: Cpu.millis(500) },
      memory: { request: Size.mebibytes(256), limit: Size.mebibytes(512) },
      ephemeralStorage: { request: Size.mebibytes(128), limit: Size.mebibytes(512) },
    },
    backendOnly: true,
  },
  ide: {
    host: DEV_IDE_HOST,
    replicas: 1,
    autoscaling: { enabled: false },
    resources: {
      cpu: { request: Cpu.millis(250), limit: Cpu.units(1) },
      memory: { request: Size.mebibytes(512), limit: Size.gibibytes(1) },
      ephemeralStorage: { request: Size.mebibytes(128), limit: Size.mebibytes(512) },
    },
    signIn: {
      identityProvider: KEYCLOAK,
      clientId: 'aishell-ide-dev',
      allowedGroups: [DEVELOPERS],
      proxy: {
        replicas: 1,
        autoscaling: { enabled: false },
        resources: {
          cpu: { request: Cpu.millis(50), limit: Cpu.millis(200) },
          memory: { request: Size.mebibytes(64), limit: Size.mebibytes(128) },
          ephemeralStorage: { request: Size.mebibytes(64), limit: Size.mebibytes(256) },
        },
      },
    },
  },
  // Developers build and debug here: they read everything but Secrets, follow logs, forward ports and exec.
  access: [
    Access.team('developers', {
      groups: [DEVELOPERS],
      permissions: [Permission.READ_WORKLOADS, Permission.READ_CONFIG, Permission.READ_LOGS, Permission.PORT_FORWARD, Permission.EXEC],
      reason: 'development stage: developers debug the pods they build, with development data and credentials only',
    }),
  ],
  worker: {
    replicas: 1,
    autoscaling: { enabled: false },
    resources: {
      cpu: { request: Cpu.millis(100), limit: Cpu.millis(500) },
      memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) },
      ephemeralStorage: { request: Size.mebibytes(128), limit: Size.mebibytes(512) },
    },
  },
  jobs: {
    resources: {
      cpu: { request: Cpu.millis(100), limit: Cpu.millis(500) },
      memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) },
      ephemeralStorage: { request: Size.mebibytes(64), limit: Size.mebibytes(256) },
    },
    maintenanceSchedule: Schedule.cron('30 3 * * *'),
    auditRetentionDays: 30,
  },
  appConfig: {
    APP_ENV: 'development',
    LOG_LEVEL: 'debug',
    LLM_PROVIDER: 'ollama',
    LLM_MODEL: 'llama2',
    MULTI_TENANCY_ENABLED: 'false',
    RBAC_ENABLED: 'true',
    AUDIT_ENABLED: 'true',
  },
  // A store the developer's cluster provides (any ESO provider), so that no value, not even a placeholder, is committed.
  secrets: {
    store: SecretStoreRef.cluster('dev-secrets'),
    keyPrefix: 'aishell/dev',
    refreshInterval: Duration.minutes(15),
  },
  runbookBaseUrl: 'https://runbooks.aishell.example.com/alerts',
  // Dev runs on the Gateway API, the forward path: a Gateway of its own (Envoy Gateway, whose
  // proxies run in envoy-gateway-system) and certificates from Let's Encrypt staging.
  ingress: {
    host: DEV_HOST,
    controller: IngressController.gatewayApi({
      name: 'aishell',
      gatewayClassName: 'eg',
      peer: NetworkPeer.podsInNamespaces(
        { 'gateway.envoyproxy.io/owning-gateway-name': 'aishell', 'gateway.envoyproxy.io/owning-gateway-namespace': 'aishell-dev' },
        { [NAMESPACE_NAME_LABEL]: 'envoy-gateway-system' },
      ),
    }),
    issuer: CertificateIssuer.acme({ name: 'letsencrypt-staging', server: AcmeServer.letsEncryptStaging(), email: ACME_EMAIL }),
    // ExternalDNS reads the HTTPRoutes' hostnames and points them at the Gateway's address; sync removes the record of
    // a host the manifests drop, so no name is left pointing at an address the cloud may hand to someone else.
    dnsRecords: DnsRecords.externalDns({ zones: ['dev.example.com'], ownerId: 'aishell-dev', policy: ExternalDnsPolicy.SYNC }),
    timeouts: { backend: Duration.seconds(60) },
    cors: { allowOrigins: [`https://${DEV_HOST}`] },
  },
  database: {
    instances: 1,
    storage: { size: Size.gibibytes(5) },
    resources: {
      cpu: { request: Cpu.millis(100), limit: Cpu.units(1) },
      memory: { request: Size.mebibytes(512), limit: Size.mebibytes(512) },
      ephemeralStorage: { request: Size.mebibytes(128), limit: Size.mebibytes(512) },
    },
    backup: PostgresBackup.none({ reason: 'development tier' }),
  },
  // One node, with its append-only file: a restart keeps the queued tasks, as in production.
  cache: {
    nodes: 1,
    persistence: RedisPersistence.appendOnly({ size: Size.gibibytes(1) }),
    resources: {
      cpu: { request: Cpu.millis(50), limit: Cpu.millis(250) },
      memory: { request: Size.mebibytes(64), limit: Size.mebibytes(128) },
      ephemeralStorage: { request: Size.mebibytes(32), limit: Size.mebibytes(128) },
    },
  },
  // The shared development cluster's kubeadm control plane: the API server listens on 6443 on the control-plane node,
  // on the cluster's private network. Its Gateway has a public address: Let's Encrypt validates the dev hosts by
  // HTTP-01 from the internet (the prerequisites say so), and ExternalDNS publishes that address in dev.example.com.
  kubernetesApi: { cidr: '172.18.0.0/16', port: 6443 },
  // The development cluster resolves through CoreDNS only: no node-local cache.
  dns: ClusterDns.kubeDns(),
  // Cilium here too, not the portable fallback: development relaxes availability, never security, and the dev pods
  // hold real provider keys. A host missing from an allow-list then fails in dev first, not in production.
  egressEngine: EgressEngine.cilium(),
  prometheus: PROMETHEUS,
};

/** Production: highly available, autoscaled, sized from the AI-Shell and Aileron guides. */
export const PROD: StageConfig = {
  name: 'prod',
  tier: Tier.PRODUCTION,
  namespace: 'aishell',
  imageTag: '2.0.0',
  registry: REGISTRY,
  logs: LogCollection.fluentBit({ destination: 'the company\'s Loki at https://logs.example.com (30 days of retention)' }),
  // Sized so that the quota-headroom guardrail finds 10 % to spare with every workload at full scale.
  // Today, with both autoscalers at their maximum mid-rollout, a database join job, a certificate order, the jobs,
  // and Redis's 3 nodes and 3 Sentinels with their exporters: 34 pods, 9 claims, requests 13 CPU / 30.8Gi, limits
  // 46.3 CPU / 68.1Gi; the rest is room for an oauth2-proxy at up to 6 replicas plus surge (limits 3.5 CPU / 1.8Gi).
  quota: {
    requestsCpu: Cpu.units(24),
    requestsMemory: Size.gibibytes(48),
    limitsCpu: Cpu.units(64),
    limitsMemory: Size.gibibytes(96),
    persistentVolumeClaims: 16,
    pods: 100,
  },
  api: {
    replicas: 3,
    autoscaling: { maxReplicas: 10, targetCpuUtilization: 70, targetMemoryUtilization: 80 },
    resources: {
      cpu: { request: Cpu.millis(500), limit: Cpu.units(2) },
      memory: { request: Size.gibibytes(1), limit: Size.gibibytes(4) },
      ephemeralStorage: { request: Size.mebibytes(512), limit: Size.gibibytes(2) },
    },
    backendOnly: true,
  },
  // No IDE: production runs the flows, nobody builds them here.
  // Developers read the workloads, their config and their logs; exec is the on-call's, through the glass.
  access: [
    Access.team('developers', { groups: [DEVELOPERS], permissions: [Permission.READ_WORKLOADS, Permission.READ_CONFIG, Permission.READ_LOGS] }),
    Access.breakGlass('exec', {
      groups: [ON_CALL],
      permissions: [Permission.EXEC],
      reason: 'incident response: the on-call engineer joins the group just in time, for the incident, and the API server\'s audit log records every exec',
    }),
  ],
  worker: {
    replicas: 2,
    autoscaling: { maxReplicas: 6, targetCpuUtilization: 70, targetMemoryUtilization: 80 },
    resources: {
      cpu: { request: Cpu.millis(250), limit: Cpu.units(1) },
      memory: { request: Size.mebibytes(256), limit: Size.mebibytes(512) },
      ephemeralStorage: { request: Size.mebibytes(256), limit: Size.gibibytes(1) },
    },
  },
  jobs: {
    resources: {
      cpu: { request: Cpu.millis(250), limit: Cpu.units(1) },
      memory: { request: Size.mebibytes(256), limit: Size.mebibytes(512) },
      ephemeralStorage: { request: Size.mebibytes(128), limit: Size.mebibytes(512) },
    },
    maintenanceSchedule: Schedule.cron('30 3 * * *'),
    // The AI-Shell guide keeps audit logging on (AUDIT_ENABLED); a year of records, then they go.
    auditRetentionDays: 365,
  },
  appConfig: {
    APP_ENV: 'production',
    LOG_LEVEL: 'info',
    LLM_PROVIDER: 'ollama',
    LLM_MODEL: 'llama2',
    MULTI_TENANCY_ENABLED: 'false',
    RBAC_ENABLED: 'true',
    AUDIT_ENABLED: 'true',
  },
  secrets: {
    store: SecretStoreRef.cluster('aws-secrets-manager'),
    keyPrefix: 'aishell/production',
    refreshInterval: Duration.hours(1),
  },
  runbookBaseUrl: 'https://runbooks.aishell.example.com/alerts',
  // Prod needs per-client rate limits, which the standard Gateway API cannot express: an Ingress
  // for the HAProxy ingress controller (maintained, unlike ingress-nginx) with the AI-Shell
  // guide's limits and timeouts, and certificates from Let's Encrypt.
  ingress: {
    host: PROD_HOST,
    controller: IngressController.haproxy(),
    // DNS-01 in Route 53 for the company's zone, through cert-manager's IAM role (IRSA): no solver pod or HTTP path has to
    // be reachable before a certificate is issued, and wildcard hosts under example.com can be served. HTTP-01 remains
    // for names outside the zone.
    issuer: CertificateIssuer.acme({
      name: 'letsencrypt-prod',
      server: AcmeServer.letsEncrypt(),
      email: ACME_EMAIL,
      dns01: { provider: DnsProvider.route53({ iamRoleArn: 'arn:aws:iam::111122223333:role/cert-manager-route53' }), zones: ['example.com'] },
    }),
    dnsRecords: DnsRecords.externalDns({ zones: ['example.com'], ownerId: 'aishell-prod', policy: ExternalDnsPolicy.SYNC }),
    rateLimit: { requestsPerSecond: 100 },
    timeouts: { backend: Duration.seconds(60) },
    cors: { allowOrigins: [`https://${PROD_HOST}`] },
  },
  database: {
    instances: 3,
    // A StorageClass with reclaimPolicy Retain and volume expansion, created with the cluster.
    storage: { size: Size.gibibytes(50), walSize: Size.gibibytes(10), storageClassName: 'gp3-retain' },
    resources: {
      cpu: { request: Cpu.units(1), limit: Cpu.units(2) },
      memory: { request: Size.gibibytes(4), limit: Size.gibibytes(4) },
      ephemeralStorage: { request: Size.mebibytes(512), limit: Size.gibibytes(2) },
    },
    // The access key comes from the stage's secret store through a SecretsBinding the platform declares.
    backup: { destinationPath: 's3://aishell-prod-backups/postgres', region: 'eu-west-1', retention: Duration.days(30) },
    poolerInstances: 2,
  },
  // The Aileron guide's table: 100m/500m CPU, 128Mi/256Mi memory, 5 to 10 Gi of storage; three nodes and three Sentinels.
  cache: {
    nodes: 3,
    persistence: RedisPersistence.appendOnly({ size: Size.gibibytes(10), storageClassName: 'gp3-retain' }),
    resources: {
      cpu: { request: Cpu.millis(100), limit: Cpu.millis(500) },
      memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) },
      ephemeralStorage: { request: Size.mebibytes(64), limit: Size.mebibytes(256) },
    },
  },
  // The subnets of the managed control plane's endpoints (EKS places them in the cluster VPC).
  kubernetesApi: { cidr: '10.0.0.0/20', port: 443 },
  // Production nodes run NodeLocal DNSCache, which cuts DNS latency and the conntrack races of UDP DNS under load,
  // the way Cilium documents it: as pods behind a CiliumLocalRedirectPolicy for the kube-dns Service, so that
  // Cilium's DNS proxy sees the lookups toFQDNs needs (a cache on the host network at 169.254.20.10 is not seen).
  // The rule keeps the kube-dns pods too, which answer where no cache runs.
  dns: ClusterDns.nodeLocalCacheRedirect(),
  // Cilium enforces the NetworkPolicies and reaches the LLM APIs and the backup bucket by name (toFQDNs).
  egressEngine: EgressEngine.cilium(),
  prometheus: PROMETHEUS,
};

/** Every stage the platform is built for. */
export const STAGES: readonly StageConfig[] = [DEV, PROD];

/** The stage named `name` (the `STAGE` environment variable), or every stage when no name is given. */
export function selectStages(stages: readonly StageConfig[], name: string | undefined): readonly StageConfig[] {
  if (name === undefined || name === '') {
    return stages;
  }
  const stage = stages.find((s) => s.name === name);
  if (stage === undefined) {
    throw new Error(`'STAGE' ('${name}') must name a stage: ${stages.map((s) => s.name).join(', ')}`);
  }
  return [stage];
}
