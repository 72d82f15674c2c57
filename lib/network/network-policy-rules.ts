import { Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { check } from '../core/errors';
import { Kind, checkProps } from '../core/kinds';
import { checkDnsSubdomain, checkLabels, checkNamespaceName, checkPort, isQualifiedName } from '../core/validate';
import { checkNetworkPeer, checkNetworkPorts } from './_checks';
import { CLUSTER_DNS_KIND, ClusterDns } from './cluster-dns';
import { checkDomainPorts } from './domain-name';
import { EGRESS_ENGINE_KIND, EgressEngine, NamedEgress } from './egress-engine';
import { IEgressRules, NetworkPeer, NetworkPort, Protocol } from './network-peer';

/** What a NetworkPolicy protects: the pods it selects and where they run. */
export interface NetworkPolicyRulesProps {
  /** Namespace of the NetworkPolicy and of the pods it selects. */
  readonly namespace: string;
  /** Name of the NetworkPolicy. */
  readonly name: string;
  /** Labels of the pods the policy applies to. */
  readonly podSelector: Record<string, string>;
  /**
   * Further conditions on the labels of the pods the policy applies to, for pods that labels
   * alone cannot tell apart (e.g. `NotIn` to leave out pods that share a label).
   * @default - the labels in `podSelector` alone
   */
  readonly podSelectorExpressions?: k8s.LabelSelectorRequirement[];
  /** Labels of the NetworkPolicy object. @default - no labels */
  readonly labels?: Record<string, string>;
  /**
   * Directions the policy restricts. A policy that restricts a direction without rules for it
   * denies that direction; one that leaves a direction out has no say on it.
   * @default [PolicyType.INGRESS, PolicyType.EGRESS]
   */
  readonly policyTypes?: PolicyType[];
  /**
   * Where the pods resolve names: the policy admits DNS to it (`ClusterDns.allowFrom`), and an egress
   * engine's DNS rule names its pods.
   * @default - no DNS rule
   */
  readonly dns?: ClusterDns;
  /**
   * What renders egress to hosts by name (`NetworkPeer.domain`), which a NetworkPolicy cannot express.
   * @default - a rule to a host by name fails: the stage chooses the engine
   */
  readonly egressEngine?: EgressEngine;
}

/** A direction of traffic a NetworkPolicy restricts. */
export enum PolicyType {
  INGRESS = 'Ingress',
  EGRESS = 'Egress',
}

interface Rule {
  readonly peer: NetworkPeer;
  readonly ports: readonly NetworkPort[];
}

/**
 * A NetworkPolicy that denies all ingress and egress of its pods except the rules added to it.
 * Every construct opens its network paths through one of these, so least privilege is the default
 * and an open path always names its peer and ports. Rules render at synth, so wiring added after
 * construction (`app.connectTo(db)`) lands in the same object. Egress to hosts by name, which a
 * NetworkPolicy cannot express, goes to the stage's `EgressEngine` (a CiliumNetworkPolicy beside this one,
 * or the portable fallback in this one).
 */
export class NetworkPolicyRules extends Construct implements IEgressRules {
  public readonly resource: k8s.KubeNetworkPolicy;
  private readonly ingress = new Map<string, Rule>();
  private readonly egress = new Map<string, Rule>();
  private namedEgress?: NamedEgress;

  public constructor(scope: Construct, id: string, private readonly props: NetworkPolicyRulesProps) {
    super(scope, id);
    checkPolicyProps(this, props);
    this.resource = new k8s.KubeNetworkPolicy(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace, labels: props.labels },
      spec: {
        podSelector: {
          matchLabels: Object.keys(props.podSelector).length > 0 ? { ...props.podSelector } : undefined,
          matchExpressions: props.podSelectorExpressions,
        },
        policyTypes: props.policyTypes ?? [PolicyType.INGRESS, PolicyType.EGRESS],
        ingress: Lazy.any({ produce: () => renderRules(this.ingress, props.namespace, 'from') }),
        egress: Lazy.any({ produce: () => renderRules(this.egress, props.namespace, 'to') }),
      },
    });
    props.dns?.allowFrom(this);
  }

  /** Allows traffic from `peer` to the protected pods on `ports`; a host by name is never a source. */
  public allowIngress(peer: NetworkPeer, ports: readonly NetworkPort[]): void {
    checkNetworkPeer(this, 'allowIngress.peer', peer);
    check(peer.domains === undefined, this, 'ingress', peer.description,
      'must be pods, namespaces or addresses: a rule by DNS name admits only egress, to the addresses the name resolves to');
    checkNetworkPorts(this, 'allowIngress.ports', ports);
    addRule(this.ingress, peer, ports);
  }

  /**
   * Allows traffic from the protected pods to `peer` on `ports`. A host by name (`NetworkPeer.domain`)
   * goes to the egress engine, which renders it outside the NetworkPolicy.
   */
  public allowEgress(peer: NetworkPeer, ports: readonly NetworkPort[]): void {
    checkNetworkPeer(this, 'allowEgress.peer', peer);
    if (peer.domains === undefined) {
      checkNetworkPorts(this, 'allowEgress.ports', ports);
      addRule(this.egress, peer, ports);
      return;
    }
    checkDomainPorts(this, 'egress.ports', ports);
    const engine = this.props.egressEngine;
    check(engine !== undefined, this, 'egressEngine', undefined,
      `is required to reach ${peer.domains.join(', ')} by name: give the construct the stage's EgressEngine.cilium() (toFQDNs) or EgressEngine.portable() (the public internet on the ports, reported)`);
    this.engineEgress(engine).allow(peer.domains, ports);
  }

  /**
   * Allows traffic from the protected pods to the Kubernetes API server, whose endpoints are `peer` (an address block),
   * on `port`. With an egress engine that matches the API server by what it is rather than by its address (Cilium,
   * whose address rules do not match the cluster's own nodes, where a self-hosted API server runs), the engine adds
   * its rule beside the address block.
   */
  public allowKubernetesApi(peer: NetworkPeer, port: number): void {
    checkNetworkPeer(this, 'allowKubernetesApi.peer', peer);
    check(peer.domains === undefined, this, 'allowKubernetesApi.peer', peer.description,
      'must be the address block of the API server\'s endpoints: the kubernetes Service is translated to them before policies apply');
    checkPort(this, 'allowKubernetesApi.port', port);
    this.allowEgress(peer, [{ port }]);
    const engine = this.props.egressEngine;
    if (engine !== undefined) {
      this.engineEgress(engine).allowKubernetesApi([{ port }]);
    }
  }

  /** The egress engine's rules for this policy, started on first use. */
  private engineEgress(engine: EgressEngine): NamedEgress {
    this.namedEgress ??= engine.enforce({
      rules: this,
      resource: this.resource,
      name: this.props.name,
      namespace: this.props.namespace,
      labels: this.props.labels,
      podSelector: this.props.podSelector,
      podSelectorExpressions: this.props.podSelectorExpressions,
      dns: this.props.dns,
    });
    return this.namedEgress;
  }
}

/** The operators of a label selector requirement, and whether they take values (kubernetes `ValidateLabelSelectorRequirement`). */
const SELECTOR_OPERATORS: Readonly<Record<string, boolean>> = { In: true, NotIn: true, Exists: false, DoesNotExist: false };

function checkPolicyProps(scope: Construct, props: NetworkPolicyRulesProps): void {
  checkProps(scope, props, {
    namespace: Kind.STRING,
    name: Kind.STRING,
    podSelector: Kind.record(Kind.STRING),
    podSelectorExpressions: Kind.array(Kind.object('a label selector requirement (key, operator, values)', {
      key: Kind.STRING,
      operator: Kind.oneOf(Object.keys(SELECTOR_OPERATORS), 'an operator'),
      values: Kind.array(Kind.STRING).optional(),
    })).optional(),
    labels: Kind.record(Kind.STRING).optional(),
    policyTypes: Kind.array(Kind.oneOf(PolicyType, 'a PolicyType')).optional(),
    dns: CLUSTER_DNS_KIND.optional(),
    egressEngine: EGRESS_ENGINE_KIND.optional(),
  }, 'NetworkPolicyRulesProps');
  checkNamespaceName(scope, 'namespace', props.namespace);
  checkDnsSubdomain(scope, 'name', props.name);
  checkLabels(scope, 'podSelector', props.podSelector);
  checkLabels(scope, 'labels', props.labels ?? {});
  for (const expression of props.podSelectorExpressions ?? []) {
    const prop = `podSelectorExpressions.${expression.key}`;
    check(isQualifiedName(expression.key), scope, prop, expression.key, 'must be a label key');
    const takesValues = SELECTOR_OPERATORS[expression.operator];
    check(takesValues === (expression.values !== undefined && expression.values.length > 0), scope, `${prop}.values`, expression.values,
      takesValues ? `must list at least one value for operator ${expression.operator}` : `must be empty for operator ${expression.operator}`);
  }
  check(new Set(props.policyTypes).size === (props.policyTypes ?? []).length, scope, 'policyTypes', props.policyTypes, 'must name each direction once');
}

function addRule(rules: Map<string, Rule>, peer: NetworkPeer, ports: readonly NetworkPort[]): void {
  const existing = rules.get(peer.key);
  const merged = new Map<string, NetworkPort>();
  for (const port of [...(existing?.ports ?? []), ...ports]) {
    merged.set(`${port.protocol ?? Protocol.TCP}/${port.port}`, port);
  }
  rules.set(peer.key, { peer, ports: [...merged.values()] });
}

function renderRules(rules: Map<string, Rule>, namespace: string, direction: 'from' | 'to'): unknown[] | undefined {
  if (rules.size === 0) {
    return undefined;
  }
  return [...rules.values()].map((rule) => ({
    [direction]: [rule.peer.toPolicyPeer(namespace)],
    ports: rule.ports.map((p) => ({ port: k8s.IntOrString.fromNumber(p.port), protocol: p.protocol ?? Protocol.TCP })),
  }));
}
