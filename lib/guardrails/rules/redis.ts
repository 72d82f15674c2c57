import { GuardrailObject, ObjectIndex } from '../objects';
import { GuardrailRule, RuleLevel, RuleSource } from '../rule';
import { Tier } from '../tier';

// Redis Operator (OT-CONTAINER-KIT) v0.26.0, redis.redis.opstreelabs.in/v1beta2: what its Redis, RedisReplication and
// RedisSentinel need to survive a node loss, keep their data and refuse strangers.

const REDIS_API = 'redis.redis.opstreelabs.in/v1beta2';

function isRedis(o: GuardrailObject): boolean {
  return o.manifest.apiVersion === REDIS_API;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** The embedded Sentinels of a RedisReplication (`spec.sentinel.size`; enabled when above 0, EnableSentinel()). */
function embeddedSentinels(o: GuardrailObject): number {
  return o.manifest.spec?.sentinel?.size ?? 0;
}

/** The RedisSentinels of the app that watch the RedisReplication `o` (`redisSentinelConfig.redisReplicationName`, same namespace). */
function watchers(o: GuardrailObject, index: ObjectIndex): GuardrailObject[] {
  return index.ofKind('RedisSentinel', o.namespace).filter((s) => isRedis(s) && s.manifest.spec?.redisSentinelConfig?.redisReplicationName === o.name);
}

/**
 * Why the RedisSentinel `s` cannot fail the master over alone: fewer than 3 Sentinels, or a quorum that is no
 * majority of them or exceeds them. The CRD defaults: clusterSize 3, quorum "2" (api/common/v1beta2/common_types.go).
 */
function sentinelProblems(s: GuardrailObject): string[] {
  const size: number = s.manifest.spec?.clusterSize ?? 3;
  const quorum = Number(s.manifest.spec?.redisSentinelConfig?.quorum ?? '2');
  const problems: string[] = [];
  if (size < 3) {
    problems.push(`is watched by ${plural(size, 'Sentinel')} (RedisSentinel ${s.name}): losing one leaves no majority`);
  }
  if (!(quorum * 2 > size && quorum <= size)) {
    problems.push(`is watched by RedisSentinel ${s.name} with quorum ${s.manifest.spec?.redisSentinelConfig?.quorum ?? '2'}, which is not a majority of its ${size} Sentinels`);
  }
  return problems;
}

/** Redis run by the Redis Operator that survives a node loss, keeps its data and requires a password. */
export const REDIS_RULES: readonly GuardrailRule[] = [
  {
    id: 'redis-ha',
    rule: 'a production Redis must be a RedisReplication of at least 3 nodes',
    reason: 'a single node, or a master with one replica, loses the task queue and the cache with one node; with 3 a replica stays to promote while another is drained',
    fix: 'use a RedisReplication with spec.clusterSize of 3 or more (HaRedis with nodes: 3, its default)',
    sources: [RuleSource.DESIGN],
    level: RuleLevel.ERROR,
    tiers: [Tier.PRODUCTION],
    kinds: ['Redis', 'RedisReplication'],
    check: (o) => {
      if (!isRedis(o)) {
        return [];
      }
      if (o.kind === 'Redis') {
        return ['runs a single standalone node: nothing takes over when it goes'];
      }
      const nodes: number = o.manifest.spec?.clusterSize ?? 1;
      return nodes < 3 ? [`runs ${plural(nodes, 'node')}`] : [];
    },
  },
  {
    id: 'redis-failover',
    rule: 'a production RedisReplication must be watched by at least 3 Sentinels with a majority quorum',
    reason: 'without Sentinels nothing promotes a replica when the master fails: the operator only re-links replicas; fewer than 3, or a quorum that is no majority, cannot decide a failover after losing one',
    fix: 'add a RedisSentinel with redisSentinelConfig.redisReplicationName set to the replication, clusterSize 3 or more and quorum clusterSize / 2 + 1 (HaRedis does)',
    sources: [RuleSource.DESIGN],
    level: RuleLevel.ERROR,
    tiers: [Tier.PRODUCTION],
    kinds: ['RedisReplication'],
    check: (o, index) => {
      if (!isRedis(o)) {
        return [];
      }
      const embedded = embeddedSentinels(o);
      if (embedded > 0) {
        // The operator sets the embedded Sentinels' quorum to size / 2 + 1 itself (redisreplication_sentinel.go buildSentinelEnv).
        return embedded < 3 ? [`is watched by ${plural(embedded, 'embedded Sentinel')}: losing one leaves no majority`] : [];
      }
      const sentinels = watchers(o, index);
      if (sentinels.length === 0) {
        return ['is watched by no Sentinel: nothing promotes a replica when the master fails'];
      }
      return sentinels.some((s) => sentinelProblems(s).length === 0) ? [] : sentinels.flatMap(sentinelProblems);
    },
  },
  {
    id: 'redis-persistence',
    rule: 'a production Redis or RedisReplication must keep its data on a volume (append-only file)',
    reason: 'in memory only, a restarted node comes back empty: the queued tasks are lost, and a replica that restarts empty re-syncs everything from the master',
    fix: 'set spec.storage.volumeClaimTemplate with a storage request: the operator then turns appendonly on (HaRedis: RedisPersistence.appendOnly)',
    sources: [RuleSource.DESIGN],
    level: RuleLevel.ERROR,
    tiers: [Tier.PRODUCTION],
    kinds: ['Redis', 'RedisReplication'],
    check: (o) => {
      const storage = o.manifest.spec?.storage?.volumeClaimTemplate?.spec?.resources?.requests?.storage;
      return isRedis(o) && storage === undefined ? ['keeps its data in memory only: no spec.storage.volumeClaimTemplate, so no append-only file'] : [];
    },
  },
  {
    id: 'redis-auth',
    rule: 'Redis nodes and Sentinels must require a password from a Secret',
    reason: 'without one, any pod that reaches port 6379 reads and deletes the queue, and any that reaches 26379 can force a failover; the operator never generates a password',
    fix: 'set spec.kubernetesConfig.redisSecret on the Redis, RedisReplication and RedisSentinel, and redisSentinelConfig.redisReplicationPassword on the RedisSentinel; '
      + 'use a RedisSentinel instead of embedded Sentinels (HaRedis does both)',
    sources: [RuleSource.SEED_CHECKLIST, RuleSource.DESIGN],
    level: RuleLevel.ERROR,
    kinds: ['Redis', 'RedisReplication', 'RedisSentinel'],
    check: (o, index) => {
      if (!isRedis(o)) {
        return [];
      }
      const spec = o.manifest.spec ?? {};
      const problems: string[] = [];
      if (spec.kubernetesConfig?.redisSecret?.name === undefined) {
        problems.push(o.kind === 'RedisSentinel'
          ? 'accepts Sentinel commands without a password: no spec.kubernetesConfig.redisSecret'
          : 'accepts connections without a password: no spec.kubernetesConfig.redisSecret');
      }
      if (o.kind === 'RedisReplication' && embeddedSentinels(o) > 0) {
        // redisreplication_sentinel.go buildSentinelEnv gives the embedded Sentinels MASTER_PASSWORD only, never REDIS_PASSWORD.
        problems.push('runs embedded Sentinels (spec.sentinel), which the operator starts without a password');
      }
      if (o.kind === 'RedisSentinel' && spec.redisSentinelConfig?.redisReplicationPassword === undefined) {
        const watched = index.ofKind('RedisReplication', o.namespace).find((r) => r.name === spec.redisSentinelConfig?.redisReplicationName);
        if (watched?.manifest.spec?.kubernetesConfig?.redisSecret !== undefined) {
          problems.push(`cannot authenticate to RedisReplication ${watched.name}, which requires a password: no redisSentinelConfig.redisReplicationPassword`);
        }
      }
      return problems;
    },
  },
];
