import { isIPv4, isIPv6 } from 'net';
import { IConstruct } from 'constructs';
import { check } from '../core/errors';
import { Kind } from '../core/kinds';
import { NAMESPACE_NAME_LABEL } from '../core/labels';
import { Prerequisite } from '../core/prerequisites';
import { DNS_PORTS, IEgressRules, NetworkPeer } from './network-peer';

/** The address NodeLocal DNSCache listens on in the Kubernetes documentation, and in most installations. */
const NODE_LOCAL_DNS_ADDRESS = '169.254.20.10';

/** The DNS server pods with `labels` in `namespace`: what a policy engine that selects endpoints by label (Cilium) admits DNS to. */
export interface DnsServerPods {
  /** Namespace of the pods. */
  readonly namespace: string;
  /** Labels of the pods. */
  readonly labels: Readonly<Record<string, string>>;
}

const KUBE_DNS_PODS: DnsServerPods = { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } };
const NODE_LOCAL_DNS_PODS: DnsServerPods = { namespace: 'kube-system', labels: { 'k8s-app': 'node-local-dns' } };

/** Options of {@link ClusterDns.nodeLocalCache}. */
export interface NodeLocalCacheOptions {
  /**
   * ClusterIP of the `kube-dns` Service. In kube-proxy's iptables mode the cache also listens on it, and
   * answers on the node without handing the packet to a CoreDNS pod, so that a rule for the CoreDNS pods
   * does not match; allow it too where the CNI enforces address blocks on that traffic.
   * @default - no rule for the Service address
   */
  readonly kubeDnsServiceIp?: string;
}

/**
 * Where the pods of a namespace resolve names: the peers of the DNS egress rule that every
 * NetworkPolicy with egress opens (the namespace baseline's `allow-dns` and each workload's own).
 * Give the same value to the baseline and to every construct of the namespace: the stage decides it once.
 * @see https://kubernetes.io/docs/tasks/administer-cluster/nodelocaldns/
 */
export class ClusterDns {
  /** The cluster DNS pods: `k8s-app: kube-dns` in `kube-system` (CoreDNS as kubeadm, EKS, GKE and AKS label it). */
  public static kubeDns(): ClusterDns {
    return new ClusterDns([NetworkPeer.clusterDns()],
      'cluster DNS answers from pods labelled k8s-app=kube-dns in namespace kube-system, on 53/UDP and 53/TCP', [], [KUBE_DNS_PODS]);
  }

  /**
   * NodeLocal DNSCache as Cilium documents it: the cache runs as ordinary pods (`k8s-app: node-local-dns`
   * in `kube-system`, not on the host network), and a CiliumLocalRedirectPolicy sends the pods' queries to
   * the kube-dns Service to the cache on their node. The pods keep resolving through the kube-dns Service,
   * the rule admits the cache pods and the kube-dns pods (which answer when no cache runs on the node), and
   * Cilium's DNS proxy sees every query, as `EgressEngine.cilium()` needs. The setup with the cache on the
   * host network at a link-local address ({@link ClusterDns.nodeLocalCache}) is bypassed when Cilium
   * resolves Services itself, and its queries are not seen by the proxy.
   * @see https://docs.cilium.io/en/v1.18/network/kubernetes/local-redirect-policy/#node-local-dns-cache
   */
  public static nodeLocalCacheRedirect(): ClusterDns {
    const cache = NetworkPeer.podsInNamespaces({ ...NODE_LOCAL_DNS_PODS.labels }, { [NAMESPACE_NAME_LABEL]: NODE_LOCAL_DNS_PODS.namespace });
    return new ClusterDns([cache, NetworkPeer.clusterDns()],
      'NodeLocal DNSCache runs as pods labelled k8s-app=node-local-dns in namespace kube-system (hostNetwork false), a '
      + 'CiliumLocalRedirectPolicy sends the kube-dns Service (53/UDP and 53/TCP) to the cache pod on the same node (Cilium with '
      + 'localRedirectPolicies.enabled=true), and the cluster DNS pods (k8s-app=kube-dns in namespace kube-system) answer behind it',
      [], [NODE_LOCAL_DNS_PODS, KUBE_DNS_PODS], [
        Prerequisite.controllerSetting('Cilium', 'localRedirectPolicies.enabled: true, and a CiliumLocalRedirectPolicy in kube-system whose '
          + 'redirectFrontend is the kube-dns Service and whose redirectBackend is the node-local-dns pods (53/UDP dns, 53/TCP dns-tcp)',
        'the pods resolve through the kube-dns Service, which the redirect answers from the cache on their node'),
        Prerequisite.controllerSetting('NodeLocal DNSCache (node-local-dns)', 'runs as ordinary pods: hostNetwork false, args -skipteardown=true '
          + '-setupinterface=false -setupiptables=false, its Corefile binding 0.0.0.0', 'the redirect reaches the cache by pod, where Cilium\'s DNS proxy sees the queries'),
      ]);
  }

  /**
   * NodeLocal DNSCache: a DaemonSet on the host network of each node, listening on a link-local
   * `address`. Host-network pods match no pod selector, so the rule is an address block (`/32` or
   * `/128`); the kube-dns pods stay allowed, which the cache forwards to and which pods reach when the
   * cache is not running (kube-proxy iptables mode keeps the kube-dns Service address).
   */
  public static nodeLocalCache(address: string = NODE_LOCAL_DNS_ADDRESS, options: NodeLocalCacheOptions = {}): ClusterDns {
    const addresses = [address, ...options?.kubeDnsServiceIp !== undefined ? [options.kubeDnsServiceIp] : []];
    return new ClusterDns([...addresses.map((a) => NetworkPeer.ipBlock(hostBlock(a))), NetworkPeer.clusterDns()],
      `NodeLocal DNSCache answers on ${addresses.join(' and ')} (53/UDP and 53/TCP), and the cluster DNS pods `
      + '(k8s-app=kube-dns in namespace kube-system) behind it; the CNI enforces address-block rules for that traffic', addresses, [KUBE_DNS_PODS]);
  }

  private constructor(
    /** The peers the DNS egress rule admits, on 53/UDP and 53/TCP. */
    public readonly peers: readonly NetworkPeer[],
    /** What the rule assumes about the cluster, as the prerequisites file states it. */
    public readonly description: string,
    /** The addresses of the DNS cache, when pods reach one by address. */
    public readonly cacheAddresses: readonly string[] = [],
    /** The DNS server pods by label, for engines that select endpoints by label (a cache on the host network has no pod: it is in `cacheAddresses`). */
    public readonly serverPods: readonly DnsServerPods[] = [],
    private readonly settings: readonly Prerequisite[] = [],
  ) {}

  /** Opens DNS (53/UDP and 53/TCP) from the pods of `policy` to every peer, and declares on the policy what the rule assumes about the cluster. */
  public allowFrom(policy: IEgressRules): void {
    for (const peer of this.peers) {
      policy.allowEgress(peer, DNS_PORTS);
    }
    Prerequisite.declare(policy, Prerequisite.network(this.description, 'every NetworkPolicy with egress admits DNS to these peers, and to nothing else'),
      ...this.settings);
  }
}

/**
 * Checks `dns`, given to `scope` as `prop`.
 * @internal
 */
export function checkClusterDns(scope: IConstruct, prop: string, dns: ClusterDns): void {
  CLUSTER_DNS_KIND.check(scope, prop, dns);
  for (const address of dns.cacheAddresses) {
    check(typeof address === 'string' && !address.includes('%') && (isIPv4(address) || isIPv6(address)), scope, prop, address, 'must be an IP address: the address the DNS cache listens on, or the kube-dns Service address');
  }
}

function hostBlock(address: string): string {
  return `${address}/${isIPv6(address) ? 128 : 32}`;
}

/**
 * A {@link ClusterDns}, as a prop's kind.
 * @internal
 */
export const CLUSTER_DNS_KIND = Kind.instance(ClusterDns, 'a ClusterDns (ClusterDns.kubeDns, ClusterDns.nodeLocalCache or ClusterDns.nodeLocalCacheRedirect)');
