import { IConstruct } from 'constructs';
import { Operator, Prerequisite } from '../core/prerequisites';
import { NetworkPeer } from '../network/network-peer';
import { AppendOnlyOptions } from './redis-persistence';

// Internal: what a HaRedis needs from the cluster. Not exported from the package.

/** What a Redis's prerequisites depend on. */
export interface RedisNeeds {
  /** The volume of each node, when the data is kept on one. */
  readonly volume?: AppendOnlyOptions;
  /** The operator's pods, when the NetworkPolicies admit them (a replication: a single node takes no connection from it). */
  readonly operator?: NetworkPeer;
}

/**
 * Declares on `scope` the operator, the setting its pods need to run with a read-only root filesystem, the
 * StorageClass and, when the NetworkPolicies admit it, where the operator runs.
 */
export function declareRedisPrerequisites(scope: IConstruct, needs: RedisNeeds): void {
  Prerequisite.declare(scope,
    Prerequisite.operator(Operator.REDIS_OPERATOR, 'runs the Redis nodes and Sentinels of the Redis, RedisReplication and RedisSentinel resources'),
    // redis-operator v0.26.0: internal/features/features.go (GenerateConfigInInitContainer, alpha, off by default),
    // internal/k8sutils/statefulset.go (with it, the init-config container writes the config into an emptyDir at
    // /etc/redis and the server runs `redis-server /etc/redis/redis.conf`; without it, the image's entrypoint appends to
    // /etc/redis/redis.conf on the root filesystem); internal/envs/envs.go (the init image defaults to :latest) and
    // charts/redis-operator/values.yaml (initContainerImageTag v0.25.0 in the v0.26.0 chart).
    Prerequisite.controllerSetting('Redis Operator',
      'feature gate GenerateConfigInInitContainer=true (Helm: featureGates.GenerateConfigInInitContainer=true), with the init-config image at the '
      + 'operator\'s version (Helm: redisOperator.imageTag=v0.26.0 and redisOperator.initContainerImageTag=v0.26.0)',
      'the Redis and Sentinel containers run with a read-only root filesystem: only with the gate does the operator write redis.conf and '
      + 'sentinel.conf into an emptyDir from an init container (and apply maxMemoryPercentOfLimit); without it the image entrypoint writes '
      + '/etc/redis on the root filesystem and the containers do not start'));
  if (needs.operator !== undefined) {
    Prerequisite.declare(scope, Prerequisite.network(`the Redis Operator runs as ${needs.operator.description}`,
      'the NetworkPolicies admit it, and only it besides the Redis pods and their clients, to Redis (6379) and Sentinel (26379)'));
  }
  if (needs.volume !== undefined) {
    Prerequisite.declare(scope, needs.volume.storageClassName !== undefined
      ? Prerequisite.clusterObject('StorageClass', needs.volume.storageClassName, 'provisions the volume of each Redis node (its append-only file)')
      : Prerequisite.clusterObject('StorageClass', '(the default StorageClass)',
        'provisions the volume of each Redis node (its append-only file): one StorageClass is annotated storageclass.kubernetes.io/is-default-class=true'));
  }
}
