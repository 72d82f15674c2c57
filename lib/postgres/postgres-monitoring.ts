import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { PodMonitor, PrometheusRule } from '../../imports/monitoring.coreos.com';
import { renderAlerts } from '../monitoring/alerting';
import { Prometheus, admitScraper, declareClusterMetrics, declarePrometheus, declareVolumeStats, selectedLabels } from '../monitoring/prometheus';
import { NetworkPolicyRules } from '../network/network-policy-rules';
import { METRICS_PORT, podMonitorSpec } from './_cnpg';
import { alertRules } from './_postgres-alerts';
import { PostgresReplication } from './replication';

/** Prometheus scraping and alerting of the database. */
export interface PostgresMonitoringOptions {
  /** Whether a PodMonitor and a PrometheusRule are created. @default true */
  readonly enabled?: boolean;
  /**
   * The Prometheus that scrapes the instances and the pooler and loads the alerts: the PodMonitors and
   * the PrometheusRule carry the labels it selects, and the NetworkPolicies admit its pods to the metrics ports.
   * @default Prometheus.kubePrometheusStack() - release kube-prometheus-stack in namespace monitoring
   */
  readonly prometheus?: Prometheus;
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
  /** The Prometheus that scrapes and alerts. */
  readonly prometheus: Prometheus;
  /** The instances' NetworkPolicy, which admits the Prometheus pods to the metrics port. */
  readonly networkPolicy: NetworkPolicyRules;
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
 * A PodMonitor of the instances and the cluster's alerts (see `alertRules`), labelled for the
 * Prometheus that selects them, the alerts with the cluster's name for routing and linked to the runbooks.
 * @internal
 */
export function addPostgresMonitoring(scope: Construct, options: PostgresMonitoringOptions, cluster: WatchedCluster):
{ podMonitor: PodMonitor; alerts: PrometheusRule } {
  const { prometheus } = cluster;
  const metadata = { ...cluster.metadata, labels: selectedLabels(prometheus, cluster.metadata.labels) };
  declarePrometheus(scope, prometheus);
  declareClusterMetrics(scope, prometheus);
  declareVolumeStats(scope);
  admitScraper(cluster.networkPolicy, prometheus, [{ port: METRICS_PORT }]);
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
        }), { namespace: metadata.namespace, runbookBaseUrl: options.runbookBaseUrl, labels: { cnpg_cluster: metadata.name } }),
      }],
    },
  });
  return { podMonitor, alerts };
}
