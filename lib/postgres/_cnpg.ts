import { IConstruct } from 'constructs';
import { PodMonitorSpec, PodMonitorSpecPodMetricsEndpointsScheme } from '../../imports/monitoring.coreos.com';
import { check } from '../core/errors';

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

/** Roles the operator manages itself; the application owner must be another one. */
const RESERVED_ROLES = new Set(['postgres', 'streaming_replica', 'cnpg_pooler_pgbouncer']);
const POSTGRES_IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;
const PARAMETER_NAME = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)?$/;

/** Checks the application database's name and owner (identifiers, not a role the operator manages) and the names of the PostgreSQL settings. */
export function checkDatabaseSettings(scope: IConstruct, databaseName: string, owner: string, parameters: Record<string, string>): void {
  checkIdentifier(scope, 'databaseName', databaseName);
  checkIdentifier(scope, 'owner', owner);
  check(!RESERVED_ROLES.has(owner), scope, 'owner', owner, `must not be one of the roles the operator manages (${[...RESERVED_ROLES].join(', ')})`);
  for (const key of Object.keys(parameters)) {
    check(PARAMETER_NAME.test(key), scope, `parameters.${key}`, key, 'must be a PostgreSQL setting name: lowercase letters, digits and \'_\', with an optional \'.\' prefix');
  }
}

function checkIdentifier(scope: IConstruct, prop: string, value: string): void {
  check(POSTGRES_IDENTIFIER.test(value), scope, prop, value,
    'must be a PostgreSQL identifier of at most 63 characters: lowercase letters, digits and \'_\', not starting with a digit');
}
