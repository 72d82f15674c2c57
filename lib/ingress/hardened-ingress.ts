import { ApiObject, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { Certificate, CertificateSpecPrivateKeyAlgorithm, CertificateSpecPrivateKeyRotationPolicy, ClusterIssuer } from '../../imports/cert-manager.io';
import { Gateway } from '../../imports/gateway.networking.k8s.io';
import { check } from '../core/errors';
import { shortHash } from '../core/hashing';
import { recommendedLabels } from '../core/labels';
import { Kind, checkProps } from '../core/kinds';
import { nameFromId, resolveNamespace } from '../core/names';
import { Prerequisite } from '../core/prerequisites';
import { checkCidr, checkDnsLabel, checkDnsSubdomain, checkHostname, checkNamespaceName, checkUrlPath } from '../core/validate';
import { NetworkPolicyRules } from '../network/network-policy-rules';
import { ProductionApp } from '../workload/production-app';
import { AcmeIssuerContext, addAcmeIssuer } from './_acme-issuer';
import { RoutesNeeds, clientAddressesPrerequisite, hostPrerequisites, routesPrerequisites } from './_route-prerequisites';
import { GatewayRoutes } from './_gateway-routes';
import { addSignInProxy, checkSignIn } from './_sign-in-proxy';
import { CertificateIssuer } from './certificate-issuer';
import { DNS_RECORDS_KIND, DnsRecordSource, DnsRecords } from './dns-records';
import { IngressController } from './ingress-controller';
import { INGRESS_BACKEND_KIND, IIngressBackend, PathMatch, ROUTE_OPTIONS_KINDS, Route, RouteOptions, hostSlug, routesByHost, tlsSecretName } from './route';
import { ResolvedTraffic, TRAFFIC_KINDS, TrafficFeature, TrafficOptions, checkSupported, checkTraffic, resolveTraffic } from './traffic';

/** Props of a {@link HardenedIngress}. */
export interface HardenedIngressProps extends TrafficOptions {
  /** What carries traffic in: an ingress controller (an `Ingress`) or a Gateway (`HTTPRoute`s). */
  readonly controller: IngressController;
  /**
   * Issuer of a cert-manager `Certificate` for every routed host not in `tlsSecrets`.
   * @default - no issuer: every routed host needs a `tlsSecrets` entry
   */
  readonly issuer?: CertificateIssuer;
  /** Existing TLS Secrets by host (e.g. a wildcard certificate managed elsewhere); they win over `issuer`. @default - none */
  readonly tlsSecrets?: Record<string, string>;
  /**
   * Who makes the DNS records of the routed hosts, e.g. `DnsRecords.externalDns({ zones: ['example.com'], ... })`: the
   * Ingress or HTTPRoutes carry what ExternalDNS reads, and the prerequisites name it and the zones it must own.
   * @default - none: every host's record is a prerequisite made by hand
   */
  readonly dnsRecords?: DnsRecords;
  /** Name of the Ingress, and prefix of the other objects. @default - the construct id in kebab-case */
  readonly name?: string;
  /** Namespace of the objects, and of the backends. @default - the namespace of the chart */
  readonly namespace?: string;
}

const HTTP_ROUTE_MAX_RULES = 16;

/**
 * The only way traffic enters: routes from hosts and paths to backends, with TLS for every host
 * from cert-manager, the redirect to HTTPS, HSTS, and the rate limits, body size, timeouts, CORS
 * and allow-lists the chosen {@link IngressController} can enforce (it refuses the rest). Each
 * backend's NetworkPolicy admits the controller's pods, on the backend's port, and nothing else;
 * a route with `signIn` reaches its backend through a sign-in proxy, which the backend admits
 * instead.
 *
 * The same props render an `Ingress` per allow-list (with `ingressClassName` and the controller's
 * annotations) or, for the Gateway API, an `HTTPRoute` per host attached to the HTTPS listener of a
 * `Gateway`, optionally declared here with an HTTP listener that only redirects.
 */
export class HardenedIngress extends Construct {
  /** Name of the Ingress, and prefix of the other objects. */
  public readonly name: string;
  /** Namespace of the objects. */
  public readonly namespace: string;
  /** What carries traffic in. */
  public readonly controller: IngressController;
  /** The declared Gateway, when `controller` declares one. */
  public readonly gateway?: Gateway;
  /** The declared ACME ClusterIssuer, when `issuer` is {@link CertificateIssuer.acme}. */
  public readonly clusterIssuer?: ClusterIssuer;
  /** The NetworkPolicy that admits the controller to cert-manager's HTTP-01 solver pods, with an ACME issuer. */
  public readonly acmeSolverPolicy?: NetworkPolicyRules;

  private readonly props: HardenedIngressProps;
  private readonly traffic: ResolvedTraffic;
  private readonly labels: Record<string, string>;
  private readonly routes = new Map<string, Route>();
  private readonly hostNames = new Set<string>();
  /** The host of each object-name slug, so that two hosts never share object names. */
  private readonly hostOfSlug = new Map<string, string>();
  private readonly pathsPerHost = new Map<string, number>();
  private readonly ingresses = new Map<string, ApiObject>();
  /** The sign-in proxy in front of each backend routed behind a sign-in; the other backends are routed directly. */
  private readonly signInProxies = new Map<IIngressBackend, ProductionApp>();
  private readonly directBackends = new Set<IIngressBackend>();
  private readonly needs: RoutesNeeds;
  private clientAddressesDeclared = false;
  private readonly gatewayRoutes?: GatewayRoutes;

  public constructor(scope: Construct, id: string, props: HardenedIngressProps) {
    super(scope, id);
    checkProps(this, props, {
      ...TRAFFIC_KINDS,
      controller: Kind.instance(IngressController, 'an IngressController (IngressController.haproxy, ingressNginx or gatewayApi)'),
      issuer: Kind.instance(CertificateIssuer, 'a CertificateIssuer (CertificateIssuer.clusterIssuer, issuer or acme)').optional(),
      tlsSecrets: Kind.record(Kind.STRING).optional(),
      name: Kind.STRING.optional(),
      namespace: Kind.STRING.optional(),
      dnsRecords: DNS_RECORDS_KIND.optional(),
    }, 'HardenedIngressProps');
    props.controller.check(this, 'controller');
    this.props = props;
    this.controller = props.controller;
    this.name = props.name ?? nameFromId(id);
    this.namespace = resolveNamespace(this, 'HardenedIngress', props.namespace);
    const gateway = this.controller.gateway;

    checkDnsLabel(this, 'name', this.name);
    for (const [host, secretName] of Object.entries(props.tlsSecrets ?? {})) {
      checkHostname(this, 'tlsSecrets', host, { wildcard: true });
      checkDnsSubdomain(this, `tlsSecrets.${host}`, secretName);
    }
    props.issuer?.check(this, 'issuer');
    props.dnsRecords?.check(this, 'dnsRecords', gateway === undefined || gateway.gatewayClassName !== undefined);
    if (gateway) {
      checkDnsSubdomain(this, 'controller.gateway.name', gateway.name);
      if (gateway.namespace !== undefined) {
        checkNamespaceName(this, 'controller.gateway.namespace', gateway.namespace);
      }
      for (const prop of ['httpsListener', 'httpListener'] as const) {
        const listener = gateway[prop];
        if (listener !== undefined) {
          checkDnsLabel(this, `controller.gateway.${prop}`, listener);
        }
      }
      if (gateway.gatewayClassName !== undefined) {
        checkDnsSubdomain(this, 'controller.gateway.gatewayClassName', gateway.gatewayClassName);
        check(gateway.namespace === undefined || gateway.namespace === this.namespace, this, 'controller.gateway.namespace', gateway.namespace,
          `must be the namespace of the HardenedIngress ('${this.namespace}') for a declared Gateway: its listeners use the certificates issued there`);
      } else {
        const tls = props.issuer?.name ?? props.tlsSecrets;
        check(tls === undefined, this, props.issuer ? 'issuer' : 'tlsSecrets', tls,
          'is not used with an existing Gateway: its HTTPS listener holds the certificates; set \'gatewayClassName\' to declare the Gateway here');
      }
    }
    checkTraffic(this, props, this.controller);
    this.traffic = resolveTraffic(props);

    this.labels = recommendedLabels({ name: this.name, instance: this.name, component: 'ingress' });
    this.needs = { controller: this.controller, namespace: this.namespace, issuer: props.issuer, tlsSecrets: props.tlsSecrets, dnsRecords: props.dnsRecords };
    Prerequisite.declare(this, ...routesPrerequisites(this.needs, this.acmeContext()));
    if (this.traffic.rateLimit !== undefined) {
      this.declareClientAddresses();
    }

    if (props.issuer?.acme) {
      const acme = addAcmeIssuer(this, props.issuer, this.acmeContext());
      this.clusterIssuer = acme.clusterIssuer;
      this.acmeSolverPolicy = acme.solverPolicy;
    }

    if (gateway) {
      const gatewayRoutes = new GatewayRoutes(this, gateway, {
        name: this.name,
        namespace: this.namespace,
        labels: this.labels,
        traffic: this.traffic,
        routes: this.routes,
        hostNames: this.hostNames,
        annotations: props.dnsRecords?.routeAnnotations(DnsRecordSource.GATEWAY_HTTPROUTE) ?? {},
        secretNameOf: (host) => this.secretNameOf(host),
      });
      this.gatewayRoutes = gatewayRoutes;
      if (gateway.gatewayClassName !== undefined) {
        this.gateway = new Gateway(this, 'Gateway', {
          metadata: { name: gateway.name, namespace: this.namespace, labels: this.labels, annotations: props.dnsRecords?.targetAnnotations() },
          spec: {
            gatewayClassName: gateway.gatewayClassName,
            listeners: Lazy.any({ produce: () => gatewayRoutes.listeners() }),
          },
        });
      }
    }
  }

  /**
   * Routes requests for `host` and `path` to `backend`, over HTTPS only, and lets the controller
   * reach the backend's pods on its container port; with `signIn`, to a sign-in proxy that alone
   * reaches the backend. Returns the Ingress or HTTPRoute that carries the route.
   */
  public route(host: string, path: string, backend: IIngressBackend, options: RouteOptions = {}): ApiObject {
    INGRESS_BACKEND_KIND.check(this, 'backend', backend);
    checkProps(this, options, ROUTE_OPTIONS_KINDS, 'RouteOptions');
    const gateway = this.controller.gateway;
    const ranges = options.allowedSourceRanges;
    const match = options.match ?? PathMatch.PREFIX;
    checkHostname(this, 'host', host, { wildcard: true });
    checkUrlPath(this, 'path', path);
    check(backend.servicePort !== undefined && backend.port !== undefined, this, 'backend', backend.node.path,
      'must expose a port: a route needs a Service port to send to and a container port to open');
    check(backend.namespace === this.namespace, this, 'backend', backend.node.path,
      `must be in the namespace of the routes ('${this.namespace}'), not '${backend.namespace}'`);
    check(!this.routes.has(`${host}${path}`), this, 'path', `${host}${path}`, 'is already routed: each host and path has one backend');
    const tlsDeclaredHere = gateway === undefined || gateway.gatewayClassName !== undefined;
    check(!tlsDeclaredHere || this.props.issuer !== undefined || this.props.tlsSecrets?.[host] !== undefined, this, 'host', host,
      'has no TLS certificate: set \'issuer\' or a \'tlsSecrets\' entry for it; every host is served over HTTPS only');
    const wildcardProblem = tlsDeclaredHere && this.props.tlsSecrets?.[host] === undefined ? this.props.issuer?.wildcardProblem(host) : undefined;
    check(wildcardProblem === undefined, this, 'host', host, wildcardProblem ?? '');
    this.props.dnsRecords?.checkHost(this, 'host', host);
    const slug = hostSlug(host);
    const sharing = this.hostOfSlug.get(slug);
    check(sharing === undefined || sharing === host, this, 'host', host, `would share its object names ('${slug}') with host '${sharing}'`);
    if (ranges !== undefined) {
      checkSupported(this, this.controller, TrafficFeature.SOURCE_ALLOW_LIST, ranges);
      check(ranges.length > 0, this, 'allowedSourceRanges', ranges, 'must list at least one CIDR block; leave it unset to allow every client');
      ranges.forEach((range) => checkCidr(this, 'allowedSourceRanges', range));
      this.declareClientAddresses();
    }
    if (gateway) {
      check((this.pathsPerHost.get(host) ?? 0) < HTTP_ROUTE_MAX_RULES, this, 'path', `${host}${path}`,
        `exceeds the ${HTTP_ROUTE_MAX_RULES} paths an HTTPRoute holds for one host`);
    }
    this.checkSignInRoute(host, backend, match, options);

    const proxy = options.signIn && addSignInProxy(this, options.signIn, {
      host, path, backend, servicePort: backend.servicePort, port: backend.port, backendTimeout: this.traffic.backendTimeout,
    });
    if (proxy === undefined) {
      this.directBackends.add(backend);
    } else {
      this.signInProxies.set(backend, proxy);
    }
    const target: IIngressBackend = proxy ?? backend;
    const sortedRanges = [...ranges ?? []].sort();
    this.routes.set(`${host}${path}`, { host, path, match, backend: target, ranges: sortedRanges });
    this.pathsPerHost.set(host, (this.pathsPerHost.get(host) ?? 0) + 1);
    if (!this.hostNames.has(host)) {
      this.hostNames.add(host);
      this.hostOfSlug.set(slug, host);
      this.addCertificate(host);
      Prerequisite.declare(this, ...hostPrerequisites(this.needs, host));
    }
    target.allowFrom(this.controller.peer, [{ port: proxy?.port ?? backend.port }]);
    return this.gatewayRoutes ? this.gatewayRoutes.routeFor(host) : this.ingressFor(sortedRanges);
  }

  /** The sign-in proxy in front of `backend`, when a route puts it behind a sign-in. */
  public signInProxy(backend: IIngressBackend): ProductionApp | undefined {
    return this.signInProxies.get(backend);
  }

  /** Checks that a backend is either behind one sign-in or routed directly, never both, and the sign-in itself. */
  private checkSignInRoute(host: string, backend: IIngressBackend, match: PathMatch, options: RouteOptions): void {
    const proxy = this.signInProxies.get(backend);
    if (options.signIn === undefined) {
      check(proxy === undefined, this, 'signIn', undefined,
        `must be set for backend '${backend.node.path}', which another route puts behind a sign-in: a route without it would open the backend to the controller`);
      return;
    }
    check(!this.directBackends.has(backend), this, 'signIn', backend.node.path,
      'cannot put a backend behind a sign-in that another route reaches directly: the controller would bypass the sign-in there');
    check(proxy === undefined, this, 'signIn', backend.node.path, 'is already set on another route to this backend: a backend has one sign-in route');
    check(match === PathMatch.PREFIX, this, 'match', match, 'must be Prefix with a sign-in: the proxy serves its own pages under <path>/oauth2');
    check(!host.startsWith('*.'), this, 'host', host,
      'cannot be a wildcard behind a sign-in: the identity provider redirects to one registered URI, https://<host><path>/oauth2/callback');
    checkSignIn(this, options.signIn, backend);
  }

  /** Declares, once, that an ingress controller sees each client's own address, for the rate limits and allow-lists it enforces. */
  private declareClientAddresses(): void {
    const prerequisite = clientAddressesPrerequisite(this.controller);
    if (!this.clientAddressesDeclared && prerequisite !== undefined) {
      Prerequisite.declare(this, prerequisite);
      this.clientAddressesDeclared = true;
    }
  }

  /** What the declared ACME issuer's solvers read: the names, the namespace of the certificates and the controller. */
  private acmeContext(): AcmeIssuerContext {
    return { name: this.name, namespace: this.namespace, labels: this.labels, controller: this.controller };
  }

  private secretNameOf(host: string): string | undefined {
    return this.props.tlsSecrets?.[host] ?? (this.props.issuer ? tlsSecretName(host) : undefined);
  }

  private addCertificate(host: string): void {
    const issuer = this.props.issuer;
    const gateway = this.controller.gateway;
    const existingGateway = gateway !== undefined && gateway.gatewayClassName === undefined;
    if (issuer === undefined || this.props.tlsSecrets?.[host] !== undefined || existingGateway) {
      return;
    }
    const name = tlsSecretName(host);
    new Certificate(this, `Certificate-${host}`, {
      metadata: { name, namespace: this.namespace, labels: this.labels },
      spec: {
        secretName: name,
        dnsNames: [host],
        issuerRef: { name: issuer.name, kind: issuer.kind, group: 'cert-manager.io' },
        privateKey: { algorithm: CertificateSpecPrivateKeyAlgorithm.ECDSA, size: 256, rotationPolicy: CertificateSpecPrivateKeyRotationPolicy.ALWAYS },
      },
    });
  }

  private ingressFor(ranges: readonly string[]): ApiObject {
    const key = ranges.join(',');
    const existing = this.ingresses.get(key);
    if (existing) {
      return existing;
    }
    // Annotations hold for a whole Ingress: routes with the same allow-list share one.
    const hash = ranges.length > 0 ? shortHash(key, 8) : undefined;
    const routes = () => [...this.routes.values()].filter((r) => r.ranges.join(',') === key);
    const ingress = new k8s.KubeIngress(this, hash ? `Restricted-${hash}` : 'Resource', {
      metadata: {
        name: hash ? `${this.name}-restricted-${hash}` : this.name,
        namespace: this.namespace,
        labels: this.labels,
        annotations: { ...this.controller.renderAnnotations(this.props, ranges), ...this.props.dnsRecords?.routeAnnotations(DnsRecordSource.INGRESS) },
      },
      spec: {
        ingressClassName: this.controller.ingressClassName,
        tls: Lazy.any({
          produce: () => [...routesByHost(routes()).keys()].map((host) => ({ hosts: [host], secretName: this.secretNameOf(host) })),
        }),
        rules: Lazy.any({
          produce: () => [...routesByHost(routes())].map(([host, hostRoutes]) => ({
            host,
            http: {
              paths: hostRoutes.map((r) => ({
                path: r.path,
                pathType: r.match,
                backend: { service: { name: r.backend.serviceName, port: { number: r.backend.servicePort } } },
              })),
            },
          })),
        }),
      },
    });
    this.ingresses.set(key, ingress);
    return ingress;
  }
}
