import { ApiObject, Duration, Lazy, Size, SizeRoundingBehavior } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  Certificate, CertificateSpecPrivateKeyAlgorithm, CertificateSpecPrivateKeyRotationPolicy, ClusterIssuer, ClusterIssuerSpecAcmeSolversHttp01,
} from '../../imports/cert-manager.io';
import {
  Gateway, GatewaySpecListeners, GatewaySpecListenersAllowedRoutesNamespacesFrom, GatewaySpecListenersTlsMode, HttpRoute,
  HttpRouteSpecRules, HttpRouteSpecRulesFilters, HttpRouteSpecRulesFiltersCorsAllowMethods, HttpRouteSpecRulesFiltersRequestRedirectScheme,
  HttpRouteSpecRulesFiltersRequestRedirectStatusCode, HttpRouteSpecRulesFiltersType, HttpRouteSpecRulesMatchesPathType,
} from '../../imports/gateway.networking.k8s.io';
import { check } from '../core/errors';
import { shortHash } from '../core/hashing';
import { recommendedLabels } from '../core/labels';
import { clusterScoped, nameFromId, resolveNamespace } from '../core/names';
import {
  checkCidr, checkDnsLabel, checkDnsSubdomain, checkHostname, checkInteger, checkNamespaceName, checkUrlPath,
} from '../core/validate';
import { NetworkPeer } from '../network/network-peer';
import { NetworkPolicyRules, PolicyType } from '../network/network-policy-rules';
import { IWorkload } from '../workload/workload';

/**
 * A workload a route sends traffic to: the workload contract, plus the Service in front of its pods.
 * {@link ProductionApp} is one.
 */
export interface IIngressBackend extends IWorkload {
  /** Name of the Service. */
  readonly serviceName: string;
  /** Port of the Service the route sends traffic to; unset for a workload that serves nothing. */
  readonly servicePort?: number;
  /** Container port behind the Service, which the backend's NetworkPolicy opens to the controller. */
  readonly port?: number;
}

/**
 * A traffic rule that not every rendering can enforce (the redirect, HSTS, the backend timeout and
 * CORS every rendering enforces). A rule the chosen {@link IngressController}
 * cannot enforce is refused at synth, never silently dropped; its value is the prop that sets it.
 */
export enum TrafficFeature {
  /** HSTS settings on the route objects (rather than controller-wide). */
  HSTS_OPTIONS = 'hsts',
  /** Requests per second per client address. */
  RATE_LIMIT = 'rateLimit.requestsPerSecond',
  /** Concurrent connections per client address. */
  CONNECTION_LIMIT = 'rateLimit.connectionsPerClient',
  /** Largest request body. */
  MAX_BODY_SIZE = 'maxBodySize',
  /** Time to open a connection to the backend. */
  CONNECT_TIMEOUT = 'timeouts.connect',
  /** Source-address allow-lists per route. */
  SOURCE_ALLOW_LIST = 'allowedSourceRanges',
}

/** An HTTP method a CORS policy allows. */
export enum HttpMethod {
  GET = 'GET',
  HEAD = 'HEAD',
  POST = 'POST',
  PUT = 'PUT',
  PATCH = 'PATCH',
  DELETE = 'DELETE',
  OPTIONS = 'OPTIONS',
}

/** How a route's path matches request paths. */
export enum PathMatch {
  /** The path and everything below it, by whole segments: `/api` matches `/api` and `/api/v1`, not `/apis`. */
  PREFIX = 'Prefix',
  /** The path alone. */
  EXACT = 'Exact',
}

/**
 * HTTP Strict Transport Security: browsers remember to use HTTPS only.
 * @see https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Strict-Transport-Security
 */
export interface HstsOptions {
  /** How long browsers remember. @default Duration.days(365) */
  readonly maxAge?: Duration;
  /** Whether the rule covers every subdomain too. @default true */
  readonly includeSubdomains?: boolean;
  /** Whether to ask for inclusion in browsers' preload lists (needs subdomains and at least a year). @default false */
  readonly preload?: boolean;
}

/** Requests a client address may make. */
export interface RateLimit {
  /** Requests per second per client address; more are answered with an error status. */
  readonly requestsPerSecond: number;
  /** Concurrent connections per client address. @default - no connection limit */
  readonly connectionsPerClient?: number;
}

/** Timeouts between the proxy and the backend. */
export interface IngressTimeouts {
  /** Time to open a connection to the backend. @default - the controller's default */
  readonly connect?: Duration;
  /**
   * Time the backend may take to answer: between two reads for ingress-nginx and HAProxy, the
   * whole response for the Gateway API (`backendRequest`).
   * @default - the controller's default
   */
  readonly backend?: Duration;
}

/**
 * Cross-origin resource sharing, answered by the proxy.
 * @see https://developer.mozilla.org/en-US/docs/Web/HTTP/CORS
 */
export interface CorsOptions {
  /** Origins (`https://app.example.com`, with an optional port) allowed to call the routes; `['*']` for any. */
  readonly allowOrigins: string[];
  /** Whether browsers may send cookies and credentials; never with the `*` origin. @default false */
  readonly allowCredentials?: boolean;
  /** Methods allowed. @default [GET, HEAD, POST, PUT, PATCH, DELETE] */
  readonly allowMethods?: HttpMethod[];
  /** Request headers allowed. @default ['Authorization', 'Content-Type'] */
  readonly allowHeaders?: string[];
  /** How long browsers cache a preflight answer. @default Duration.minutes(10) */
  readonly maxAge?: Duration;
}

/** The traffic rules every route of a {@link HardenedIngress} gets. */
export interface TrafficOptions {
  /** Strict-Transport-Security on every response. @default - a year, with subdomains, without preload */
  readonly hsts?: HstsOptions;
  /** Rate limits per client address. @default - no rate limit */
  readonly rateLimit?: RateLimit;
  /** Largest request body. @default - the controller's default (1 MiB for ingress-nginx) */
  readonly maxBodySize?: Size;
  /** Timeouts towards the backend. @default - the controller's defaults */
  readonly timeouts?: IngressTimeouts;
  /** CORS answered by the proxy. @default - no CORS headers: browsers allow same-origin calls only */
  readonly cors?: CorsOptions;
}

/** An ingress controller installed in the cluster. */
export interface IngressControllerOptions {
  /** IngressClass the controller watches. @default - the controller's usual class ('nginx', 'haproxy') */
  readonly className?: string;
  /** The controller's pods, which the backends admit. @default - every pod in the controller's usual namespace ('ingress-nginx', 'haproxy-controller') */
  readonly peer?: NetworkPeer;
}

/**
 * A Gateway API `Gateway` the routes attach to.
 * @see https://gateway-api.sigs.k8s.io/api-types/gateway/
 */
export interface GatewayOptions {
  /** Name of the Gateway. */
  readonly name: string;
  /** The gateway's proxy pods, which the backends admit; where they run depends on the implementation. */
  readonly peer: NetworkPeer;
  /**
   * Declare the Gateway here, of this GatewayClass: an HTTPS listener per host with its certificate
   * and an HTTP listener whose only route redirects to HTTPS.
   * @default - the Gateway exists; routes attach to its listener `httpsListener`
   */
  readonly gatewayClassName?: string;
  /** Namespace of an existing Gateway; a declared one lives with its routes. @default - the namespace of the HardenedIngress */
  readonly namespace?: string;
  /** HTTPS listener of an existing Gateway, which terminates TLS with its own certificates. @default 'https' */
  readonly httpsListener?: string;
  /** HTTP listener of an existing Gateway, for the redirect to HTTPS and ACME HTTP-01. @default 'http' */
  readonly httpListener?: string;
}

interface ControllerSpec {
  readonly description: string;
  readonly peer: NetworkPeer;
  readonly ingressClassName?: string;
  readonly gateway?: GatewayOptions;
  readonly limitations: Partial<Record<TrafficFeature, string>>;
  readonly annotations?: (traffic: ResolvedTraffic, allowedSourceRanges: readonly string[]) => Record<string, string>;
}

/**
 * What carries traffic into the cluster, and so what a {@link HardenedIngress} writes: an `Ingress`
 * with the controller's annotations, or Gateway API `HTTPRoute`s. Every rendering enforces TLS, the
 * redirect to HTTPS and HSTS; a rule it cannot enforce ({@link TrafficFeature}) is refused at synth.
 * No rendering ever writes a `*-snippet` annotation.
 */
export class IngressController {
  /**
   * ingress-nginx, the controller the seed guides assume. It was retired in March 2026 and gets no
   * more security fixes: use it only where it still runs, and plan the move to the Gateway API.
   * Enforces every rule per Ingress except HSTS, which it sets controller-wide (ConfigMap `hsts*`,
   * on by default for a year with subdomains).
   * @see https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/
   */
  public static ingressNginx(options: IngressControllerOptions = {}): IngressController {
    return new IngressController({
      description: 'ingress-nginx',
      peer: options.peer ?? NetworkPeer.namespace('ingress-nginx'),
      ingressClassName: options.className ?? 'nginx',
      limitations: {
        [TrafficFeature.HSTS_OPTIONS]: 'ingress-nginx sets HSTS controller-wide (ConfigMap keys hsts, hsts-max-age, hsts-include-subdomains, hsts-preload); leave it unset',
      },
      annotations: nginxAnnotations,
    });
  }

  /**
   * The HAProxy Kubernetes Ingress Controller (haproxytech). Enforces the redirect, HSTS, rate
   * limits, the backend timeout, CORS and allow-lists per Ingress; it has no per-Ingress
   * annotation for body size, connect timeout or per-client connection limits (ConfigMap only).
   * Its backend settings are per Service: every Ingress that routes to a Service shares them.
   * @see https://github.com/haproxytech/kubernetes-ingress/blob/master/documentation/annotations.md
   */
  public static haproxy(options: IngressControllerOptions = {}): IngressController {
    const configMapOnly = 'the HAProxy ingress controller sets it in its ConfigMap only, for all traffic';
    return new IngressController({
      description: 'the HAProxy ingress controller',
      peer: options.peer ?? NetworkPeer.namespace('haproxy-controller'),
      ingressClassName: options.className ?? 'haproxy',
      limitations: {
        [TrafficFeature.MAX_BODY_SIZE]: 'the HAProxy ingress controller has no body-size annotation',
        [TrafficFeature.CONNECT_TIMEOUT]: configMapOnly,
        [TrafficFeature.CONNECTION_LIMIT]: 'the HAProxy ingress controller limits connections per backend, not per client',
      },
      annotations: haproxyAnnotations,
    });
  }

  /**
   * Gateway API (standard channel, v1): `HTTPRoute`s attached to a `Gateway`, the forward path for
   * every implementation. The standard API enforces TLS, the redirect (HTTP listener), HSTS
   * (response header filter), CORS and the backend timeout (both "Extended" support: check that the
   * implementation supports them). Rate limits, body size, connect timeouts and source allow-lists
   * need an implementation-specific policy (e.g. Envoy Gateway's BackendTrafficPolicy and
   * SecurityPolicy) that this construct does not write, so they are refused here.
   * @see https://gateway-api.sigs.k8s.io/api-types/httproute/
   */
  public static gatewayApi(options: GatewayOptions): IngressController {
    const policy = 'the standard Gateway API has no field for it: attach an implementation-specific policy to the HTTPRoute instead';
    return new IngressController({
      description: 'the Gateway API',
      peer: options.peer,
      gateway: options,
      limitations: {
        [TrafficFeature.RATE_LIMIT]: policy,
        [TrafficFeature.CONNECTION_LIMIT]: policy,
        [TrafficFeature.MAX_BODY_SIZE]: policy,
        [TrafficFeature.CONNECT_TIMEOUT]: policy,
        [TrafficFeature.SOURCE_ALLOW_LIST]: policy,
      },
    });
  }

  /** The controller's or gateway's proxy pods: the only peer the backends admit. */
  public readonly peer: NetworkPeer;
  /** IngressClass of the Ingress rendering; unset for the Gateway API. */
  public readonly ingressClassName?: string;
  /** The Gateway of the Gateway API rendering; unset for an Ingress. */
  public readonly gateway?: GatewayOptions;
  /** Name of the controller in messages. */
  public readonly description: string;
  private readonly limitations: Partial<Record<TrafficFeature, string>>;
  private readonly annotations?: ControllerSpec['annotations'];

  private constructor(spec: ControllerSpec) {
    this.description = spec.description;
    this.peer = spec.peer;
    this.ingressClassName = spec.ingressClassName;
    this.gateway = spec.gateway;
    this.limitations = spec.limitations;
    this.annotations = spec.annotations;
  }

  /** Why this rendering cannot enforce `feature`, or undefined when it can. */
  public limitation(feature: TrafficFeature): string | undefined {
    return this.limitations[feature];
  }

  /** The Ingress annotations that enforce `traffic` (and a source allow-list); empty for the Gateway API. */
  public renderAnnotations(traffic: TrafficOptions, allowedSourceRanges: readonly string[] = []): Record<string, string> {
    return this.annotations?.(resolveTraffic(traffic), allowedSourceRanges) ?? {};
  }
}

/**
 * An ACME directory.
 * @see https://letsencrypt.org/docs/staging-environment/
 */
export class AcmeServer {
  /** Let's Encrypt production: trusted certificates, strict rate limits. */
  public static letsEncrypt(): AcmeServer {
    return new AcmeServer('https://acme-v02.api.letsencrypt.org/directory');
  }

  /** Let's Encrypt staging: untrusted certificates, generous rate limits; for development and tests. */
  public static letsEncryptStaging(): AcmeServer {
    return new AcmeServer('https://acme-staging-v02.api.letsencrypt.org/directory');
  }

  /** Any ACME directory, by its HTTPS URL. */
  public static url(url: string): AcmeServer {
    return new AcmeServer(url);
  }

  private constructor(public readonly url: string) {}
}

/** An ACME `ClusterIssuer` to declare. */
export interface AcmeIssuerOptions {
  /** Name of the ClusterIssuer (cluster-wide: declare it once per cluster). */
  readonly name: string;
  /** The ACME directory. */
  readonly server: AcmeServer;
  /** Contact address for the ACME account (expiry and incident notices). */
  readonly email: string;
}

/** Kind of a cert-manager issuer. */
export enum IssuerKind {
  /** A cluster-wide `ClusterIssuer`. */
  CLUSTER_ISSUER = 'ClusterIssuer',
  /** An `Issuer` in the namespace of the certificates. */
  ISSUER = 'Issuer',
}

/**
 * The cert-manager issuer that signs a certificate for every host.
 * @see https://cert-manager.io/docs/configuration/
 */
export class CertificateIssuer {
  /** An existing `ClusterIssuer`. */
  public static clusterIssuer(name: string): CertificateIssuer {
    return new CertificateIssuer(name, IssuerKind.CLUSTER_ISSUER);
  }

  /** An existing `Issuer` in the namespace of the routes. */
  public static issuer(name: string): CertificateIssuer {
    return new CertificateIssuer(name, IssuerKind.ISSUER);
  }

  /**
   * An ACME `ClusterIssuer` declared with the routes, which proves control of each host by HTTP-01
   * through the same ingress class or Gateway. The solver pods are admitted from the controller.
   * @see https://cert-manager.io/docs/configuration/acme/http01/
   */
  public static acme(options: AcmeIssuerOptions): CertificateIssuer {
    return new CertificateIssuer(options.name, IssuerKind.CLUSTER_ISSUER, options);
  }

  private constructor(
    /** Name of the issuer. */
    public readonly name: string,
    /** Kind of the issuer. */
    public readonly kind: IssuerKind,
    /** The ACME ClusterIssuer to declare, when it is declared here. */
    public readonly acme?: AcmeIssuerOptions,
  ) {}
}

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
  /** Name of the Ingress, and prefix of the other objects. @default - the construct id in kebab-case */
  readonly name?: string;
  /** Namespace of the objects, and of the backends. @default - the namespace of the chart */
  readonly namespace?: string;
}

/** Options of one route. */
export interface RouteOptions {
  /** How the path matches. @default PathMatch.PREFIX */
  readonly match?: PathMatch;
  /**
   * Client addresses (CIDR blocks) allowed on this route, e.g. for an admin console; the controller
   * must see real client addresses (e.g. `externalTrafficPolicy: Local` or PROXY protocol).
   * @default - every client
   */
  readonly allowedSourceRanges?: string[];
}

interface Route {
  readonly host: string;
  readonly path: string;
  readonly match: PathMatch;
  readonly backend: IIngressBackend;
  /** Allowed client CIDR blocks, sorted; empty for every client. */
  readonly ranges: readonly string[];
}

interface ResolvedTraffic {
  readonly hsts: string;
  readonly rateLimit?: RateLimit;
  readonly maxBodySize?: Size;
  readonly connectTimeout?: number;
  readonly backendTimeout?: number;
  readonly cors?: Required<Omit<CorsOptions, 'maxAge'>> & { readonly maxAge: number };
}

const DEFAULT_METHODS = [HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE];
const ORIGIN = /^https?:\/\/[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*(:[0-9]{1,5})?$/;
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const ACME_SOLVER_LABEL = 'acme.cert-manager.io/http01-solver';
const ACME_SOLVER_PORT = 8089;
const HTTP_ROUTE_MAX_RULES = 16;
const ONE_YEAR_SECONDS = 365 * 24 * 3600;
const HTTP_LISTENER = 'http';

/**
 * The only way traffic enters: routes from hosts and paths to backends, with TLS for every host
 * from cert-manager, the redirect to HTTPS, HSTS, and the rate limits, body size, timeouts, CORS
 * and allow-lists the chosen {@link IngressController} can enforce (it refuses the rest). Each
 * backend's NetworkPolicy admits the controller's pods, on the backend's port, and nothing else.
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
  private readonly routeObjects = new Map<string, ApiObject>();
  private redirect?: HttpRoute;

  public constructor(scope: Construct, id: string, props: HardenedIngressProps) {
    super(scope, id);
    this.props = props;
    this.controller = props.controller;
    this.name = props.name ?? nameFromId(id);
    this.namespace = resolveNamespace(this, 'HardenedIngress', props.namespace);
    const gateway = this.controller.gateway;

    checkDnsLabel(this, 'name', this.name);
    for (const [host, secretName] of Object.entries(props.tlsSecrets ?? {})) {
      checkHostname(this, 'tlsSecrets', host);
      checkDnsSubdomain(this, `tlsSecrets.${host}`, secretName);
    }
    if (props.issuer) {
      checkDnsSubdomain(this, 'issuer.name', props.issuer.name);
    }
    if (props.issuer?.acme) {
      check(props.issuer.acme.server.url.startsWith('https://'), this, 'issuer.server', props.issuer.acme.server.url, 'must be an https URL');
      check(EMAIL.test(props.issuer.acme.email), this, 'issuer.email', props.issuer.acme.email, 'must be an email address');
    }
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
    this.checkTraffic(props);
    this.traffic = resolveTraffic(props);

    this.labels = recommendedLabels({ name: this.name, instance: this.name, component: 'ingress' });

    if (props.issuer?.acme) {
      this.clusterIssuer = new ClusterIssuer(this, 'ClusterIssuer', {
        metadata: { name: props.issuer.name, labels: this.labels },
        spec: {
          acme: {
            server: props.issuer.acme.server.url,
            email: props.issuer.acme.email,
            privateKeySecretRef: { name: `${props.issuer.name}-account-key` },
            solvers: [{ http01: this.http01Solver() }],
          },
        },
      });
      clusterScoped(this.clusterIssuer);
      // The solver pods run in the namespace of the certificates, behind its default-deny policy.
      this.acmeSolverPolicy = new NetworkPolicyRules(this, 'AcmeSolverPolicy', {
        name: `${this.name}-acme-http01-solver`,
        namespace: this.namespace,
        podSelector: { [ACME_SOLVER_LABEL]: 'true' },
        labels: this.labels,
        policyTypes: [PolicyType.INGRESS],
      });
      this.acmeSolverPolicy.allowIngress(this.controller.peer, [{ port: ACME_SOLVER_PORT }]);
    }

    if (gateway?.gatewayClassName !== undefined) {
      this.gateway = new Gateway(this, 'Gateway', {
        metadata: { name: gateway.name, namespace: this.namespace, labels: this.labels },
        spec: {
          gatewayClassName: gateway.gatewayClassName,
          listeners: Lazy.any({ produce: () => this.renderListeners() }),
        },
      });
    }
  }

  /**
   * Routes requests for `host` and `path` to `backend`, over HTTPS only, and lets the controller
   * reach the backend's pods on its container port. Returns the Ingress or HTTPRoute that carries the route.
   */
  public route(host: string, path: string, backend: IIngressBackend, options: RouteOptions = {}): ApiObject {
    const gateway = this.controller.gateway;
    const ranges = options.allowedSourceRanges;
    checkHostname(this, 'host', host);
    checkUrlPath(this, 'path', path);
    check(backend.servicePort !== undefined && backend.port !== undefined, this, 'backend', backend.node.path,
      'must expose a port: a route needs a Service port to send to and a container port to open');
    check(backend.namespace === this.namespace, this, 'backend', backend.node.path,
      `must be in the namespace of the routes ('${this.namespace}'), not '${backend.namespace}'`);
    check(!this.routes.has(`${host}${path}`), this, 'path', `${host}${path}`, 'is already routed: each host and path has one backend');
    const tlsDeclaredHere = gateway === undefined || gateway.gatewayClassName !== undefined;
    check(!tlsDeclaredHere || this.props.issuer !== undefined || this.props.tlsSecrets?.[host] !== undefined, this, 'host', host,
      'has no TLS certificate: set \'issuer\' or a \'tlsSecrets\' entry for it; every host is served over HTTPS only');
    const slug = hostSlug(host);
    const sharing = this.hostOfSlug.get(slug);
    check(sharing === undefined || sharing === host, this, 'host', host, `would share its object names ('${slug}') with host '${sharing}'`);
    if (ranges !== undefined) {
      this.checkSupported(TrafficFeature.SOURCE_ALLOW_LIST, ranges);
      check(ranges.length > 0, this, 'allowedSourceRanges', ranges, 'must list at least one CIDR block; leave it unset to allow every client');
      ranges.forEach((range) => checkCidr(this, 'allowedSourceRanges', range));
    }
    if (gateway) {
      check((this.pathsPerHost.get(host) ?? 0) < HTTP_ROUTE_MAX_RULES, this, 'path', `${host}${path}`,
        `exceeds the ${HTTP_ROUTE_MAX_RULES} paths an HTTPRoute holds for one host`);
    }

    const sortedRanges = [...ranges ?? []].sort();
    this.routes.set(`${host}${path}`, { host, path, match: options.match ?? PathMatch.PREFIX, backend, ranges: sortedRanges });
    this.pathsPerHost.set(host, (this.pathsPerHost.get(host) ?? 0) + 1);
    if (!this.hostNames.has(host)) {
      this.hostNames.add(host);
      this.hostOfSlug.set(slug, host);
      this.addCertificate(host);
    }
    backend.allowFrom(this.controller.peer, [{ port: backend.port }]);
    return gateway ? this.httpRouteFor(host, gateway) : this.ingressFor(sortedRanges);
  }

  private checkTraffic(props: TrafficOptions): void {
    const hsts = props.hsts ?? {};
    const maxAge = seconds(hsts.maxAge ?? Duration.days(365));
    checkInteger(this, 'hsts.maxAge', maxAge, 0);
    if (props.hsts !== undefined) {
      this.checkSupported(TrafficFeature.HSTS_OPTIONS, resolveTraffic(props).hsts);
    }
    check(!hsts.preload || (hsts.includeSubdomains !== false && maxAge >= ONE_YEAR_SECONDS), this, 'hsts.preload', hsts.preload,
      'needs includeSubdomains and a maxAge of at least a year: browsers\' preload lists accept nothing less');
    if (props.rateLimit) {
      this.checkSupported(TrafficFeature.RATE_LIMIT, props.rateLimit.requestsPerSecond);
      checkInteger(this, 'rateLimit.requestsPerSecond', props.rateLimit.requestsPerSecond, 1);
      if (props.rateLimit.connectionsPerClient !== undefined) {
        this.checkSupported(TrafficFeature.CONNECTION_LIMIT, props.rateLimit.connectionsPerClient);
        checkInteger(this, 'rateLimit.connectionsPerClient', props.rateLimit.connectionsPerClient, 1);
      }
    }
    if (props.maxBodySize) {
      const kib = props.maxBodySize.toKibibytes({ rounding: SizeRoundingBehavior.NONE });
      this.checkSupported(TrafficFeature.MAX_BODY_SIZE, `${kib}Ki`);
      check(Number.isInteger(kib) && kib >= 1, this, 'maxBodySize', `${kib}Ki`, 'must be a whole number of kibibytes, at least 1');
    }
    const timeouts = props.timeouts ?? {};
    if (timeouts.connect !== undefined) {
      this.checkSupported(TrafficFeature.CONNECT_TIMEOUT, timeouts.connect.toHumanString());
      checkInteger(this, 'timeouts.connect', seconds(timeouts.connect), 1, 3600);
    }
    if (timeouts.backend !== undefined) {
      checkInteger(this, 'timeouts.backend', seconds(timeouts.backend), 1, 3600);
    }
    if (props.cors) {
      this.checkCors(props.cors);
    }
  }

  private checkCors(cors: CorsOptions): void {
    const origins = cors.allowOrigins;
    check(origins.length > 0, this, 'cors.allowOrigins', origins, 'must list at least one origin');
    for (const origin of origins) {
      check(origin === '*' || ORIGIN.test(origin), this, 'cors.allowOrigins', origin,
        'must be \'*\' or an origin such as \'https://app.example.com\' (scheme, host and optional port, no path)');
    }
    if (origins.includes('*')) {
      check(!cors.allowCredentials, this, 'cors.allowCredentials', true,
        'must be false with the \'*\' origin: any site could make credentialed calls as the user; list the origins instead');
      check(origins.length === 1, this, 'cors.allowOrigins', origins, 'must not list other origins beside \'*\'');
    }
    for (const header of cors.allowHeaders ?? []) {
      check(HEADER_NAME.test(header) && header !== '*', this, 'cors.allowHeaders', header, 'must be an HTTP header name');
    }
    check((cors.allowMethods ?? DEFAULT_METHODS).length > 0, this, 'cors.allowMethods', cors.allowMethods, 'must list at least one method');
    checkInteger(this, 'cors.maxAge', seconds(cors.maxAge ?? Duration.minutes(10)), 0, 86400);
  }

  private checkSupported(feature: TrafficFeature, value: unknown): void {
    const limitation = this.controller.limitation(feature);
    check(limitation === undefined, this, feature, value, `cannot be enforced by ${this.controller.description}: ${limitation}`);
  }

  private http01Solver(): ClusterIssuerSpecAcmeSolversHttp01 {
    const gateway = this.controller.gateway;
    if (gateway === undefined) {
      return { ingress: { ingressClassName: this.controller.ingressClassName } };
    }
    return {
      gatewayHttpRoute: {
        parentRefs: [{
          kind: 'Gateway',
          name: gateway.name,
          namespace: gateway.namespace ?? this.namespace,
          sectionName: gateway.gatewayClassName !== undefined ? HTTP_LISTENER : gateway.httpListener ?? HTTP_LISTENER,
        }],
      },
    };
  }

  private secretNameOf(host: string): string | undefined {
    return this.props.tlsSecrets?.[host] ?? (this.props.issuer ? `${hostSlug(host)}-tls` : undefined);
  }

  private addCertificate(host: string): void {
    const issuer = this.props.issuer;
    const gateway = this.controller.gateway;
    const existingGateway = gateway !== undefined && gateway.gatewayClassName === undefined;
    if (issuer === undefined || this.props.tlsSecrets?.[host] !== undefined || existingGateway) {
      return;
    }
    const name = `${hostSlug(host)}-tls`;
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
    const existing = this.routeObjects.get(key);
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
        annotations: this.controller.renderAnnotations(this.props, ranges),
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
    this.routeObjects.set(key, ingress);
    return ingress;
  }

  private httpRouteFor(host: string, gateway: GatewayOptions): ApiObject {
    const existing = this.routeObjects.get(host);
    if (existing) {
      return existing;
    }
    const declared = gateway.gatewayClassName !== undefined;
    const parent = {
      name: gateway.name,
      namespace: declared ? undefined : gateway.namespace,
    };
    this.redirect ??= new HttpRoute(this, 'HttpsRedirect', {
      metadata: { name: `${this.name}-https-redirect`, namespace: this.namespace, labels: this.labels },
      spec: {
        parentRefs: [{ ...parent, sectionName: declared ? HTTP_LISTENER : gateway.httpListener ?? HTTP_LISTENER }],
        hostnames: Lazy.any({ produce: () => [...this.hostNames] }),
        rules: [{
          filters: [{
            type: HttpRouteSpecRulesFiltersType.REQUEST_REDIRECT,
            requestRedirect: {
              scheme: HttpRouteSpecRulesFiltersRequestRedirectScheme.HTTPS,
              statusCode: HttpRouteSpecRulesFiltersRequestRedirectStatusCode.VALUE_301,
            },
          }],
        }],
      },
    });
    const route = new HttpRoute(this, `HttpRoute-${host}`, {
      metadata: { name: `${this.name}-${hostSlug(host)}`, namespace: this.namespace, labels: this.labels },
      spec: {
        parentRefs: [{ ...parent, sectionName: declared ? httpsListenerOf(host) : gateway.httpsListener ?? 'https' }],
        hostnames: [host],
        rules: Lazy.any({
          produce: () => [...this.routes.values()].filter((r) => r.host === host).map((r) => this.renderRule(r)),
        }),
      },
    });
    this.routeObjects.set(host, route);
    return route;
  }

  private renderRule(route: Route): HttpRouteSpecRules {
    const filters: HttpRouteSpecRulesFilters[] = [{
      type: HttpRouteSpecRulesFiltersType.RESPONSE_HEADER_MODIFIER,
      responseHeaderModifier: { set: [{ name: 'Strict-Transport-Security', value: this.traffic.hsts }] },
    }];
    const cors = this.traffic.cors;
    if (cors) {
      filters.push({
        type: HttpRouteSpecRulesFiltersType.CORS,
        cors: {
          allowOrigins: cors.allowOrigins,
          allowCredentials: cors.allowCredentials,
          allowMethods: cors.allowMethods.map((m) => HttpRouteSpecRulesFiltersCorsAllowMethods[m]),
          allowHeaders: cors.allowHeaders,
          maxAge: cors.maxAge,
        },
      });
    }
    return {
      matches: [{
        path: {
          type: route.match === PathMatch.EXACT ? HttpRouteSpecRulesMatchesPathType.EXACT : HttpRouteSpecRulesMatchesPathType.PATH_PREFIX,
          value: route.path,
        },
      }],
      filters,
      backendRefs: [{ name: route.backend.serviceName, port: route.backend.servicePort }],
      timeouts: this.traffic.backendTimeout !== undefined ? { backendRequest: `${this.traffic.backendTimeout}s` } : undefined,
    };
  }

  private renderListeners(): GatewaySpecListeners[] {
    const allowedRoutes = { namespaces: { from: GatewaySpecListenersAllowedRoutesNamespacesFrom.SAME }, kinds: [{ kind: 'HTTPRoute' }] };
    return [
      { name: HTTP_LISTENER, protocol: 'HTTP', port: 80, allowedRoutes },
      ...[...this.hostNames].map((host) => ({
        name: httpsListenerOf(host),
        protocol: 'HTTPS',
        port: 443,
        hostname: host,
        tls: { mode: GatewaySpecListenersTlsMode.TERMINATE, certificateRefs: [{ name: this.secretNameOf(host) ?? '' }] },
        allowedRoutes,
      })),
    ];
  }
}

/** Seconds, possibly fractional: `Duration.toSeconds()` throws on fractions before a check can name the prop. */
function seconds(duration: Duration): number {
  return duration.toMilliseconds() / 1000;
}

function hostSlug(host: string): string {
  return host.replace(/\./g, '-');
}

/** The routes of each host, hosts in the order they were first routed. */
function routesByHost(routes: readonly Route[]): Map<string, Route[]> {
  const byHost = new Map<string, Route[]>();
  for (const route of routes) {
    const hostRoutes = byHost.get(route.host);
    if (hostRoutes === undefined) {
      byHost.set(route.host, [route]);
    } else {
      hostRoutes.push(route);
    }
  }
  return byHost;
}

function httpsListenerOf(host: string): string {
  return `https-${hostSlug(host)}`;
}

function resolveTraffic(traffic: TrafficOptions): ResolvedTraffic {
  const hsts = traffic.hsts ?? {};
  const header = [`max-age=${(hsts.maxAge ?? Duration.days(365)).toSeconds()}`];
  if (hsts.includeSubdomains ?? true) {
    header.push('includeSubDomains');
  }
  if (hsts.preload) {
    header.push('preload');
  }
  const cors = traffic.cors;
  return {
    hsts: header.join('; '),
    rateLimit: traffic.rateLimit,
    maxBodySize: traffic.maxBodySize,
    connectTimeout: traffic.timeouts?.connect?.toSeconds(),
    backendTimeout: traffic.timeouts?.backend?.toSeconds(),
    cors: cors && {
      allowOrigins: cors.allowOrigins,
      allowCredentials: cors.allowCredentials ?? false,
      allowMethods: cors.allowMethods ?? DEFAULT_METHODS,
      allowHeaders: cors.allowHeaders ?? ['Authorization', 'Content-Type'],
      maxAge: (cors.maxAge ?? Duration.minutes(10)).toSeconds(),
    },
  };
}

function nginxAnnotations(traffic: ResolvedTraffic, allowedSourceRanges: readonly string[]): Record<string, string> {
  const prefix = 'nginx.ingress.kubernetes.io';
  const annotations: Record<string, string> = { [`${prefix}/ssl-redirect`]: 'true' };
  if (traffic.rateLimit) {
    annotations[`${prefix}/limit-rps`] = `${traffic.rateLimit.requestsPerSecond}`;
    if (traffic.rateLimit.connectionsPerClient !== undefined) {
      annotations[`${prefix}/limit-connections`] = `${traffic.rateLimit.connectionsPerClient}`;
    }
  }
  if (traffic.maxBodySize) {
    const kib = traffic.maxBodySize.toKibibytes({ rounding: SizeRoundingBehavior.NONE });
    annotations[`${prefix}/proxy-body-size`] = kib % 1024 === 0 ? `${kib / 1024}m` : `${kib}k`;
  }
  if (traffic.connectTimeout !== undefined) {
    annotations[`${prefix}/proxy-connect-timeout`] = `${traffic.connectTimeout}`;
  }
  if (traffic.backendTimeout !== undefined) {
    annotations[`${prefix}/proxy-read-timeout`] = `${traffic.backendTimeout}`;
    annotations[`${prefix}/proxy-send-timeout`] = `${traffic.backendTimeout}`;
  }
  if (traffic.cors) {
    annotations[`${prefix}/enable-cors`] = 'true';
    annotations[`${prefix}/cors-allow-origin`] = traffic.cors.allowOrigins.join(', ');
    // ingress-nginx allows credentials unless told otherwise.
    annotations[`${prefix}/cors-allow-credentials`] = `${traffic.cors.allowCredentials}`;
    annotations[`${prefix}/cors-allow-methods`] = traffic.cors.allowMethods.join(', ');
    annotations[`${prefix}/cors-allow-headers`] = traffic.cors.allowHeaders.join(', ');
    annotations[`${prefix}/cors-max-age`] = `${traffic.cors.maxAge}`;
  }
  if (allowedSourceRanges.length > 0) {
    annotations[`${prefix}/whitelist-source-range`] = allowedSourceRanges.join(',');
  }
  return annotations;
}

function haproxyAnnotations(traffic: ResolvedTraffic, allowedSourceRanges: readonly string[]): Record<string, string> {
  const prefix = 'haproxy.org';
  const annotations: Record<string, string> = {
    [`${prefix}/ssl-redirect`]: 'true',
    [`${prefix}/ssl-redirect-code`]: '301',
    // The default is the controller's own HTTPS port (8443), not the one clients see.
    [`${prefix}/ssl-redirect-port`]: '443',
    [`${prefix}/response-set-header`]: `Strict-Transport-Security "${traffic.hsts}"`,
  };
  if (traffic.rateLimit) {
    annotations[`${prefix}/rate-limit-requests`] = `${traffic.rateLimit.requestsPerSecond}`;
    annotations[`${prefix}/rate-limit-period`] = '1s';
    annotations[`${prefix}/rate-limit-status-code`] = '429';
  }
  if (traffic.backendTimeout !== undefined) {
    annotations[`${prefix}/timeout-server`] = `${traffic.backendTimeout}s`;
  }
  if (traffic.cors) {
    const origins = traffic.cors.allowOrigins;
    annotations[`${prefix}/cors-enable`] = 'true';
    // One origin is matched literally; several need the controller's regular-expression form.
    annotations[`${prefix}/cors-allow-origin`] = origins.length === 1
      ? origins[0]
      : `^(${origins.map((o) => o.replace(/\./g, '\\.')).join('|')})$`;
    annotations[`${prefix}/cors-allow-credentials`] = `${traffic.cors.allowCredentials}`;
    annotations[`${prefix}/cors-allow-methods`] = traffic.cors.allowMethods.join(', ');
    annotations[`${prefix}/cors-allow-headers`] = traffic.cors.allowHeaders.join(', ');
    annotations[`${prefix}/cors-max-age`] = `${traffic.cors.maxAge}s`;
  }
  if (allowedSourceRanges.length > 0) {
    annotations[`${prefix}/allow-list`] = allowedSourceRanges.join(', ');
  }
  return annotations;
}
