import { Construct } from 'constructs';
import { ClusterDns } from '../network/cluster-dns';
import { NetworkPeer } from '../network/network-peer';
import { NetworkPolicyRules } from '../network/network-policy-rules';
import { REDIS_PORT, SENTINEL_PORT, SetupType } from './_operator';

// Internal: the NetworkPolicies of a HaRedis. Not exported from the package.

/** What the policies of a Redis protect and admit. */
export interface RedisNetwork {
  /** Name of the Redis: the policies are `<name>` (the nodes) and `<name>-sentinel`. */
  readonly name: string;
  readonly namespace: string;
  /** Labels of the NetworkPolicy objects. */
  readonly labels: Record<string, string>;
  /** Where the pods resolve names. */
  readonly dns: ClusterDns;
  /** The operator's pods. */
  readonly operator: NetworkPeer;
  /** How the nodes are set up, and the labels that select them. */
  readonly setup: SetupType;
  readonly nodes: Record<string, string>;
  /** The labels of the Sentinel pods, when Sentinels watch the nodes. */
  readonly sentinels?: Record<string, string>;
}

/** The policies, and the pods as peers. */
export interface RedisPolicies {
  readonly nodes: NetworkPolicyRules;
  readonly nodePeer: NetworkPeer;
  readonly sentinels?: NetworkPolicyRules;
  readonly sentinelPeer?: NetworkPeer;
}

/**
 * Least privilege for the Redis pods, from what the operator v0.26.0 connects to
 * (internal/k8sutils/redis.go, internal/controller/common/redis/heal.go, redisreplication_controller.go):
 * - nodes: from each other (a replica dials its master on 6379, addressed by pod IP), from the Sentinels and from
 *   the operator (it reads each node's role, sets `SLAVEOF`, and labels the pods), on 6379; to each other on 6379;
 * - Sentinels: from each other and from the operator (`SENTINEL MONITOR`, `SET`, `RESET`) on 26379; to the nodes on
 *   6379 and to each other on 26379.
 * A standalone node (development) takes connections from its clients only: its controller connects to it only for
 * `dynamicConfig`, which the library does not set (internal/controller/redis/redis_controller.go).
 * Clients and the scraper are added as they connect.
 */
export function addRedisPolicies(scope: Construct, network: RedisNetwork): RedisPolicies {
  const nodePeer = NetworkPeer.pods(network.nodes, network.namespace);
  const nodes = new NetworkPolicyRules(scope, 'NetworkPolicy', {
    name: network.name, namespace: network.namespace, labels: network.labels, podSelector: network.nodes, dns: network.dns,
  });
  if (network.setup === 'standalone') {
    return { nodes, nodePeer };
  }
  nodes.allowIngress(nodePeer, [{ port: REDIS_PORT }]);
  nodes.allowEgress(nodePeer, [{ port: REDIS_PORT }]);
  nodes.allowIngress(network.operator, [{ port: REDIS_PORT }]);
  if (network.sentinels === undefined) {
    return { nodes, nodePeer };
  }
  const sentinelPeer = NetworkPeer.pods(network.sentinels, network.namespace);
  const sentinels = new NetworkPolicyRules(scope, 'SentinelNetworkPolicy', {
    name: `${network.name}-sentinel`, namespace: network.namespace, labels: network.labels, podSelector: network.sentinels, dns: network.dns,
  });
  nodes.allowIngress(sentinelPeer, [{ port: REDIS_PORT }]);
  sentinels.allowIngress(sentinelPeer, [{ port: SENTINEL_PORT }]);
  sentinels.allowIngress(network.operator, [{ port: SENTINEL_PORT }]);
  sentinels.allowEgress(nodePeer, [{ port: REDIS_PORT }]);
  sentinels.allowEgress(sentinelPeer, [{ port: SENTINEL_PORT }]);
  return { nodes, nodePeer, sentinels, sentinelPeer };
}
