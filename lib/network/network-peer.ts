import { k8s } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { NAMESPACE_NAME_LABEL } from '../core/labels';

/** Transport protocol of a network port. */
export enum Protocol {
  TCP = 'TCP',
  UDP = 'UDP',
}

/** A port a NetworkPolicy rule opens. */
export interface NetworkPort {
  /** Port number on the pods the rule protects (for ingress) or reaches (for egress). */
  readonly port: number;
  /** @default Protocol.TCP */
  readonly protocol?: Protocol;
}

/** Ports 53/UDP and 53/TCP, where cluster DNS answers. */
export const DNS_PORTS: readonly NetworkPort[] = [
  { port: 53, protocol: Protocol.UDP },
  { port: 53, protocol: Protocol.TCP },
];

/**
 * The other side of a NetworkPolicy rule: pods, namespaces or an address block.
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/
 */
export class NetworkPeer {
  /** Pods with `labels` in `namespace` (the protected pods' own namespace when omitted). */
  public static pods(labels: Record<string, string>, namespace?: string): NetworkPeer {
    return new NetworkPeer(`pods:${namespace ?? ''}:${stableKey(labels)}`,
      `pods with ${describeLabels(labels)}${namespace !== undefined ? ` in namespace ${namespace}` : ''}`, (from) => ({
      podSelector: { matchLabels: copyOf(labels) },
      ...(namespace !== undefined && namespace !== from ? { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: namespace } } } : {}),
    }));
  }

  /** Every pod in the namespace called `name`. */
  public static namespace(name: string): NetworkPeer {
    return NetworkPeer.namespaces({ [NAMESPACE_NAME_LABEL]: name });
  }

  /** Every pod in the namespaces with `labels`. */
  public static namespaces(labels: Record<string, string>): NetworkPeer {
    return new NetworkPeer(`namespaces:${stableKey(labels)}`, `every pod in the namespaces with ${describeLabels(labels)}`,
      () => ({ namespaceSelector: { matchLabels: copyOf(labels) } }));
  }

  /** Pods with `podLabels` in the namespaces with `namespaceLabels`. */
  public static podsInNamespaces(podLabels: Record<string, string>, namespaceLabels: Record<string, string>): NetworkPeer {
    return new NetworkPeer(`pods-in:${stableKey(namespaceLabels)}:${stableKey(podLabels)}`,
      `pods with ${describeLabels(podLabels)} in the namespaces with ${describeLabels(namespaceLabels)}`, () => ({
      podSelector: { matchLabels: copyOf(podLabels) },
      namespaceSelector: { matchLabels: copyOf(namespaceLabels) },
    }));
  }

  /** Addresses in `cidr`, less those in `except`: for endpoints outside the cluster. */
  public static ipBlock(cidr: string, except: string[] = []): NetworkPeer {
    // A caller without a type checker may pass one block for the list: it renders as given, for the check of the peer to refuse.
    const listed = Array.isArray(except) ? [...except] : [];
    return new NetworkPeer(`ip:${cidr}:${listed.join(',')}`,
      `addresses in ${cidr}${listed.length > 0 ? ` except ${listed.join(', ')}` : ''}`, () => ({
      ipBlock: { cidr, ...(listed.length > 0 || !Array.isArray(except) ? { except: Array.isArray(except) ? [...listed] : except } : {}) },
    }));
  }

  /** The cluster DNS pods (`k8s-app: kube-dns` in `kube-system`, as CoreDNS is labelled by kubeadm, EKS, GKE and AKS). */
  public static clusterDns(): NetworkPeer {
    return NetworkPeer.podsInNamespaces({ 'k8s-app': 'kube-dns' }, { [NAMESPACE_NAME_LABEL]: 'kube-system' });
  }

  /**
   * Hosts outside the cluster, by DNS name: `api.anthropic.com`, or `*.` and a name
   * (`*.s3.eu-west-1.amazonaws.com`), which matches exactly one label. Lowercase, without scheme, path,
   * port or trailing dot; the ports come with the rule (`allowTo(peer, ports)`). A NetworkPolicy cannot
   * name a host: the workload's `EgressEngine` renders the rule (a CiliumNetworkPolicy with `toFQDNs`,
   * or the portable fallback). An egress destination only.
   */
  public static domain(name: string, ...more: string[]): NetworkPeer {
    const names = [...new Set([name, ...more])].sort();
    return new NetworkPeer(`domain:${names.join(',')}`, `the hosts ${names.join(', ')}`, () => {
      throw new Error(`a NetworkPolicy cannot name the hosts ${names.join(', ')}: an EgressEngine renders them`);
    }, names);
  }

  private constructor(
    /** Identifies the peer, so that the same rule added twice renders once. */
    public readonly key: string,
    /** The peer in words, for messages and the prerequisites file: `addresses in 10.0.0.0/20`. */
    public readonly description: string,
    private readonly render: (fromNamespace: string | undefined) => k8s.NetworkPolicyPeer,
    /** The DNS names of a peer made with {@link NetworkPeer.domain}; unset for pods, namespaces and address blocks. */
    public readonly domains?: readonly string[],
  ) {}

  /** The peer as it appears in a NetworkPolicy that lives in `policyNamespace`; a domain peer has no such form. */
  public toPolicyPeer(policyNamespace: string | undefined): k8s.NetworkPolicyPeer {
    return this.render(policyNamespace);
  }
}

/** A copy of `labels`; what is no object (from a caller without a type checker) stays as given, for the check of the peer to refuse. */
function copyOf(labels: Record<string, string>): Record<string, string> {
  return typeof labels === 'object' && labels !== null && !Array.isArray(labels) ? { ...labels } : labels;
}

/** Where egress paths are opened: the rules of a NetworkPolicy (a `NetworkPolicyRules`). */
export interface IEgressRules extends IConstruct {
  /** Allows traffic from the protected pods to `peer` on `ports`. */
  allowEgress(peer: NetworkPeer, ports: readonly NetworkPort[]): void;
}

function stableKey(labels: Record<string, string>): string {
  return Object.keys(labels ?? {}).sort().map((k) => `${k}=${labels[k]}`).join(',');
}

function describeLabels(labels: Record<string, string>): string {
  const pairs = Object.keys(labels ?? {}).sort().map((k) => `${k}=${labels[k]}`);
  return pairs.length > 0 ? pairs.join(', ') : 'any labels';
}
