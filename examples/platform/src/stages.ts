import { Duration, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { EgressEngine, NamespaceQuota, Prometheus, SecretStoreRef, Tier, Velero } from 'cdk8s-golden-path';

/** Everything that differs between the stages, as data: the constructs never ask which stage they are in. */
export interface StageConfig {
  /** Stage name; the manifests go to `dist/<name>/`. */
  readonly name: string;
  /** Production fails synth on a guardrail violation; development warns, and relaxes availability (never security). */
  readonly tier: Tier;
  readonly namespace: string;
  readonly host: string;
  readonly imageTag: string;
  readonly quota: NamespaceQuota;
  /** Replicas of each service (the autoscaler's minimum in production). */
  readonly replicas: number;
  readonly secretStore: SecretStoreRef;
  /** PostgreSQL instances: a primary and standbys. */
  readonly databaseInstances: number;
  /** Where base backups and the WAL archive go; none in development. */
  readonly backupPath?: string;
  /** StorageClass of the search index volumes (created with the cluster). */
  readonly storageClassName: string;
  /** Size of each search replica's index volume. */
  readonly searchIndexSize: Size;
  /** AWS region of the backup bucket: the database reaches the bucket's regional host, by name. */
  readonly backupRegion?: string;
  /** What renders egress to hosts by name (the payment API, the backup bucket): the clusters run Cilium. */
  readonly egressEngine: EgressEngine;
  /** The cluster's Velero, which backs up the search index volumes; none in development, whose index is rebuilt. */
  readonly velero?: Velero;
}

const quota = (cpu: number, memoryGib: number): NamespaceQuota => ({
  requestsCpu: Cpu.units(cpu), requestsMemory: Size.gibibytes(memoryGib), limitsCpu: Cpu.units(3 * cpu), limitsMemory: Size.gibibytes(2 * memoryGib),
});

export const DEV: StageConfig = {
  name: 'dev',
  tier: Tier.DEVELOPMENT,
  namespace: 'orders-dev',
  host: 'orders.dev.example.com',
  imageTag: '3.2.0',
  quota: quota(4, 8),
  replicas: 1,
  secretStore: SecretStoreRef.cluster('dev-secrets'),
  databaseInstances: 1,
  storageClassName: 'standard',
  searchIndexSize: Size.gibibytes(5),
  egressEngine: EgressEngine.cilium(),
};

export const PROD: StageConfig = {
  name: 'prod',
  tier: Tier.PRODUCTION,
  namespace: 'orders',
  host: 'orders.example.com',
  imageTag: '3.2.0',
  quota: quota(16, 32),
  replicas: 3,
  secretStore: SecretStoreRef.cluster('aws-secrets-manager'),
  databaseInstances: 3,
  backupPath: 's3://acme-backups/orders',
  storageClassName: 'gp3',
  searchIndexSize: Size.gibibytes(50),
  backupRegion: 'eu-west-1',
  egressEngine: EgressEngine.cilium(),
  velero: Velero.installed({ namespace: 'velero' }),
};

export const STAGES: readonly StageConfig[] = [DEV, PROD];

/** How long backups are kept. */
export const BACKUP_RETENTION = Duration.days(30);

/** The clusters' Prometheus: kube-prometheus-stack installed as release `kube-prometheus-stack` in namespace `monitoring`. */
export const PROMETHEUS = Prometheus.kubePrometheusStack({ release: 'kube-prometheus-stack', namespace: 'monitoring' });
