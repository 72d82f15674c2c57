import { isDeepStrictEqual } from 'util';
import { Chart, Duration, Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import {
  CertificateIssuer, ClusterDns, EgressEngine, Guardrails, HardenedIngress, IdentityProvider, Image, IngressController, KeycloakProviderOptions,
  LogCollection, NamespaceBaseline, NetworkPeer, OidcProviderOptions, OidcSignInOptions, PathMatch, Prerequisite, PrerequisiteKind, ProductionApp,
  Prometheus, SecretsBinding, SecretSource, SecretStoreRef, SignIn, SignInProxyOptions,
} from '../../lib';
import { Manifest, ofKind, one, registryIn, synth, testChart } from '../util';

// oauth2-proxy v7.15.3 (git tag v7.15.3) is the source of every flag asserted here:
// - docs/docs/configuration/overview.md: --client-secret-file ("must contain the secret only, with no trailing newline"),
//   --cookie-secret-file, --http-address (default "127.0.0.1:4180": unreachable from another pod), --metrics-address
//   (default "", no metrics), --proxy-prefix (default /oauth2), --ping-path /ping and --ready-path /ready,
//   --code-challenge-method (S256 "recommended"), --allowed-group (adds scope groups for the generic OIDC provider),
//   --email-domain (required, * for any), --reverse-proxy (left off: forwarded headers would be trusted from every source).
// - pkg/apis/options/legacy_options.go l.490-494 (http-address and metrics-address defaults) and l.129-150 (an http
//   upstream whose path is / takes every request, passed on with its path).
// - pkg/validation/cookie.go l.53-90 and pkg/encryption/utils.go SecretBytes: the cookie secret file holds 16, 24 or
//   32 bytes, raw or base64url; a trailing newline makes it neither.
// - providers/provider_data.go l.84-96: the client secret file is read at each use, as it is (a newline stays in).
// - pkg/upstream/http.go l.140-141: --upstream-timeout is the transport's ResponseHeaderTimeout, the time to the
//   response headers, so long-lived WebSocket sessions of an IDE are not cut by it.
// - The official chart (oauth2-proxy/manifests, chart 10.7.0, appVersion 7.15.3): image quay.io/oauth2-proxy/oauth2-proxy
//   (values.yaml l.208-214), port 4180 and metrics port 44180 (templates/deployment.yaml l.130-133), liveness /ping and
//   readiness /ready (l.279-294), read-only root filesystem, non-root, no capabilities (values.yaml l.484-495).

const HOST = 'ide.example.com';
const ENVOY = NetworkPeer.namespace('envoy-gateway-system');
const HAPROXY = NetworkPeer.namespace('haproxy-controller').toPolicyPeer('test');
const ISSUER_PEER = NetworkPeer.ipBlock('203.0.113.10/32');
const KEYCLOAK = IdentityProvider.keycloak({ url: 'https://sso.example.com', realm: 'platform', endpoint: ISSUER_PEER });

function ide(chart: Chart, id = 'Ide'): ProductionApp {
  return new ProductionApp(chart, id, { image: Image.pinned('acme/ide', '1.0.0'), port: 8000, component: 'ide' });
}

function ingress(chart: Chart, controller = IngressController.haproxy()): HardenedIngress {
  return new HardenedIngress(chart, 'Ingress', { controller, issuer: CertificateIssuer.clusterIssuer('letsencrypt') });
}

function signInSecret(chart: Chart, keys: string[] = ['client-secret', 'cookie-secret'], namespace?: string): SecretsBinding {
  return new SecretsBinding(chart, `SignInSecret${keys.join('')}${namespace ?? ''}`, {
    name: 'ide-sign-in',
    namespace,
    source: SecretSource.externalSecret({
      store: SecretStoreRef.cluster('vault'),
      data: Object.fromEntries(keys.map((k) => [k, { key: `ide/${k}` }])),
    }),
  });
}

function signIn(chart: Chart, options: Partial<OidcSignInOptions> = {}): SignIn {
  return SignIn.oidc({ identityProvider: KEYCLOAK, clientId: 'ide', secret: options.secret ?? signInSecret(chart), ...options });
}

function argsOf(manifests: Manifest[], name = 'ide-sign-in'): string[] {
  return one(manifests, 'Deployment', name).spec.template.spec.containers[0].args;
}

describe('HardenedIngress route with a sign-in', () => {
  test('reaches an identity provider named by host through the stage\'s egress engine: a toFQDNs rule, no address block', () => {
    // GIVEN
    const chart = testChart();
    const byName = IdentityProvider.keycloak({ url: 'https://sso.example.com', realm: 'platform', endpoint: NetworkPeer.domain('sso.example.com') });

    // WHEN
    ingress(chart).route(HOST, '/', ide(chart), {
      signIn: SignIn.oidc({ identityProvider: byName, clientId: 'ide', secret: signInSecret(chart), proxy: { egressEngine: EgressEngine.cilium() } }),
    });

    // THEN
    const manifests = synth(chart);
    expect(one(manifests, 'CiliumNetworkPolicy', 'ide-sign-in').spec.egress)
      .toContainEqual({ toFQDNs: [{ matchName: 'sso.example.com' }], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] });
    expect(JSON.stringify(one(manifests, 'NetworkPolicy', 'ide-sign-in').spec.egress)).not.toContain('ipBlock');
  });

  test('sends the route to an oauth2-proxy in front of the backend, never to the backend\'s Service', () => {
    // GIVEN
    const chart = testChart();
    const backend = ide(chart);

    // WHEN
    const route = ingress(chart).route(HOST, '/', backend, { signIn: signIn(chart) });

    // THEN
    const manifests = synth(chart);
    expect(route.kind).toBe('Ingress');
    expect(route.name).toBe('ingress');
    const paths = one(manifests, 'Ingress', 'ingress').spec.rules[0].http.paths;
    expect(paths).toEqual([{ path: '/', pathType: 'Prefix', backend: { service: { name: 'ide-sign-in', port: { number: 80 } } } }]);
    const proxy = one(manifests, 'Deployment', 'ide-sign-in');
    expect(proxy.metadata.labels['app.kubernetes.io/component']).toBe('sign-in');
    expect(proxy.spec.template.spec.containers[0].image).toBe('quay.io/oauth2-proxy/oauth2-proxy:v7.15.3');
    expect(ofKind(manifests, 'Ingress').flatMap((i) => i.spec.rules.flatMap((r: any) => r.http.paths.map((p: any) => p.backend.service.name))))
      .not.toContain('ide');
  });

  test('the backend admits the proxy\'s pods only; the proxy admits the controller and reaches the backend and the issuer', () => {
    // GIVEN
    const chart = testChart();
    const backend = ide(chart);

    // WHEN
    const edge = ingress(chart);
    edge.route(HOST, '/', backend, { signIn: signIn(chart) });

    // THEN
    const manifests = synth(chart);
    const proxyPods = { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ide-sign-in', 'app.kubernetes.io/instance': 'ide-sign-in' } } };
    expect(one(manifests, 'NetworkPolicy', 'ide').spec.ingress).toEqual([{ from: [proxyPods], ports: [{ port: 8000, protocol: 'TCP' }] }]);
    const proxyPolicy = one(manifests, 'NetworkPolicy', 'ide-sign-in').spec;
    expect(proxyPolicy.ingress).toEqual([{ from: [HAPROXY], ports: [{ port: 4180, protocol: 'TCP' }] }]);
    expect(proxyPolicy.egress).toContainEqual({
      to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ide', 'app.kubernetes.io/instance': 'ide' } } }], ports: [{ port: 8000, protocol: 'TCP' }],
    });
    expect(proxyPolicy.egress).toContainEqual({ to: [{ ipBlock: { cidr: '203.0.113.10/32' } }], ports: [{ port: 443, protocol: 'TCP' }] });
    expect(edge.signInProxy(backend)?.name).toBe('ide-sign-in');
  });

  test('runs oauth2-proxy against the issuer, on every interface, with its secrets as files and its pages under <path>/oauth2', () => {
    // GIVEN
    const chart = testChart();

    // WHEN
    ingress(chart).route(HOST, '/', ide(chart), { signIn: signIn(chart, { allowedGroups: ['developers', 'leads'] }) });

    // THEN
    const manifests = synth(chart);
    expect(argsOf(manifests)).toEqual([
      '--provider=oidc',
      '--oidc-issuer-url=https://sso.example.com/realms/platform',
      '--oidc-groups-claim=groups',
      '--client-id=ide',
      '--client-secret-file=/var/run/secrets/oauth2-proxy/client-secret',
      '--cookie-secret-file=/var/run/secrets/oauth2-proxy/cookie-secret',
      '--cookie-name=_oauth2_proxy_ide',
      '--cookie-secure=true',
      '--cookie-samesite=lax',
      '--code-challenge-method=S256',
      '--skip-provider-button=true',
      '--proxy-prefix=/oauth2',
      '--redirect-url=https://ide.example.com/oauth2/callback',
      '--upstream=http://ide.test.svc:80/',
      '--http-address=0.0.0.0:4180',
      '--email-domain=*',
      '--allowed-group=developers',
      '--allowed-group=leads',
      '--silence-ping-logging=true',
    ]);
    const pod = one(manifests, 'Deployment', 'ide-sign-in').spec.template.spec;
    const container = pod.containers[0];
    expect(container.env).toBeUndefined();
    expect(container.envFrom).toBeUndefined();
    expect(pod.volumes).toContainEqual({
      name: 'sign-in-secrets',
      secret: {
        secretName: 'ide-sign-in', defaultMode: 0o400,
        items: [{ key: 'client-secret', path: 'client-secret' }, { key: 'cookie-secret', path: 'cookie-secret' }],
      },
    });
    expect(container.volumeMounts).toContainEqual({ name: 'sign-in-secrets', mountPath: '/var/run/secrets/oauth2-proxy', readOnly: true });
    expect(container.readinessProbe.httpGet.path).toBe('/ready');
    expect(container.livenessProbe.httpGet.path).toBe('/ping');
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
  });

  test('a route below the root serves the proxy\'s pages, and the callback, under its own path', () => {
    // GIVEN
    const chart = testChart();

    // WHEN
    ingress(chart).route(HOST, '/admin', ide(chart), { signIn: signIn(chart) });

    // THEN
    const args = argsOf(synth(chart));
    expect(args).toContain('--proxy-prefix=/admin/oauth2');
    expect(args).toContain('--redirect-url=https://ide.example.com/admin/oauth2/callback');
  });

  test('keeps the source allow-list on top of the sign-in', () => {
    // GIVEN
    const chart = testChart();

    // WHEN
    ingress(chart).route(HOST, '/', ide(chart), { signIn: signIn(chart), allowedSourceRanges: ['198.51.100.0/24'] });

    // THEN
    const restricted = ofKind(synth(chart), 'Ingress')[0];
    expect(restricted.metadata.annotations['haproxy.org/allow-list']).toBe('198.51.100.0/24');
    expect(restricted.spec.rules[0].http.paths[0].backend.service.name).toBe('ide-sign-in');
  });

  test('Gateway API: the HTTPRoute sends to the proxy, and the proxy waits for the backend\'s headers as long as the route does', () => {
    // GIVEN
    const chart = testChart();
    const edge = new HardenedIngress(chart, 'Ingress', {
      controller: IngressController.gatewayApi({ name: 'public', gatewayClassName: 'eg', peer: ENVOY }),
      issuer: CertificateIssuer.clusterIssuer('letsencrypt'),
      timeouts: { backend: Duration.seconds(300) },
    });

    // WHEN
    edge.route(HOST, '/', ide(chart), { signIn: signIn(chart) });

    // THEN
    const manifests = synth(chart);
    expect(one(manifests, 'HTTPRoute', 'ingress-ide-example-com').spec.rules[0].backendRefs).toEqual([{ name: 'ide-sign-in', port: 80 }]);
    expect(argsOf(manifests)).toContain('--upstream-timeout=300s');
  });

  test('with metrics, serves them on 44180 for the stage\'s Prometheus, with alerts on oauth2-proxy\'s own series', () => {
    // GIVEN
    const chart = testChart();
    const prometheus = Prometheus.kubePrometheusStack({ release: 'kps', namespace: 'monitoring' });

    // WHEN
    ingress(chart).route(HOST, '/', ide(chart), { signIn: signIn(chart, { proxy: { metrics: { prometheus } } }) });

    // THEN
    const manifests = synth(chart);
    expect(argsOf(manifests)).toContain('--metrics-address=0.0.0.0:44180');
    const monitor = one(manifests, 'ServiceMonitor', 'ide-sign-in');
    expect(monitor.metadata.labels.release).toBe('kps');
    expect(monitor.spec.endpoints[0].port).toBe('metrics');
    const exprs = one(manifests, 'PrometheusRule', 'ide-sign-in').spec.groups.flatMap((g: any) => g.rules.map((r: any) => r.expr)).join('\n');
    expect(exprs).toContain('oauth2_proxy_requests_total');
    expect(exprs).toContain('oauth2_proxy_response_duration_seconds_bucket');
  });

  test('declares the client, its redirect URI and claims, and where the issuer answers', () => {
    // GIVEN
    const chart = testChart();

    // WHEN
    ingress(chart).route(HOST, '/', ide(chart), { signIn: signIn(chart, { allowedGroups: ['developers'] }) });

    // THEN
    const declared = Prerequisite.declaredIn(chart).map((d) => d.prerequisite);
    const provider = declared.filter((p) => p.kind === PrerequisiteKind.IDENTITY_PROVIDER);
    expect(provider.map((p) => p.title)).toEqual([
      'https://sso.example.com/realms/platform: client ide: confidential, authorization code flow with PKCE S256, redirect URI https://ide.example.com/oauth2/callback',
      'https://sso.example.com/realms/platform: client ide: ID tokens carry the claim email, and not email_verified false',
      'https://sso.example.com/realms/platform: client ide: ID tokens carry the claim groups with the person\'s groups, for scope groups',
    ]);
    expect(provider[0].reason).toContain('its secret is key client-secret of Secret test/ide-sign-in (the value alone, without a trailing newline)');
    expect(provider[0].reason).toContain('key cookie-secret, the key of the session cookies (16, 24 or 32 random bytes, base64url-encoded');
    expect(declared.map((p) => p.title)).toContain(
      'Keycloak realm platform at https://sso.example.com answers at addresses in 203.0.113.10/32 on port 443, with every endpoint its discovery document names');
    // The store keys come from the SecretsBinding, as for every ExternalSecret.
    expect(declared.filter((p) => p.kind === PrerequisiteKind.SECRET_STORE_KEY).map((p) => p.title))
      .toEqual(['ClusterSecretStore vault: ide/client-secret', 'ClusterSecretStore vault: ide/cookie-secret']);
  });

  test('a generic OIDC issuer on its own port: the proxy reaches it on that port, without a groups claim when no group is required', () => {
    // GIVEN
    const chart = testChart();
    const identityProvider = IdentityProvider.oidc({ issuerUrl: 'https://dex.example.com:8443/dex', endpoint: ISSUER_PEER, groupsClaim: 'roles' });

    // WHEN
    ingress(chart).route(HOST, '/', ide(chart), { signIn: signIn(chart, { identityProvider, allowedEmailDomains: ['example.com'] }) });

    // THEN
    const manifests = synth(chart);
    expect(argsOf(manifests)).toEqual(expect.arrayContaining(['--oidc-issuer-url=https://dex.example.com:8443/dex', '--oidc-groups-claim=roles', '--email-domain=example.com']));
    expect(argsOf(manifests).filter((a) => a.startsWith('--allowed-group'))).toEqual([]);
    expect(one(manifests, 'NetworkPolicy', 'ide-sign-in').spec.egress).toContainEqual({ to: [{ ipBlock: { cidr: '203.0.113.10/32' } }], ports: [{ port: 8443, protocol: 'TCP' }] });
    expect(Prerequisite.declaredIn(chart).filter((d) => d.prerequisite.kind === PrerequisiteKind.IDENTITY_PROVIDER)).toHaveLength(2);
  });

  test('a Keycloak realm\'s issuer is <url>/realms/<realm>, as Keycloak 17 and later serve it', () => {
    // Keycloak, "Securing applications and services with OpenID Connect", Available endpoints:
    // /realms/{realm-name}/.well-known/openid-configuration below the server's base URL.
    const options: Required<KeycloakProviderOptions> = { url: 'https://sso.example.com/', realm: 'platform', endpoint: ISSUER_PEER, groupsClaim: 'roles' };
    const keycloak = IdentityProvider.keycloak(options);
    expect([keycloak.issuerUrl, keycloak.groupsClaim, keycloak.realm]).toEqual(['https://sso.example.com/realms/platform', 'roles', 'platform']);
    expect(KEYCLOAK.groupsClaim).toBe('groups');
  });

  test('passes the production guardrails in a namespace with its baseline', () => {
    // GIVEN
    const app = Testing.app();
    const chart = new Chart(app, 'prod', { namespace: 'test', disableResourceNameHashes: true });
    new NamespaceBaseline(chart, 'Namespace', {
      name: 'test',
      // Room for both at full scale (quota-headroom): the IDE and the proxy each autoscale to 10 pods, plus a surge pod.
      quota: { requestsCpu: Cpu.units(8), requestsMemory: Size.gibibytes(16), limitsCpu: Cpu.units(24), limitsMemory: Size.gibibytes(32) },
    });

    // WHEN
    ingress(chart).route(HOST, '/', ide(chart), { signIn: signIn(chart) });

    // THEN
    expect(Guardrails.apply(app).evaluate().errors.map((f) => `${f.rule.id}: ${f.object.title} ${f.message}`)).toEqual([]);
  });

  describe('snapshots', () => {
    test('minimal props', () => {
      const chart = testChart();
      ingress(chart).route(HOST, '/', ide(chart), { signIn: signIn(chart) });
      expect(synth(chart).filter((m) => ['Deployment', 'NetworkPolicy', 'Ingress'].includes(m.kind))).toMatchSnapshot();
    });

    test('all props', () => {
      // GIVEN
      const chart = testChart();
      const provider: Required<OidcProviderOptions> = { issuerUrl: 'https://login.example.com/tenant', endpoint: ISSUER_PEER, groupsClaim: 'groups' };
      const proxy: Required<SignInProxyOptions> = {
        image: Image.pinned('registry.example.com/oauth2-proxy/oauth2-proxy', 'v7.15.3'),
        replicas: 3,
        autoscaling: { enabled: false },
        resources: {
          cpu: { request: Cpu.millis(100), limit: Cpu.millis(300) },
          memory: { request: Size.mebibytes(64), limit: Size.mebibytes(128) },
          ephemeralStorage: { request: Size.mebibytes(64), limit: Size.mebibytes(128) },
        },
        dns: ClusterDns.nodeLocalCache(),
        egressEngine: EgressEngine.cilium(),
        metrics: { prometheus: Prometheus.kubePrometheusStack(), interval: Duration.seconds(15), alerts: { runbookBaseUrl: 'https://runbooks.example.com' } },
        imagePullSecrets: [registryIn(chart)],
        logs: LogCollection.fluentBit({ destination: 'Loki at https://loki.example.com' }),
      };
      const options: Required<OidcSignInOptions> = {
        identityProvider: IdentityProvider.oidc(provider),
        clientId: 'admin-console',
        secret: signInSecret(chart, ['oidc-client', 'session-key']),
        clientSecretKey: 'oidc-client',
        cookieSecretKey: 'session-key',
        allowedGroups: ['admins'],
        allowedEmailDomains: ['example.com'],
        proxy,
      };

      // WHEN
      ingress(chart).route(HOST, '/admin', ide(chart, 'Console'), { signIn: SignIn.oidc(options), match: PathMatch.PREFIX });

      // THEN
      expect(synth(chart).filter((m) => ['Deployment', 'NetworkPolicy', 'Ingress', 'ServiceMonitor', 'PodDisruptionBudget'].includes(m.kind))).toMatchSnapshot();
    });
  });

  describe('bad input', () => {
    const route = (c: Chart, options: Partial<OidcSignInOptions>) => ingress(c).route(HOST, '/', ide(c), { signIn: signIn(c, options) });
    const provider = (issuerUrl: string) => IdentityProvider.oidc({ issuerUrl, endpoint: ISSUER_PEER });
    const cases: Array<[string, (chart: Chart) => void, RegExp]> = [
      ['the issuer is not https', (c) => route(c, { identityProvider: provider('http://sso.example.com/realms/a') }),
        /\[test\/Ingress\] 'signIn.identityProvider.issuerUrl' \('http:\/\/sso.example.com\/realms\/a'\) must be an https URL/],
      ['the issuer has a query', (c) => route(c, { identityProvider: provider('https://sso.example.com/?tenant=a') }),
        /'signIn.identityProvider.issuerUrl' \('https:\/\/sso.example.com\/\?tenant=a'\) must be an https URL without credentials, query or fragment: the issuer's tokens and keys cross networks/],
      ['the issuer is not a URL', (c) => route(c, { identityProvider: provider('sso.example.com') }),
        /'signIn.identityProvider.issuerUrl' \('sso.example.com'\) must be an https URL/],
      ['the Keycloak realm holds a slash', (c) => route(c, { identityProvider: IdentityProvider.keycloak({ url: 'https://sso.example.com', realm: 'a/b', endpoint: ISSUER_PEER }) }),
        /'signIn.identityProvider.realm' \('a\/b'\) must be a Keycloak realm name/],
      ['the groups claim is not a claim name', (c) => route(c, { identityProvider: IdentityProvider.oidc({ issuerUrl: 'https://sso.example.com', endpoint: ISSUER_PEER, groupsClaim: 'my groups' }) }),
        /'signIn.identityProvider.groupsClaim' \('my groups'\) must be a claim name/],
      ['the client id holds a space', (c) => route(c, { clientId: 'my ide' }), /'signIn.clientId' \('my ide'\) must be a client id of printable characters without spaces/],
      ['the client secret key is not a key', (c) => route(c, { clientSecretKey: 'client secret' }),
        /'signIn.clientSecretKey' \('client secret'\) must be a Secret key/],
      ['the cookie secret key is not a key', (c) => route(c, { cookieSecretKey: '..' }), /'signIn.cookieSecretKey' \('..'\) must be a Secret key/],
      ['both secrets have one key', (c) => route(c, { cookieSecretKey: 'client-secret' }),
        /'signIn.cookieSecretKey' \('client-secret'\) must differ from the client secret's key/],
      ['the Secret lacks the client secret', (c) => route(c, { secret: signInSecret(c, ['cookie-secret']) }),
        /'signIn.clientSecretKey' \('client-secret'\) is not a key of Secret 'ide-sign-in' \(cookie-secret\)/],
      ['the Secret lacks the cookie secret', (c) => route(c, { secret: signInSecret(c, ['client-secret']) }),
        /'signIn.cookieSecretKey' \('cookie-secret'\) is not a key of Secret 'ide-sign-in' \(client-secret\)/],
      ['the Secret is in another namespace', (c) => route(c, { secret: signInSecret(c, undefined, 'other') }),
        /'signIn.secret' \('test\/SignInSecretclient-secretcookie-secretother'\) must produce its Secret in namespace 'test', not 'other': the sign-in proxy reads/],
      ['a group holds a space', (c) => route(c, { allowedGroups: ['platform team'] }), /'signIn.allowedGroups' \('platform team'\) must be a group name without spaces or commas/],
      ['no group is listed', (c) => route(c, { allowedGroups: [] }), /'signIn.allowedGroups' \(\[\]\) must list at least one group/],
      ['an email domain is not a domain', (c) => route(c, { allowedEmailDomains: ['@example.com'] }),
        /'signIn.allowedEmailDomains' \('@example.com'\) must be a lowercase domain/],
      ['no email domain is listed', (c) => route(c, { allowedEmailDomains: [] }), /'signIn.allowedEmailDomains' \(\[\]\) must list at least one domain/],
      ['the route matches its path exactly', (c) => ingress(c).route(HOST, '/', ide(c), { signIn: signIn(c), match: PathMatch.EXACT }),
        /'match' \('Exact'\) must be Prefix with a sign-in: the proxy serves its own pages under <path>\/oauth2/],
      ['a backend routed directly is put behind a sign-in', (c) => {
        const e = ingress(c);
        const backend = ide(c);
        e.route('api.example.com', '/', backend);
        e.route(HOST, '/', backend, { signIn: signIn(c) });
      }, /'signIn' \('test\/Ide'\) cannot put a backend behind a sign-in that another route reaches directly/],
      ['a backend behind a sign-in is routed directly', (c) => {
        const e = ingress(c);
        const backend = ide(c);
        e.route(HOST, '/', backend, { signIn: signIn(c) });
        e.route('api.example.com', '/', backend);
      }, /'signIn' \(unset\) must be set for backend 'test\/Ide', which another route puts behind a sign-in/],
      ['a backend is put behind two sign-ins', (c) => {
        const e = ingress(c);
        const backend = ide(c);
        e.route(HOST, '/', backend, { signIn: signIn(c) });
        e.route('api.example.com', '/', backend, { signIn: signIn(c, { secret: signInSecret(c, ['client-secret', 'cookie-secret', 'x']) }) });
      }, /'signIn' \('test\/Ide'\) is already set on another route to this backend/],
      ['the proxy is given no replica', (c) => route(c, { proxy: { replicas: 0 } }), /\[test\/Ingress\/SignIn-ide\] 'replicas' \(0\) must be an integer of at least 1/],
      ['the Keycloak URL is not https', (c) => route(c, { identityProvider: IdentityProvider.keycloak({ url: 'http://sso.example.com', realm: 'a', endpoint: ISSUER_PEER }) }),
        /^\[test\/Ingress\] 'signIn.identityProvider.url' \('http:\/\/sso.example.com'\) must be an https URL without credentials, query or fragment/],
      ['the issuer URL holds credentials', (c) => route(c, { identityProvider: provider('https://admin:secret@sso.example.com') }),
        /^\[test\/Ingress\] 'signIn.identityProvider.issuerUrl' \(.*\) must be an https URL without credentials, query or fragment/],
      ['the provider answers at an address block the API server refuses', (c) => route(c, {
        identityProvider: IdentityProvider.oidc({ issuerUrl: 'https://sso.example.com', endpoint: NetworkPeer.ipBlock('203.0.113.10/33') }),
      }), /^\[test\/Ingress\] 'signIn.identityProvider.endpoint' \('203.0.113.10\/33'\) must be an IPv4 or IPv6 CIDR block/],
      ['the provider answers at a host name that is none', (c) => route(c, {
        identityProvider: IdentityProvider.oidc({ issuerUrl: 'https://sso.example.com', endpoint: NetworkPeer.domain('https://sso.example.com') }),
      }), /^\[test\/Ingress\] 'signIn.identityProvider.endpoint' \('https:\/\/sso.example.com'\) must be a host name without a scheme/],
      // A caller without a type checker:
      ['the sign-in is its options', (c) => ingress(c).route(HOST, '/', ide(c), { signIn: { clientId: 'ide' } as any }),
        /^\[test\/Ingress\] 'signIn' \(\{"clientId":"ide"\}\) must be a SignIn \(SignIn.oidc\(...\)\), or left unset$/],
      ['the sign-in options are missing', (c) => ingress(c).route(HOST, '/', ide(c), { signIn: SignIn.oidc(undefined as any) }),
        /^\[test\/Ingress\] 'signIn' \(unset\) must be an OidcSignInOptions object/],
      ['the identity provider is its issuer URL', (c) => route(c, { identityProvider: 'https://sso.example.com' as any }),
        /^\[test\/Ingress\] 'signIn.identityProvider' \('https:\/\/sso.example.com'\) must be an IdentityProvider \(IdentityProvider.oidc or IdentityProvider.keycloak\)$/],
      ['the provider options are null', (c) => route(c, { identityProvider: IdentityProvider.oidc(null as any) }),
        /^\[test\/Ingress\] 'signIn.identityProvider' \(null\) must be an OidcProviderOptions object/],
      ['the Keycloak options are missing', (c) => route(c, { identityProvider: IdentityProvider.keycloak(undefined as any) }),
        /^\[test\/Ingress\] 'signIn.identityProvider' \(unset\) must be a KeycloakProviderOptions object \(url, realm, endpoint, and optionally groupsClaim\)$/],
      ['the Keycloak realm is missing', (c) => route(c, { identityProvider: IdentityProvider.keycloak({ url: 'https://sso.example.com', endpoint: ISSUER_PEER } as any) }),
        /^\[test\/Ingress\] 'signIn.identityProvider.realm' \(unset\) must be a string$/],
      ['the provider\'s endpoint is its host name', (c) => route(c, { identityProvider: IdentityProvider.oidc({ issuerUrl: 'https://sso.example.com', endpoint: 'sso.example.com' as any }) }),
        /^\[test\/Ingress\] 'signIn.identityProvider.endpoint' \('sso.example.com'\) must be a NetworkPeer/],
      ['the client id is a number', (c) => route(c, { clientId: 5 as any }), /^\[test\/Ingress\] 'signIn.clientId' \(5\) must be a string$/],
      ['the Secret is its name', (c) => route(c, { secret: 'ide-sign-in' as any }), /^\[test\/Ingress\] 'signIn.secret' \('ide-sign-in'\) must be a SecretsBinding/],
      ['the groups are one group', (c) => route(c, { allowedGroups: 'admins' as any }),
        /^\[test\/Ingress\] 'signIn.allowedGroups' \('admins'\) must be an array \(each item a string\), or left unset$/],
      ['the proxy\'s replicas are a string', (c) => route(c, { proxy: { replicas: '2' as any } }),
        /^\[test\/Ingress\] 'signIn.proxy.replicas' \('2'\) must be a number, or left unset$/],
      ['the proxy\'s image is a reference string', (c) => route(c, { proxy: { image: 'quay.io/oauth2-proxy/oauth2-proxy:v7.15.3' as any } }),
        /^\[test\/Ingress\] 'signIn.proxy.image' \('quay.io\/oauth2-proxy\/oauth2-proxy:v7.15.3'\) must be an Image/],
      ['the proxy\'s metrics interval is a number', (c) => route(c, { proxy: { metrics: { interval: 30 as any } } }),
        /^\[test\/Ingress\] 'signIn.proxy.metrics.interval' \(30\) must be a Duration/],
    ];

    test.each(cases)('fails when %s', (_, build, message) => {
      expect(() => build(testChart())).toThrow(message);
    });

    test('a backend whose name leaves no room for the proxy\'s gets a proxy named with a hash, within a Service name', () => {
      // GIVEN a backend of 56 characters: '<backend>-sign-in' would be 64, one more than a Service name holds
      const chart = testChart();
      const long = new ProductionApp(chart, 'Long', { image: Image.pinned('acme/ide', '1.0.0'), name: `ide-${'x'.repeat(52)}` });
      const other = new ProductionApp(chart, 'Other', { image: Image.pinned('acme/ide', '1.0.0'), name: `ide-${'x'.repeat(51)}y` });
      const e = ingress(chart);
      const secret = signInSecret(chart);

      // WHEN
      e.route(HOST, '/', long, { signIn: signIn(chart, { secret }) });
      e.route('other.example.com', '/', other, { signIn: signIn(chart, { secret }) });

      // THEN
      const names = [e.signInProxy(long)!.name, e.signInProxy(other)!.name];
      expect(names.map((n) => n.length)).toEqual([63, 63]);
      expect(names[0]).toMatch(/^ide-x{40}-[0-9a-f]{10}-sign-in$/);
      expect(names[1]).not.toBe(names[0]);
      expect(one(synth(chart), 'Deployment', names[0]).metadata.name).toBe(names[0]);
      expect(e.signInProxy(ide(chart, 'Short')) ?? 'none').toBe('none');
    });

    test('writes no proxy and opens no path when the sign-in is refused', () => {
      // GIVEN
      const chart = testChart();
      const backend = ide(chart);

      // WHEN
      expect(() => ingress(chart).route(HOST, '/', backend, { signIn: signIn(chart, { clientId: 'my ide' }) })).toThrow();

      // THEN
      const manifests = synth(chart);
      expect(ofKind(manifests, 'Deployment').map((d) => d.metadata.name)).toEqual(['ide']);
      expect(one(manifests, 'NetworkPolicy', 'ide').spec.ingress).toBeUndefined();
      expect(ofKind(manifests, 'NetworkPolicy').some((p) => (p.spec.ingress ?? []).some((r: any) => r.from.some((f: any) => isDeepStrictEqual(f, HAPROXY))))).toBe(false);
    });
  });
});
