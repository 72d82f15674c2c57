import { RedisReplicationSpec, RedisSentinelSpec, RedisSpec } from '../../imports/redis.redis.opstreelabs.in';
import { sizeQuantity } from '../core/quantities';
import { Image } from '../workload/image';
import { NodePool, SpreadPolicy, nodePoolPlacement } from '../workload/placement';
import { ContainerResources } from '../workload/resources';
import { MASTER_GROUP, sentinelLabels } from './_operator';
import {
  containerSecurityContext, exporter, initContainer, kubernetesConfig, placement, podSecurityContext, probes, quantity, writableVolumes,
} from './_pod-spec';
import { PasswordSecret } from './redis-password';
import { AppendOnlyOptions } from './redis-persistence';

// Internal: the specs of the operator's custom resources for a HaRedis. Not exported from the package.

/** What the nodes of a Redis run, resolved. */
export interface NodeSettings {
  readonly name: string;
  readonly image: Image;
  readonly resources: ContainerResources;
  readonly password: PasswordSecret;
  readonly imagePullSecrets?: Array<{ name: string }>;
  readonly serviceAccountName: string;
  /** The exporter beside each node, unless monitoring is off. */
  readonly exporter?: { readonly image: Image; readonly resources: ContainerResources };
  /** The volume of each node, when the data is kept. */
  readonly volume?: AppendOnlyOptions;
  /** Share of the memory limit Redis may use for data (`maxmemory`). */
  readonly maxMemoryPercent: number;
  readonly nodePool?: NodePool;
}

/** The fields a `Redis` and a `RedisReplication` share: the server, its exporter, its volume, its pod. */
function nodeSpec(settings: NodeSettings) {
  const volume = settings.volume;
  return {
    kubernetesConfig: {
      ...kubernetesConfig({ ...settings, passwordSecret: settings.password }),
      // The StatefulSet API default, written out: a claim outlives the pod and the StatefulSet.
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
    },
    redisExporter: settings.exporter !== undefined ? exporter(settings.exporter.image, settings.exporter.resources) : undefined,
    // The generated redis.conf sets `maxmemory` from it (internal/agent/bootstrap/redis/config.go), below the container's
    // limit so that Redis refuses writes (maxmemory-policy noeviction, Redis' default: no queued task is evicted)
    // before the kernel kills it.
    redisConfig: { maxMemoryPercentOfLimit: settings.maxMemoryPercent },
    storage: {
      // Without keepAfterDelete the operator's finalizer deletes the claims with the custom resource
      // (internal/k8sutils/finalizer.go HandleRedisReplicationFinalizer, HandleRedisFinalizer).
      keepAfterDelete: volume !== undefined ? true : undefined,
      volumeClaimTemplate: volume !== undefined ? {
        spec: {
          accessModes: ['ReadWriteOnce'],
          storageClassName: volume.storageClassName,
          resources: { requests: { storage: quantity(sizeQuantity(volume.size)) } },
        },
      } : undefined,
      // Without a claim, snapshots go to an emptyDir as large as the memory limit: they never outgrow the data.
      volumeMount: writableVolumes(volume === undefined ? settings.resources.memory.limit : undefined),
    },
    podSecurityContext: podSecurityContext(),
    securityContext: containerSecurityContext(),
    initContainer: initContainer(settings.image),
    serviceAccountName: settings.serviceAccountName,
    ...probes('REDIS_PORT'),
  };
}

/** A single node (development): a `Redis`, on the node pool; the Redis CRD has no spread fields, one pod needs none. */
export function standaloneSpec(settings: NodeSettings): RedisSpec {
  return { ...nodeSpec(settings), ...nodePoolPlacement(settings.nodePool) };
}

/** One master and `nodes - 1` replicas on distinct hosts, spread over zones. */
export function replicationSpec(settings: NodeSettings, nodes: number, selector: Record<string, string>, spread: SpreadPolicy): RedisReplicationSpec {
  return { clusterSize: nodes, ...nodeSpec(settings), ...placement(selector, settings.nodePool, spread) };
}

/** What the Sentinels of a replication run, resolved. */
export interface SentinelSettings {
  /** Name of the RedisSentinel and of the RedisReplication it watches. */
  readonly name: string;
  readonly count: number;
  readonly quorum: number;
  readonly image: Image;
  readonly resources: ContainerResources;
  readonly password: PasswordSecret;
  readonly imagePullSecrets?: Array<{ name: string }>;
  readonly serviceAccountName: string;
  readonly exporter?: { readonly image: Image; readonly resources: ContainerResources };
  readonly nodePool?: NodePool;
  readonly spread: SpreadPolicy;
}

/**
 * Sentinels as a `RedisSentinel` rather than the RedisReplication's embedded `spec.sentinel`, which in v0.26.0 cannot
 * run with a read-only root filesystem (redis-operator issue #1867), never gets a password of its own (only
 * `MASTER_PASSWORD`; redisreplication_sentinel.go buildSentinelEnv), and has no exporter, probes or disruption budget.
 * A RedisSentinel requires the same password as the nodes (`kubernetesConfig.redisSecret` is its own `requirepass`,
 * `redisReplicationPassword` the `auth-pass` it monitors the master with; heal.go SentinelMonitor), mounts its config
 * on an emptyDir (statefulset.go), runs the exporter and takes probes. Its quorum is a string (common_types.go).
 */
export function sentinelSpec(settings: SentinelSettings): RedisSentinelSpec {
  return {
    clusterSize: settings.count,
    kubernetesConfig: kubernetesConfig({ ...settings, passwordSecret: settings.password }),
    redisSentinelConfig: {
      redisReplicationName: settings.name,
      masterGroupName: MASTER_GROUP,
      quorum: String(settings.quorum),
      redisReplicationPassword: { secretKeyRef: { name: settings.password.name, key: settings.password.key } },
    },
    redisExporter: settings.exporter !== undefined ? exporter(settings.exporter.image, settings.exporter.resources) : undefined,
    podSecurityContext: podSecurityContext(),
    securityContext: containerSecurityContext(),
    initContainer: initContainer(settings.image),
    serviceAccountName: settings.serviceAccountName,
    volumeMount: writableVolumes(),
    ...placement(sentinelLabels(settings.name), settings.nodePool, settings.spread),
    ...probes('SENTINEL_PORT'),
  };
}
