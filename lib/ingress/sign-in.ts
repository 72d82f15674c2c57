import { IConstruct } from 'constructs';
import { check } from '../core/errors';
import { Kind } from '../core/kinds';
import { checkHttpsUrl } from '../core/validate';
import { MetricsOptions } from '../monitoring/app-metrics';
import { LogCollection } from '../monitoring/log-collection';
import { ClusterDns } from '../network/cluster-dns';
import { EgressEngine } from '../network/egress-engine';
import { NETWORK_PEER_KIND, checkNetworkPeer } from '../network/_checks';
import { NetworkPeer } from '../network/network-peer';
import { AutoscalingOptions } from '../workload/availability';
import { Image } from '../workload/image';
import { IRegistryCredentials } from '../workload/registry-credentials';
import { ContainerResources } from '../workload/resources';
import { ISecretProducer } from '../workload/secret-producer';

/** Options of {@link IdentityProvider.oidc}. */
export interface OidcProviderOptions {
  /**
   * The issuer URL, exactly as the `iss` claim of its tokens spells it (https); its discovery document is
   * `<issuerUrl>/.well-known/openid-configuration`.
   */
  readonly issuerUrl: string;
  /**
   * Where the issuer answers, for the NetworkPolicy of the sign-in proxies: every host its discovery document
   * names (authorization, token and keys endpoints) must be there, e.g. `NetworkPeer.domain('sso.example.com')` (with the proxy's `egressEngine`) or `NetworkPeer.ipBlock('203.0.113.10/32')`
   * for the load balancer in front of it, or the pods of an identity provider that runs in the cluster.
   */
  readonly endpoint: NetworkPeer;
  /** Claim of the ID token that lists the person's groups. @default 'groups' */
  readonly groupsClaim?: string;
}

/** Options of {@link IdentityProvider.keycloak}. */
export interface KeycloakProviderOptions {
  /** Base URL of the Keycloak server (https), without `/realms/...`, e.g. `https://sso.example.com`. */
  readonly url: string;
  /** The realm people sign in to. */
  readonly realm: string;
  /** Where Keycloak answers, for the NetworkPolicy of the sign-in proxies (see {@link OidcProviderOptions.endpoint}). */
  readonly endpoint: NetworkPeer;
  /** Claim of the ID token that lists the person's groups (a group membership mapper of the client). @default 'groups' */
  readonly groupsClaim?: string;
}

/**
 * An OpenID Connect identity provider people sign in with: its issuer, where it answers, and the claim
 * that carries groups. The stage names it; a {@link SignIn} uses it.
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html
 */
export class IdentityProvider {
  /** Any OpenID Connect issuer (Keycloak, Dex, Okta, Entra ID, Google, ...), by its issuer URL. */
  public static oidc(options: OidcProviderOptions): IdentityProvider {
    return new IdentityProvider(options?.issuerUrl, options?.endpoint, options?.groupsClaim ?? 'groups', `the OpenID Connect issuer ${options?.issuerUrl}`,
      { options, option: 'issuerUrl', url: options?.issuerUrl });
  }

  /**
   * A Keycloak realm (the identity provider of the Aileron guide): its issuer is `<url>/realms/<realm>`, as
   * Keycloak 17 and later serve it (without the `/auth` prefix of older releases).
   * @see https://www.keycloak.org/securing-apps/oidc-layers
   */
  public static keycloak(options: KeycloakProviderOptions): IdentityProvider {
    const url = options?.url;
    const issuerUrl = `${typeof url === 'string' ? url.replace(/\/+$/, '') : url}/realms/${options?.realm}`;
    return new IdentityProvider(issuerUrl, options?.endpoint, options?.groupsClaim ?? 'groups', `Keycloak realm ${options?.realm} at ${url}`,
      { options, option: 'url', url }, options?.realm);
  }

  private constructor(
    /** The issuer URL. */
    public readonly issuerUrl: string,
    /** Where the issuer answers. */
    public readonly endpoint: NetworkPeer,
    /** Claim of the ID token that lists the person's groups. */
    public readonly groupsClaim: string,
    /** The provider in words, for messages and the prerequisites file. */
    public readonly description: string,
    /** The options as given (a factory never throws: the route that receives the provider checks them), and the option that holds its URL. */
    private readonly given: { readonly options: unknown; readonly option: 'issuerUrl' | 'url'; readonly url: string },
    /** The Keycloak realm, for a Keycloak provider. */
    public readonly realm?: string,
  ) {}

  /**
   * Checks the provider, given to `scope` as `prop`: its options, an https URL, the realm, the claim and where it answers.
   * @internal
   */
  public check(scope: IConstruct, prop: string): void {
    const common = { endpoint: NETWORK_PEER_KIND, groupsClaim: Kind.STRING.optional() };
    const kind = this.given.option === 'url'
      ? Kind.object<KeycloakProviderOptions>('a KeycloakProviderOptions object (url, realm, endpoint, and optionally groupsClaim)',
        { url: Kind.STRING, realm: Kind.STRING, ...common })
      : Kind.object<OidcProviderOptions>('an OidcProviderOptions object (issuerUrl, endpoint, and optionally groupsClaim)',
        { issuerUrl: Kind.STRING, ...common });
    kind.check(scope, prop, this.given.options);
    checkHttpsUrl(scope, `${prop}.${this.given.option}`, this.given.url, 'the issuer\'s tokens and keys cross networks the cluster does not control');
    if (this.realm !== undefined) {
      check(REALM.test(this.realm), scope, `${prop}.realm`, this.realm, 'must be a Keycloak realm name, without \'/\', \'?\', \'#\' or spaces');
    }
    check(CLAIM.test(this.groupsClaim), scope, `${prop}.groupsClaim`, this.groupsClaim, 'must be a claim name: letters, digits, \'_\', \'.\' and \'-\'');
    checkNetworkPeer(scope, `${prop}.endpoint`, this.endpoint);
  }
}

const REALM = /^[^/?#\s]+$/;
const CLAIM = /^[A-Za-z0-9_.-]+$/;

/** The metrics of a sign-in proxy: oauth2-proxy's request counter and latency histogram, scraped from its metrics port. */
export type SignInMetricsOptions = Omit<MetricsOptions, 'port' | 'path' | 'requestsMetric' | 'statusCodeLabel' | 'requestDurationMetric'>;

/** How the pods of a sign-in proxy run. */
export interface SignInProxyOptions {
  /** The oauth2-proxy image. @default Image.pinned('quay.io/oauth2-proxy/oauth2-proxy', 'v7.15.3') */
  readonly image?: Image;
  /** Replicas, or the autoscaler's minimum. @default 2 */
  readonly replicas?: number;
  /** Horizontal pod autoscaling. @default - an HPA from `replicas` to max(10, 2 × replicas), as for any ProductionApp */
  readonly autoscaling?: AutoscalingOptions;
  /** Requests and limits. @default - cpu 50m/500m, memory 64Mi/256Mi, ephemeral storage 64Mi/256Mi (request/limit) */
  readonly resources?: ContainerResources;
  /** Where the pods resolve names: give the namespace baseline's value. @default ClusterDns.kubeDns() */
  readonly dns?: ClusterDns;
  /** What renders the proxy's egress to an identity provider named by host (`NetworkPeer.domain`): the stage's engine. @default - a provider reached by name fails */
  readonly egressEngine?: EgressEngine;
  /** Prometheus scraping of the proxy, and its alerts. @default - no metrics */
  readonly metrics?: SignInMetricsOptions;
  /** Registry credentials of the proxy's pods: the stage's `RegistryCredentials`, for an oauth2-proxy image in a private registry or a mirror. @default - none */
  readonly imagePullSecrets?: IRegistryCredentials[];
  /** The stage's log collector, which the proxy declares (it writes text lines). @default - none declared */
  readonly logs?: LogCollection;
}

/** Options of {@link SignIn.oidc}. */
export interface OidcSignInOptions {
  /** The identity provider people sign in with. */
  readonly identityProvider: IdentityProvider;
  /** The client id of the route at the identity provider (a confidential client with the authorization code flow). */
  readonly clientId: string;
  /**
   * The Secret with the client secret and the cookie secret: a `SecretsBinding` in the namespace of the routes.
   * Both are mounted as files, never as environment variables.
   */
  readonly secret: ISecretProducer;
  /** Key of the client secret (the value alone, without a trailing newline). @default 'client-secret' */
  readonly clientSecretKey?: string;
  /**
   * Key of the cookie secret, which encrypts the session cookies: 16, 24 or 32 random bytes, base64url-encoded,
   * without a trailing newline (`openssl rand -base64 32 | tr -- '+/' '-_' | tr -d '\n'`).
   * @default 'cookie-secret'
   */
  readonly cookieSecretKey?: string;
  /** Groups (values of the provider's groups claim) whose members may sign in. @default - everyone the identity provider signs in for the client */
  readonly allowedGroups?: string[];
  /** Email domains whose people may sign in. @default - any domain: the identity provider and `allowedGroups` decide */
  readonly allowedEmailDomains?: string[];
  /** How the proxy's pods run. @default - 2 replicas of oauth2-proxy v7.15.3 with an autoscaler, no metrics */
  readonly proxy?: SignInProxyOptions;
}

/**
 * How a route makes people sign in before it reaches its backend. The route sends traffic to a sign-in proxy
 * instead of the backend, and the backend's NetworkPolicy admits that proxy only, never the ingress controller.
 */
export class SignIn {
  /**
   * Single sign-on with OpenID Connect through oauth2-proxy, hardened like any ProductionApp: the proxy serves
   * its pages under `<path>/oauth2` (the redirect URI is `https://<host><path>/oauth2/callback`), reads its client
   * and cookie secrets from files of a `SecretsBinding`, reaches the identity provider at its endpoint only, and
   * passes signed-in requests to the backend.
   * @see https://oauth2-proxy.github.io/oauth2-proxy/configuration/overview
   */
  public static oidc(options: OidcSignInOptions): SignIn {
    return new SignIn(options);
  }

  private constructor(
    /** The options of the sign-in. */
    public readonly options: OidcSignInOptions,
  ) {}
}
