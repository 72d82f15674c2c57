import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { PodMonitor, PrometheusRule } from '../../imports/monitoring.coreos.com';
import { renderAlerts } from '../monitoring/alerting';
import { NetworkPeer } from '../network/network-peer';
import { podMonitorSpec } from './_cnpg';
import { alertRules } from './_postgres-alerts';
import { PostgresReplication } from './replication';

/** Prometheus scraping and alerting of the database. */
export interface PostgresMonitoringOptions {
  /** Whether a PodMonitor and a PrometheusRule are created. @default true */
  readonly enabled?: boolean;
  /** Who scrapes: the NetworkPolicy admits them to the metrics ports. @default NetworkPeer.namespace('monitoring') */
  readonly scraper?: NetworkPeer;
  /** Scrape interval. @default Duration.seconds(30) */
  readonly interval?: Duration;
  /** Replay lag of a standby above which `PostgresReplicationLagging` fires. @default Duration.seconds(30) */
  readonly maxReplicationLag?: Duration;
  /** Percentage of a data or WAL volume in use above which `PostgresStorageNearlyFull` fires. @default 80 */
  readonly storageUsagePercent?: number;
  /**
   * Base URL of the runbooks: every alert links to `<base>/<alert name in lowercase>`,
   * e.g. `https://runbooks.example.com/platform/postgresprimarymissing`.
   * @default - no runbook links
   */
  readonly runbookBaseUrl?: string;
}

/**
 * What the monitoring of a cluster watches.
 * @internal
 */
export interface WatchedCluster {
  /** Name, namespace and labels of the PodMonitor and the PrometheusRule; the name is the cluster's. */
  readonly metadata: { readonly name: string; readonly namespace: string; readonly labels: Record<string, string> };
  /** Labels of the instance pods. */
  readonly instanceLabels: Record<string, string>;
  /** Scrape interval, as prometheus-operator writes it (`30s`). */
  readonly interval: string;
  /** PostgreSQL instances: how many must be up. */
  readonly instances: number;
  /** How the standbys follow the primary: which replication alerts apply. */
  readonly replication: PostgresReplication;
  /** Age of the newest base backup above which `PostgresBackupTooOld` fires; unset without backups. */
  readonly backupMaxAge?: Duration;
}

/**
 * A PodMonitor of the instances and the cluster's alerts (see `alertRules`), labelled with the
 * cluster's name for routing and linked to the runbooks.
 * @internal
 */
export function addPostgresMonitoring(scope: Construct, options: PostgresMonitoringOptions, cluster: WatchedCluster):
{ podMonitor: PodMonitor; alerts: PrometheusRule } {
  const { metadata } = cluster;
  const podMonitor = new PodMonitor(scope, 'PodMonitor', { metadata, spec: podMonitorSpec(cluster.instanceLabels, metadata.namespace, cluster.interval) });
  const alerts = new PrometheusRule(scope, 'Alerts', {
    metadata,
    spec: {
      groups: [{
        name: `${metadata.namespace}.${metadata.name}.postgres`,
        rules: renderAlerts(alertRules({
          cluster: metadata.name,
          namespace: metadata.namespace,
          instances: cluster.instances,
          replication: cluster.replication,
          backupMaxAge: cluster.backupMaxAge,
          maxReplicationLag: options.maxReplicationLag ?? Duration.seconds(30),
          storageUsagePercent: options.storageUsagePercent ?? 80,
        }), options.runbookBaseUrl, { cnpg_cluster: metadata.name }),
      }],
    },
  });
  return { podMonitor, alerts };
}
