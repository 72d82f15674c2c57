import { Duration, Size } from 'cdk8s';
import { Cpu, k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { PrometheusRule, ServiceMonitor } from '../../imports/monitoring.coreos.com';
import { Redis, RedisReplication, RedisSentinel } from '../../imports/redis.redis.opstreelabs.in';
import { check } from '../core/errors';
import { Kinds, checkProps } from '../core/kinds';
import { recommendedLabels } from '../core/labels';
import { nameFromId, resolveNamespace } from '../core/names';
import { Prerequisite } from '../core/prerequisites';
import { keepOnPrune } from '../core/protection';
import { checkDnsLabel, checkInteger, checkLabels } from '../core/validate';
import { checkRunbookBaseUrl } from '../monitoring/alerting';
import { LogCollection, LogFormat } from '../monitoring/log-collection';
import { Prometheus, checkPrometheus } from '../monitoring/prometheus';
import { checkNetworkPeer } from '../network/_checks';
import { ClusterDns, checkClusterDns } from '../network/cluster-dns';
import { NetworkPeer } from '../network/network-peer';
import { NetworkPolicyRules } from '../network/network-policy-rules';
import { addDisruptionBudget } from '../workload/_pod-template';
import { Image } from '../workload/image';
import { NodePool, SpreadPolicy } from '../workload/placement';
import { ContainerResources, checkResources } from '../workload/resources';
import { IRegistryCredentials, checkRegistryCredentials, imagePullSecretsOf } from '../workload/registry-credentials';
import { IConnectable, IWorkload } from '../workload/workload';
import { CeleryDatabases, bindRedisConnection, celeryDatabases } from './_connection';
import { HA_REDIS_KINDS } from './_ha-redis-checks';
import { addRedisPolicies } from './_network';
import {
  DEFAULT_EXPORTER_IMAGE, DEFAULT_REDIS_IMAGE, DEFAULT_SENTINEL_IMAGE, MASTER_GROUP, OPERATOR_PODS, REDIS_PORT, SENTINEL_PORT, nodeLabels, sentinelLabels,
} from './_operator';
import { declareRedisPrerequisites } from './_prerequisites';
import { NodeSettings, replicationSpec, sentinelSpec, standaloneSpec } from './_specs';
import { CeleryConnectionOptions, IRedis, RedisSentinelEndpoint } from './redis-connection';
import { RedisMonitoringOptions, addRedisMonitoring } from './redis-monitoring';
import { PasswordSecret, RedisPassword } from './redis-password';
import { RedisPersistence } from './redis-persistence';

/** Props of a {@link HaRedis}. */
export interface HaRedisProps {
  /**
   * Whether the data is kept on a volume: `RedisPersistence.appendOnly({ size })`, or `RedisPersistence.none()`, which
   * loses the queue on every restart (the `redis-persistence` guardrail fails it in production).
   */
  readonly persistence: RedisPersistence;
  /** Name of the Redis custom resources and prefix of what the operator creates for them. @default - the construct id in kebab-case */
  readonly name?: string;
  /** Namespace of every object. @default - the namespace of the chart */
  readonly namespace?: string;
  /** The application this is part of (`app.kubernetes.io/part-of`). @default - no part-of label */
  readonly partOf?: string;
  /**
   * Redis nodes. 1 runs a single `Redis` (development); 2 or more a `RedisReplication`, one master and replicas,
   * watched by Sentinels. Production needs at least 3 (guardrail `redis-ha`).
   * @default 3
   */
  readonly nodes?: number;
  /**
   * Sentinels watching a replication, an odd number: a majority of them (the quorum) must agree that the master is
   * down before they promote a replica. Production needs at least 3 (guardrail `redis-failover`).
   * @default 3 with more than one node; none for a single node
   */
  readonly sentinels?: number;
  /** Where the password comes from; nodes, Sentinels and clients share it. @default RedisPassword.generated() */
  readonly password?: RedisPassword;
  /** Redis image, pinned. @default Image.pinned('quay.io/opstree/redis', 'v7.0.15') */
  readonly image?: Image;
  /** Sentinel image, pinned. @default Image.pinned('quay.io/opstree/redis-sentinel', 'v7.0.15') */
  readonly sentinelImage?: Image;
  /** redis_exporter image, pinned. @default Image.pinned('quay.io/opstree/redis-exporter', 'v1.44.0') */
  readonly exporterImage?: Image;
  /** Requests and limits of each node. @default - cpu 100m/500m, memory 128Mi/256Mi (the Aileron guide's table), ephemeral storage 64Mi/256Mi */
  readonly resources?: ContainerResources;
  /** Requests and limits of each Sentinel. @default - cpu 50m/200m, memory 64Mi/64Mi, ephemeral storage 32Mi/128Mi */
  readonly sentinelResources?: ContainerResources;
  /** Requests and limits of each exporter. @default - cpu 25m/100m, memory 32Mi/64Mi, ephemeral storage 16Mi/64Mi */
  readonly exporterResources?: ContainerResources;
  /**
   * Share of a node's memory limit, in percent, Redis may fill with data (`maxmemory`); the rest is for connections
   * and the copy-on-write of append-only file rewrites. At the limit Redis refuses writes instead of evicting tasks.
   * @default 75
   */
  readonly maxMemoryPercent?: number;
  /** Prometheus scraping and alerts. @default - exporters, a ServiceMonitor and alerts for the Prometheus of `Prometheus.kubePrometheusStack()` */
  readonly monitoring?: RedisMonitoringOptions;
  /** Where the pods resolve names: their NetworkPolicies admit DNS to it. Give the namespace baseline's value. @default ClusterDns.kubeDns() */
  readonly dns?: ClusterDns;
  /**
   * The Redis Operator's pods: the NetworkPolicies admit them to Redis and Sentinel.
   * @default NetworkPeer.podsInNamespaces({ name: 'redis-operator' }, { 'kubernetes.io/metadata.name': 'ot-operators' })
   */
  readonly operator?: NetworkPeer;
  /** Node pool the pods run on. @default - any node */
  readonly nodePool?: NodePool;
  /** How nodes and Sentinels are spread over zones; hosts are always distinct (required anti-affinity). @default SpreadPolicy.PREFERRED */
  readonly zoneSpread?: SpreadPolicy;
  /**
   * Credentials of the registries the images come from (a private registry, a mirror), which the operator puts on every
   * pod (`kubernetesConfig.imagePullSecrets`); kept on prune with a kept Redis, which pulls them again on every restart.
   * @default - none: anonymous pulls
   */
  readonly imagePullSecrets?: IRegistryCredentials[];
  /** The stage's log collection: Redis, Sentinel and the exporter write plain text lines to standard output. @default - none declared */
  readonly logs?: LogCollection;
}

const DEFAULT_RESOURCES: ContainerResources = {
  cpu: { request: Cpu.millis(100), limit: Cpu.millis(500) },
  memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) },
  ephemeralStorage: { request: Size.mebibytes(64), limit: Size.mebibytes(256) },
};
const DEFAULT_SENTINEL_RESOURCES: ContainerResources = {
  cpu: { request: Cpu.millis(50), limit: Cpu.millis(200) },
  memory: { request: Size.mebibytes(64), limit: Size.mebibytes(64) },
  ephemeralStorage: { request: Size.mebibytes(32), limit: Size.mebibytes(128) },
};
const DEFAULT_EXPORTER_RESOURCES: ContainerResources = {
  cpu: { request: Cpu.millis(25), limit: Cpu.millis(100) },
  memory: { request: Size.mebibytes(32), limit: Size.mebibytes(64) },
  ephemeralStorage: { request: Size.mebibytes(16), limit: Size.mebibytes(64) },
};
/** The containers of the operator's pods, as the stage's log collector sees them. */
const CONTAINERS = ['redis', 'sentinel', 'redis-exporter', 'init-config'];

/**
 * Redis that survives a node loss, for a task queue and a cache, run by the Redis Operator of OT-CONTAINER-KIT
 * v0.26: a `RedisReplication` (a master and replicas on distinct hosts, spread over zones) watched by a
 * `RedisSentinel` with a majority quorum, or a single `Redis` in development; a password from a Secret the manifests
 * produce, the append-only file on volumes kept when the resources are deleted or pruned, Pod Security `restricted`
 * with read-only root filesystems, disruption budgets, redis_exporter with a ServiceMonitor and alerts, and
 * NetworkPolicies that open exactly what the operator, the nodes, the Sentinels, the scraper and the clients use.
 *
 * Inside the cluster the traffic is not encrypted: the operator's TLS for replications needs its alpha feature gate,
 * Sentinel hands clients the master's pod address, which no certificate names, and nothing in v0.26 tests it.
 * The NetworkPolicies keep ports 6379 and 26379 to the pods that need them.
 *
 * @see https://redis-operator.opstree.dev/docs/
 */
export class HaRedis extends Construct implements IRedis {
  /** Name of the Redis resources. */
  public readonly name: string;
  /** Namespace of every object. */
  public readonly namespace: string;
  /** Redis nodes. */
  public readonly nodes: number;
  /** Host of the master, for clients that do not speak Sentinel: the operator's `<name>-master` Service (a single node's `<name>`). */
  public readonly host: string;
  /** Port of Redis. */
  public readonly port: number = REDIS_PORT;
  /** Always false: see the class documentation. */
  public readonly tls = false;
  /** Where clients ask the Sentinels for the master, with a replication. */
  public readonly sentinel?: RedisSentinelEndpoint;
  /** The Secret and key of the password. */
  public readonly password: PasswordSecret;
  /** The Redis pods as a NetworkPolicy peer. */
  public readonly peer: NetworkPeer;
  /** The `Redis` (one node) or the `RedisReplication`. */
  public readonly resource: Redis | RedisReplication;
  /** The `RedisSentinel`, with a replication. */
  public readonly sentinelResource?: RedisSentinel;
  /** The NetworkPolicy of the Redis pods. */
  public readonly networkPolicy: NetworkPolicyRules;
  /** The NetworkPolicy of the Sentinel pods, with a replication. */
  public readonly sentinelNetworkPolicy?: NetworkPolicyRules;
  /** The ServiceMonitor of the exporters, when monitoring is on. */
  public readonly serviceMonitor?: ServiceMonitor;
  /** The alerts, when monitoring is on. */
  public readonly alerts?: PrometheusRule;

  private readonly sentinelPeer?: NetworkPeer;

  public constructor(scope: Construct, id: string, props: HaRedisProps) {
    super(scope, id);
    checkProps(this, props, HA_REDIS_KINDS satisfies Kinds<HaRedisProps>, 'HaRedisProps');
    this.name = props.name ?? nameFromId(id);
    this.namespace = resolveNamespace(this, 'HaRedis', props.namespace);
    this.nodes = props.nodes ?? 3;
    const sentinels = props.sentinels ?? (this.nodes > 1 ? 3 : 0);
    const password = props.password ?? RedisPassword.generated();
    const monitoring = props.monitoring ?? {};
    const monitored = monitoring.enabled ?? true;
    const pullSecrets = props.imagePullSecrets ?? [];
    this.checkValues(props, sentinels, password);

    const labels = recommendedLabels({ name: this.name, instance: this.name, component: 'cache', partOf: props.partOf });
    const metadata = { name: this.name, namespace: this.namespace, labels };
    const volume = props.persistence.volume;
    const keep = volume !== undefined;
    const replicated = this.nodes > 1;
    this.password = password.bind(this, metadata, keep);
    pullSecrets.forEach((credentials) => {
      // A kept Redis pulls its images again whenever a pod restarts (its password is kept by `bind`).
      if (keep) {
        credentials.keepOnPrune();
      }
      this.node.addDependency(credentials);
    });
    // The operator's pods run as the namespace's default ServiceAccount unless told otherwise, with its API token:
    // neither Redis nor the init-config agent calls the API server (internal/agent/bootstrap).
    new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata, automountServiceAccountToken: false });
    const exporterImage = props.exporterImage ?? DEFAULT_EXPORTER_IMAGE;
    const exporterResources = props.exporterResources ?? DEFAULT_EXPORTER_RESOURCES;
    const exporter = monitored ? { image: exporterImage, resources: exporterResources } : undefined;
    const shared = { password: this.password, imagePullSecrets: imagePullSecretsOf(pullSecrets), serviceAccountName: this.name, exporter, nodePool: props.nodePool };
    const node: NodeSettings = {
      ...shared,
      name: this.name,
      image: props.image ?? DEFAULT_REDIS_IMAGE,
      resources: props.resources ?? DEFAULT_RESOURCES,
      volume,
      maxMemoryPercent: props.maxMemoryPercent ?? 75,
    };
    const spread = props.zoneSpread ?? SpreadPolicy.PREFERRED;
    const nodeSelector = nodeLabels(this.name, replicated ? 'replication' : 'standalone');
    this.resource = replicated
      ? new RedisReplication(this, 'Resource', { metadata, spec: replicationSpec(node, this.nodes, nodeSelector, spread) })
      : new Redis(this, 'Resource', { metadata, spec: standaloneSpec(node) });
    const quorum = Math.floor(sentinels / 2) + 1;
    if (sentinels > 0) {
      this.sentinelResource = new RedisSentinel(this, 'Sentinel', {
        metadata,
        spec: sentinelSpec({
          ...shared, name: this.name, count: sentinels, quorum, spread,
          image: props.sentinelImage ?? DEFAULT_SENTINEL_IMAGE, resources: props.sentinelResources ?? DEFAULT_SENTINEL_RESOURCES,
        }),
      });
      this.sentinel = { host: `${this.name}-sentinel.${this.namespace}.svc`, port: SENTINEL_PORT, masterName: MASTER_GROUP };
    }
    if (keep) {
      keepOnPrune(this.resource);
    }
    this.host = `${replicated ? `${this.name}-master` : this.name}.${this.namespace}.svc`;

    const operator = props.operator ?? OPERATOR_PODS;
    const policies = addRedisPolicies(this, {
      name: this.name, namespace: this.namespace, labels, dns: props.dns ?? ClusterDns.kubeDns(), operator,
      setup: replicated ? 'replication' : 'standalone',
      nodes: { app: nodeSelector.app, redis_setup_type: nodeSelector.redis_setup_type },
      sentinels: sentinels > 0 ? sentinelLabels(this.name) : undefined,
    });
    this.networkPolicy = policies.nodes;
    this.peer = policies.nodePeer;
    this.sentinelNetworkPolicy = policies.sentinels;
    this.sentinelPeer = policies.sentinelPeer;
    if (replicated) {
      addDisruptionBudget(this, 'DisruptionBudget', metadata, { app: this.name, role: 'replication' }, 1);
    }
    if (sentinels > 1) {
      addDisruptionBudget(this, 'SentinelDisruptionBudget', { ...metadata, name: `${this.name}-sentinel` }, { app: `${this.name}-sentinel`, role: 'sentinel' }, 1);
    }
    declareRedisPrerequisites(this, { volume, operator: replicated ? operator : undefined });
    if (props.logs !== undefined) {
      Prerequisite.declare(this, ...props.logs.prerequisites(LogFormat.TEXT));
    }

    if (monitored) {
      const watched = addRedisMonitoring(this, monitoring, {
        prometheus: monitoring.prometheus ?? Prometheus.kubePrometheusStack(),
        metadata,
        apps: sentinels > 0 ? [this.name, `${this.name}-sentinel`] : [this.name],
        policies: [policies.nodes, ...policies.sentinels !== undefined ? [policies.sentinels] : []],
        interval: monitoring.interval ?? Duration.seconds(30),
        alerts: { nodes: this.nodes, sentinels: sentinels > 0 ? { count: sentinels, quorum } : undefined, memoryUsagePercent: monitoring.memoryUsagePercent ?? 90 },
      });
      this.serviceMonitor = watched.serviceMonitor;
      this.alerts = watched.alerts;
    }
  }

  /**
   * Gives `workload` its connection and opens exactly its path: its pods to the Redis pods on 6379 and, with
   * Sentinels, to the Sentinel pods on 26379 (Sentinel answers with the master's pod address, so clients connect to
   * the pods, not to a Service). The settings are environment variables without credentials; the password is the
   * read-only file `/var/run/secrets/redis/<name>/password` that `REDIS_PASSWORD_FILE` names, for Redis and Sentinel alike.
   */
  public grantConnection(workload: IWorkload): void {
    this.connect(workload, undefined);
  }

  /**
   * The connection of a Celery app: what `grantConnection` gives, plus `CELERY_BROKER_URL` and `CELERY_RESULT_BACKEND`
   * without the password (`sentinel://<name>-sentinel.<namespace>.svc:26379/<db>` with Sentinels). The app sets Celery's
   * `broker_password` and `redis_password` to the file's content and, with Sentinels, `broker_transport_options` and
   * `result_backend_transport_options` to `{ master_name: $REDIS_SENTINEL_MASTER, sentinel_kwargs: { password } }`.
   */
  public celery(options: CeleryConnectionOptions = {}): IConnectable {
    const databases = celeryDatabases(this, options);
    return { grantConnection: (workload) => this.connect(workload, databases) };
  }

  private connect(workload: IWorkload, celery: CeleryDatabases | undefined): void {
    check(workload.namespace === this.namespace, workload, 'connectTo', this.node.path,
      `must be in the namespace of the Redis '${this.namespace}': the password Secret is namespaced`);
    this.networkPolicy.allowIngress(workload.peer, [{ port: REDIS_PORT }]);
    workload.allowTo(this.peer, [{ port: REDIS_PORT }]);
    if (this.sentinelNetworkPolicy !== undefined && this.sentinelPeer !== undefined) {
      this.sentinelNetworkPolicy.allowIngress(workload.peer, [{ port: SENTINEL_PORT }]);
      workload.allowTo(this.sentinelPeer, [{ port: SENTINEL_PORT }]);
    }
    bindRedisConnection(workload, {
      name: this.name, host: this.host, port: this.port, tls: this.tls, sentinel: this.sentinel,
      password: { secretName: this.password.name, key: this.password.key },
    }, celery);
  }

  /** Checks every prop before any object is created. */
  private checkValues(props: HaRedisProps, sentinels: number, password: RedisPassword): void {
    // The operator names the Sentinels' StatefulSet `<name>-sentinel`, whose pods carry a revision label of at most 63
    // characters (kubernetes#64023), and their Service `<name>-sentinel-additional`.
    checkDnsLabel(this, 'name', this.name, 43);
    if (props.partOf !== undefined) {
      checkLabels(this, 'partOf', { 'app.kubernetes.io/part-of': props.partOf });
    }
    for (const [prop, image] of Object.entries({ image: props.image, sentinelImage: props.sentinelImage, exporterImage: props.exporterImage })) {
      const problem = image?.problem();
      check(problem === undefined, this, prop, image?.reference, problem ?? '');
    }
    checkInteger(this, 'nodes', this.nodes, 1);
    if (this.nodes === 1) {
      check(props.sentinels === undefined || props.sentinels === 0, this, 'sentinels', props.sentinels,
        'must be unset with a single node: Sentinels watch a replication of two or more nodes');
    } else {
      checkInteger(this, 'sentinels', sentinels, 1);
      check(sentinels % 2 === 1, this, 'sentinels', sentinels,
        'must be odd: a majority of an even number survives no more losses than one Sentinel fewer, and the operator\'s webhook refuses it');
    }
    for (const [prop, value] of Object.entries({ resources: props.resources, sentinelResources: props.sentinelResources, exporterResources: props.exporterResources })) {
      if (value !== undefined) {
        checkResources(this, prop, value);
      }
    }
    checkInteger(this, 'maxMemoryPercent', props.maxMemoryPercent ?? 75, 10, 95);
    props.persistence.check(this, 'persistence');
    password.check(this, this.namespace);
    checkRegistryCredentials(this, 'imagePullSecrets', props.imagePullSecrets ?? [], this.namespace);
    props.logs?.check(this, 'logs', CONTAINERS, LogFormat.TEXT);
    if (props.operator !== undefined) {
      checkNetworkPeer(this, 'operator', props.operator);
    }
    props.nodePool?.check(this, 'nodePool');
    const monitoring = props.monitoring ?? {};
    checkInteger(this, 'monitoring.memoryUsagePercent', monitoring.memoryUsagePercent ?? 90, 1, 99);
    if (monitoring.runbookBaseUrl !== undefined) {
      checkRunbookBaseUrl(this, 'monitoring.runbookBaseUrl', monitoring.runbookBaseUrl);
    }
    if (monitoring.prometheus !== undefined) {
      checkPrometheus(this, 'monitoring.prometheus', monitoring.prometheus);
    }
    if (monitoring.interval !== undefined) {
      checkInteger(this, 'monitoring.interval', monitoring.interval.toSeconds({ integral: false }), 1);
    }
    if (props.dns !== undefined) {
      checkClusterDns(this, 'dns', props.dns);
    }
  }
}
