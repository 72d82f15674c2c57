import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import {
  GatewaySpecListeners, GatewaySpecListenersAllowedRoutesNamespacesFrom, GatewaySpecListenersTlsMode, HttpRoute, HttpRouteSpecRules,
  HttpRouteSpecRulesFilters, HttpRouteSpecRulesFiltersCorsAllowMethods, HttpRouteSpecRulesFiltersRequestRedirectScheme,
  HttpRouteSpecRulesFiltersRequestRedirectStatusCode, HttpRouteSpecRulesFiltersType, HttpRouteSpecRulesMatchesPathType,
} from '../../imports/gateway.networking.k8s.io';
import { boundedName } from '../core/names';
import { GatewayOptions } from './ingress-controller';
import { PathMatch, Route, hostSlug } from './route';
import { ResolvedTraffic } from './traffic';

// Internal: the Gateway API rendering of a HardenedIngress. Not exported from the package.

/** The HTTP listener of a Gateway: the redirect to HTTPS and ACME HTTP-01. */
export const HTTP_LISTENER = 'http';

/** What the Gateway API rendering reads from its HardenedIngress; routes and hosts render at synth. */
export interface GatewayRouteContext {
  /** Prefix of the route objects' names. */
  readonly name: string;
  /** Namespace of the route objects. */
  readonly namespace: string;
  /** Labels of the route objects. */
  readonly labels: Record<string, string>;
  /** The traffic rules every route enforces. */
  readonly traffic: ResolvedTraffic;
  /** Every route, by host and path. */
  readonly routes: ReadonlyMap<string, Route>;
  /** Every routed host, in the order they were first routed. */
  readonly hostNames: ReadonlySet<string>;
  /** Annotations of every HTTPRoute (ExternalDNS reads the TTL of a route's records there). */
  readonly annotations: Record<string, string>;
  /** The TLS Secret of `host`. */
  secretNameOf(host: string): string | undefined;
}

/**
 * `HTTPRoute`s attached to a Gateway: one per host on its HTTPS listener, with HSTS and CORS
 * filters and the backend timeout, and one on the HTTP listener that only redirects to HTTPS.
 * The objects are children of `scope`, the HardenedIngress.
 */
export class GatewayRoutes {
  private readonly objects = new Map<string, HttpRoute>();
  private redirect?: HttpRoute;

  public constructor(private readonly scope: Construct, private readonly gateway: GatewayOptions, private readonly context: GatewayRouteContext) {}

  /** The HTTPRoute of `host`, created with the first route of the host; the first also creates the redirect route. */
  public routeFor(host: string): HttpRoute {
    const gateway = this.gateway;
    const existing = this.objects.get(host);
    if (existing) {
      return existing;
    }
    const declared = gateway.gatewayClassName !== undefined;
    const parent = {
      name: gateway.name,
      namespace: declared ? undefined : gateway.namespace,
    };
    this.redirect ??= new HttpRoute(this.scope, 'HttpsRedirect', {
      metadata: { name: `${this.context.name}-https-redirect`, namespace: this.context.namespace, labels: this.context.labels, annotations: this.annotations() },
      spec: {
        parentRefs: [{ ...parent, sectionName: declared ? HTTP_LISTENER : gateway.httpListener ?? HTTP_LISTENER }],
        hostnames: Lazy.any({ produce: () => [...this.context.hostNames] }),
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
    const route = new HttpRoute(this.scope, `HttpRoute-${host}`, {
      metadata: {
        name: boundedName(`${this.context.name}-${hostSlug(host)}`, MAX_NAME_LENGTH), namespace: this.context.namespace, labels: this.context.labels,
        annotations: this.annotations(),
      },
      spec: {
        parentRefs: [{ ...parent, sectionName: declared ? httpsListenerOf(host) : gateway.httpsListener ?? 'https' }],
        hostnames: [host],
        rules: Lazy.any({
          produce: () => [...this.context.routes.values()].filter((r) => r.host === host).map((r) => this.renderRule(r)),
        }),
      },
    });
    this.objects.set(host, route);
    return route;
  }

  /** The listeners of a Gateway declared with the routes: HTTP for the redirect, and HTTPS for each host with its certificate. */
  public listeners(): GatewaySpecListeners[] {
    const allowedRoutes = { namespaces: { from: GatewaySpecListenersAllowedRoutesNamespacesFrom.SAME }, kinds: [{ kind: 'HTTPRoute' }] };
    return [
      { name: HTTP_LISTENER, protocol: 'HTTP', port: 80, allowedRoutes },
      ...[...this.context.hostNames].map((host) => ({
        name: httpsListenerOf(host),
        protocol: 'HTTPS',
        port: 443,
        hostname: host,
        tls: { mode: GatewaySpecListenersTlsMode.TERMINATE, certificateRefs: [{ name: this.context.secretNameOf(host) ?? '' }] },
        allowedRoutes,
      })),
    ];
  }

  /**
   * The routes' annotations, on the redirect route too: it names every host, and ExternalDNS v0.22.0 keeps one of two
   * equal records whatever their TTL (source/wrappers/dedupsource.go), so every route carries the same.
   */
  private annotations(): Record<string, string> | undefined {
    return Object.keys(this.context.annotations).length > 0 ? this.context.annotations : undefined;
  }

  private renderRule(route: Route): HttpRouteSpecRules {
    const filters: HttpRouteSpecRulesFilters[] = [{
      type: HttpRouteSpecRulesFiltersType.RESPONSE_HEADER_MODIFIER,
      responseHeaderModifier: { set: [{ name: 'Strict-Transport-Security', value: this.context.traffic.hsts }] },
    }];
    const cors = this.context.traffic.cors;
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
      timeouts: this.context.traffic.backendTimeout !== undefined ? { backendRequest: `${this.context.traffic.backendTimeout}s` } : undefined,
    };
  }
}

/** A listener's name (a Gateway API SectionName) and an HTTPRoute's name hold 253 characters. */
const MAX_NAME_LENGTH = 253;

function httpsListenerOf(host: string): string {
  return boundedName(`https-${hostSlug(host)}`, MAX_NAME_LENGTH);
}
