import { Kind, Kinds } from '../core/kinds';
import { boundedName } from '../core/names';
import { IWorkload } from '../workload/workload';
import { SignIn } from './sign-in';

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

/** How a route's path matches request paths. */
export enum PathMatch {
  /** The path and everything below it, by whole segments: `/api` matches `/api` and `/api/v1`, not `/apis`. */
  PREFIX = 'Prefix',
  /** The path alone. */
  EXACT = 'Exact',
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
  /**
   * Make people sign in before they reach the backend: the route sends traffic to a sign-in proxy, and only
   * that proxy reaches the backend. For anything people open in a browser that must not be public (an IDE,
   * an admin console); `allowedSourceRanges` still applies on top. Needs `PathMatch.PREFIX`: the proxy serves
   * its own pages under `<path>/oauth2`.
   * @default - no sign-in: the controller reaches the backend directly
   */
  readonly signIn?: SignIn;
}

/**
 * {@link RouteOptions}, kind by kind, for callers without a type checker.
 * @internal
 */
export const ROUTE_OPTIONS_KINDS: Kinds<RouteOptions> = {
  match: Kind.oneOf(PathMatch, 'a PathMatch').optional(),
  allowedSourceRanges: Kind.array(Kind.STRING).optional(),
  signIn: Kind.instance(SignIn, 'a SignIn (SignIn.oidc(...))').optional(),
};

/**
 * An {@link IIngressBackend}, as an argument's kind.
 * @internal
 */
export const INGRESS_BACKEND_KIND = Kind.shape('a backend (IIngressBackend: a ProductionApp or a StatefulApp)',
  ['node', 'namespace', 'serviceName', 'peer', 'allowFrom']);

/**
 * One route of a HardenedIngress, as the renderings write it.
 * @internal
 */
export interface Route {
  /** Host name the route serves. */
  readonly host: string;
  /** URL path. */
  readonly path: string;
  /** How the path matches. */
  readonly match: PathMatch;
  /** Where requests go. */
  readonly backend: IIngressBackend;
  /** Allowed client CIDR blocks, sorted; empty for every client. */
  readonly ranges: readonly string[];
}

/**
 * A host name in object names: its dots become dashes, and the wildcard label of `*.apps.example.com` the word
 * `wildcard` (`wildcard-apps-example-com`), as `*` may not appear in a name.
 * @internal
 */
export function hostSlug(host: string): string {
  return host.replace(/^\*\./, 'wildcard.').replace(/\./g, '-');
}

/**
 * The routes of each host, hosts in the order they were first routed.
 * @internal
 */
export function routesByHost(routes: readonly Route[]): Map<string, Route[]> {
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

/**
 * The name of the TLS Secret (and Certificate) cert-manager issues for `host`: `<host slug>-tls`,
 * cut with a hash when a long host would make it longer than the 253 characters of a name.
 * @internal
 */
export function tlsSecretName(host: string): string {
  return boundedName(hostSlug(host), 253, '-tls');
}
