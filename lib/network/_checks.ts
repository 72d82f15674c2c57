import { IConstruct } from 'constructs';
import { check } from '../core/errors';
import { Kind } from '../core/kinds';
import { NAMESPACE_NAME_LABEL } from '../core/labels';
import { checkCidr, checkCidrWithin, checkLabels, checkNamespaceName, checkPort } from '../core/validate';
import { checkDomainNames } from './domain-name';
import { NetworkPeer, NetworkPort, Protocol } from './network-peer';

// Internal: the checks of the network values every construct receives. Not exported from the package.

/** A {@link NetworkPeer}, as a prop's kind. */
export const NETWORK_PEER_KIND = Kind.instance(NetworkPeer,
  'a NetworkPeer (NetworkPeer.pods, NetworkPeer.namespace, NetworkPeer.namespaces, NetworkPeer.podsInNamespaces, NetworkPeer.ipBlock or NetworkPeer.domain)');

/** A {@link NetworkPort}, as a prop's kind. */
export const NETWORK_PORT_KIND = Kind.object('a NetworkPort (port, and optionally protocol)', {
  port: Kind.NUMBER,
  protocol: Kind.oneOf(Protocol, 'a Protocol').optional(),
});

/**
 * Checks `peer`, given to `scope` as `prop`, as the API server will check the NetworkPolicy that
 * carries it: an address block and its exceptions (each inside the block, with a longer prefix), and
 * the labels of pod and namespace selectors. A policy the API server refuses is not applied while the
 * rest of the manifests are, and the pods stay under default-deny. Hosts by name are checked as an
 * egress engine renders them (`checkDomainNames`).
 */
export function checkNetworkPeer(scope: IConstruct, prop: string, peer: NetworkPeer): void {
  NETWORK_PEER_KIND.check(scope, prop, peer);
  if (peer.domains !== undefined) {
    checkDomainNames(scope, prop, peer.domains);
    return;
  }
  const rendered = peer.toPolicyPeer(undefined);
  if (rendered.ipBlock !== undefined) {
    const { cidr, except } = rendered.ipBlock;
    checkCidr(scope, prop, cidr);
    Kind.array(Kind.STRING).optional().check(scope, `${prop}.except`, except);
    for (const block of except ?? []) {
      checkCidrWithin(scope, `${prop}.except`, block, cidr);
    }
  }
  for (const selector of ['podSelector', 'namespaceSelector'] as const) {
    if (rendered[selector] !== undefined) {
      checkLabels(scope, `${prop}.${selector}`, rendered[selector].matchLabels as Record<string, string>);
    }
  }
  const namespace = rendered.namespaceSelector?.matchLabels?.[NAMESPACE_NAME_LABEL];
  if (namespace !== undefined) {
    checkNamespaceName(scope, `${prop}.namespace`, namespace);
  }
}

/**
 * Checks the ports of a rule, given to `scope` as `prop`: at least one (a rule without ports admits
 * every port), each a port number and a protocol.
 */
export function checkNetworkPorts(scope: IConstruct, prop: string, ports: readonly NetworkPort[]): void {
  Kind.array(NETWORK_PORT_KIND).check(scope, prop, ports);
  check(ports.length > 0, scope, prop, ports, 'must list at least one port: a NetworkPolicy rule without ports admits every port');
  ports.forEach((port, i) => checkPort(scope, `${prop}[${i}].port`, port.port));
}
