import { k8s } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { check } from '../core/errors';
import { Kind } from '../core/kinds';
import { checkLabels, isLabelValue, isQualifiedName } from '../core/validate';

/** Effect of a node taint. */
export enum TaintEffect {
  NO_SCHEDULE = 'NoSchedule',
  PREFER_NO_SCHEDULE = 'PreferNoSchedule',
  NO_EXECUTE = 'NoExecute',
}

/** A taint that keeps other pods off a node pool. */
export interface NodeTaint {
  /** Taint key. */
  readonly key: string;
  /** Taint value. @default - the toleration matches any value of the key */
  readonly value?: string;
  /** Taint effect. */
  readonly effect: TaintEffect;
}

/** Labels and taints that define a node pool. */
export interface NodePoolProps {
  /** Node labels every node of the pool carries; pods select the pool with them. */
  readonly labels: Record<string, string>;
  /** Taints on the pool's nodes, which the pods tolerate. @default - an untainted pool */
  readonly taints?: NodeTaint[];
}

/**
 * A dedicated group of nodes. Polyaxon's guide keeps the platform's core services on one pool and
 * user workloads on another, so a runaway job cannot starve the API or the database.
 */
export class NodePool {
  /** A pool selected by `labels`, tolerating `taints`. */
  public static of(props: NodePoolProps): NodePool {
    return new NodePool(props);
  }

  private constructor(private readonly props: NodePoolProps) {}

  /**
   * Checks the pool given to `scope` as `prop`: at least one label (an empty selector picks every
   * node), label keys and values, and taints the API server accepts (a key of the label-key form, a
   * value of the label-value form, an effect) and that are distinct.
   * @internal
   */
  public check(scope: IConstruct, prop: string): void {
    Kind.object('a NodePoolProps object (labels, and optionally taints)', {
      labels: Kind.record(Kind.STRING),
      taints: Kind.array(Kind.object('a NodeTaint (key, effect, and optionally value)', {
        key: Kind.STRING,
        value: Kind.STRING.optional(),
        effect: Kind.oneOf(TaintEffect, 'a TaintEffect'),
      })).optional(),
    }).check(scope, prop, this.props);
    checkLabels(scope, `${prop}.labels`, this.props.labels);
    check(Object.keys(this.props.labels).length > 0, scope, `${prop}.labels`, this.props.labels,
      'must hold at least one label: an empty node selector picks every node, and the pool keeps nothing apart');
    const seen = new Set<string>();
    (this.props.taints ?? []).forEach((taint, i) => {
      check(isQualifiedName(taint.key), scope, `${prop}.taints[${i}].key`, taint.key,
        'must be a taint key: an optional DNS subdomain prefix and \'/\', then at most 63 alphanumerics, \'-\', \'_\' or \'.\'');
      if (taint.value !== undefined) {
        check(isLabelValue(taint.value), scope, `${prop}.taints[${i}].value`, taint.value,
          'must be a taint value: at most 63 alphanumerics, \'-\', \'_\' or \'.\', starting and ending with an alphanumeric');
      }
      check(!seen.has(`${taint.key}:${taint.effect}`), scope, `${prop}.taints[${i}]`, `${taint.key}:${taint.effect}`,
        'repeats a key and effect: a node carries one taint per key and effect');
      seen.add(`${taint.key}:${taint.effect}`);
    });
  }

  /** The node labels that select this pool. */
  public get nodeSelector(): Record<string, string> {
    return { ...this.props.labels };
  }

  /** Tolerations for the pool's taints. */
  public get tolerations(): k8s.Toleration[] {
    return (this.props.taints ?? []).map((t) => ({
      key: t.key,
      operator: t.value === undefined ? 'Exists' : 'Equal',
      value: t.value,
      effect: t.effect,
    }));
  }
}

/** How strictly replicas are spread over a topology domain (host or zone). */
export enum SpreadPolicy {
  /** Spread when the scheduler can; never leave a pod pending for it. */
  PREFERRED = 'PREFERRED',
  /** Never place two replicas in one domain beyond a skew of 1; pods stay pending instead. */
  REQUIRED = 'REQUIRED',
}

/** The node label of a host, and of its zone, as the kubelet and the cloud controllers set them. */
const HOST_TOPOLOGY = 'kubernetes.io/hostname';
const ZONE_TOPOLOGY = 'topology.kubernetes.io/zone';

/**
 * The pod spec fields that put pods on `pool`: its node selector and the tolerations of its taints
 * (none when the pool is untainted, or without a pool).
 * @internal
 */
export function nodePoolPlacement(pool: NodePool | undefined): { nodeSelector?: Record<string, string>; tolerations?: k8s.Toleration[] } {
  return { nodeSelector: pool?.nodeSelector, tolerations: pool && pool.tolerations.length > 0 ? pool.tolerations : undefined };
}

/**
 * Anti-affinity that keeps the pods `selector` picks on distinct hosts: always (REQUIRED), or when
 * the scheduler can (PREFERRED).
 * @internal
 */
export function hostAntiAffinity(selector: Record<string, string>, policy: SpreadPolicy): k8s.PodAntiAffinity {
  const term: k8s.PodAffinityTerm = { topologyKey: HOST_TOPOLOGY, labelSelector: { matchLabels: selector } };
  return policy === SpreadPolicy.REQUIRED
    ? { requiredDuringSchedulingIgnoredDuringExecution: [term] }
    : { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term }] };
}

/**
 * A topology spread constraint that spreads the pods `selector` picks over zones with a skew of at
 * most 1. `matchLabelKeys` narrows the count to pods of the same revision (e.g. `pod-template-hash`).
 * @internal
 */
export function zoneSpread(selector: Record<string, string>, policy: SpreadPolicy, matchLabelKeys?: string[]): k8s.TopologySpreadConstraint {
  return {
    maxSkew: 1,
    topologyKey: ZONE_TOPOLOGY,
    whenUnsatisfiable: policy === SpreadPolicy.REQUIRED ? 'DoNotSchedule' : 'ScheduleAnyway',
    labelSelector: { matchLabels: selector },
    matchLabelKeys,
  };
}

/**
 * A {@link NodePool}, as a prop's kind.
 * @internal
 */
export const NODE_POOL_KIND = Kind.instance(NodePool, 'a NodePool (NodePool.of)');
