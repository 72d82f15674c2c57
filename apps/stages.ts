import { Duration, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import {
  AcmeServer, AutoscalingOptions, CertificateIssuer, ContainerResources, HardenedIngressProps, IngressController, NAMESPACE_NAME_LABEL,
  NamespaceQuota, NetworkPeer, ObjectStoreCredentials, PostgresBackup, PostgresStorage, SecretStoreRef, Tier,
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

/** How the platform's PostgreSQL runs in a stage. */
export interface DatabaseStageConfig {
  /** PostgreSQL instances: a primary and standbys. */
  readonly instances: number;
  /** Volumes of each instance. */
  readonly storage: PostgresStorage;
  /** Requests and limits of each instance. */
  readonly resources: ContainerResources;
  /**
   * WAL archive and base backups, or `PostgresBackup.none({ reason })`: the guardrails accept a database
   * without backups in development, and in production only with that recorded reason.
   */
  readonly backup: PostgresBackup;
  /** PgBouncer pods in front of the primary; none means the services connect to the primary directly. */
  readonly poolerInstances?: number;
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
  /** Resource totals of the namespace. */
  readonly quota: NamespaceQuota;
  /** The API/UI service. */
  readonly api: ServiceStageConfig;
  /** The background worker. */
  readonly worker: ServiceStageConfig;
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
  /** Where the Kubernetes API server answers. */
  readonly kubernetesApi: KubernetesApiConfig;
}

const ACME_EMAIL = 'platform@example.com';
const DEV_HOST = 'aishell.dev.example.com';
const PROD_HOST = 'aishell.example.com';

/** Development: one replica each and a single database instance without backups; the same security as prod. */
export const DEV: StageConfig = {
  name: 'dev',
  tier: Tier.DEVELOPMENT,
  namespace: 'aishell-dev',
  imageTag: '2.0.0',
  // Sized so that the quota-headroom guardrail finds 10 % to spare with every workload at full scale.
  // Today, mid-rollout with a database job and a certificate order: 7 pods, 2 claims, requests 0.61 CPU /
  // 1.8Gi, limits 4.1 CPU / 2.6Gi. Estimated generously for what later issues add: an IDE (limits 4 CPU /
  // 8Gi, a workspace claim), a migration Job (2 / 2Gi), a CronJob (1 / 1Gi), Redis with 3 nodes and 3
  // sentinels with their exporters (6 / 8.3Gi, 3 claims) and an oauth2-proxy (1 / 0.5Gi): 18 pods, 6
  // claims, requests 5 CPU / 9.7Gi, limits 18.1 CPU / 22.3Gi.
  quota: {
    requestsCpu: Cpu.units(8),
    requestsMemory: Size.gibibytes(16),
    limitsCpu: Cpu.units(24),
    limitsMemory: Size.gibibytes(32),
    persistentVolumeClaims: 10,
    pods: 30,
  },
  api: {
    replicas: 1,
    autoscaling: { enabled: false },
    resources: {
      cpu: { request: Cpu.millis(100), limit: Cpu.millis(500) },
      memory: { request: Size.mebibytes(256), limit: Size.mebibytes(512) },
      ephemeralStorage: { request: Size.mebibytes(128), limit: Size.mebibytes(512) },
    },
  },
  worker: {
    replicas: 1,
    autoscaling: { enabled: false },
    resources: {
      cpu: { request: Cpu.millis(100), limit: Cpu.millis(500) },
      memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) },
      ephemeralStorage: { request: Size.mebibytes(128), limit: Size.mebibytes(512) },
    },
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
  // A kind or kubeadm control plane: the API server listens on 6443 on the control-plane node.
  kubernetesApi: { cidr: '172.18.0.0/16', port: 6443 },
};

/** Production: highly available, autoscaled, sized from the AI-Shell and Aileron guides. */
export const PROD: StageConfig = {
  name: 'prod',
  tier: Tier.PRODUCTION,
  namespace: 'aishell',
  imageTag: '2.0.0',
  // Sized so that the quota-headroom guardrail finds 10 % to spare with every workload at full scale.
  // Today, with both autoscalers at their maximum mid-rollout, a database join job and a certificate order:
  // 26 pods, 6 claims, requests 11.9 CPU / 29.6Gi, limits 41.6 CPU / 65.8Gi. Estimated generously for what
  // later issues add: a migration Job (limits 2 CPU / 2Gi), a CronJob (1 / 1Gi), Redis with 3 nodes and 3
  // sentinels with their exporters (6 / 8.3Gi, 3 claims) and an oauth2-proxy at up to 6 replicas plus surge
  // (3.5 / 1.8Gi): 41 pods, 9 claims, requests 15.7 CPU / 36.1Gi, limits 54.1 CPU / 78.8Gi.
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
  },
  worker: {
    replicas: 2,
    autoscaling: { maxReplicas: 6, targetCpuUtilization: 70, targetMemoryUtilization: 80 },
    resources: {
      cpu: { request: Cpu.millis(250), limit: Cpu.units(1) },
      memory: { request: Size.mebibytes(256), limit: Size.mebibytes(512) },
      ephemeralStorage: { request: Size.mebibytes(256), limit: Size.gibibytes(1) },
    },
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
    issuer: CertificateIssuer.acme({ name: 'letsencrypt-prod', server: AcmeServer.letsEncrypt(), email: ACME_EMAIL }),
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
    // Credentials: a Secret in the stage namespace with ACCESS_KEY_ID and ACCESS_SECRET_KEY.
    backup: PostgresBackup.toObjectStore({
      destinationPath: 's3://aishell-prod-backups/postgres',
      credentials: ObjectStoreCredentials.s3({ secretName: 'postgres-backup-credentials' }),
      retention: Duration.days(30),
    }),
    poolerInstances: 2,
  },
  // The subnets of the managed control plane's endpoints (EKS places them in the cluster VPC).
  kubernetesApi: { cidr: '10.0.0.0/20', port: 443 },
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
