import { PodMonitorSpec, PodMonitorSpecPodMetricsEndpointsScheme } from '../../imports/monitoring.coreos.com';

// Internal: what CloudNativePG and its Barman Cloud plugin expect. Not exported from the package.

/** The port PostgreSQL and PgBouncer listen on. */
export const POSTGRES_PORT = 5432;
/** The instance manager's status port, which the operator and the other instances query. */
export const STATUS_PORT = 8000;
/** The instance metrics exporter. @see https://cloudnative-pg.io/documentation/current/monitoring/ */
export const METRICS_PORT = 9187;
/** The PgBouncer metrics exporter. */
export const POOLER_METRICS_PORT = 9127;
/** The Barman Cloud plugin, as the Cluster, ScheduledBackup and external clusters name it. */
export const BARMAN_CLOUD_PLUGIN = 'barman-cloud.cloudnative-pg.io';
/** Labels the operator puts on the pods of a cluster. @see https://cloudnative-pg.io/documentation/current/labels_annotations/ */
export const CLUSTER_LABEL = 'cnpg.io/cluster';
export const POD_ROLE_LABEL = 'cnpg.io/podRole';
export const POOLER_NAME_LABEL = 'cnpg.io/poolerName';
/** A key of a Secret or ConfigMap the operator or a connected app reads. */
export const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;
/** A folder of backups in an object store, named after the cluster that wrote them. */
export const BARMAN_SERVER_NAME = /^[A-Za-z0-9][-A-Za-z0-9_.]*$/;

/** A PodMonitor spec that scrapes the `metrics` port of the pods with `podLabels` in `namespace` every `interval`. */
export function podMonitorSpec(podLabels: Record<string, string>, namespace: string, interval: string): PodMonitorSpec {
  return {
    selector: { matchLabels: podLabels },
    namespaceSelector: { matchNames: [namespace] },
    podMetricsEndpoints: [{ port: 'metrics', interval, scheme: PodMonitorSpecPodMetricsEndpointsScheme.HTTP }],
  };
}
