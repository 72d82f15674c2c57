import { PodGroup, QuotaContainer, footprintOf } from '../footprints';
import { GuardrailObject, ObjectIndex } from '../objects';
import { formatBytes, formatCores, parseQuantity } from '../quantity';
import { GuardrailRule, RuleLevel, RuleSource } from '../rule';

/** Share of a quota that must stay free when every workload is at its largest. */
const HEADROOM = 0.1;
const COMPUTE = ['cpu', 'memory', 'ephemeral-storage'] as const;
type Compute = typeof COMPUTE[number];
/** The quota dimensions summed, with how their amounts read. */
const DIMENSIONS: Readonly<Record<string, (amount: number) => string>> = {
  'requests.cpu': formatCores,
  'limits.cpu': formatCores,
  'requests.memory': formatBytes,
  'limits.memory': formatBytes,
  'requests.ephemeral-storage': formatBytes,
  'limits.ephemeral-storage': formatBytes,
  'pods': String,
  'persistentvolumeclaims': String,
  'requests.storage': formatBytes,
};
const ORDER = Object.keys(DIMENSIONS);
/** Quota keys that are another name of a dimension (kubernetes pkg/quota/v1/evaluator/core/pods.go, persistent_volume_claims.go). */
const ALIASES: Readonly<Record<string, string>> = {
  'cpu': 'requests.cpu',
  'memory': 'requests.memory',
  'ephemeral-storage': 'requests.ephemeral-storage',
  'count/pods': 'pods',
  'count/persistentvolumeclaims': 'persistentvolumeclaims',
};
/** Dimensions every container must state (or a LimitRange give): the quota refuses a pod that does not (pods.go, validationSet). */
const REQUIRED = new Set(['requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory']);

/** What a LimitRange gives a container that states no value: `default` (limits) and `defaultRequest` (requests). */
interface Defaults {
  readonly requests: Readonly<Record<string, unknown>>;
  readonly limits: Readonly<Record<string, unknown>>;
}

/** One group of pods with what each pod counts for, per dimension. */
interface Counted {
  readonly label: string;
  readonly group: PodGroup;
  readonly perPod: Readonly<Record<string, number>>;
}

/** A namespace at its largest: every dimension's total with what it is made of, and the containers a quota would refuse. */
interface Usage {
  readonly totals: Readonly<Record<string, number>>;
  readonly parts: Readonly<Record<string, readonly string[]>>;
  /** Containers that state no value for a dimension every container needs, by where they are, with those dimensions. */
  readonly unstated: ReadonlyMap<string, ReadonlySet<string>>;
}

/**
 * A container's request or limit of `resource`, as admission leaves it: its own; for a request without one,
 * its limit (API defaulting); else the LimitRange's default (LimitRanger).
 */
function stated(container: QuotaContainer, kind: 'requests' | 'limits', resource: Compute, defaults: Defaults): number | undefined {
  const own = container.resources[kind]?.[resource] ?? (kind === 'requests' ? container.resources.limits?.[resource] : undefined);
  return parseQuantity(own ?? defaults[kind][resource] ?? (kind === 'requests' ? defaults.limits[resource] : undefined));
}

/**
 * What one pod counts for in `dimension`: the larger of its app containers and native sidecars together,
 * and of each init container with the sidecars started before it
 * (kubernetes staging/src/k8s.io/component-helpers/resource/helpers.go, PodRequests and PodLimits,
 * which the quota's pod evaluator uses).
 */
function podAmount(containers: readonly QuotaContainer[], value: (c: QuotaContainer) => number): number {
  let running = 0;
  let sidecars = 0;
  let init = 0;
  for (const container of containers) {
    const amount = value(container);
    if (container.phase === 'app') {
      running += amount;
    } else if (container.phase === 'sidecar') {
      running += amount;
      sidecars += amount;
      init = Math.max(init, sidecars);
    } else {
      init = Math.max(init, amount + sidecars);
    }
  }
  return Math.max(running, init);
}

/** The container defaults of the first LimitRange among `objects` (a namespace's) that has them. */
function defaultsIn(objects: readonly GuardrailObject[]): Defaults {
  const limits = objects.filter((o) => o.kind === 'LimitRange').flatMap((o) => (o.manifest.spec?.limits ?? []) as any[])
    .find((l) => l.type === 'Container') ?? {};
  return { requests: limits.defaultRequest ?? {}, limits: limits.default ?? {} };
}

const USAGE = new WeakMap<ObjectIndex, Map<string, Usage>>();

/** What `namespace` holds when every workload is at its largest, computed once per evaluation. */
function usageOf(index: ObjectIndex, namespace: string | undefined): Usage {
  let byNamespace = USAGE.get(index);
  if (byNamespace === undefined) {
    byNamespace = new Map();
    USAGE.set(index, byNamespace);
  }
  const known = byNamespace.get(namespace ?? '');
  if (known !== undefined) {
    return known;
  }
  const objects = index.inNamespace(namespace);
  const defaults = defaultsIn(objects);
  const totals: Record<string, number> = Object.fromEntries(Object.keys(DIMENSIONS).map((d) => [d, 0]));
  const parts: Record<string, string[]> = Object.fromEntries(Object.keys(DIMENSIONS).map((d) => [d, []]));
  const unstated = new Map<string, Set<string>>();
  const pods: Counted[] = [];
  const largestOnce = new Map<string, Counted>();
  for (const o of objects) {
    const footprint = footprintOf(o, index);
    for (const group of footprint.pods) {
      const label = group.what !== undefined ? `${group.what} of ${o.kind} ${o.name}` : `${o.kind} ${o.name}`;
      const perPod: Record<string, number> = {};
      for (const kind of ['requests', 'limits'] as const) {
        for (const resource of COMPUTE) {
          const dimension = `${kind}.${resource}`;
          perPod[dimension] = podAmount(group.containers, (c) => {
            const amount = stated(c, kind, resource, defaults);
            if (amount === undefined && REQUIRED.has(dimension)) {
              const where = `container '${c.name}' of ${group.what !== undefined ? `the ${group.what} of ` : ''}${o.title}`;
              unstated.set(where, (unstated.get(where) ?? new Set()).add(dimension));
            }
            return amount ?? 0;
          });
        }
      }
      const counted = { label, group, perPod };
      const key = group.oneAtATime;
      if (key === undefined) {
        pods.push(counted);
      } else if ((largestOnce.get(key)?.group.count ?? -1) < group.count) {
        largestOnce.set(key, counted);
      }
    }
    for (const claims of footprint.claims) {
      totals.persistentvolumeclaims += claims.count;
      totals['requests.storage'] += claims.storage;
      parts.persistentvolumeclaims.push(`${o.kind} ${o.name} ${claims.why}`);
      if (claims.storage > 0) {
        parts['requests.storage'].push(`${o.kind} ${o.name} ${claims.why}: ${formatBytes(claims.storage)}`);
      }
    }
  }
  for (const { label, group, perPod } of [...pods, ...largestOnce.values()]) {
    totals.pods += group.count;
    parts.pods.push(`${label} ${group.why}`);
    for (const [dimension, amount] of Object.entries(perPod)) {
      totals[dimension] += group.count * amount;
      if (amount > 0) {
        parts[dimension].push(`${label} ${group.why === String(group.count) ? group.why : `(${group.why})`} x ${DIMENSIONS[dimension](amount)}`);
      }
    }
  }
  const usage = { totals, parts, unstated };
  byNamespace.set(namespace ?? '', usage);
  return usage;
}

/** One message per dimension of `quota` that leaves less than the headroom, and per container the quota would refuse. */
function quotaProblems(quota: GuardrailObject, index: ObjectIndex): string[] {
  const spec = quota.manifest.spec ?? {};
  // A scoped quota counts only some pods (by priority class, by deadline): not modelled.
  if ((spec.scopes ?? []).length > 0 || spec.scopeSelector !== undefined) {
    return [];
  }
  const usage = usageOf(index, quota.namespace);
  const hard: Array<[string, number]> = Object.entries<unknown>(spec.hard ?? {})
    .map(([key, value]): [string, number | undefined] => [ALIASES[key] ?? key, parseQuantity(value)])
    .filter((entry): entry is [string, number] => DIMENSIONS[entry[0]] !== undefined && entry[1] !== undefined)
    .sort(([a], [b]) => ORDER.indexOf(a) - ORDER.indexOf(b));
  const tracked = new Set(hard.map(([dimension]) => dimension));
  return [
    ...[...usage.unstated].flatMap(([where, dimensions]) => {
      const missing = [...dimensions].filter((d) => tracked.has(d));
      return missing.length > 0 ? [`${where} states no ${missing.join(', ')} and no LimitRange of the namespace gives one: the quota refuses its pods`] : [];
    }),
    ...hard.filter(([dimension, limit]) => usage.totals[dimension] > limit * (1 - HEADROOM)).map(([dimension, limit]) => {
      const format = DIMENSIONS[dimension];
      const share = limit > 0 ? `${(100 * usage.totals[dimension] / limit).toFixed(1)}%` : 'all';
      return `${dimension}: ${format(usage.totals[dimension])} of ${format(limit)} (${share}) at full scale, less than ${100 * HEADROOM}% to spare: `
        + usage.parts[dimension].join(', ');
    }),
  ];
}

/** Every workload fits its namespace's quota at full scale. */
export const QUOTA_RULES: readonly GuardrailRule[] = [
  {
    id: 'quota-headroom',
    rule: 'a ResourceQuota must leave 10% to spare when every workload of its namespace runs at full scale during a rollout',
    reason: 'at the autoscaler\'s maximum, mid-rollout, with a database replica joining and a certificate renewing, a full quota refuses the pod that was to add capacity or heal the database',
    fix: 'raise the quota (NamespaceBaseline quota), or lower the autoscalers\' maximum, the surge or the resources; give every container requests and limits',
    sources: [RuleSource.DESIGN],
    level: RuleLevel.ERROR,
    kinds: ['ResourceQuota'],
    check: quotaProblems,
  },
];
