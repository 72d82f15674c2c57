import { Duration } from 'cdk8s';
import { Alert, AlertSeverity } from '../monitoring/alerting';
import { DataDurability, PostgresReplication } from './replication';

// Internal: the alert catalogue of HaPostgres. Not exported from the package.

/** What the alerts of a cluster watch, and their thresholds. */
export interface AlertContext {
  readonly cluster: string;
  readonly namespace: string;
  readonly instances: number;
  readonly replication: PostgresReplication;
  readonly backupMaxAge?: Duration;
  readonly maxReplicationLag: Duration;
  readonly storageUsagePercent: number;
}

/**
 * Alerts on the metrics CloudNativePG's exporter, the Barman Cloud plugin and the kubelet expose.
 * Instance series are selected by pod name (`<cluster>-<serial>`), volumes by PVC name (`<cluster>-<serial>[-wal]`).
 */
export function alertRules(ctx: AlertContext): Alert[] {
  const pods = `namespace="${ctx.namespace}", pod=~"${ctx.cluster}-[0-9]+"`;
  const volumes = `namespace="${ctx.namespace}", persistentvolumeclaim=~"${ctx.cluster}-[0-9]+(-wal)?"`;
  const where = `${ctx.namespace}/${ctx.cluster}`;
  const alerts: Alert[] = [
    {
      name: 'PostgresInstanceDown',
      expr: `(count(cnpg_collector_up{${pods}} == 1) or vector(0)) < ${ctx.instances}`,
      for: Duration.minutes(5),
      severity: ctx.instances > 1 ? AlertSeverity.WARNING : AlertSeverity.CRITICAL,
      summary: `PostgreSQL ${where}: an instance is down`,
      description: `Only {{ $value }} of ${ctx.instances} instances of ${where} report PostgreSQL up; the cluster has less redundancy than declared.`,
    },
    {
      name: 'PostgresPrimaryMissing',
      expr: `(count(cnpg_pg_replication_in_recovery{${pods}} == 0) or vector(0)) == 0`,
      for: Duration.minutes(2),
      severity: AlertSeverity.CRITICAL,
      summary: `PostgreSQL ${where} has no primary`,
      description: `No instance of ${where} accepts writes: the database is down for the apps, or a failover is stuck.`,
    },
    {
      name: 'PostgresStorageNearlyFull',
      expr: `max by (persistentvolumeclaim) (kubelet_volume_stats_used_bytes{${volumes}}`
        + ` / kubelet_volume_stats_capacity_bytes{${volumes}}) * 100 > ${ctx.storageUsagePercent}`,
      for: Duration.minutes(10),
      severity: AlertSeverity.WARNING,
      summary: `PostgreSQL ${where}: volume {{ $labels.persistentvolumeclaim }} is nearly full`,
      description: `Volume {{ $labels.persistentvolumeclaim }} is {{ $value | humanize }}% full (threshold ${ctx.storageUsagePercent}%). `
        + 'PostgreSQL stops when the data or WAL volume is full; grow the volume (storage.size / storage.walSize).',
    },
  ];
  if (ctx.instances > 1) {
    alerts.push({
      name: 'PostgresReplicationLagging',
      expr: `max by (pod) (cnpg_pg_replication_lag{${pods}}) > ${ctx.maxReplicationLag.toSeconds()}`,
      for: Duration.minutes(5),
      severity: AlertSeverity.WARNING,
      summary: `PostgreSQL ${where}: standby {{ $labels.pod }} is lagging`,
      description: `Standby {{ $labels.pod }} replays the WAL {{ $value }}s behind the primary (threshold ${ctx.maxReplicationLag.toSeconds()}s); `
        + 'a failover to it would take longer.',
    });
  }
  if (ctx.replication.isSynchronous) {
    const blocking = ctx.replication.durability === DataDurability.REQUIRED;
    const standbys = ctx.replication.standbys;
    // CloudNativePG 1.30 exports the requested count only (cnpg_collector_sync_replicas{value="observed"}): count the
    // standbys streaming from the primary (the instance not in recovery) against the declared number instead.
    alerts.push({
      name: 'PostgresSynchronousStandbysMissing',
      expr: `max(cnpg_pg_replication_streaming_replicas{${pods}} and on (pod) (cnpg_pg_replication_in_recovery{${pods}} == 0)) < ${standbys}`,
      for: Duration.minutes(5),
      severity: blocking ? AlertSeverity.CRITICAL : AlertSeverity.WARNING,
      summary: `PostgreSQL ${where}: fewer synchronous standbys than required`,
      description: `Only {{ $value }} standbys stream from the primary of ${where}, fewer than the ${standbys} a commit waits for: commits `
        + (blocking ? 'wait, and writes stop until a standby returns.' : 'are not replicated until a standby returns.'),
    });
  }
  if (ctx.backupMaxAge) {
    alerts.push({
      name: 'PostgresWalArchivingFailing',
      expr: `max(cnpg_pg_stat_archiver_last_failed_time{${pods}} - cnpg_pg_stat_archiver_last_archived_time{${pods}}) > 0`,
      for: Duration.minutes(5),
      severity: AlertSeverity.CRITICAL,
      summary: `PostgreSQL ${where}: WAL archiving is failing`,
      description: `The primary of ${where} fails to archive WAL to the object store: `
        + 'point-in-time recovery has a gap and pg_wal grows until the WAL volume is full.',
    }, {
      name: 'PostgresBackupTooOld',
      expr: `time() - max(barman_cloud_cloudnative_pg_io_last_available_backup_timestamp{${pods}}) > ${ctx.backupMaxAge.toSeconds()}`,
      for: Duration.minutes(10),
      severity: AlertSeverity.WARNING,
      summary: `PostgreSQL ${where}: the newest base backup is too old`,
      description: `The newest base backup of ${where} is {{ $value | humanizeDuration }} old (threshold ${ctx.backupMaxAge.toSeconds() / 3600}h); `
        + 'check the ScheduledBackup and the Backup objects.',
    });
  }
  return alerts;
}
