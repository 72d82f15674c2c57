import { Operator, Prerequisite } from '../core/prerequisites';
import { AcmeIssuerContext, acmeIssuerPrerequisites } from './_acme-issuer';
import { CertificateIssuer, IssuerKind } from './certificate-issuer';
import { DnsRecordSource, DnsRecords } from './dns-records';
import { IngressController } from './ingress-controller';

// Internal: what the routes of a HardenedIngress need from the cluster, as prerequisites. Not exported from the package.

/** What the routes rely on: the controller or Gateway, the issuer, TLS Secrets managed elsewhere, who makes the DNS records. */
export interface RoutesNeeds {
  /** What carries traffic in: an ingress controller, or a Gateway. */
  readonly controller: IngressController;
  /** Namespace of the routes. */
  readonly namespace: string;
  /** Issuer of the hosts' certificates. @default - none: every host has a TLS Secret managed elsewhere */
  readonly issuer?: CertificateIssuer;
  /** TLS Secrets managed outside the manifests, by host. @default - none */
  readonly tlsSecrets?: Record<string, string>;
  /** Who makes the hosts' DNS records. @default - nobody: each record is made by hand */
  readonly dnsRecords?: DnsRecords;
}

/** Where the routed hosts' DNS records point: the controller's load balancer, or the Gateway's address. */
function entryOf(needs: RoutesNeeds): string {
  const { controller, namespace } = needs;
  const gateway = controller.gateway;
  return gateway !== undefined
    ? `the address of Gateway ${gateway.namespace ?? namespace}/${gateway.name}`
    : `the load balancer of ${controller.description} (IngressClass ${controller.ingressClassName})`;
}

/** What every route relies on: the controller or Gateway, existing TLS Secrets, ExternalDNS, the issuer, cert-manager and its settings. */
export function routesPrerequisites(needs: RoutesNeeds, acme: AcmeIssuerContext): Prerequisite[] {
  const { controller, namespace, issuer, tlsSecrets, dnsRecords } = needs;
  const gateway = controller.gateway;
  const prerequisites: Prerequisite[] = gateway === undefined
    ? [
      ...controller.operator !== undefined ? [Prerequisite.operator(controller.operator, 'serves the Ingresses and enforces their annotations')] : [],
      Prerequisite.clusterObject('IngressClass', controller.ingressClassName ?? '',
        `${controller.description} serves the Ingresses; its pods are ${controller.peer.description}, which the backends admit`),
    ]
    : [Prerequisite.operator(Operator.GATEWAY_API, 'serves the Gateway and HTTPRoutes'), gateway.gatewayClassName !== undefined
      ? Prerequisite.clusterObject('GatewayClass', gateway.gatewayClassName, `its implementation runs the Gateway's proxies as ${controller.peer.description}, which the backends admit`)
      : Prerequisite.object('Gateway', gateway.namespace ?? namespace, gateway.name, 'the HTTPRoutes attach to its listeners, which hold the certificates')];
  for (const [host, secretName] of Object.entries(tlsSecrets ?? {})) {
    prerequisites.push(Prerequisite.object('Secret', namespace, secretName, `the TLS certificate of ${host}, managed outside these manifests`));
  }
  if (dnsRecords !== undefined) {
    prerequisites.push(...dnsRecordsPrerequisites(needs, dnsRecords));
  }
  if (issuer === undefined) {
    return prerequisites;
  }
  prerequisites.push(Prerequisite.operator(Operator.CERT_MANAGER, 'issues the certificates'));
  if (issuer.acme !== undefined) {
    return [...prerequisites, ...acmeIssuerPrerequisites(issuer, acme)];
  }
  const signs = `signs the certificates of the routed hosts${issuer.wildcardZones.length > 0 ? `, wildcard names under ${issuer.wildcardZones.join(', ')} included` : ''}`;
  prerequisites.push(issuer.kind === IssuerKind.CLUSTER_ISSUER
    ? Prerequisite.clusterObject('ClusterIssuer', issuer.name, signs)
    : Prerequisite.object('Issuer', namespace, issuer.name, signs));
  return prerequisites;
}

/** What ExternalDNS must be to create the routed hosts' records, and the address it points them at. */
function dnsRecordsPrerequisites(needs: RoutesNeeds, dnsRecords: DnsRecords): Prerequisite[] {
  const { controller, namespace } = needs;
  const gateway = controller.gateway;
  const prerequisites = dnsRecords.prerequisites(gateway === undefined ? DnsRecordSource.INGRESS : DnsRecordSource.GATEWAY_HTTPROUTE);
  if (dnsRecords.options.target !== undefined) {
    return prerequisites;
  }
  // ExternalDNS v0.22.0 points the records at the Ingress's status.loadBalancer (source/ingress.go,
  // targetsFromIngressStatus), or at the Gateway's status.addresses (source/gateway.go, matchRouteToListener).
  return [...prerequisites, gateway === undefined
    ? Prerequisite.controllerSetting(controller.description,
      'publishes its load balancer\'s address in the status of the Ingresses it serves (--publish-service; controller.publishService in the HAProxy and ingress-nginx Helm charts)',
      'ExternalDNS points the records at status.loadBalancer of the Ingress')
    : Prerequisite.controllerSetting(controller.description,
      `the implementation publishes the address of Gateway ${gateway.namespace ?? namespace}/${gateway.name} in its status.addresses`,
      'ExternalDNS points the records at the addresses of the Gateways that accepted the HTTPRoutes')];
}

/**
 * What a routed host needs: its DNS record, and when the declared ACME issuer validates it by HTTP-01, that the ACME
 * server reaches it on port 80. The server fetches http://<host>/.well-known/acme-challenge/<token> itself (RFC 8555,
 * section 8.3), so an entry at a private address, or one closed to it on port 80, never validates and the certificate
 * is never issued.
 */
export function hostPrerequisites(needs: RoutesNeeds, host: string): Prerequisite[] {
  const { issuer, tlsSecrets, dnsRecords } = needs;
  const entry = entryOf(needs);
  const record = dnsRecords !== undefined
    ? Prerequisite.dnsRecord(host, entry, 'clients reach the host there', 'ExternalDNS')
    : Prerequisite.dnsRecord(host, entry, 'clients, and an ACME server validating HTTP-01, reach the host there: create it by hand');
  const acme = issuer?.acme;
  if (acme === undefined || tlsSecrets?.[host] !== undefined || issuer?.validatesByDns01(host)) {
    return [record];
  }
  return [record, Prerequisite.network(`${entry} answers http://${host}/ on port 80 from ${new URL(acme.server.url).host}`,
    `the ACME server validates ${host} by HTTP-01 from its own network (the public internet, for Let's Encrypt): `
    + 'a private or closed address never validates, and the certificate is never issued')];
}

/**
 * That an ingress controller sees each client's own address: the rate limits and source allow-lists it enforces count
 * and match the source of the connection, which a load balancer in front of it replaces with its own or a node's unless
 * told otherwise. Nothing for the Gateway API, which refuses both.
 */
export function clientAddressesPrerequisite(controller: IngressController): Prerequisite | undefined {
  if (controller.gateway !== undefined) {
    return undefined;
  }
  return Prerequisite.controllerSetting(controller.description,
    'sees each client\'s own address: its LoadBalancer Service keeps the source (externalTrafficPolicy: Local), or the load balancer sends the PROXY protocol and the controller reads it',
    'the routes\' rate limits and source allow-lists count and match the connection\'s source address: behind a load balancer that hides it, '
    + 'every client shares one limit and an allow-list matches the load balancer or the nodes, not the clients');
}
