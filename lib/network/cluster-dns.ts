import { isIPv4, isIPv6 } from 'net';
import { IConstruct } from 'constructs';
import { check } from '../core/errors';
import { Kind } from '../core/kinds';
import { Prerequisite } from '../core/prerequisites';
import { DNS_PORTS, NetworkPeer } from './network-peer';
import { NetworkPolicyRules } from './network-policy-rules';

/** The address NodeLocal DNSCache listens on in the Kubernetes documentation, and in most installations. */
const NODE_LOCAL_DNS_ADDRESS = '169.254.20.10';

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
      'cluster DNS answers from pods labelled k8s-app=kube-dns in namespace kube-system, on 53/UDP and 53/TCP');
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
      + '(k8s-app=kube-dns in namespace kube-system) behind it; the CNI enforces address-block rules for that traffic', addresses);
  }

  private constructor(
    /** The peers the DNS egress rule admits, on 53/UDP and 53/TCP. */
    public readonly peers: readonly NetworkPeer[],
    /** What the rule assumes about the cluster, as the prerequisites file states it. */
    public readonly description: string,
    /** The addresses of the DNS cache, when pods reach one by address. */
    public readonly cacheAddresses: readonly string[] = [],
  ) {}

  /** Opens DNS (53/UDP and 53/TCP) from the pods of `policy` to every peer, and declares on the policy what the rule assumes about the cluster. */
  public allowFrom(policy: NetworkPolicyRules): void {
    for (const peer of this.peers) {
      policy.allowEgress(peer, DNS_PORTS);
    }
    Prerequisite.declare(policy, Prerequisite.network(this.description, 'every NetworkPolicy with egress admits DNS to these peers, and to nothing else'));
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
export const CLUSTER_DNS_KIND = Kind.instance(ClusterDns, 'a ClusterDns (ClusterDns.kubeDns or ClusterDns.nodeLocalCache)');
