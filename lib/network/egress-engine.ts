import { ApiObject, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  CiliumNetworkPolicy, CiliumNetworkPolicySpecEgress, CiliumNetworkPolicySpecEgressToEntities, CiliumNetworkPolicySpecEgressToPortsPorts, CiliumNetworkPolicySpecEgressToPortsPortsProtocol,
  CiliumNetworkPolicySpecEndpointSelectorMatchExpressions, CiliumNetworkPolicySpecEndpointSelectorMatchExpressionsOperator,
} from '../../imports/cilium.io';
import { check } from '../core/errors';
import { Kind } from '../core/kinds';
import { recordException } from '../core/exceptions';
import { Operator, Prerequisite } from '../core/prerequisites';
import { ClusterDns } from './cluster-dns';
import { DNS_PORTS, IEgressRules, NetworkPeer, NetworkPort, Protocol } from './network-peer';

/**
 * Id of the guardrail that fails a NetworkPolicy open to every address; the portable fallback records its exception to it.
 * @internal
 */
export const OPEN_EGRESS_RULE_ID = 'network-egress-open';

/**
 * The annotation on a NetworkPolicy that says which hosts its open egress stands for (the portable fallback writes it).
 * @internal
 */
export const EGRESS_FALLBACK_ANNOTATION = 'cdk8s-golden-path/egress-fallback-for';

/** Addresses outside the cluster's and the cloud's own: RFC 1918, shared (RFC 6598) and link-local (the metadata service) ranges excluded. */
const PUBLIC_IPV4 = NetworkPeer.ipBlock('0.0.0.0/0', ['10.0.0.0/8', '100.64.0.0/10', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16']);
/** IPv6 addresses less unique-local and link-local ones. */
const PUBLIC_IPV6 = NetworkPeer.ipBlock('::/0', ['fc00::/7', 'fe80::/10']);

/**
 * The NetworkPolicy an engine renders egress to hosts by name for: the pods it selects, its rules and where they resolve names.
 * @internal
 */
export interface NamedEgressTarget {
  /** The policy's rules: the scope of the engine's objects, and where the fallback opens its paths. */
  readonly rules: Construct & IEgressRules;
  /** The NetworkPolicy object. */
  readonly resource: ApiObject;
  /** Name and namespace of the policy. */
  readonly name: string;
  readonly namespace: string;
  /** Labels of the policy object. */
  readonly labels?: Record<string, string>;
  /** Labels, and further conditions, of the pods the policy applies to. */
  readonly podSelector: Record<string, string>;
  readonly podSelectorExpressions?: k8s.LabelSelectorRequirement[];
  /** Where the pods resolve names. */
  readonly dns?: ClusterDns;
}

/**
 * Egress a NetworkPolicy cannot express, as one engine renders it for one NetworkPolicy: to hosts by name, and to
 * the Kubernetes API server by what it is.
 * @internal
 */
export interface NamedEgress {
  /** Lets the pods reach `names` on `ports`. */
  allow(names: readonly string[], ports: readonly NetworkPort[]): void;
  /**
   * Lets the pods reach the Kubernetes API server on `ports`, beside the address block the NetworkPolicy admits it at,
   * for an engine that does not match the API server by its address.
   */
  allowKubernetesApi(ports: readonly NetworkPort[]): void;
}

/**
 * What enforces egress to hosts by DNS name (`NetworkPeer.domain`, `ExternalService`) in the stage's
 * cluster. A NetworkPolicy cannot name a host, so the stage says which engine renders such a rule, and
 * gives the same value to every construct (`egressEngine`): with Cilium, a `CiliumNetworkPolicy` per
 * workload that reaches hosts by name; without an engine that understands names, the portable fallback,
 * which opens the public internet on the named ports and says so.
 */
export class EgressEngine {
  /**
   * Cilium 1.18: a `CiliumNetworkPolicy` beside the workload's NetworkPolicy, selecting the same pods, with
   * `toFQDNs` for the names on their ports and the DNS rule Cilium's DNS proxy needs to learn their addresses
   * (every lookup to the cluster's DNS pods, `matchPattern: '*'`). The NetworkPolicy keeps every other
   * rule, its DNS rule included: Cilium allows the union of the rules that select a pod. Needs the
   * stage's `ClusterDns` by pod (`ClusterDns.kubeDns()` or `ClusterDns.nodeLocalCacheRedirect()`), and
   * declares Cilium and its L7 proxy as prerequisites.
   * @see https://docs.cilium.io/en/v1.18/security/policy/language/#dns-based
   */
  public static cilium(): EgressEngine {
    return new EgressEngine((target) => new CiliumEgress(target));
  }

  /**
   * For clusters whose network-policy engine cannot name hosts: the NetworkPolicy admits every public
   * address (`0.0.0.0/0` and `::/0` less private, shared and link-local ranges) on the named ports. It
   * records the names it stands for on the policy (annotation `cdk8s-golden-path/egress-fallback-for`),
   * accepts guardrail `network-egress-open` for that reason, and guardrail `network-egress-by-name`
   * reports it as a warning, so the widening is never silent.
   */
  public static portable(): EgressEngine {
    return new EgressEngine((target) => new PortableEgress(target));
  }

  private constructor(private readonly start: (target: NamedEgressTarget) => NamedEgress) {}

  /**
   * Starts rendering egress by name for `target`, when its first rule to a host by name is added.
   * @internal
   */
  public enforce(target: NamedEgressTarget): NamedEgress {
    return this.start(target);
  }
}

/** Rules to hosts by name with the same ports, rendered together. */
class NamesByPorts {
  private readonly byPorts = new Map<string, { readonly ports: readonly NetworkPort[]; readonly names: Set<string> }>();

  public add(names: readonly string[], ports: readonly NetworkPort[]): void {
    const key = ports.map(describePort).sort().join(',');
    const entry = this.byPorts.get(key) ?? { ports, names: new Set<string>() };
    names.forEach((name) => entry.names.add(name));
    this.byPorts.set(key, entry);
  }

  public get entries(): ReadonlyArray<{ readonly ports: readonly NetworkPort[]; readonly names: readonly string[] }> {
    return [...this.byPorts.values()].map(({ ports, names }) => ({ ports, names: [...names].sort() }));
  }

  /** `api.anthropic.com, api.openai.com on 443/TCP; db.example.com on 5432/TCP`. */
  public describe(): string {
    return this.entries.map(({ ports, names }) => `${names.join(', ')} on ${ports.map(describePort).join(', ')}`).join('; ');
  }
}

class CiliumEgress implements NamedEgress {
  private readonly names = new NamesByPorts();
  private readonly apiPorts = new Map<string, NetworkPort>();
  private readonly resource: CiliumNetworkPolicy;
  private dnsRule?: CiliumNetworkPolicySpecEgress;

  public constructor(private readonly target: NamedEgressTarget) {
    this.resource = new CiliumNetworkPolicy(target.rules, 'CiliumNetworkPolicy', {
      metadata: { name: target.name, namespace: target.namespace, labels: target.labels },
      spec: {
        description: Lazy.any({ produce: () => this.description() }),
        endpointSelector: {
          matchLabels: { ...target.podSelector },
          matchExpressions: target.podSelectorExpressions?.map(ciliumExpression),
        },
        egress: Lazy.any({ produce: () => [...this.dnsRule !== undefined ? [this.dnsRule] : [], ...this.fqdnRules(), ...this.apiServerRules()] }),
      },
    });
    Prerequisite.declare(this.resource,
      Prerequisite.operator(Operator.CILIUM, 'enforces the NetworkPolicies and the CiliumNetworkPolicies that let pods reach hosts by name (toFQDNs) and the API server (toEntities)'));
  }

  public allow(names: readonly string[], ports: readonly NetworkPort[]): void {
    this.dnsRule ??= this.startDnsRule();
    this.names.add(names, ports);
    Prerequisite.declare(this.resource, Prerequisite.network(`${names.join(', ')} ${resolve(names)} to addresses outside the cluster`,
      'Cilium applies toFQDNs to addresses outside the cluster only: a name that resolves to a pod or node of the cluster is not matched'));
  }

  public allowKubernetesApi(ports: readonly NetworkPort[]): void {
    ports.forEach((port) => this.apiPorts.set(describePort(port), port));
  }

  /** The DNS rule Cilium's DNS proxy learns the addresses of the names from, once the pods reach a host by name. */
  private startDnsRule(): CiliumNetworkPolicySpecEgress {
    const { dns, rules } = this.target;
    check(dns !== undefined, rules, 'dns', undefined,
      'is required with EgressEngine.cilium(): Cilium learns the addresses of a name from the lookups its DNS proxy sees, so the policy needs a DNS rule');
    check(dns.cacheAddresses.length === 0, rules, 'dns', dns.cacheAddresses.join(', '),
      'must be reached by pod with EgressEngine.cilium(), not at the address of a DNS cache on the host network, whose queries Cilium\'s DNS proxy '
      + 'does not see: use ClusterDns.nodeLocalCacheRedirect() (the cache behind a CiliumLocalRedirectPolicy) or ClusterDns.kubeDns()');
    Prerequisite.declare(this.resource, Prerequisite.controllerSetting('Cilium agent', 'enable-l7-proxy: true (Helm l7Proxy: true, the default)',
      'Cilium learns the addresses of a toFQDNs name from the DNS answers its DNS proxy intercepts, which needs the L7 proxy'));
    return {
      toEndpoints: dns.serverPods.map((pods) => ({ matchLabels: ciliumLabels(pods.namespace, pods.labels) })),
      toPorts: [{ ports: DNS_PORTS.map(ciliumPort), rules: { dns: [{ matchPattern: '*' }] } }],
    };
  }

  private description(): string {
    const what = [
      ...this.names.entries.length > 0 ? ['hosts by name'] : [],
      ...this.apiPorts.size > 0 ? ['the Kubernetes API server'] : [],
    ].join(' and ');
    return `egress to ${what} of the pods of NetworkPolicy ${this.target.name}, which holds their other rules`
      + (this.dnsRule !== undefined ? '; the DNS rule lets Cilium\'s DNS proxy learn the addresses of the names' : '');
  }

  private fqdnRules(): CiliumNetworkPolicySpecEgress[] {
    return this.names.entries.map(({ names, ports }) => ({
      toFqdNs: names.map((name) => name.startsWith('*.') ? { matchPattern: name } : { matchName: name }),
      toPorts: [{ ports: ports.map(ciliumPort) }],
    }));
  }

  /**
   * The API server by Cilium's entity for it, wherever it runs: on the cluster's own nodes (kubeadm), whose addresses a
   * CIDR rule does not match unless the agent runs with `--policy-cidr-match-mode=nodes` (Cilium 1.18,
   * Documentation/security/policy/language.rst, "Selecting nodes with CIDR / ipBlock"), or outside the cluster.
   */
  private apiServerRules(): CiliumNetworkPolicySpecEgress[] {
    if (this.apiPorts.size === 0) {
      return [];
    }
    const ports = [...this.apiPorts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, port]) => ciliumPort(port));
    return [{ toEntities: [CiliumNetworkPolicySpecEgressToEntities.KUBE_HYPHEN_APISERVER], toPorts: [{ ports }] }];
  }
}

class PortableEgress implements NamedEgress {
  private readonly names = new NamesByPorts();

  public constructor(private readonly target: NamedEgressTarget) {}

  public allow(names: readonly string[], ports: readonly NetworkPort[]): void {
    this.target.rules.allowEgress(PUBLIC_IPV4, ports);
    this.target.rules.allowEgress(PUBLIC_IPV6, ports);
    this.names.add(names, ports);
    const standsFor = this.names.describe();
    this.target.resource.metadata.addAnnotation(EGRESS_FALLBACK_ANNOTATION, standsFor);
    recordException(this.target.resource, OPEN_EGRESS_RULE_ID,
      `the portable egress fallback stands for ${standsFor}: EgressEngine.portable() cannot name hosts, and guardrail network-egress-by-name reports it`);
    Prerequisite.declare(this.target.rules, Prerequisite.network(`${names.join(', ')} ${resolve(names)} to public addresses`,
      'the portable egress fallback admits public addresses only: a name that resolves to a private or link-local address (a VPC endpoint) stays unreachable'));
  }

  public allowKubernetesApi(): void {
    // The NetworkPolicy's address block is the whole rule: an engine that cannot name hosts matches the API server by its address.
  }
}

/** A pod selector as Cilium's `toEndpoints` reads it: Kubernetes labels (source `k8s:`), and the namespace as a label. */
function ciliumLabels(namespace: string, labels: Readonly<Record<string, string>>): Record<string, string> {
  return {
    'k8s:io.kubernetes.pod.namespace': namespace,
    ...Object.fromEntries(Object.entries(labels).map(([key, value]) => [`k8s:${key}`, value])),
  };
}

/** A NetworkPolicy's selector requirement as Cilium reads it: the same operators, under the same names. */
function ciliumExpression(requirement: k8s.LabelSelectorRequirement): CiliumNetworkPolicySpecEndpointSelectorMatchExpressions {
  return { key: requirement.key, operator: requirement.operator as CiliumNetworkPolicySpecEndpointSelectorMatchExpressionsOperator, values: requirement.values };
}

function ciliumPort(port: NetworkPort): CiliumNetworkPolicySpecEgressToPortsPorts {
  const protocol = port.protocol === Protocol.UDP ? CiliumNetworkPolicySpecEgressToPortsPortsProtocol.UDP : CiliumNetworkPolicySpecEgressToPortsPortsProtocol.TCP;
  return { port: String(port.port), protocol };
}

function resolve(names: readonly string[]): string {
  return names.length === 1 ? 'resolves' : 'resolve';
}

function describePort(port: NetworkPort): string {
  return `${port.port}/${port.protocol ?? Protocol.TCP}`;
}

/**
 * An {@link EgressEngine}, as a prop's kind.
 * @internal
 */
export const EGRESS_ENGINE_KIND = Kind.instance(EgressEngine, 'an EgressEngine (EgressEngine.cilium() or EgressEngine.portable())');
