import { Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { check } from '../core/errors';
import { Kind } from '../core/kinds';
import { boundedName } from '../core/names';
import { Prerequisite } from '../core/prerequisites';
import { checkSecretKey } from '../core/validate';
import { APP_ALERT_OPTIONS_KIND } from '../monitoring/app-metrics';
import { LOG_COLLECTION_KIND } from '../monitoring/log-collection';
import { PROMETHEUS_KIND } from '../monitoring/prometheus';
import { CLUSTER_DNS_KIND } from '../network/cluster-dns';
import { EGRESS_ENGINE_KIND } from '../network/egress-engine';
import { AUTOSCALING_KIND } from '../workload/availability';
import { IMAGE_KIND, Image } from '../workload/image';
import { Probe } from '../workload/probe';
import { ProductionApp } from '../workload/production-app';
import { REGISTRY_CREDENTIALS_KIND } from '../workload/registry-credentials';
import { ContainerResources, RESOURCES_KIND } from '../workload/resources';
import { SECRET_PRODUCER_KIND, checkSecretProducer } from '../workload/secret-producer';
import { IIngressBackend } from './route';
import { IdentityProvider, OidcSignInOptions, SignIn, SignInMetricsOptions, SignInProxyOptions } from './sign-in';

// Internal: the oauth2-proxy a route with a sign-in puts in front of its backend. Not exported from the package.

/** The image of the sign-in proxy: oauth2-proxy's official image, as its Helm chart 10.7.0 (appVersion 7.15.3) runs it. */
const OAUTH2_PROXY_IMAGE = Image.pinned('quay.io/oauth2-proxy/oauth2-proxy', 'v7.15.3');
/** Port of oauth2-proxy's HTTP listener, as its chart sets it (`--http-address=0.0.0.0:4180`). */
const SIGN_IN_PORT = 4180;
/** Port of oauth2-proxy's metrics listener, as its chart sets it (`--metrics-address=0.0.0.0:44180`). */
const SIGN_IN_METRICS_PORT = 44180;
/** Where the proxy reads its client and cookie secrets. */
const SIGN_IN_SECRETS_PATH = '/var/run/secrets/oauth2-proxy';
/** File mode of the secret files: owner read, and the kubelet adds group read for the pod's fsGroup. */
const SECRET_FILE_MODE = 0o400;

const DEFAULT_RESOURCES: ContainerResources = {
  cpu: { request: Cpu.millis(50), limit: Cpu.millis(500) },
  memory: { request: Size.mebibytes(64), limit: Size.mebibytes(256) },
  ephemeralStorage: { request: Size.mebibytes(64), limit: Size.mebibytes(256) },
};
const PROXY_SUFFIX = '-sign-in';
/** The longest name of a Service (a DNS-1035 label). */
const MAX_NAME = 63;
const GROUP = /^[^\s,]+$/;
const EMAIL_DOMAIN = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,}$/;
const CLIENT_ID = /^[\x21-\x7e]+$/;

/** {@link OidcSignInOptions}, kind by kind: the values of `proxy` are checked by the proxy, a ProductionApp. */
const SIGN_IN_OPTIONS_KIND = Kind.object<OidcSignInOptions>('an OidcSignInOptions object (identityProvider, clientId, secret, ...)', {
  identityProvider: Kind.instance(IdentityProvider, 'an IdentityProvider (IdentityProvider.oidc or IdentityProvider.keycloak)'),
  clientId: Kind.STRING,
  secret: SECRET_PRODUCER_KIND,
  clientSecretKey: Kind.STRING.optional(),
  cookieSecretKey: Kind.STRING.optional(),
  allowedGroups: Kind.array(Kind.STRING).optional(),
  allowedEmailDomains: Kind.array(Kind.STRING).optional(),
  proxy: Kind.object<SignInProxyOptions>('a SignInProxyOptions object', {
    image: IMAGE_KIND.optional(),
    replicas: Kind.NUMBER.optional(),
    autoscaling: AUTOSCALING_KIND.optional(),
    resources: RESOURCES_KIND.optional(),
    dns: CLUSTER_DNS_KIND.optional(),
    egressEngine: EGRESS_ENGINE_KIND.optional(),
    metrics: Kind.object<SignInMetricsOptions>('a SignInMetricsOptions object (interval, prometheus, alerts)', {
      interval: Kind.DURATION.optional(),
      prometheus: PROMETHEUS_KIND.optional(),
      alerts: APP_ALERT_OPTIONS_KIND.optional(),
    }).optional(),
    imagePullSecrets: Kind.array(REGISTRY_CREDENTIALS_KIND).optional(),
    logs: LOG_COLLECTION_KIND.optional(),
  }).optional(),
});

/** Where a route with a sign-in sends traffic. */
export interface SignInRoute {
  /** Host of the route. */
  readonly host: string;
  /** Path of the route: the proxy serves its pages under `<path>/oauth2`. */
  readonly path: string;
  /** The backend behind the sign-in. */
  readonly backend: IIngressBackend;
  /** Port of the backend's Service, which the proxy sends to. */
  readonly servicePort: number;
  /** Container port of the backend, which its NetworkPolicy opens to the proxy. */
  readonly port: number;
  /** Time the backend may take to answer, in seconds, when the route sets one. */
  readonly backendTimeout?: number;
}

/**
 * Checks `signIn`, given to `scope` as `signIn`, for a route to `backend`: the provider's issuer, the client,
 * the Secret and its keys, the groups and domains.
 */
export function checkSignIn(scope: Construct, signIn: SignIn, backend: IIngressBackend): void {
  const options = signIn.options;
  SIGN_IN_OPTIONS_KIND.check(scope, 'signIn', options);
  options.identityProvider.check(scope, 'signIn.identityProvider');
  check(CLIENT_ID.test(options.clientId), scope, 'signIn.clientId', options.clientId, 'must be a client id of printable characters without spaces');
  const keys = secretKeys(signIn);
  checkSecretKey(scope, 'signIn.clientSecretKey', keys.clientSecret);
  checkSecretKey(scope, 'signIn.cookieSecretKey', keys.cookieSecret);
  check(keys.clientSecret !== keys.cookieSecret, scope, 'signIn.cookieSecretKey', keys.cookieSecret, 'must differ from the client secret\'s key');
  checkSecretProducer(scope, 'signIn', options.secret, backend.namespace,
    { clientSecretKey: keys.clientSecret, cookieSecretKey: keys.cookieSecret }, 'the sign-in proxy');
  for (const group of options.allowedGroups ?? []) {
    check(GROUP.test(group), scope, 'signIn.allowedGroups', group, 'must be a group name without spaces or commas');
  }
  check(options.allowedGroups === undefined || options.allowedGroups.length > 0, scope, 'signIn.allowedGroups', options.allowedGroups,
    'must list at least one group; leave it unset to admit everyone the identity provider signs in');
  for (const domain of options.allowedEmailDomains ?? []) {
    check(EMAIL_DOMAIN.test(domain), scope, 'signIn.allowedEmailDomains', domain, 'must be a lowercase domain such as \'example.com\'');
  }
  check(options.allowedEmailDomains === undefined || options.allowedEmailDomains.length > 0, scope, 'signIn.allowedEmailDomains',
    options.allowedEmailDomains, 'must list at least one domain; leave it unset to admit any');
}

/**
 * The oauth2-proxy in front of `route.backend`, a ProductionApp child of `scope` named `<backend>-sign-in`: it
 * admits the ingress controller (the route opens that path), reaches the identity provider's endpoint and the
 * backend's port, and the backend admits it. Declares what the identity provider must have.
 */
export function addSignInProxy(scope: Construct, signIn: SignIn, route: SignInRoute): ProductionApp {
  const { backend, host } = route;
  const options = signIn.options;
  const proxyOptions = options.proxy ?? {};
  const provider = options.identityProvider;
  const prefix = `${route.path.replace(/\/+$/, '')}/oauth2`;
  const redirectUri = `https://${host}${prefix}/callback`;
  const keys = secretKeys(signIn);
  const name = proxyName(backend);
  const metrics = proxyOptions.metrics;

  const proxy = new ProductionApp(scope, `SignIn-${backend.name}`, {
    name,
    namespace: backend.namespace,
    component: 'sign-in',
    image: proxyOptions.image ?? OAUTH2_PROXY_IMAGE,
    port: SIGN_IN_PORT,
    args: [
      '--provider=oidc',
      `--oidc-issuer-url=${provider.issuerUrl}`,
      `--oidc-groups-claim=${provider.groupsClaim}`,
      `--client-id=${options.clientId}`,
      `--client-secret-file=${SIGN_IN_SECRETS_PATH}/client-secret`,
      `--cookie-secret-file=${SIGN_IN_SECRETS_PATH}/cookie-secret`,
      `--cookie-name=_oauth2_proxy_${backend.name.replace(/-/g, '_')}`,
      '--cookie-secure=true',
      '--cookie-samesite=lax',
      '--code-challenge-method=S256',
      '--skip-provider-button=true',
      `--proxy-prefix=${prefix}`,
      `--redirect-url=${redirectUri}`,
      `--upstream=http://${backend.serviceName}.${backend.namespace}.svc:${route.servicePort}/`,
      ...route.backendTimeout !== undefined ? [`--upstream-timeout=${route.backendTimeout}s`] : [],
      `--http-address=0.0.0.0:${SIGN_IN_PORT}`,
      ...metrics !== undefined ? [`--metrics-address=0.0.0.0:${SIGN_IN_METRICS_PORT}`] : [],
      ...(options.allowedEmailDomains ?? ['*']).map((domain) => `--email-domain=${domain}`),
      ...(options.allowedGroups ?? []).map((group) => `--allowed-group=${group}`),
      '--silence-ping-logging=true',
    ],
    replicas: proxyOptions.replicas ?? 2,
    autoscaling: proxyOptions.autoscaling,
    resources: proxyOptions.resources ?? DEFAULT_RESOURCES,
    readiness: Probe.http('/ready'),
    liveness: Probe.http('/ping'),
    dns: proxyOptions.dns,
    egressEngine: proxyOptions.egressEngine,
    imagePullSecrets: proxyOptions.imagePullSecrets,
    // oauth2-proxy writes text lines by default (its --standard-logging-format and --request-logging-format).
    logs: proxyOptions.logs,
    tmpSize: Size.mebibytes(64),
    metrics: metrics && {
      ...metrics,
      port: SIGN_IN_METRICS_PORT,
      path: '/metrics',
      requestsMetric: 'oauth2_proxy_requests_total',
      statusCodeLabel: 'code',
      requestDurationMetric: 'oauth2_proxy_response_duration_seconds',
    },
    volumes: [{
      name: 'sign-in-secrets',
      mountPath: SIGN_IN_SECRETS_PATH,
      readOnly: true,
      source: {
        secret: {
          secretName: options.secret.name,
          defaultMode: SECRET_FILE_MODE,
          items: [{ key: keys.clientSecret, path: 'client-secret' }, { key: keys.cookieSecret, path: 'cookie-secret' }],
        },
      },
    }],
  });
  proxy.node.addDependency(options.secret);

  const backendPort = [{ port: route.port }];
  proxy.allowTo(backend.peer, backendPort);
  backend.allowFrom(proxy.peer, backendPort);
  const issuerPort = issuerPortOf(provider.issuerUrl);
  proxy.allowTo(provider.endpoint, [{ port: issuerPort }]);

  const secret = `Secret ${options.secret.namespace}/${options.secret.name}`;
  const client = `client ${options.clientId}`;
  const signsIn = `the sign-in proxy ${backend.namespace}/${name} signs people in as this client for https://${host}${route.path}`;
  Prerequisite.declare(proxy,
    Prerequisite.identityProvider(provider.issuerUrl, `${client}: confidential, authorization code flow with PKCE S256, redirect URI ${redirectUri}`,
      `${signsIn}; its secret is key ${keys.clientSecret} of ${secret} (the value alone, without a trailing newline), beside key ${keys.cookieSecret}, `
      + 'the key of the session cookies (16, 24 or 32 random bytes, base64url-encoded, without a trailing newline)'),
    Prerequisite.identityProvider(provider.issuerUrl, `${client}: ID tokens carry the claim email, and not email_verified false`,
      'oauth2-proxy refuses a sign-in whose email the identity provider marks unverified'),
    ...options.allowedGroups !== undefined
      ? [Prerequisite.identityProvider(provider.issuerUrl, `${client}: ID tokens carry the claim ${provider.groupsClaim} with the person's groups, for scope groups`,
        `the sign-in proxy ${backend.namespace}/${name} admits members of ${options.allowedGroups.join(', ')} only`)]
      : [],
    Prerequisite.network(`${provider.description} answers at ${provider.endpoint.description} on port ${issuerPort}, with every endpoint its discovery document names`,
      `the sign-in proxy ${backend.namespace}/${name} may reach it there and nowhere else outside the cluster`));
  return proxy;
}

/** `<backend>-sign-in`, cut with a hash where a long backend name would make it longer than a Service name. */
function proxyName(backend: IIngressBackend): string {
  return boundedName(backend.name, MAX_NAME, PROXY_SUFFIX);
}

function secretKeys(signIn: SignIn): { clientSecret: string; cookieSecret: string } {
  return { clientSecret: signIn.options.clientSecretKey ?? 'client-secret', cookieSecret: signIn.options.cookieSecretKey ?? 'cookie-secret' };
}

function issuerPortOf(issuerUrl: string): number {
  const port = new URL(issuerUrl).port;
  return port === '' ? 443 : Number(port);
}
