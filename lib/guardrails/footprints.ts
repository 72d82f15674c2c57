import { groupOf, identityOf } from './identity';
import { GuardrailObject, ObjectIndex } from './objects';
import { BARMAN_CLOUD_PLUGIN } from './producers';
import { parseQuantity } from './quantity';

/** A container as a ResourceQuota counts it: its resources, and when it runs. */
export interface QuotaContainer {
  /** Name, for messages. */
  readonly name: string;
  /** `resources` of the container spec (requests and limits), as written. */
  readonly resources: any;
  /** `app` (spec.containers), `init` (runs to completion before them) or `sidecar` (an init container with restartPolicy Always). */
  readonly phase: 'app' | 'init' | 'sidecar';
}

/** Pods of one kind that run at the same time when a workload is at its largest. */
export interface PodGroup {
  /** How many. */
  readonly count: number;
  /** How the count comes about: `10 (autoscaler maximum) + 1 surge`, `3 instances`. */
  readonly why: string;
  /** What the pods are when they are not the object's own: `initdb or join job`, `ACME HTTP-01 solver`. */
  readonly what?: string;
  /** The containers of each pod. */
  readonly containers: readonly QuotaContainer[];
  /** Groups with the same key do not run together: only the largest counts (one ACME order at a time). */
  readonly oneAtATime?: string;
}

/** PersistentVolumeClaims a workload makes. */
export interface ClaimGroup {
  /** How many. */
  readonly count: number;
  /** How the count comes about: `3 instances x (data + WAL)`. */
  readonly why: string;
  /** Storage they request together, in bytes. */
  readonly storage: number;
}

/** What an object of the app makes a namespace hold at its largest: pods and claims. */
export interface Footprint {
  /** Pods. */
  readonly pods: readonly PodGroup[];
  /** PersistentVolumeClaims. */
  readonly claims: readonly ClaimGroup[];
}

const NONE: Footprint = { pods: [], claims: [] };

/** The containers of a pod spec; ephemeral containers have no resources and the quota does not count them. */
function containersOf(spec: any): QuotaContainer[] {
  return [
    ...((spec?.initContainers ?? []) as any[]).map((c): QuotaContainer => ({ name: c.name, resources: c.resources ?? {}, phase: c.restartPolicy === 'Always' ? 'sidecar' : 'init' })),
    ...((spec?.containers ?? []) as any[]).map((c): QuotaContainer => ({ name: c.name, resources: c.resources ?? {}, phase: 'app' })),
  ];
}

/**
 * Pods a rolling update adds: `maxSurge` of `replicas`, a percentage rounded up, 25 % when unset, none
 * for Recreate (kubernetes pkg/controller/deployment/util/deployment_util.go, ResolveFenceposts).
 */
function surge(strategy: any, replicas: number): number {
  if (strategy?.type === 'Recreate') {
    return 0;
  }
  const maxSurge = strategy?.rollingUpdate?.maxSurge ?? '25%';
  return typeof maxSurge === 'string' && maxSurge.endsWith('%') ? Math.ceil((Number(maxSurge.slice(0, -1)) * replicas) / 100) : Number(maxSurge);
}

/** Replicas at the largest: the autoscaler's maximum when one scales the object, else `spec.replicas`. */
function largest(o: GuardrailObject, index: ObjectIndex): { replicas: number; why: string } {
  const autoscaler = index.autoscalerOf(o);
  return autoscaler !== undefined
    ? { replicas: autoscaler.manifest.spec?.maxReplicas ?? 1, why: ' at the autoscaler\'s maximum' }
    : { replicas: o.manifest.spec?.replicas ?? 1, why: '' };
}

/** Storage a claim spec requests, in bytes. */
function requested(spec: any): number {
  return parseQuantity(spec?.resources?.requests?.storage) ?? 0;
}

/** A rolling Deployment (or CloudNativePG's pooler Deployment) at its largest, mid-rollout. */
function rolling(count: { replicas: number; why: string }, strategy: any, containers: QuotaContainer[]): PodGroup {
  const extra = surge(strategy, count.replicas);
  return { count: count.replicas + extra, why: `${count.replicas}${count.why}${extra > 0 ? ` + ${extra} surge` : ''}`, containers };
}

/**
 * The cert-manager ACME HTTP-01 solver: one pod per DNS name of an order, all at once, with the
 * controller's default resources (cert-manager v1.21.1 internal/apis/config/controller/v1alpha1/defaults.go:
 * requests 10m/64Mi, limits 100m/64Mi; pkg/issuer/acme/http/pod.go). Only one order counts at a time.
 */
function acmeSolvers(names: number): PodGroup {
  const resources = { requests: { cpu: '10m', memory: '64Mi' }, limits: { cpu: '100m', memory: '64Mi' } };
  return {
    count: names, why: `${names} DNS name${names === 1 ? '' : 's'}`, what: 'ACME HTTP-01 solver', oneAtATime: 'acme-http01-solver',
    containers: [{ name: 'acmesolver', resources, phase: 'app' }],
  };
}

/** Whether the issuer cert-manager uses for `o` solves ACME HTTP-01 challenges: so its spec says, or, when the cluster provides it, possibly. */
function solvesHttp01(o: GuardrailObject, index: ObjectIndex, kind: string, name: string): boolean {
  const issuer = index.producersOf(identityOf('cert-manager.io', kind, o.namespace, name))[0]?.source;
  return issuer === undefined || ((issuer.manifest.spec?.acme?.solvers ?? []) as any[]).some((s) => s.http01 !== undefined);
}

/**
 * A CloudNativePG 1.30 Cluster: its instances (postgres and the bootstrap-controller init container, both
 * with `spec.resources`, pkg/specs/pods.go and containers.go; the Barman Cloud plugin's native sidecar with its
 * ObjectStore's `instanceSidecarConfiguration.resources`, plugin-barman-cloud v0.14.0 lifecycle.go), one
 * initdb or join job at a time (pkg/specs/jobs.go: `spec.resources`; the plugin leaves these jobs alone), and
 * per instance a data claim, a WAL claim and one per tablespace.
 */
function cnpgCluster(o: GuardrailObject, index: ObjectIndex): Footprint {
  const spec = o.manifest.spec ?? {};
  const instances = spec.instances ?? 1;
  const resources = spec.resources ?? {};
  const postgres: QuotaContainer[] = [{ name: 'bootstrap-controller', resources, phase: 'init' }, { name: 'postgres', resources, phase: 'app' }];
  const sidecars = ((spec.plugins ?? []) as any[]).filter((p) => p.name === BARMAN_CLOUD_PLUGIN && p.enabled !== false).map((p): QuotaContainer => {
    const store = index.producersOf(identityOf('barmancloud.cnpg.io', 'ObjectStore', o.namespace, p.parameters?.barmanObjectName ?? ''))[0]?.source;
    return { name: 'plugin-barman-cloud', resources: store?.manifest.spec?.instanceSidecarConfiguration?.resources ?? {}, phase: 'sidecar' };
  });
  const volumes: Array<[string, any]> = [
    ['data', spec.storage],
    ...spec.walStorage !== undefined ? [['WAL', spec.walStorage] as [string, any]] : [],
    ...((spec.tablespaces ?? []) as any[]).map((t): [string, any] => [`tablespace ${t.name}`, t.storage]),
  ];
  const size = (storage: any) => parseQuantity(storage?.size ?? storage?.pvcTemplate?.resources?.requests?.storage) ?? 0;
  return {
    pods: [
      { count: instances, why: `${instances} instance${instances === 1 ? '' : 's'}`, containers: [...postgres, ...sidecars] },
      { count: 1, why: '1 at a time', what: 'initdb or join job', containers: postgres },
    ],
    claims: [{
      count: instances * volumes.length,
      why: `${instances} x (${volumes.map(([what]) => what).join(' + ')})`,
      storage: instances * volumes.reduce((sum, [, storage]) => sum + size(storage), 0),
    }],
  };
}

/**
 * A CloudNativePG Pooler: a Deployment of `instances` PgBouncer pods, rolled with its `deploymentStrategy`
 * (Kubernetes' default when unset); the pgbouncer container has the template's resources, the
 * bootstrap-controller init container the template's pod-level `resources` (pkg/specs/pgbouncer/deployments.go,
 * api/v1/pooler_funcs.go GetResourcesRequirements), or, like any container without values, the LimitRange's.
 */
function cnpgPooler(o: GuardrailObject): Footprint {
  const spec = o.manifest.spec ?? {};
  const template = spec.template?.spec ?? {};
  const containers = containersOf(template);
  const pgbouncer = containers.some((c) => c.name === 'pgbouncer') ? [] : [{ name: 'pgbouncer', resources: {}, phase: 'app' } as const];
  return {
    pods: [rolling({ replicas: spec.instances ?? 1, why: '' }, spec.deploymentStrategy,
      [{ name: 'bootstrap-controller', resources: template.resources ?? {}, phase: 'init' }, ...containers, ...pgbouncer])],
    claims: [],
  };
}

/**
 * The containers of a Redis Operator v0.26.0 pod (internal/k8sutils/statefulset.go): the `init-config` init container
 * of the GenerateConfigInInitContainer feature gate, with the main container's resources (generateInitContainerDef),
 * a user init container when enabled, the Redis or Sentinel container (`kubernetesConfig.resources`), the exporter
 * (`redisExporter.resources`) and the sidecars.
 */
function redisContainers(spec: any, main: string): QuotaContainer[] {
  const resources = spec.kubernetesConfig?.resources ?? {};
  return [
    { name: 'init-config', resources, phase: 'init' },
    ...spec.initContainer?.enabled === true ? [{ name: 'init', resources: spec.initContainer.resources ?? {}, phase: 'init' } as const] : [],
    { name: main, resources, phase: 'app' },
    ...spec.redisExporter?.enabled === true ? [{ name: 'redis-exporter', resources: spec.redisExporter.resources ?? {}, phase: 'app' } as const] : [],
    ...((spec.sidecars ?? []) as any[]).map((c): QuotaContainer => ({ name: c.name, resources: c.resources ?? {}, phase: 'app' })),
  ];
}

/**
 * A Redis Operator `Redis` (one node) or `RedisReplication` (`clusterSize` nodes): the Redis pods, a claim per node
 * with a claim template, and a RedisReplication's embedded Sentinels (`spec.sentinel.size` pods with
 * `spec.sentinel.resources`, one container; redisreplication_sentinel.go). Its StatefulSets roll without surge.
 */
function redisNodes(o: GuardrailObject, replication: boolean): Footprint {
  const spec = o.manifest.spec ?? {};
  const nodes: number = replication ? spec.clusterSize ?? 1 : 1;
  const sentinels: number = replication ? spec.sentinel?.size ?? 0 : 0;
  const storage = requested(spec.storage?.volumeClaimTemplate?.spec);
  return {
    pods: [
      { count: nodes, why: `${nodes} node${nodes === 1 ? '' : 's'}`, containers: redisContainers(spec, 'redis') },
      ...sentinels > 0 ? [{
        count: sentinels, why: `${sentinels} embedded Sentinel${sentinels === 1 ? '' : 's'}`, what: 'embedded Sentinel',
        containers: [{ name: 'sentinel', resources: spec.sentinel.resources ?? {}, phase: 'app' } as const],
      }] : [],
    ],
    claims: spec.storage?.volumeClaimTemplate?.spec !== undefined ? [{ count: nodes, why: `${nodes} x 1 claim template`, storage: nodes * storage }] : [],
  };
}

type FootprintOf = (o: GuardrailObject, index: ObjectIndex) => Footprint;

/** A ReplicaSet or ReplicationController: its replicas, at the autoscaler's maximum when one scales it. */
function replicated(o: GuardrailObject, index: ObjectIndex): Footprint {
  const { replicas, why } = largest(o, index);
  return { pods: [{ count: replicas, why: `${replicas}${why}`, containers: containersOf(o.pod?.spec) }], claims: [] };
}

const SHIM_ISSUERS: ReadonlyArray<readonly [string, string]> = [['cert-manager.io/cluster-issuer', 'ClusterIssuer'], ['cert-manager.io/issuer', 'Issuer']];

/** The solvers of the largest certificate cert-manager's ingress-shim issues for an Ingress with an issuer annotation: one per host of a TLS entry. */
function ingressShimSolvers(o: GuardrailObject, index: ObjectIndex): Footprint {
  const [annotation, kind] = SHIM_ISSUERS.find(([key]) => o.annotations[key] !== undefined) ?? [];
  const names = Math.max(0, ...((o.manifest.spec?.tls ?? []) as any[]).map((tls) => (tls.hosts ?? []).length));
  return annotation !== undefined && kind !== undefined && names > 0 && solvesHttp01(o, index, kind, o.annotations[annotation])
    ? { pods: [acmeSolvers(names)], claims: [] } : NONE;
}

/**
 * What an object of each kind makes its namespace hold at its largest, by `group/Kind`: the table the
 * `quota-headroom` guardrail sums. A kind added to the library (a cache, a backup agent) adds its row.
 */
export const FOOTPRINTS: Readonly<Record<string, FootprintOf>> = {
  '/Pod': (o) => ({ pods: [{ count: 1, why: '1', containers: containersOf(o.pod?.spec) }], claims: [] }),
  'apps/Deployment': (o, index) => ({ pods: [rolling(largest(o, index), o.manifest.spec?.strategy, containersOf(o.pod?.spec))], claims: [] }),
  // A StatefulSet replaces its pods one by one, without surge.
  'apps/StatefulSet': (o, index) => {
    const { replicas, why } = largest(o, index);
    const templates = (o.manifest.spec?.volumeClaimTemplates ?? []) as any[];
    return {
      pods: [{ count: replicas, why: `${replicas}${why}`, containers: containersOf(o.pod?.spec) }],
      claims: templates.length === 0 ? [] : [{
        count: replicas * templates.length,
        why: `${replicas} x ${templates.length} claim template${templates.length === 1 ? '' : 's'}`,
        storage: replicas * templates.reduce((sum, t) => sum + requested(t.spec), 0),
      }],
    };
  },
  'apps/ReplicaSet': replicated,
  '/ReplicationController': replicated,
  // One run: `parallelism` pods at once (at most `completions`).
  'batch/Job': (o) => {
    const spec = o.manifest.spec ?? {};
    const pods = Math.min(spec.parallelism ?? 1, spec.completions ?? Infinity);
    return { pods: [{ count: pods, why: `${pods} (one run)`, containers: containersOf(o.pod?.spec) }], claims: [] };
  },
  // Forbid and Replace run one job at a time; Allow (the default) lets a run start before the last ends: two are counted.
  'batch/CronJob': (o) => {
    const spec = o.manifest.spec ?? {};
    const runs = spec.concurrencyPolicy === 'Forbid' || spec.concurrencyPolicy === 'Replace' ? 1 : 2;
    const parallelism = spec.jobTemplate?.spec?.parallelism ?? 1;
    const why = `${runs} run${runs === 1 ? '' : 's'} (concurrencyPolicy ${spec.concurrencyPolicy ?? 'Allow'})${parallelism > 1 ? ` x ${parallelism}` : ''}`;
    return { pods: [{ count: runs * parallelism, why, containers: containersOf(o.pod?.spec) }], claims: [] };
  },
  '/PersistentVolumeClaim': (o) => ({ pods: [], claims: [{ count: 1, why: '1', storage: requested(o.manifest.spec) }] }),
  'postgresql.cnpg.io/Cluster': cnpgCluster,
  'postgresql.cnpg.io/Pooler': (o) => cnpgPooler(o),
  'redis.redis.opstreelabs.in/Redis': (o) => redisNodes(o, false),
  'redis.redis.opstreelabs.in/RedisReplication': (o) => redisNodes(o, true),
  // clusterSize defaults to 3 (api/redissentinel/v1beta2/redissentinel_types.go).
  'redis.redis.opstreelabs.in/RedisSentinel': (o) => {
    const sentinels: number = o.manifest.spec?.clusterSize ?? 3;
    return { pods: [{ count: sentinels, why: `${sentinels} Sentinel${sentinels === 1 ? '' : 's'}`, containers: redisContainers(o.manifest.spec ?? {}, 'sentinel') }], claims: [] };
  },
  'networking.k8s.io/Ingress': ingressShimSolvers,
  'cert-manager.io/Certificate': (o, index) => {
    const issuer = o.manifest.spec?.issuerRef ?? {};
    const names = (o.manifest.spec?.dnsNames ?? []).length;
    return (issuer.group ?? 'cert-manager.io') === 'cert-manager.io' && names > 0 && solvesHttp01(o, index, issuer.kind ?? 'Issuer', issuer.name ?? '')
      ? { pods: [acmeSolvers(names)], claims: [] } : NONE;
  },
};

/** What `o` makes its namespace hold at its largest, or nothing for a kind {@link FOOTPRINTS} does not list. */
export function footprintOf(o: GuardrailObject, index: ObjectIndex): Footprint {
  return FOOTPRINTS[`${groupOf(o.manifest.apiVersion)}/${o.kind}`]?.(o, index) ?? NONE;
}
