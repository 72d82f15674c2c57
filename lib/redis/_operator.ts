import { NAMESPACE_NAME_LABEL } from '../core/labels';
import { NetworkPeer } from '../network/network-peer';
import { Image } from '../workload/image';

// Internal: what the Redis Operator (OT-CONTAINER-KIT) v0.26 expects and makes. Not exported from the package.

/** Redis, Sentinel and redis_exporter ports, fixed by the operator (internal/controller/common/constants.go). */
export const REDIS_PORT = 6379;
export const SENTINEL_PORT = 26379;
export const EXPORTER_PORT = 9121;
/** Name of the exporter's container port and of the metrics Services' port (constants.go RedisExporterPortName). */
export const EXPORTER_PORT_NAME = 'redis-exporter';
/**
 * The master group the Sentinels watch. The RedisSentinel CRD defaults `masterGroupName` to `myMaster`
 * (api/common/v1beta2/common_types.go); the library sets the name the embedded Sentinel hard-codes
 * (redisreplication_controller.go), so that every client configuration reads the same.
 */
export const MASTER_GROUP = 'mymaster';

/** The images the operator's v0.26.0 charts deploy (charts/redis-replication and charts/redis-sentinel values.yaml). */
export const DEFAULT_REDIS_IMAGE = Image.pinned('quay.io/opstree/redis', 'v7.0.15');
export const DEFAULT_SENTINEL_IMAGE = Image.pinned('quay.io/opstree/redis-sentinel', 'v7.0.15');
export const DEFAULT_EXPORTER_IMAGE = Image.pinned('quay.io/opstree/redis-exporter', 'v1.44.0');

/** How the operator sets a Redis pod up: the value of its `redis_setup_type` and `role` labels. */
export type SetupType = 'standalone' | 'replication';

/**
 * The labels the operator puts on the Redis pods of a `Redis` or `RedisReplication` named `name`, besides the
 * CR's own labels (internal/controller/common/labels.go getRedisStableLabels): `app`, `redis_setup_type`, `role`.
 */
export function nodeLabels(name: string, setup: SetupType): Record<string, string> {
  return { app: name, redis_setup_type: setup, role: setup };
}

/** The labels of the pods of a `RedisSentinel` named `name`: its StatefulSet is `<name>-sentinel` (internal/k8sutils/redis-sentinel.go). */
export function sentinelLabels(name: string): Record<string, string> {
  return { app: `${name}-sentinel`, redis_setup_type: 'sentinel', role: 'sentinel' };
}

/**
 * The operator's pods as its Helm chart labels them (`name: redis-operator`, the chart's selectorLabels in
 * charts/redis-operator/templates/_helpers.tpl), in the namespace its installation guide uses (`ot-operators`).
 */
export const OPERATOR_PODS = NetworkPeer.podsInNamespaces({ name: 'redis-operator' }, { [NAMESPACE_NAME_LABEL]: 'ot-operators' });

/** The uid and gid every container runs as: the images run as any uid (see `_pod-spec.ts`). */
export const RUN_AS = 10001;
