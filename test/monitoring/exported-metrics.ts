/**
 * The metrics the exporters the library's alerts and dashboards read really publish, at the versions the
 * library targets, with the labels each series carries once Prometheus has scraped it: the exporter's own
 * labels and those the scrape adds. An alert on a name that is not here can never fire.
 */
export interface Exporter {
  /** The exporter and its version. */
  readonly name: string;
  /** Where the list comes from: project, version, file. */
  readonly source: string;
  /** Each metric, with the labels the exporter gives it. */
  readonly metrics: Readonly<Record<string, readonly string[]>>;
  /** Labels every series gets from the scrape (prometheus-operator's target labels), or keeps with honorLabels. */
  readonly scrapeLabels: readonly string[];
  /** The only values some labels take, by metric and label. @default - any value */
  readonly labelValues?: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
}

/**
 * Target labels prometheus-operator v0.93 gives every series of a PodMonitor or ServiceMonitor target
 * (`namespace`, `pod`, `container`, `endpoint`, `job`, `instance`; `service` for a ServiceMonitor):
 * prometheus-operator v0.93.0 pkg/prometheus/promcfg.go (the relabelings with target_label namespace,
 * container, pod, endpoint and service, l.1604-1652 and l.2136-2203).
 */
const POD_MONITOR_TARGET = ['namespace', 'pod', 'container', 'endpoint', 'job', 'instance'];
const SERVICE_MONITOR_TARGET = [...POD_MONITOR_TARGET, 'service'];

const CNPG_REPLICATION_LABELS = ['usename', 'application_name', 'client_addr', 'client_port'];

/** CloudNativePG 1.30 instance exporter (port 9187, `metrics`), scraped by HaPostgres' PodMonitor. */
export const CLOUDNATIVE_PG: Exporter = {
  name: 'CloudNativePG 1.30 instance manager',
  source: 'cloudnative-pg v1.30.0: pkg/management/postgres/webserver/metricserver/pg_collector.go (cnpg_collector_*, l.110-250; '
    + 'sync_replicas only with value="observed", l.573-585) and config/manager/default-monitoring.yaml (cnpg_<query>_<column>, '
    + 'naming in pkg/management/postgres/metrics/mappings.go l.97-103)',
  scrapeLabels: POD_MONITOR_TARGET,
  labelValues: {
    cnpg_collector_sync_replicas: { value: ['observed'] },
    cnpg_collector_pg_wal_archive_status: { value: ['ready', 'done'] },
    cnpg_collector_pg_wal: { value: ['count', 'size', 'min', 'max', 'keep', 'slots_max', 'volume_size', 'volume_max'] },
  },
  metrics: {
    cnpg_collector_collections_total: [],
    cnpg_collector_collection_errors_total: ['collector'],
    cnpg_collector_last_collection_error: [],
    cnpg_collector_up: ['cluster'],
    cnpg_collector_collection_duration_seconds: ['collector'],
    cnpg_collector_manual_switchover_required: [],
    cnpg_collector_sync_replicas: ['value'],
    cnpg_collector_replica_mode: [],
    cnpg_collector_pg_wal_archive_status: ['value'],
    cnpg_collector_postgres_version: ['full', 'cluster'],
    cnpg_collector_pg_wal: ['value'],
    cnpg_collector_first_recoverability_point: [],
    cnpg_collector_last_available_backup_timestamp: [],
    cnpg_collector_last_failed_backup_timestamp: [],
    cnpg_collector_fencing_on: [],
    cnpg_collector_nodes_used: [],
    cnpg_collector_lo_pages: ['datname'],
    cnpg_backends_total: ['datname', 'usename', 'application_name', 'state'],
    cnpg_backends_max_tx_duration_seconds: ['datname', 'usename', 'application_name', 'state'],
    cnpg_backends_waiting_total: [],
    cnpg_pg_database_size_bytes: ['datname'],
    cnpg_pg_database_xid_age: ['datname'],
    cnpg_pg_database_mxid_age: ['datname'],
    cnpg_pg_postmaster_start_time: [],
    cnpg_pg_replication_lag: [],
    cnpg_pg_replication_in_recovery: [],
    cnpg_pg_replication_is_wal_receiver_up: [],
    cnpg_pg_replication_streaming_replicas: [],
    cnpg_pg_replication_slots_active: ['slot_name', 'slot_type', 'database'],
    cnpg_pg_replication_slots_pg_wal_lsn_diff: ['slot_name', 'slot_type', 'database'],
    cnpg_pg_stat_archiver_archived_count: [],
    cnpg_pg_stat_archiver_failed_count: [],
    cnpg_pg_stat_archiver_seconds_since_last_archival: [],
    cnpg_pg_stat_archiver_seconds_since_last_failure: [],
    cnpg_pg_stat_archiver_last_archived_time: [],
    cnpg_pg_stat_archiver_last_failed_time: [],
    cnpg_pg_stat_archiver_last_archived_wal_start_lsn: [],
    cnpg_pg_stat_archiver_last_failed_wal_start_lsn: [],
    cnpg_pg_stat_archiver_stats_reset_time: [],
    cnpg_pg_stat_bgwriter_checkpoints_timed: [],
    cnpg_pg_stat_bgwriter_checkpoints_req: [],
    cnpg_pg_stat_bgwriter_checkpoint_write_time: [],
    cnpg_pg_stat_bgwriter_checkpoint_sync_time: [],
    cnpg_pg_stat_bgwriter_buffers_checkpoint: [],
    cnpg_pg_stat_bgwriter_buffers_clean: [],
    cnpg_pg_stat_bgwriter_maxwritten_clean: [],
    cnpg_pg_stat_bgwriter_buffers_backend: [],
    cnpg_pg_stat_bgwriter_buffers_backend_fsync: [],
    cnpg_pg_stat_bgwriter_buffers_alloc: [],
    cnpg_pg_stat_bgwriter_stats_reset_time: [],
    cnpg_pg_stat_checkpointer_checkpoints_timed: [],
    cnpg_pg_stat_checkpointer_checkpoints_req: [],
    cnpg_pg_stat_checkpointer_restartpoints_timed: [],
    cnpg_pg_stat_checkpointer_restartpoints_req: [],
    cnpg_pg_stat_checkpointer_restartpoints_done: [],
    cnpg_pg_stat_checkpointer_write_time: [],
    cnpg_pg_stat_checkpointer_sync_time: [],
    cnpg_pg_stat_checkpointer_buffers_written: [],
    cnpg_pg_stat_checkpointer_stats_reset_time: [],
    cnpg_pg_stat_database_xact_commit: ['datname'],
    cnpg_pg_stat_database_xact_rollback: ['datname'],
    cnpg_pg_stat_database_blks_read: ['datname'],
    cnpg_pg_stat_database_blks_hit: ['datname'],
    cnpg_pg_stat_database_tup_returned: ['datname'],
    cnpg_pg_stat_database_tup_fetched: ['datname'],
    cnpg_pg_stat_database_tup_inserted: ['datname'],
    cnpg_pg_stat_database_tup_updated: ['datname'],
    cnpg_pg_stat_database_tup_deleted: ['datname'],
    cnpg_pg_stat_database_conflicts: ['datname'],
    cnpg_pg_stat_database_temp_files: ['datname'],
    cnpg_pg_stat_database_temp_bytes: ['datname'],
    cnpg_pg_stat_database_deadlocks: ['datname'],
    cnpg_pg_stat_database_blk_read_time: ['datname'],
    cnpg_pg_stat_database_blk_write_time: ['datname'],
    cnpg_pg_stat_replication_backend_start: CNPG_REPLICATION_LABELS,
    cnpg_pg_stat_replication_backend_xmin_age: CNPG_REPLICATION_LABELS,
    cnpg_pg_stat_replication_sent_diff_bytes: CNPG_REPLICATION_LABELS,
    cnpg_pg_stat_replication_write_diff_bytes: CNPG_REPLICATION_LABELS,
    cnpg_pg_stat_replication_flush_diff_bytes: CNPG_REPLICATION_LABELS,
    cnpg_pg_stat_replication_replay_diff_bytes: CNPG_REPLICATION_LABELS,
    cnpg_pg_stat_replication_write_lag_seconds: CNPG_REPLICATION_LABELS,
    cnpg_pg_stat_replication_flush_lag_seconds: CNPG_REPLICATION_LABELS,
    cnpg_pg_stat_replication_replay_lag_seconds: CNPG_REPLICATION_LABELS,
    cnpg_pg_settings_setting: ['name'],
    cnpg_pg_extensions_update_available: ['datname', 'extname', 'default_version', 'installed_version'],
  },
};

/** The Barman Cloud plugin 0.14, whose metrics CloudNativePG's instance exporter publishes under the plugin's own prefix. */
export const BARMAN_CLOUD_PLUGIN: Exporter = {
  name: 'Barman Cloud plugin 0.14 (through the instance exporter)',
  source: 'plugin-barman-cloud v0.14.0: internal/cnpgi/instance/metrics.go l.36-53 (names from the sanitized plugin name '
    + 'barman-cloud.cloudnative-pg.io); cloudnative-pg v1.30.0 pg_collector.go l.392-398 registers them verbatim',
  scrapeLabels: POD_MONITOR_TARGET,
  metrics: {
    barman_cloud_cloudnative_pg_io_first_recoverability_point: [],
    barman_cloud_cloudnative_pg_io_last_available_backup_timestamp: [],
    barman_cloud_cloudnative_pg_io_last_failed_backup_timestamp: [],
  },
};

/** kube-state-metrics 2.20, as kube-prometheus-stack 88.5.3 installs and scrapes it (honorLabels: the object's namespace stays). */
export const KUBE_STATE_METRICS: Exporter = {
  name: 'kube-state-metrics 2.20',
  source: 'kube-state-metrics v2.20.0 docs/metrics/workload/pod-metrics.md (l.21, l.33-35) and deployment-metrics.md (l.9); '
    + 'the chart version from kube-prometheus-stack-88.5.3 Chart.yaml (kube-state-metrics 8.4.0, appVersion 2.20.0), honorLabels in its values.yaml l.2702',
  scrapeLabels: ['job', 'instance'],
  metrics: {
    kube_pod_container_status_waiting_reason: ['container', 'pod', 'namespace', 'reason', 'uid'],
    kube_pod_container_status_restarts_total: ['container', 'namespace', 'pod', 'uid'],
    kube_pod_container_resource_requests: ['resource', 'unit', 'container', 'pod', 'namespace', 'node', 'uid'],
    kube_pod_container_resource_limits: ['resource', 'unit', 'container', 'pod', 'namespace', 'node', 'uid'],
    kube_deployment_status_replicas_unavailable: ['deployment', 'namespace'],
  },
};

/** The kubelet's volume stats (`/metrics`), scraped by kube-prometheus-stack with honorLabels (values.yaml l.1803). */
export const KUBELET_VOLUME_STATS: Exporter = {
  name: 'kubelet volume stats',
  source: 'kubernetes pkg/kubelet/metrics/collectors/volume_stats.go (labels namespace and persistentvolumeclaim of the claim); '
    + 'missing on 1.34.0 and 1.34.1, restored in 1.34.2 (kubernetes/kubernetes#133847, cherry-pick #133905)',
  scrapeLabels: ['job', 'instance', 'node', 'metrics_path', 'service', 'endpoint'],
  metrics: {
    kubelet_volume_stats_used_bytes: ['namespace', 'persistentvolumeclaim'],
    kubelet_volume_stats_capacity_bytes: ['namespace', 'persistentvolumeclaim'],
    kubelet_volume_stats_available_bytes: ['namespace', 'persistentvolumeclaim'],
  },
};

/** cAdvisor through the kubelet (`/metrics/cadvisor`), scraped with honorLabels. */
export const CADVISOR: Exporter = {
  name: 'cAdvisor (kubelet /metrics/cadvisor)',
  source: 'google/cadvisor metrics/prometheus.go (container_cpu_usage_seconds_total, container_memory_working_set_bytes; labels id, image, name) '
    + 'as vendored by kubernetes, whose pkg/kubelet/server/server.go containerPrometheusLabelsFunc adds container, pod and namespace',
  scrapeLabels: ['job', 'instance', 'node', 'metrics_path', 'service', 'endpoint'],
  metrics: {
    container_cpu_usage_seconds_total: ['container', 'pod', 'namespace', 'id', 'image', 'name', 'cpu'],
    container_memory_working_set_bytes: ['container', 'pod', 'namespace', 'id', 'image', 'name'],
  },
};

/**
 * oauth2-proxy v7.15.3, the sign-in proxy of a route with `signIn`, scraped by its ServiceMonitor on the metrics port
 * (`--metrics-address=0.0.0.0:44180`). The histogram is a Prometheus client histogram: `_bucket` series with `le`.
 */
export const OAUTH2_PROXY: Exporter = {
  name: 'oauth2-proxy v7.15.3',
  source: 'oauth2-proxy v7.15.3: pkg/middleware/metrics.go (oauth2_proxy_requests_total{code} l.62-79, oauth2_proxy_requests_in_flight l.84-99, '
    + 'oauth2_proxy_response_duration_seconds{method} with prometheus.DefBuckets l.103-124)',
  scrapeLabels: SERVICE_MONITOR_TARGET,
  metrics: {
    oauth2_proxy_requests_total: ['code'],
    oauth2_proxy_requests_in_flight: [],
    oauth2_proxy_response_duration_seconds_bucket: ['method', 'le'],
    oauth2_proxy_response_duration_seconds_sum: ['method'],
    oauth2_proxy_response_duration_seconds_count: ['method'],
  },
};

/**
 * redis_exporter v1.44.0 (the operator's exporter image quay.io/opstree/redis-exporter:v1.44.0), beside every Redis node and
 * Sentinel, scraped by HaRedis's ServiceMonitor through the operator's `<name>-metrics` Services.
 */
export const REDIS_EXPORTER: Exporter = {
  name: 'redis_exporter v1.44.0',
  source: 'oliver006/redis_exporter v1.44.0: exporter/exporter.go (INFO fields to metrics: connected_clients l.119, used_memory -> memory_used_bytes l.141, '
    + 'maxmemory -> memory_max_bytes l.150, connected_slaves l.218, rejected_connections -> rejected_connections_total l.267; descriptions with labels: '
    + 'instance_info l.362, master_link_up l.374, sentinel_master_* l.378-383, up l.404; namespace "redis" from main.go) and exporter/info.go '
    + '(instance_info from INFO role, master or slave, l.141-150; master_link_up on replicas, l.282-287)',
  scrapeLabels: SERVICE_MONITOR_TARGET,
  labelValues: { redis_instance_info: { role: ['master', 'slave'] } },
  metrics: {
    redis_up: [],
    redis_instance_info: ['role', 'redis_version', 'redis_build_id', 'redis_mode', 'os', 'maxmemory_policy', 'tcp_port', 'run_id', 'process_id'],
    redis_connected_clients: [],
    redis_memory_used_bytes: [],
    redis_memory_max_bytes: [],
    redis_connected_slaves: [],
    redis_rejected_connections_total: [],
    redis_master_link_up: ['master_host', 'master_port'],
    redis_sentinel_master_ok_sentinels: ['master_name', 'master_address'],
    redis_sentinel_masters: [],
  },
};

/**
 * The HTTP metrics an app declares (`MetricsOptions`): a counter with a status code label and a
 * histogram, scraped by the app's ServiceMonitor.
 */
export function appMetrics(requests = 'http_requests_total', statusCode = 'code', duration = 'http_request_duration_seconds'): Exporter {
  return {
    name: 'the app (its declared metrics)',
    source: 'MetricsOptions: requestsMetric, statusCodeLabel and requestDurationMetric (Prometheus client conventions)',
    scrapeLabels: SERVICE_MONITOR_TARGET,
    metrics: { [requests]: [statusCode], [`${duration}_bucket`]: ['le'] },
  };
}
