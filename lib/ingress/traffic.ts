import { Duration, Size } from 'cdk8s';
import { IConstruct } from 'constructs';
import { check } from '../core/errors';
import { Kind, Kinds } from '../core/kinds';
import { checkSize, kib } from '../core/quantities';
import { checkInteger } from '../core/validate';

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

/**
 * The traffic options with their defaults resolved, as the renderings write them.
 * @internal
 */
export interface ResolvedTraffic {
  readonly hsts: string;
  readonly rateLimit?: RateLimit;
  readonly maxBodySize?: Size;
  readonly connectTimeout?: number;
  readonly backendTimeout?: number;
  readonly cors?: Required<Omit<CorsOptions, 'maxAge'>> & { readonly maxAge: number };
}


/** The methods CORS allows by default. */
const DEFAULT_METHODS = [HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE];
const ORIGIN = /^https?:\/\/[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*(:[0-9]{1,5})?$/;
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/;
const ONE_YEAR_SECONDS = 365 * 24 * 3600;

/**
 * What enforces the traffic rules, and which it cannot: an `IngressController`.
 * @internal
 */
export interface TrafficEnforcer {
  /** Name in messages. */
  readonly description: string;
  /** Why `feature` cannot be enforced, or undefined when it can. */
  limitation(feature: TrafficFeature): string | undefined;
}

/**
 * Checks the traffic rules, and that `controller` can enforce each one that is set.
 * @internal
 */
export function checkTraffic(scope: IConstruct, props: TrafficOptions, controller: TrafficEnforcer): void {
  const hsts = props.hsts ?? {};
  const maxAge = seconds(hsts.maxAge ?? Duration.days(365));
  checkInteger(scope, 'hsts.maxAge', maxAge, 0);
  if (props.hsts !== undefined) {
    checkSupported(scope, controller, TrafficFeature.HSTS_OPTIONS, resolveTraffic(props).hsts);
  }
  check(!hsts.preload || (hsts.includeSubdomains !== false && maxAge >= ONE_YEAR_SECONDS), scope, 'hsts.preload', hsts.preload,
    'needs includeSubdomains and a maxAge of at least a year: browsers\' preload lists accept nothing less');
  if (props.rateLimit) {
    checkSupported(scope, controller, TrafficFeature.RATE_LIMIT, props.rateLimit.requestsPerSecond);
    checkInteger(scope, 'rateLimit.requestsPerSecond', props.rateLimit.requestsPerSecond, 1);
    if (props.rateLimit.connectionsPerClient !== undefined) {
      checkSupported(scope, controller, TrafficFeature.CONNECTION_LIMIT, props.rateLimit.connectionsPerClient);
      checkInteger(scope, 'rateLimit.connectionsPerClient', props.rateLimit.connectionsPerClient, 1);
    }
  }
  if (props.maxBodySize) {
    checkSize(scope, 'maxBodySize', props.maxBodySize);
    const kibibytes = kib(props.maxBodySize);
    checkSupported(scope, controller, TrafficFeature.MAX_BODY_SIZE, `${kibibytes}Ki`);
    check(Number.isInteger(kibibytes) && kibibytes >= 1, scope, 'maxBodySize', `${kibibytes}Ki`, 'must be a whole number of kibibytes, at least 1');
  }
  const timeouts = props.timeouts ?? {};
  if (timeouts.connect !== undefined) {
    checkSupported(scope, controller, TrafficFeature.CONNECT_TIMEOUT, timeouts.connect.toHumanString());
    checkInteger(scope, 'timeouts.connect', seconds(timeouts.connect), 1, 3600);
  }
  if (timeouts.backend !== undefined) {
    checkInteger(scope, 'timeouts.backend', seconds(timeouts.backend), 1, 3600);
  }
  if (props.cors) {
    checkCors(scope, props.cors);
  }
}

function checkCors(scope: IConstruct, cors: CorsOptions): void {
  const origins = cors.allowOrigins;
  for (const method of cors.allowMethods ?? []) {
    check(Object.values(HttpMethod).includes(method), scope, 'cors.allowMethods', method, `must be an HttpMethod: ${Object.values(HttpMethod).join(', ')}`);
  }
  check(origins.length > 0, scope, 'cors.allowOrigins', origins, 'must list at least one origin');
  for (const origin of origins) {
    check(origin === '*' || ORIGIN.test(origin), scope, 'cors.allowOrigins', origin,
      'must be \'*\' or an origin such as \'https://app.example.com\' (scheme, host and optional port, no path)');
  }
  if (origins.includes('*')) {
    check(!cors.allowCredentials, scope, 'cors.allowCredentials', true,
      'must be false with the \'*\' origin: any site could make credentialed calls as the user; list the origins instead');
    check(origins.length === 1, scope, 'cors.allowOrigins', origins, 'must not list other origins beside \'*\'');
  }
  for (const header of cors.allowHeaders ?? []) {
    check(HEADER_NAME.test(header) && header !== '*', scope, 'cors.allowHeaders', header, 'must be an HTTP header name');
  }
  check((cors.allowMethods ?? DEFAULT_METHODS).length > 0, scope, 'cors.allowMethods', cors.allowMethods, 'must list at least one method');
  checkInteger(scope, 'cors.maxAge', seconds(cors.maxAge ?? Duration.minutes(10)), 0, 86400);
}

/**
 * {@link TrafficOptions}, kind by kind, for callers without a type checker.
 * @internal
 */
export const TRAFFIC_KINDS: Kinds<TrafficOptions> = {
  hsts: Kind.object('an HstsOptions object', {
    maxAge: Kind.DURATION.optional(),
    includeSubdomains: Kind.BOOLEAN.optional(),
    preload: Kind.BOOLEAN.optional(),
  }).optional(),
  rateLimit: Kind.object('a RateLimit object (requestsPerSecond, and optionally connectionsPerClient)', {
    requestsPerSecond: Kind.NUMBER,
    connectionsPerClient: Kind.NUMBER.optional(),
  }).optional(),
  maxBodySize: Kind.SIZE.optional(),
  timeouts: Kind.object('an IngressTimeouts object', {
    connect: Kind.DURATION.optional(),
    backend: Kind.DURATION.optional(),
  }).optional(),
  cors: Kind.object('a CorsOptions object (allowOrigins, ...)', {
    allowOrigins: Kind.array(Kind.STRING),
    allowCredentials: Kind.BOOLEAN.optional(),
    allowMethods: Kind.array(Kind.STRING).optional(),
    allowHeaders: Kind.array(Kind.STRING).optional(),
    maxAge: Kind.DURATION.optional(),
  }).optional(),
};

/**
 * Refuses `feature` (set to `value`) when `controller` cannot enforce it, naming why.
 * @internal
 */
export function checkSupported(scope: IConstruct, controller: TrafficEnforcer, feature: TrafficFeature, value: unknown): void {
  const limitation = controller.limitation(feature);
  check(limitation === undefined, scope, feature, value, `cannot be enforced by ${controller.description}: ${limitation}`);
}

/**
 * The traffic rules with their defaults: the HSTS header, CORS with its methods, headers and max age, timeouts in seconds.
 * @internal
 */
export function resolveTraffic(traffic: TrafficOptions): ResolvedTraffic {
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

/**
 * Seconds, possibly fractional: `Duration.toSeconds()` throws on fractions before a check can name the prop.
 * @internal
 */
export function seconds(duration: Duration): number {
  return duration.toMilliseconds({ integral: false }) / 1000;
}
