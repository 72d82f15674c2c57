import { UpgradeStep } from '../core/upgrade-steps';

/**
 * The layers a stage is applied in, first to last. Each layer is one Argo CD sync wave (its position
 * in this list), and a layer starts only when every object of the layers before it is healthy.
 */
export enum ApplyLayer {
  /**
   * The namespace and what every object in it relies on: quota, default limits, NetworkPolicies (the
   * database's and the workloads' allow rules must exist before their pods start behind the default
   * deny), ServiceAccounts, RBAC and ConfigMaps.
   */
  NAMESPACE = 'namespace',
  /** Where credentials come from: secret stores, ExternalSecrets, SealedSecrets, and the certificate issuers. */
  SECRETS = 'secrets',
  /** Databases and caches, with their object stores, poolers and scheduled backups, and the volume backup schedules. */
  DATA = 'data',
  /** The backups taken before anything of the release touches the data: after the databases exist, before the migrations. */
  BACKUP = 'backup',
  /** The jobs that bring the data to the release's version (migrations): after the backups, before the workloads. */
  MIGRATIONS = 'migrations',
  /** The workloads with their Services, claims, autoscalers, disruption budgets and monitoring. */
  WORKLOADS = 'workloads',
  /** What sends traffic to the workloads: Ingresses, Gateways and routes, their certificates and DNS records. */
  ROUTES = 'routes',
}

/** The layers in the order they are applied. */
export const APPLY_LAYERS: readonly ApplyLayer[] = [
  ApplyLayer.NAMESPACE, ApplyLayer.SECRETS, ApplyLayer.DATA, ApplyLayer.BACKUP, ApplyLayer.MIGRATIONS, ApplyLayer.WORKLOADS, ApplyLayer.ROUTES,
];

/** The Argo CD sync wave of `layer`: its position in {@link APPLY_LAYERS}. */
export function waveOf(layer: ApplyLayer): number {
  return APPLY_LAYERS.indexOf(layer);
}

/**
 * The layer of every kind the library and the operators it targets emit, by `Kind.group` (a core kind
 * by its name alone): the one place that decides where an object is applied.
 */
export const KIND_LAYERS: Readonly<Record<string, ApplyLayer>> = {
  'Namespace': ApplyLayer.NAMESPACE,
  'ResourceQuota': ApplyLayer.NAMESPACE,
  'LimitRange': ApplyLayer.NAMESPACE,
  'ServiceAccount': ApplyLayer.NAMESPACE,
  'ConfigMap': ApplyLayer.NAMESPACE,
  'NetworkPolicy.networking.k8s.io': ApplyLayer.NAMESPACE,
  'CiliumNetworkPolicy.cilium.io': ApplyLayer.NAMESPACE,
  'Role.rbac.authorization.k8s.io': ApplyLayer.NAMESPACE,
  'RoleBinding.rbac.authorization.k8s.io': ApplyLayer.NAMESPACE,

  'Secret': ApplyLayer.SECRETS,
  'ExternalSecret.external-secrets.io': ApplyLayer.SECRETS,
  'SecretStore.external-secrets.io': ApplyLayer.SECRETS,
  'ClusterSecretStore.external-secrets.io': ApplyLayer.SECRETS,
  'Password.generators.external-secrets.io': ApplyLayer.SECRETS,
  'SealedSecret.bitnami.com': ApplyLayer.SECRETS,
  'Issuer.cert-manager.io': ApplyLayer.SECRETS,
  'ClusterIssuer.cert-manager.io': ApplyLayer.SECRETS,

  'Cluster.postgresql.cnpg.io': ApplyLayer.DATA,
  'Pooler.postgresql.cnpg.io': ApplyLayer.DATA,
  'ScheduledBackup.postgresql.cnpg.io': ApplyLayer.DATA,
  'Database.postgresql.cnpg.io': ApplyLayer.DATA,
  'ObjectStore.barmancloud.cnpg.io': ApplyLayer.DATA,
  'Redis.redis.redis.opstreelabs.in': ApplyLayer.DATA,
  'RedisReplication.redis.redis.opstreelabs.in': ApplyLayer.DATA,
  'RedisSentinel.redis.redis.opstreelabs.in': ApplyLayer.DATA,
  'Schedule.velero.io': ApplyLayer.DATA,

  'Backup.postgresql.cnpg.io': ApplyLayer.BACKUP,
  'VolumeSnapshot.snapshot.storage.k8s.io': ApplyLayer.BACKUP,

  // A PersistentVolumeClaim goes with the workload that mounts it: with a StorageClass that binds on
  // first use (WaitForFirstConsumer), it stays Pending, and so Progressing for Argo CD, until a pod uses it.
  'PersistentVolumeClaim': ApplyLayer.WORKLOADS,
  'Service': ApplyLayer.WORKLOADS,
  'Pod': ApplyLayer.WORKLOADS,
  'Deployment.apps': ApplyLayer.WORKLOADS,
  'StatefulSet.apps': ApplyLayer.WORKLOADS,
  'DaemonSet.apps': ApplyLayer.WORKLOADS,
  'Job.batch': ApplyLayer.WORKLOADS,
  'CronJob.batch': ApplyLayer.WORKLOADS,
  'HorizontalPodAutoscaler.autoscaling': ApplyLayer.WORKLOADS,
  'PodDisruptionBudget.policy': ApplyLayer.WORKLOADS,
  'ServiceMonitor.monitoring.coreos.com': ApplyLayer.WORKLOADS,
  'PodMonitor.monitoring.coreos.com': ApplyLayer.WORKLOADS,
  'PrometheusRule.monitoring.coreos.com': ApplyLayer.WORKLOADS,

  'Ingress.networking.k8s.io': ApplyLayer.ROUTES,
  'Gateway.gateway.networking.k8s.io': ApplyLayer.ROUTES,
  'HTTPRoute.gateway.networking.k8s.io': ApplyLayer.ROUTES,
  'GRPCRoute.gateway.networking.k8s.io': ApplyLayer.ROUTES,
  'ReferenceGrant.gateway.networking.k8s.io': ApplyLayer.ROUTES,
  'Certificate.cert-manager.io': ApplyLayer.ROUTES,
  'DNSEndpoint.externaldns.k8s.io': ApplyLayer.ROUTES,
};

/** How Argo CD runs an object of an upgrade step: as a hook, and when it deletes the hook object. */
export interface StepPlacement {
  /** The layer of the step's objects, whatever their kind. */
  readonly layer: ApplyLayer;
  /** The hook delete policies, when the object is an Argo CD `Sync` hook; none when it is an ordinary object of its wave. */
  readonly hookDeletePolicies?: readonly string[];
}

/**
 * Where the objects of an upgrade step go, and which of them are hooks.
 *
 * - A backup is a `Sync` hook deleted only when it fails (`HookFailed`). It is named after the release
 *   (a CloudNativePG `Backup` runs once: its spec is immutable and a completed or failed one is never
 *   processed again), so each release gets one backup; a later sync of the same release finds it
 *   completed and goes on. A failed one is deleted, so the next sync takes it again. Completed ones stay
 *   as the record of the backup until the Barman Cloud plugin's retention deletes them with their data.
 *   Not `BeforeHookCreation`, Argo CD's default, which would delete it and take a new backup on every sync.
 * - A migration is an ordinary object of its wave, not a hook: in a sync of several waves Argo CD waits
 *   until a Job of a wave is healthy (complete) before the next wave, and a failed Job stops the sync, so
 *   the workloads keep their old version. As an ordinary object it keeps its logs when it fails, runs once
 *   per version (its name carries a hash of its spec) and is pruned when the next version replaces it.
 */
export const STEP_PLACEMENTS: Readonly<Record<UpgradeStep, StepPlacement>> = {
  [UpgradeStep.BACKUP]: { layer: ApplyLayer.BACKUP, hookDeletePolicies: ['HookFailed'] },
  [UpgradeStep.MIGRATION]: { layer: ApplyLayer.MIGRATIONS },
};
