import { k8s } from 'cdk8s-plus-28';

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
