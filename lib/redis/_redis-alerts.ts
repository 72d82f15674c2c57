import { Duration } from 'cdk8s';
import { Alert, AlertSeverity } from '../monitoring/alerting';

// Internal: the alert catalogue of HaRedis. Not exported from the package.

/** What the alerts of a Redis watch, and their thresholds. */
export interface RedisAlertContext {
  readonly name: string;
  readonly namespace: string;
  /** Redis nodes: 1 is a standalone node, more a replication. */
  readonly nodes: number;
  /** Sentinels, and how many must agree that the master is down; none without Sentinels. */
  readonly sentinels?: { readonly count: number; readonly quorum: number };
  readonly memoryUsagePercent: number;
}

/**
 * Alerts on the series redis_exporter v1.44.0 publishes (exporter/exporter.go: `redis_up`, `redis_instance_info{role}`,
 * `redis_master_link_up`, `redis_connected_slaves`, `redis_memory_used_bytes`, `redis_memory_max_bytes`,
 * `redis_rejected_connections_total`), scraped from the exporter beside every node and every Sentinel. Node series
 * are selected by pod name (`<name>-<ordinal>`, the operator's StatefulSet `<name>`), Sentinel series by
 * `<name>-sentinel-<ordinal>`.
 */
export function redisAlertRules(ctx: RedisAlertContext): Alert[] {
  const nodes = `namespace="${ctx.namespace}", pod=~"${ctx.name}-[0-9]+"`;
  const where = `${ctx.namespace}/${ctx.name}`;
  const replicated = ctx.nodes > 1;
  const alerts: Alert[] = [
    {
      name: 'RedisDown',
      expr: `(count(redis_up{${nodes}} == 1) or vector(0)) < ${ctx.nodes}`,
      for: Duration.minutes(replicated ? 5 : 2),
      severity: replicated ? AlertSeverity.WARNING : AlertSeverity.CRITICAL,
      summary: replicated ? `Redis ${where}: a node is down` : `Redis ${where} is down`,
      description: replicated
        ? `Only {{ $value }} of ${ctx.nodes} Redis nodes of ${where} answer: the replication has less redundancy than declared.`
        : `Redis ${where} does not answer: the task queue and the cache are down, background tasks are not running.`,
    },
    {
      name: 'RedisMemoryNearLimit',
      expr: `max by (pod) (100 * redis_memory_used_bytes{${nodes}} / (redis_memory_max_bytes{${nodes}} > 0)) > ${ctx.memoryUsagePercent}`,
      for: Duration.minutes(10),
      severity: AlertSeverity.WARNING,
      summary: `Redis ${where}: {{ $labels.pod }} is near its memory limit`,
      description: `{{ $labels.pod }} uses {{ $value | humanize }}% of its maxmemory (threshold ${ctx.memoryUsagePercent}%). At the limit Redis `
        + 'refuses writes (maxmemory-policy noeviction): the queue stops taking tasks. Raise the memory or drain the queue.',
    },
    {
      name: 'RedisRejectingConnections',
      expr: `sum by (pod) (increase(redis_rejected_connections_total{${nodes}}[5m])) > 0`,
      for: Duration.minutes(1),
      severity: AlertSeverity.WARNING,
      summary: `Redis ${where}: {{ $labels.pod }} rejects connections`,
      description: '{{ $labels.pod }} rejected {{ $value }} connections in 5 minutes: it has reached maxclients. Check the clients\' connection pools.',
    },
  ];
  if (replicated) {
    alerts.push({
      name: 'RedisMasterMissing',
      expr: `(count(redis_instance_info{${nodes}, role="master"}) or vector(0)) == 0`,
      for: Duration.minutes(2),
      severity: AlertSeverity.CRITICAL,
      summary: `Redis ${where} has no master`,
      description: `No node of ${where} is master: writes fail, the task queue is down, or a failover is stuck.`,
    }, {
      name: 'RedisReplicationBroken',
      expr: `max by (pod) (redis_master_link_up{${nodes}}) == 0`,
      for: Duration.minutes(2),
      severity: AlertSeverity.WARNING,
      summary: `Redis ${where}: replica {{ $labels.pod }} lost its master`,
      description: 'Replica {{ $labels.pod }} has no link to its master: it serves stale data, and a failover to it would lose writes.',
    }, {
      name: 'RedisReplicasMissing',
      expr: `max(redis_connected_slaves{${nodes}} and on (pod) redis_instance_info{${nodes}, role="master"}) < ${ctx.nodes - 1}`,
      for: Duration.minutes(5),
      severity: AlertSeverity.WARNING,
      summary: `Redis ${where}: the master has fewer replicas than declared`,
      description: `The master of ${where} has {{ $value }} replicas of ${ctx.nodes - 1}: a failover may have no up-to-date replica to promote.`,
    });
  }
  if (ctx.sentinels !== undefined) {
    const sentinels = `namespace="${ctx.namespace}", pod=~"${ctx.name}-sentinel-[0-9]+"`;
    const up = `(count(redis_up{${sentinels}} == 1) or vector(0))`;
    alerts.push({
      name: 'RedisSentinelDown',
      expr: `${up} < ${ctx.sentinels.count}`,
      for: Duration.minutes(5),
      severity: AlertSeverity.WARNING,
      summary: `Redis ${where}: a Sentinel is down`,
      description: `Only {{ $value }} of ${ctx.sentinels.count} Sentinels of ${where} answer; ${ctx.sentinels.quorum} must agree to fail over.`,
    }, {
      name: 'RedisFailoverImpossible',
      expr: `${up} < ${ctx.sentinels.quorum}`,
      for: Duration.minutes(2),
      severity: AlertSeverity.CRITICAL,
      summary: `Redis ${where}: too few Sentinels to fail over`,
      description: `Only {{ $value }} Sentinels of ${where} answer, fewer than the quorum of ${ctx.sentinels.quorum}: if the master fails, nothing promotes a replica.`,
    });
  }
  return alerts;
}
