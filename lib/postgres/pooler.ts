import { Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { PodMonitor } from '../../imports/monitoring.coreos.com';
import {
  Pooler, PoolerSpecPgbouncerPoolMode, PoolerSpecTemplateSpecContainersResourcesLimits, PoolerSpecTemplateSpecContainersResourcesRequests, PoolerSpecType,
} from '../../imports/postgresql.cnpg.io';
import { check } from '../core/errors';
import { Kind } from '../core/kinds';
import { INT32_MAX, checkInteger } from '../core/validate';
import { Prometheus, admitScraper, selectedLabels } from '../monitoring/prometheus';
import { ClusterDns } from '../network/cluster-dns';
import { EgressEngine } from '../network/egress-engine';
import { NetworkPeer } from '../network/network-peer';
import { NetworkPolicyRules } from '../network/network-policy-rules';
import { addDisruptionBudget } from '../workload/_pod-template';
import { NodePool, SpreadPolicy, hostAntiAffinity, nodePoolPlacement, zoneSpread } from '../workload/placement';
import { IRegistryCredentials, imagePullSecretsOf } from '../workload/registry-credentials';
import { ContainerResources, RESOURCES_KIND, checkResources, renderResources } from '../workload/resources';
import { POOLER_METRICS_PORT, POOLER_NAME_LABEL, POSTGRES_PORT, podMonitorSpec } from './_cnpg';

/** How PgBouncer hands server connections to clients. */
export enum PgBouncerPoolMode {
  /** A client keeps its server connection for the session: everything PostgreSQL offers works. */
  SESSION = 'session',
  /** A client holds a server connection for one transaction: more clients per connection, but no session state (SET, advisory locks, ...). */
  TRANSACTION = 'transaction',
}

/** A PgBouncer connection pooler in front of the primary. */
export interface PostgresPoolerOptions {
  /** PgBouncer pods; at least 2 in production (guardrail `postgres-pooler-ha`) so that a node drain never takes the pooler down. @default 2 */
  readonly instances?: number;
  /** How server connections are shared. @default PgBouncerPoolMode.SESSION */
  readonly poolMode?: PgBouncerPoolMode;
  /**
   * PgBouncer settings, e.g. `{ max_client_conn: '1000', default_pool_size: '20' }`.
   * @see https://cloudnative-pg.io/documentation/current/connection_pooling/#pgbouncer-configuration-options
   * @default - PgBouncer's defaults
   */
  readonly parameters?: Record<string, string>;
  /** Requests and limits of the PgBouncer container. @default - cpu 100m/500m, memory 64Mi/128Mi, ephemeral storage 64Mi/256Mi (request/limit) */
  readonly resources?: ContainerResources;
}

const DEFAULT_POOLER_RESOURCES: ContainerResources = {
  cpu: { request: Cpu.millis(100), limit: Cpu.millis(500) },
  memory: { request: Size.mebibytes(64), limit: Size.mebibytes(128) },
  ephemeralStorage: { request: Size.mebibytes(64), limit: Size.mebibytes(256) },
};

/**
 * Where a database's pooler runs and whom it talks to.
 * @internal
 */
export interface PoolerContext {
  /** Name of the Cluster the pooler serves. */
  readonly cluster: string;
  /** Name, namespace and labels of the pooler's objects. */
  readonly metadata: { readonly name: string; readonly namespace: string; readonly labels: Record<string, string> };
  /** The cluster's instance pods, which the pooler connects to. */
  readonly instances: NetworkPeer;
  /** Where the Kubernetes API server answers. */
  readonly kubernetesApi: { readonly peer: NetworkPeer; readonly port: number };
  /** What renders the egress a NetworkPolicy cannot express (the API server, for Cilium). @default - the NetworkPolicy alone */
  readonly egressEngine?: EgressEngine;
  /** Node pool of the pooler pods. */
  readonly nodePool?: NodePool;
  /** Where the pooler resolves names. */
  readonly dns: ClusterDns;
  /** Registry credentials of the PgBouncer pods. */
  readonly imagePullSecrets?: readonly IRegistryCredentials[];
  /** Annotations of the PgBouncer pods (a log collector's). */
  readonly podAnnotations: Record<string, string>;
  /** The Prometheus that scrapes the pooler's metrics, and how often; unset when monitoring is off. */
  readonly monitoring?: { readonly prometheus: Prometheus; readonly interval: string };
}

/**
 * Checks the pooler's instances (the `postgres-pooler-ha` guardrail asks for 2 in production) and resources.
 * @internal
 */
export function checkPooler(scope: IConstruct, options: PostgresPoolerOptions): void {
  Kind.object('a PostgresPoolerOptions object', {
    instances: Kind.NUMBER.optional(),
    poolMode: Kind.oneOf(PgBouncerPoolMode, 'a PgBouncerPoolMode').optional(),
    parameters: Kind.record(Kind.STRING).optional(),
    resources: RESOURCES_KIND.optional(),
  }).check(scope, 'pooler', options);
  checkInteger(scope, 'pooler.instances', options.instances ?? 2, 1, INT32_MAX);
  for (const key of Object.keys(options.parameters ?? {})) {
    check(PGBOUNCER_PARAMETERS.has(key), scope, `pooler.parameters.${key}`, key,
      'is not a PgBouncer setting the operator lets you set: CloudNativePG refuses the Pooler (see its connection pooling documentation for the list)');
  }
  checkResources(scope, 'pooler.resources', options.resources ?? DEFAULT_POOLER_RESOURCES);
}

/**
 * The PgBouncer settings CloudNativePG 1.30 lets a Pooler set; its webhook refuses any other
 * (`internal/webhook/v1/pooler_webhook.go`, AllowedPgbouncerGenericConfigurationParameters).
 */
const PGBOUNCER_PARAMETERS = new Set([
  'application_name_add_host', 'auth_type', 'autodb_idle_timeout', 'cancel_wait_timeout', 'client_idle_timeout', 'client_login_timeout',
  'client_tls_ciphers', 'client_tls_sslmode', 'client_tls13_ciphers', 'default_pool_size', 'disable_pqexec', 'dns_max_ttl', 'dns_nxdomain_ttl',
  'idle_transaction_timeout', 'ignore_startup_parameters', 'listen_backlog', 'log_connections', 'log_disconnections', 'log_pooler_errors',
  'log_stats', 'max_client_conn', 'max_db_connections', 'max_packet_size', 'max_prepared_statements', 'max_user_connections', 'min_pool_size',
  'pkt_buf', 'query_timeout', 'query_wait_timeout', 'reserve_pool_size', 'reserve_pool_timeout', 'sbuf_loopcnt', 'server_check_delay',
  'server_check_query', 'server_connect_timeout', 'server_fast_close', 'server_idle_timeout', 'server_lifetime', 'server_login_retry',
  'server_reset_query', 'server_reset_query_always', 'server_round_robin', 'server_tls_ciphers', 'server_tls13_ciphers', 'server_tls_protocols',
  'server_tls_sslmode', 'stats_period', 'suspend_timeout', 'tcp_defer_accept', 'tcp_socket_buffer', 'tcp_keepalive', 'tcp_keepcnt',
  'tcp_keepidle', 'tcp_keepintvl', 'tcp_user_timeout', 'track_extra_parameters', 'verbose',
]);

/**
 * A PgBouncer Pooler in front of the primary, spread over hosts and zones, with a disruption budget
 * when it runs several pods, a NetworkPolicy that lets it reach the instances, DNS and the API
 * server, and a PodMonitor. The children belong to `scope` (the database).
 * @internal
 */
export function addPooler(scope: Construct, options: PostgresPoolerOptions, context: PoolerContext): { pooler: Pooler; networkPolicy: NetworkPolicyRules; peer: NetworkPeer } {
  const { metadata } = context;
  const instances = options.instances ?? 2;
  const podLabels = { [POOLER_NAME_LABEL]: metadata.name };
  const pooler = new Pooler(scope, 'Pooler', {
    metadata,
    spec: {
      cluster: { name: context.cluster },
      instances,
      type: PoolerSpecType.RW,
      pgbouncer: {
        poolMode: options.poolMode === PgBouncerPoolMode.TRANSACTION ? PoolerSpecPgbouncerPoolMode.TRANSACTION : PoolerSpecPgbouncerPoolMode.SESSION,
        parameters: options.parameters,
      },
      template: {
        metadata: { labels: podLabels, annotations: Object.keys(context.podAnnotations).length > 0 ? context.podAnnotations : undefined },
        spec: {
          imagePullSecrets: imagePullSecretsOf(context.imagePullSecrets),
          // The operator fills in the rest of its pgbouncer container; only the resources are ours.
          containers: [{
            name: 'pgbouncer',
            resources: renderResources(options.resources ?? DEFAULT_POOLER_RESOURCES, PoolerSpecTemplateSpecContainersResourcesRequests.fromString,
              PoolerSpecTemplateSpecContainersResourcesLimits.fromString),
          }],
          ...nodePoolPlacement(context.nodePool),
          affinity: { podAntiAffinity: hostAntiAffinity(podLabels, SpreadPolicy.PREFERRED) },
          topologySpreadConstraints: [zoneSpread(podLabels, SpreadPolicy.PREFERRED)],
        },
      },
    },
  });
  if (instances > 1) {
    addDisruptionBudget(scope, 'PoolerDisruptionBudget', metadata, podLabels, 1);
  }
  const networkPolicy = new NetworkPolicyRules(scope, 'PoolerNetworkPolicy', {
    name: metadata.name,
    namespace: metadata.namespace,
    labels: metadata.labels,
    podSelector: podLabels,
    egressEngine: context.egressEngine,
  });
  // The cluster's ingress rule for its own pods on 5432 already admits the pooler, which carries the cluster label.
  networkPolicy.allowEgress(context.instances, [{ port: POSTGRES_PORT }]);
  context.dns.allowFrom(networkPolicy);
  networkPolicy.allowKubernetesApi(context.kubernetesApi.peer, context.kubernetesApi.port);
  if (context.monitoring) {
    const { prometheus, interval } = context.monitoring;
    new PodMonitor(scope, 'PoolerPodMonitor', {
      metadata: { ...metadata, labels: selectedLabels(prometheus, metadata.labels) },
      spec: podMonitorSpec(podLabels, metadata.namespace, interval),
    });
    admitScraper(networkPolicy, prometheus, [{ port: POOLER_METRICS_PORT }]);
  }
  return { pooler, networkPolicy, peer: NetworkPeer.pods(podLabels, metadata.namespace) };
}
