import { IConstruct } from 'constructs';
import { check } from '../core/errors';
import { Kind, Kinds } from '../core/kinds';
import { checkWholeSeconds } from '../core/quantities';
import { INT32_MAX, checkInteger } from '../core/validate';
import { checkRunbookBaseUrl } from '../monitoring/alerting';
import { PROMETHEUS_KIND, checkPrometheus } from '../monitoring/prometheus';
import { NETWORK_PEER_KIND } from '../network/_checks';
import { CLUSTER_DNS_KIND } from '../network/cluster-dns';
import { LOG_COLLECTION_KIND } from '../monitoring/log-collection';
import { EGRESS_ENGINE_KIND } from '../network/egress-engine';
import { IMAGE_KIND } from '../workload/image';
import { NODE_POOL_KIND, SpreadPolicy } from '../workload/placement';
import { REGISTRY_CREDENTIALS_KIND } from '../workload/registry-credentials';
import { RESOURCES_KIND } from '../workload/resources';
import { PostgresBackup } from './backup';
import { PostgresMonitoringOptions } from './postgres-monitoring';
import { POSTGRES_RECOVERY_KIND } from './recovery';
import { PostgresReplication } from './replication';

// Internal: what a HaPostgres checks besides what its value classes check. Not exported from the package.

/**
 * PostgreSQL settings CloudNativePG 1.30 sets itself, or blocks: its webhook refuses a Cluster that
 * sets one (`pkg/postgres/configuration.go`, FixedConfigurationParameters).
 */
const OPERATOR_PARAMETERS = new Set([
  'allow_system_table_mods', 'archive_mode', 'bonjour', 'bonjour_name', 'cluster_name', 'config_file', 'data_directory', 'data_sync_retry',
  'event_source', 'external_pid_file', 'hba_file', 'hot_standby', 'ident_file', 'jit_provider', 'listen_addresses', 'logging_collector', 'port',
  'primary_conninfo', 'primary_slot_name', 'recovery_target', 'recovery_target_action', 'recovery_target_inclusive', 'recovery_target_lsn',
  'recovery_target_name', 'recovery_target_time', 'recovery_target_timeline', 'recovery_target_xid', 'restore_command', 'shared_preload_libraries',
  'temp_tablespaces', 'unix_socket_directories', 'unix_socket_group', 'unix_socket_permissions', 'archive_cleanup_command', 'archive_command',
  'log_destination', 'log_directory', 'log_file_mode', 'log_filename', 'log_rotation_age', 'log_rotation_size', 'log_truncate_on_rotation',
  'pg_failover_slots.primary_dsn', 'pg_failover_slots.standby_slot_names', 'promote_trigger_file', 'recovery_end_command',
  'recovery_min_apply_delay', 'restart_after_crash', 'ssl', 'ssl_ca_file', 'ssl_cert_file', 'ssl_crl_file', 'ssl_dh_params_file',
  'ssl_ecdh_curve', 'ssl_key_file', 'ssl_passphrase_command', 'ssl_passphrase_command_supports_reload', 'ssl_prefer_server_ciphers',
  'stats_temp_directory', 'synchronous_standby_names', 'synchronized_standby_slots', 'syslog_facility', 'syslog_ident',
  'syslog_sequence_numbers', 'syslog_split_messages',
]);
const PARAMETER_NAME = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)?$/;
const POSTGRES_IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** The kinds of the props of a HaPostgres, but for the props whose value classes are checked where they are read. */
export const HA_POSTGRES_KINDS = {
  kubernetesApi: Kind.object('a KubernetesApiEndpoint object (peer, and optionally port)', {
    peer: NETWORK_PEER_KIND,
    port: Kind.NUMBER.optional(),
  }),
  storage: Kind.object('a PostgresStorage object (size, and optionally storageClassName and walSize)', {}),
  name: Kind.STRING.optional(),
  namespace: Kind.STRING.optional(),
  partOf: Kind.STRING.optional(),
  instances: Kind.NUMBER.optional(),
  replication: Kind.instance(PostgresReplication, 'a PostgresReplication (PostgresReplication.synchronous or PostgresReplication.asynchronous)').optional(),
  // Optional here: HaPostgres says why a database needs backups when none is given.
  backup: Kind.instance(PostgresBackup, 'a PostgresBackup (PostgresBackup.toObjectStore, or PostgresBackup.none({ reason }))').optional(),
  recovery: POSTGRES_RECOVERY_KIND.optional(),
  databaseName: Kind.STRING.optional(),
  owner: Kind.STRING.optional(),
  image: IMAGE_KIND.optional(),
  resources: RESOURCES_KIND.optional(),
  parameters: Kind.record(Kind.STRING).optional(),
  pooler: Kind.object('a PostgresPoolerOptions object', {}).optional(),
  monitoring: Kind.object('a PostgresMonitoringOptions object', {
    enabled: Kind.BOOLEAN.optional(),
    prometheus: PROMETHEUS_KIND.optional(),
    interval: Kind.DURATION.optional(),
    maxReplicationLag: Kind.DURATION.optional(),
    storageUsagePercent: Kind.NUMBER.optional(),
    runbookBaseUrl: Kind.STRING.optional(),
  } satisfies Kinds<PostgresMonitoringOptions>).optional(),
  dns: CLUSTER_DNS_KIND.optional(),
  operator: NETWORK_PEER_KIND.optional(),
  nodePool: NODE_POOL_KIND.optional(),
  zoneSpread: Kind.oneOf(SpreadPolicy, 'a SpreadPolicy').optional(),
  egressEngine: EGRESS_ENGINE_KIND.optional(),
  imagePullSecrets: Kind.array(REGISTRY_CREDENTIALS_KIND).optional(),
  logs: LOG_COLLECTION_KIND.optional(),
};

/** Roles the operator manages itself; the application owner must be another one. */
const RESERVED_ROLES = new Set(['postgres', 'streaming_replica', 'cnpg_pooler_pgbouncer']);

/** Checks the application database's name and owner (identifiers, not a role the operator manages) and the PostgreSQL settings. */
export function checkDatabaseSettings(scope: IConstruct, databaseName: string, owner: string, parameters: Readonly<Record<string, string>>): void {
  checkIdentifier(scope, 'databaseName', databaseName);
  checkIdentifier(scope, 'owner', owner);
  check(!RESERVED_ROLES.has(owner), scope, 'owner', owner, `must not be one of the roles the operator manages (${[...RESERVED_ROLES].join(', ')})`);
  checkParameters(scope, parameters);
}

/** Checks the PostgreSQL settings of a cluster: names PostgreSQL takes, and none the operator keeps to itself. */
export function checkParameters(scope: IConstruct, parameters: Readonly<Record<string, string>>): void {
  for (const key of Object.keys(parameters)) {
    check(PARAMETER_NAME.test(key), scope, `parameters.${key}`, key, 'must be a PostgreSQL setting name: lowercase letters, digits and \'_\', with an optional \'.\' prefix');
    check(!OPERATOR_PARAMETERS.has(key), scope, `parameters.${key}`, key,
      'is set by CloudNativePG (or blocked by it): its webhook refuses a Cluster that sets it; the operator configures replication, archiving, TLS and logging itself');
  }
}

/** A PostgreSQL identifier: a database or role name. */
export function checkIdentifier(scope: IConstruct, prop: string, value: string): void {
  check(typeof value === 'string' && POSTGRES_IDENTIFIER.test(value), scope, prop, value,
    'must be a PostgreSQL identifier of at most 63 characters: lowercase letters, digits and \'_\', not starting with a digit');
}

/**
 * The monitoring of a cluster: the scrape interval and replication lag it writes as whole seconds, the share of a
 * volume its alert fires at, the runbook links and the Prometheus that loads them.
 */
export function checkMonitoring(scope: IConstruct, monitoring: PostgresMonitoringOptions): void {
  if (monitoring.interval !== undefined) {
    checkWholeSeconds(scope, 'monitoring.interval', monitoring.interval, 1, INT32_MAX);
  }
  if (monitoring.maxReplicationLag !== undefined) {
    checkWholeSeconds(scope, 'monitoring.maxReplicationLag', monitoring.maxReplicationLag, 1, INT32_MAX);
  }
  if (monitoring.storageUsagePercent !== undefined) {
    checkInteger(scope, 'monitoring.storageUsagePercent', monitoring.storageUsagePercent, 1, 99);
  }
  if (monitoring.runbookBaseUrl !== undefined) {
    checkRunbookBaseUrl(scope, 'monitoring.runbookBaseUrl', monitoring.runbookBaseUrl);
  }
  if (monitoring.prometheus !== undefined) {
    checkPrometheus(scope, 'monitoring.prometheus', monitoring.prometheus);
  }
}
