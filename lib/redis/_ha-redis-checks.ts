import { Kind, Kinds } from '../core/kinds';
import { LOG_COLLECTION_KIND } from '../monitoring/log-collection';
import { PROMETHEUS_KIND } from '../monitoring/prometheus';
import { NETWORK_PEER_KIND } from '../network/_checks';
import { CLUSTER_DNS_KIND } from '../network/cluster-dns';
import { IMAGE_KIND } from '../workload/image';
import { NODE_POOL_KIND, SpreadPolicy } from '../workload/placement';
import { REGISTRY_CREDENTIALS_KIND } from '../workload/registry-credentials';
import { RESOURCES_KIND } from '../workload/resources';
import { RedisMonitoringOptions } from './redis-monitoring';
import { RedisPassword } from './redis-password';
import { RedisPersistence } from './redis-persistence';

// Internal: the kinds of the props of a HaRedis. Not exported from the package.

/** The kinds of the props of a HaRedis; its value classes check their own values where they are read. */
export const HA_REDIS_KINDS = {
  persistence: Kind.instance(RedisPersistence, 'a RedisPersistence (RedisPersistence.appendOnly or RedisPersistence.none)'),
  name: Kind.STRING.optional(),
  namespace: Kind.STRING.optional(),
  partOf: Kind.STRING.optional(),
  nodes: Kind.NUMBER.optional(),
  sentinels: Kind.NUMBER.optional(),
  password: Kind.instance(RedisPassword, 'a RedisPassword (RedisPassword.generated or RedisPassword.fromSecret)').optional(),
  image: IMAGE_KIND.optional(),
  sentinelImage: IMAGE_KIND.optional(),
  exporterImage: IMAGE_KIND.optional(),
  resources: RESOURCES_KIND.optional(),
  sentinelResources: RESOURCES_KIND.optional(),
  exporterResources: RESOURCES_KIND.optional(),
  maxMemoryPercent: Kind.NUMBER.optional(),
  monitoring: Kind.object('a RedisMonitoringOptions object', {
    enabled: Kind.BOOLEAN.optional(),
    prometheus: PROMETHEUS_KIND.optional(),
    interval: Kind.DURATION.optional(),
    memoryUsagePercent: Kind.NUMBER.optional(),
    runbookBaseUrl: Kind.STRING.optional(),
  } satisfies Kinds<RedisMonitoringOptions>).optional(),
  dns: CLUSTER_DNS_KIND.optional(),
  operator: NETWORK_PEER_KIND.optional(),
  nodePool: NODE_POOL_KIND.optional(),
  zoneSpread: Kind.oneOf(SpreadPolicy, 'a SpreadPolicy').optional(),
  imagePullSecrets: Kind.array(REGISTRY_CREDENTIALS_KIND).optional(),
  logs: LOG_COLLECTION_KIND.optional(),
};
