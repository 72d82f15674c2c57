import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Duration, Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  AcmeServer, CertificateIssuer, DnsProvider, DnsRecords, ExternalDnsPolicy, Guardrails, HardenedIngress, HardenedIngressProps, HttpMethod,
  IIngressBackend, Image, IngressController, NamespaceBaseline, NetworkPeer, PathMatch, Prerequisite, PrerequisiteKind, ProductionApp, SecretsBinding, SecretSource,
  SecretStoreRef, TrafficFeature,
} from '../../lib';
import { Manifest, includeFile, ofKind, one, synth, testChart } from '../util';

const HOST = 'api.example.com';
const ENVOY = NetworkPeer.namespace('envoy-gateway-system');
const LETS_ENCRYPT = CertificateIssuer.clusterIssuer('letsencrypt-prod');

function app(chart: Chart, id = 'Api'): ProductionApp {
  return new ProductionApp(chart, id, { image: Image.pinned('acme/api', '1.0.0'), port: 8080, servicePort: 80 });
}

function ingress(chart: Chart, props: Partial<HardenedIngressProps> = {}): HardenedIngress {
  return new HardenedIngress(chart, 'Ingress', { controller: IngressController.haproxy(), issuer: LETS_ENCRYPT, ...props });
}

function gatewayApi(chart: Chart, props: Partial<HardenedIngressProps> = {}): HardenedIngress {
  return ingress(chart, { controller: IngressController.gatewayApi({ name: 'public', gatewayClassName: 'eg', peer: ENVOY }), ...props });
}

/** A Cloudflare API token in cert-manager's namespace, where a ClusterIssuer reads the Secrets of its DNS-01 solver. */
function cloudflareToken(chart: Chart, namespace = 'cert-manager', key = 'api-token'): SecretsBinding {
  return new SecretsBinding(chart, `Cloudflare-${namespace}-${key}`, {
    name: 'cloudflare-api-token',
    namespace,
    source: SecretSource.externalSecret({ store: SecretStoreRef.cluster('vault'), data: { [key]: { key: 'dns/cloudflare-api-token' } } }),
  });
}

/** Includes `objects` in `chart`, as cdk8s includes a manifest file. */
function include(chart: Chart, objects: object[]): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'objects-'));
  try {
    fs.writeFileSync(path.join(dir, 'objects.yaml'), objects.map((o) => JSON.stringify(o)).join('\n---\n'));
    includeFile(chart, 'Objects', path.join(dir, 'objects.yaml'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function annotationsOf(manifests: Manifest[], name = 'ingress'): Record<string, string> {
  return one(manifests, 'Ingress', name).metadata.annotations;
}

describe('HardenedIngress', () => {
  describe('Ingress rendering', () => {
    test('routes a host and path to the app Service, with ingressClassName and TLS from a Certificate', () => {
      // GIVEN
      const chart = testChart();
      const api = app(chart);

      // WHEN
      ingress(chart).route(HOST, '/', api);

      // THEN
      const manifests = synth(chart);
      const spec = one(manifests, 'Ingress', 'ingress').spec;
      expect(spec.ingressClassName).toBe('haproxy');
      expect(spec.rules).toEqual([{
        host: HOST,
        http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'api', port: { number: 80 } } } }] },
      }]);
      expect(spec.tls).toEqual([{ hosts: [HOST], secretName: 'api-example-com-tls' }]);
      const certificate = one(manifests, 'Certificate', 'api-example-com-tls');
      expect(certificate.metadata.namespace).toBe('test');
      expect(certificate.spec).toMatchObject({
        secretName: 'api-example-com-tls',
        dnsNames: [HOST],
        issuerRef: { name: 'letsencrypt-prod', kind: 'ClusterIssuer', group: 'cert-manager.io' },
      });
    });

    test('gives every host its own TLS entry and certificate, and uses an existing Secret when given', () => {
      // GIVEN
      const chart = testChart();
      const api = app(chart);
      const edge = ingress(chart, { tlsSecrets: { 'admin.example.com': 'wildcard-example-com' } });

      // WHEN
      edge.route(HOST, '/', api);
      edge.route('www.example.com', '/', api);
      edge.route('admin.example.com', '/', api);

      // THEN
      const manifests = synth(chart);
      expect(one(manifests, 'Ingress').spec.tls).toEqual([
        { hosts: [HOST], secretName: 'api-example-com-tls' },
        { hosts: ['www.example.com'], secretName: 'www-example-com-tls' },
        { hosts: ['admin.example.com'], secretName: 'wildcard-example-com' },
      ]);
      expect(ofKind(manifests, 'Certificate').map((c) => c.spec.dnsNames)).toEqual([[HOST], ['www.example.com']]);
      // Nothing in the manifests produces the existing Secret: the cluster must hold it.
      expect(Prerequisite.declaredIn(chart).map((d) => d.prerequisite.title)).toContain('Secret test/wildcard-example-com');
    });

    test('HAProxy: redirects to HTTPS on port 443, sets HSTS, rate limits per client with 429, and answers CORS', () => {
      // GIVEN
      const chart = testChart();

      // WHEN
      ingress(chart, {
        rateLimit: { requestsPerSecond: 50 },
        timeouts: { backend: Duration.seconds(30) },
        cors: { allowOrigins: ['https://app.example.com', 'https://admin.example.com'], allowCredentials: true },
      }).route(HOST, '/', app(chart));

      // THEN
      expect(annotationsOf(synth(chart))).toEqual({
        'haproxy.org/ssl-redirect': 'true',
        'haproxy.org/ssl-redirect-code': '301',
        'haproxy.org/ssl-redirect-port': '443',
        'haproxy.org/response-set-header': 'Strict-Transport-Security "max-age=31536000; includeSubDomains"',
        'haproxy.org/rate-limit-requests': '50',
        'haproxy.org/rate-limit-period': '1s',
        'haproxy.org/rate-limit-status-code': '429',
        'haproxy.org/timeout-server': '30s',
        'haproxy.org/cors-enable': 'true',
        'haproxy.org/cors-allow-origin': '^(https://app\\.example\\.com|https://admin\\.example\\.com)$',
        'haproxy.org/cors-allow-credentials': 'true',
        'haproxy.org/cors-allow-methods': 'GET, HEAD, POST, PUT, PATCH, DELETE',
        'haproxy.org/cors-allow-headers': 'Authorization, Content-Type',
        'haproxy.org/cors-max-age': '600s',
      });
    });

    test('HAProxy: one CORS origin is anchored and escaped too, so that no longer origin matches it', () => {
      // haproxytech kubernetes-ingress v3.2.11 pkg/annotations/ingress/resSetCORS.go matches the request's Origin against
      // cors-allow-origin with `-m reg`, an unanchored regular expression: a bare https://app.example.com would also admit
      // https://app.example.com.attacker.net, and its dots any character.
      const chart = testChart();
      ingress(chart, { cors: { allowOrigins: ['https://app.example.com:8443'] } }).route(HOST, '/', app(chart));

      const origin = annotationsOf(synth(chart))['haproxy.org/cors-allow-origin'];
      expect(origin).toBe('^(https://app\\.example\\.com:8443)$');
      const pattern = new RegExp(origin);
      expect(pattern.test('https://app.example.com:8443')).toBe(true);
      expect(['https://app.example.com:8443.attacker.net', 'https://appxexample.com:8443', 'https://evil.app.example.com:8443']
        .filter((o) => pattern.test(o))).toEqual([]);
    });

    test('ingress-nginx: redirect, rate and connection limits, body size, timeouts and CORS without credentials', () => {
      // GIVEN
      const chart = testChart();

      // WHEN
      ingress(chart, {
        controller: IngressController.ingressNginx(),
        rateLimit: { requestsPerSecond: 100, connectionsPerClient: 50 },
        maxBodySize: Size.mebibytes(10),
        timeouts: { connect: Duration.seconds(5), backend: Duration.seconds(60) },
        cors: { allowOrigins: ['https://app.example.com'], allowMethods: [HttpMethod.GET], allowHeaders: ['X-Request-Id'], maxAge: Duration.minutes(1) },
      }).route(HOST, '/', app(chart));

      // THEN
      const manifests = synth(chart);
      expect(one(manifests, 'Ingress').spec.ingressClassName).toBe('nginx');
      expect(annotationsOf(manifests)).toEqual({
        'nginx.ingress.kubernetes.io/ssl-redirect': 'true',
        'nginx.ingress.kubernetes.io/limit-rps': '100',
        'nginx.ingress.kubernetes.io/limit-connections': '50',
        'nginx.ingress.kubernetes.io/proxy-body-size': '10m',
        'nginx.ingress.kubernetes.io/proxy-connect-timeout': '5',
        'nginx.ingress.kubernetes.io/proxy-read-timeout': '60',
        'nginx.ingress.kubernetes.io/proxy-send-timeout': '60',
        'nginx.ingress.kubernetes.io/enable-cors': 'true',
        'nginx.ingress.kubernetes.io/cors-allow-origin': 'https://app.example.com',
        'nginx.ingress.kubernetes.io/cors-allow-credentials': 'false',
        'nginx.ingress.kubernetes.io/cors-allow-methods': 'GET',
        'nginx.ingress.kubernetes.io/cors-allow-headers': 'X-Request-Id',
        'nginx.ingress.kubernetes.io/cors-max-age': '60',
      });
    });

    test('never writes a snippet annotation', () => {
      // GIVEN
      const chart = testChart();
      const everything = { rateLimit: { requestsPerSecond: 10 }, cors: { allowOrigins: ['https://app.example.com'] } };

      // WHEN
      for (const [id, controller] of [['Nginx', IngressController.ingressNginx()], ['Haproxy', IngressController.haproxy()]] as const) {
        new HardenedIngress(chart, id, { controller, issuer: LETS_ENCRYPT, ...everything }).route(HOST, '/', app(chart, `${id}App`), {
          allowedSourceRanges: ['10.0.0.0/8'],
        });
      }

      // THEN
      const keys = ofKind(synth(chart), 'Ingress').flatMap((i) => Object.keys(i.metadata.annotations));
      expect(keys.length).toBeGreaterThan(10);
      expect(keys.filter((key) => key.includes('snippet'))).toEqual([]);
    });

    test('puts a route with a source allow-list in an Ingress of its own, leaving the others open', () => {
      // GIVEN
      const chart = testChart();
      const api = app(chart);
      const edge = ingress(chart, { controller: IngressController.ingressNginx() });

      // WHEN
      const open = edge.route(HOST, '/', api);
      const admin = edge.route(HOST, '/admin', api, { allowedSourceRanges: ['203.0.113.0/24', '10.0.0.0/8'] });
      const alsoAdmin = edge.route(HOST, '/metrics', api, { allowedSourceRanges: ['10.0.0.0/8', '203.0.113.0/24'] });

      // THEN
      expect(alsoAdmin).toBe(admin);
      expect(open).not.toBe(admin);
      const manifests = synth(chart);
      const restricted = ofKind(manifests, 'Ingress').find((i) => i.metadata.name !== 'ingress')!;
      expect(restricted.metadata.name).toMatch(/^ingress-restricted-[0-9a-f]{8}$/);
      expect(restricted.metadata.annotations['nginx.ingress.kubernetes.io/whitelist-source-range']).toBe('10.0.0.0/8,203.0.113.0/24');
      expect(restricted.spec.rules[0].http.paths.map((p: any) => p.path)).toEqual(['/admin', '/metrics']);
      expect(restricted.spec.tls).toEqual([{ hosts: [HOST], secretName: 'api-example-com-tls' }]);
      const unrestricted = one(manifests, 'Ingress', 'ingress');
      expect(unrestricted.metadata.annotations['nginx.ingress.kubernetes.io/whitelist-source-range']).toBeUndefined();
      expect(unrestricted.spec.rules[0].http.paths.map((p: any) => p.path)).toEqual(['/']);
      expect(ofKind(manifests, 'Certificate')).toHaveLength(1);
    });

    test('matches a path exactly when asked', () => {
      // GIVEN
      const chart = testChart();

      // WHEN
      ingress(chart).route(HOST, '/healthz', app(chart), { match: PathMatch.EXACT });

      // THEN
      expect(one(synth(chart), 'Ingress').spec.rules[0].http.paths[0]).toMatchObject({ path: '/healthz', pathType: 'Exact' });
    });
  });

  describe('network', () => {
    test('the backend admits the controller pods on its container port, and only them', () => {
      // GIVEN
      const chart = testChart();
      const api = app(chart);

      // WHEN
      ingress(chart).route(HOST, '/', api);

      // THEN
      expect(one(synth(chart), 'NetworkPolicy', 'api').spec.ingress).toEqual([{
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'haproxy-controller' } } }],
        ports: [{ port: 8080, protocol: 'TCP' }],
      }]);
    });

    test('admits a configured controller peer instead', () => {
      // GIVEN
      const chart = testChart();
      const api = app(chart);
      const peer = NetworkPeer.podsInNamespaces({ 'app.kubernetes.io/name': 'ingress-nginx' }, { 'kubernetes.io/metadata.name': 'edge' });

      // WHEN
      ingress(chart, { controller: IngressController.ingressNginx({ className: 'public', peer }) }).route(HOST, '/', api);

      // THEN
      const manifests = synth(chart);
      expect(one(manifests, 'Ingress').spec.ingressClassName).toBe('public');
      expect(one(manifests, 'NetworkPolicy', 'api').spec.ingress[0].from).toEqual([{
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } },
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'edge' } },
      }]);
    });
  });

  describe('certificates', () => {
    test('references an existing Issuer in the namespace', () => {
      // GIVEN
      const chart = testChart();

      // WHEN
      ingress(chart, { issuer: CertificateIssuer.issuer('internal-ca') }).route(HOST, '/', app(chart));

      // THEN
      const manifests = synth(chart);
      expect(one(manifests, 'Certificate').spec.issuerRef).toEqual({ name: 'internal-ca', kind: 'Issuer', group: 'cert-manager.io' });
      expect(ofKind(manifests, 'ClusterIssuer')).toHaveLength(0);
      expect(ofKind(manifests, 'NetworkPolicy').map((p) => p.metadata.name)).toEqual(['api']);
    });

    test('declares an ACME ClusterIssuer, cluster-scoped, solving HTTP-01 through the ingress class', () => {
      // GIVEN
      const chart = testChart();
      const issuer = CertificateIssuer.acme({ name: 'letsencrypt-staging', server: AcmeServer.letsEncryptStaging(), email: 'ops@example.com' });

      // WHEN
      ingress(chart, { issuer }).route(HOST, '/', app(chart));

      // THEN
      const manifests = synth(chart);
      const clusterIssuer = one(manifests, 'ClusterIssuer', 'letsencrypt-staging');
      expect(clusterIssuer.metadata.namespace).toBeUndefined();
      expect(clusterIssuer.spec.acme).toEqual({
        server: 'https://acme-staging-v02.api.letsencrypt.org/directory',
        email: 'ops@example.com',
        privateKeySecretRef: { name: 'letsencrypt-staging-account-key' },
        solvers: [{ http01: { ingress: { ingressClassName: 'haproxy', serviceType: 'ClusterIP' } } }],
      });
      expect(one(manifests, 'Certificate').spec.issuerRef.name).toBe('letsencrypt-staging');
    });

    test('the HTTP-01 solver Service is a ClusterIP, which a namespace without node ports admits', () => {
      // cert-manager v1.21.1 creates the solver Service as NodePort unless the solver sets serviceType
      // (pkg/issuer/acme/http/service.go, buildService; http.go getServiceType reads ingress.serviceType, else
      // gatewayHTTPRoute.serviceType), and ResourceQuota counts every port of a NodePort Service against
      // services.nodeports (kubernetes pkg/quota/v1/evaluator/core/services.go): with the baseline's 0 it is refused.
      // GIVEN
      const chart = testChart();
      new NamespaceBaseline(chart, 'Namespace', { name: 'test', quota: { requestsCpu: Cpu.units(1), requestsMemory: Size.gibibytes(1), limitsCpu: Cpu.units(1), limitsMemory: Size.gibibytes(1) } });
      const issuer = CertificateIssuer.acme({ name: 'le', server: AcmeServer.letsEncrypt(), email: 'ops@example.com' });

      // WHEN
      ingress(chart, { issuer });

      // THEN
      const manifests = synth(chart);
      expect(one(manifests, 'ResourceQuota').spec.hard['services.nodeports']).toBe(0);
      expect(one(manifests, 'ClusterIssuer').spec.acme.solvers.map((solver: any) => solver.http01.ingress.serviceType)).toEqual(['ClusterIP']);
    });

    test('the solver pod cert-manager creates is admitted in the baseline namespace: Pod Security restricted and the quota', () => {
      // The pod cert-manager v1.21.1 builds for an HTTP-01 challenge (pkg/issuer/acme/http/pod.go l.197-273, buildDefaultPod; default
      // resources from internal/apis/config/controller/v1alpha1/defaults.go l.95-99), in the namespace of the certificate.
      const chart = testChart();
      new NamespaceBaseline(chart, 'Namespace', { name: 'test', quota: { requestsCpu: Cpu.units(1), requestsMemory: Size.gibibytes(1), limitsCpu: Cpu.units(1), limitsMemory: Size.gibibytes(1) } });
      ingress(chart, { issuer: CertificateIssuer.acme({ name: 'le', server: AcmeServer.letsEncrypt(), email: 'ops@example.com' }) });
      const solver = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'cm-acme-http-solver-x7k2p', namespace: 'test', labels: { 'acme.cert-manager.io/http01-solver': 'true' } },
        spec: {
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          restartPolicy: 'OnFailure',
          securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [{
            name: 'acmesolver',
            image: 'quay.io/jetstack/cert-manager-acmesolver:v1.21.1',
            args: ['--listen-port=8089'],
            ports: [{ name: 'http', containerPort: 8089 }],
            resources: { requests: { cpu: '10m', memory: '64Mi' }, limits: { cpu: '100m', memory: '64Mi' } },
            securityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
          }],
        },
      };
      const manifests = synth(chart);

      // Pod Security restricted, as the namespace enforces it (the pss-* rules follow the Pod Security Standards' checks).
      const app = Testing.app();
      include(new Chart(app, 'solver'), [solver]);
      expect(Guardrails.apply(app).evaluate().findings.filter((f) => f.rule.id.startsWith('pss-')).map((f) => f.message)).toEqual([]);
      // A quota on requests.cpu, requests.memory, limits.cpu or limits.memory admits only containers that set them
      // (kubernetes pkg/quota/v1/evaluator/core/pods.go, Constraints); ephemeral storage is not required, and the LimitRange defaults it.
      const tracked = Object.keys(one(manifests, 'ResourceQuota').spec.hard).filter((r) => /^(requests|limits)\.(cpu|memory)$/.test(r));
      expect(tracked.sort()).toEqual(['limits.cpu', 'limits.memory', 'requests.cpu', 'requests.memory']);
      for (const resource of tracked) {
        const [kind, name] = resource.split('.');
        expect((solver.spec.containers[0].resources as any)[kind][name]).toBeDefined();
      }
      expect(one(manifests, 'NetworkPolicy', 'ingress-acme-http01-solver').spec.podSelector.matchLabels).toEqual({ 'acme.cert-manager.io/http01-solver': 'true' });
    });

    test('declares cert-manager and how it must run the solver pods, and an existing ClusterIssuer or Issuer', () => {
      for (const [issuer, expected] of [
        [CertificateIssuer.acme({ name: 'le', server: AcmeServer.letsEncrypt(), email: 'ops@example.com' }),
          expect.stringMatching(/^cert-manager: runs the ACME HTTP-01 solver pods with its defaults: non-root/)],
        [CertificateIssuer.clusterIssuer('corporate-ca'), 'ClusterIssuer corporate-ca'],
        [CertificateIssuer.issuer('internal-ca'), 'Issuer test/internal-ca'],
      ] as const) {
        // GIVEN
        const chart = testChart();

        // WHEN
        ingress(chart, { issuer });

        // THEN
        const titles = Prerequisite.declaredIn(chart).map((d) => d.prerequisite.title);
        expect(titles).toContain('cert-manager 1.21');
        expect(titles).toContainEqual(expected);
        expect(titles).toContain('IngressClass haproxy');
      }
    });

    test('lets the controller reach the ACME HTTP-01 solver pods', () => {
      // GIVEN
      const chart = testChart();

      // WHEN
      ingress(chart, { issuer: CertificateIssuer.acme({ name: 'le', server: AcmeServer.letsEncrypt(), email: 'ops@example.com' }) });

      // THEN
      const policy = one(synth(chart), 'NetworkPolicy', 'ingress-acme-http01-solver');
      expect(policy.spec).toEqual({
        podSelector: { matchLabels: { 'acme.cert-manager.io/http01-solver': 'true' } },
        policyTypes: ['Ingress'],
        ingress: [{
          from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'haproxy-controller' } } }],
          ports: [{ port: 8089, protocol: 'TCP' }],
        }],
      });
    });
  });

  describe('Gateway API rendering', () => {
    test('declares a Gateway with an HTTP listener and an HTTPS listener per host, with its certificate', () => {
      // GIVEN
      const chart = testChart();

      // WHEN
      gatewayApi(chart).route(HOST, '/', app(chart));

      // THEN
      const manifests = synth(chart);
      const gateway = one(manifests, 'Gateway', 'public');
      const allowedRoutes = { namespaces: { from: 'Same' }, kinds: [{ kind: 'HTTPRoute' }] };
      expect(gateway.spec).toEqual({
        gatewayClassName: 'eg',
        listeners: [
          { name: 'http', protocol: 'HTTP', port: 80, allowedRoutes },
          {
            name: 'https-api-example-com', protocol: 'HTTPS', port: 443, hostname: HOST, allowedRoutes,
            tls: { mode: 'Terminate', certificateRefs: [{ name: 'api-example-com-tls' }] },
          },
        ],
      });
      expect(one(manifests, 'Certificate').spec.secretName).toBe('api-example-com-tls');
      expect(ofKind(manifests, 'Ingress')).toHaveLength(0);
    });

    test('attaches the routes to the HTTPS listener only, with HSTS, CORS and the backend timeout', () => {
      // GIVEN
      const chart = testChart();
      const api = app(chart);

      // WHEN
      const route = gatewayApi(chart, {
        hsts: { maxAge: Duration.days(730), preload: true },
        timeouts: { backend: Duration.seconds(30) },
        cors: { allowOrigins: ['https://app.example.com'], allowMethods: [HttpMethod.GET, HttpMethod.POST] },
      }).route(HOST, '/api', api, { match: PathMatch.EXACT });

      // THEN
      const manifests = synth(chart);
      const httpRoute = one(manifests, 'HTTPRoute', 'ingress-api-example-com');
      expect(route.name).toBe('ingress-api-example-com');
      expect(httpRoute.spec.parentRefs).toEqual([{ name: 'public', sectionName: 'https-api-example-com' }]);
      expect(httpRoute.spec.hostnames).toEqual([HOST]);
      expect(httpRoute.spec.rules).toEqual([{
        matches: [{ path: { type: 'Exact', value: '/api' } }],
        filters: [
          {
            type: 'ResponseHeaderModifier',
            responseHeaderModifier: { set: [{ name: 'Strict-Transport-Security', value: 'max-age=63072000; includeSubDomains; preload' }] },
          },
          {
            type: 'CORS',
            cors: {
              allowOrigins: ['https://app.example.com'], allowCredentials: false, allowMethods: ['GET', 'POST'],
              allowHeaders: ['Authorization', 'Content-Type'], maxAge: 600,
            },
          },
        ],
        backendRefs: [{ name: 'api', port: 80 }],
        timeouts: { backendRequest: '30s' },
      }]);
      expect(one(synth(chart), 'NetworkPolicy', 'api').spec.ingress[0].from).toEqual([
        { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'envoy-gateway-system' } } },
      ]);
    });

    test('the HTTP listener only redirects to HTTPS, for the routed hosts', () => {
      // GIVEN
      const chart = testChart();
      const edge = gatewayApi(chart);
      const api = app(chart);

      // WHEN
      edge.route(HOST, '/', api);
      edge.route('www.example.com', '/', api);

      // THEN
      const manifests = synth(chart);
      expect(one(manifests, 'HTTPRoute', 'ingress-https-redirect').spec).toEqual({
        parentRefs: [{ name: 'public', sectionName: 'http' }],
        hostnames: [HOST, 'www.example.com'],
        rules: [{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }],
      });
      const attached = ofKind(manifests, 'HTTPRoute').filter((r) => r.metadata.name !== 'ingress-https-redirect');
      expect(attached.flatMap((r) => r.spec.parentRefs.map((p: any) => p.sectionName))).toEqual(['https-api-example-com', 'https-www-example-com']);
    });

    test('solves ACME HTTP-01 through the Gateway\'s HTTP listener', () => {
      // GIVEN
      const chart = testChart();

      // WHEN
      gatewayApi(chart, { issuer: CertificateIssuer.acme({ name: 'le', server: AcmeServer.letsEncrypt(), email: 'ops@example.com' }) });

      // THEN
      expect(one(synth(chart), 'ClusterIssuer').spec.acme.solvers).toEqual([{
        http01: { gatewayHTTPRoute: { serviceType: 'ClusterIP', parentRefs: [{ kind: 'Gateway', name: 'public', namespace: 'test', sectionName: 'http' }] } },
      }]);
    });

    test('declares the Gateway API CRDs, the GatewayClass, and cert-manager\'s Gateway API flag, which is off by default', () => {
      // cert-manager v1.21.1: --enable-gateway-api (cmd/controller/app/options/options.go) or gatewayAPI.enabled in the controller
      // configuration (pkg/apis/config/controller/v1alpha1/types.go), default false; without it Present() fails "gateway api is not enabled".
      // GIVEN
      const chart = testChart();

      // WHEN
      gatewayApi(chart, { issuer: CertificateIssuer.acme({ name: 'le', server: AcmeServer.letsEncrypt(), email: 'ops@example.com' }) }).route(HOST, '/', app(chart));

      // THEN
      const titles = Prerequisite.declaredIn(chart).map((d) => d.prerequisite.title);
      expect(titles).toEqual(expect.arrayContaining([
        'Gateway API (standard channel) and an implementation 1.6',
        'GatewayClass eg',
        'cert-manager: Gateway API support on: --enable-gateway-api, or gatewayAPI.enabled: true in its controller configuration (off by default)',
        'api.example.com -> the address of Gateway test/public',
      ]));
    });

    test('an Ingress rendering needs no Gateway API flag of cert-manager; every routed host needs its DNS record', () => {
      // GIVEN
      const chart = testChart();

      // WHEN
      const routes = ingress(chart, { issuer: CertificateIssuer.acme({ name: 'le', server: AcmeServer.letsEncrypt(), email: 'ops@example.com' }) });
      routes.route(HOST, '/', app(chart));
      routes.route('www.example.com', '/', app(chart, 'Web'));

      // THEN
      const titles = Prerequisite.declaredIn(chart).map((d) => d.prerequisite.title);
      expect(titles.filter((t) => t.includes('Gateway API'))).toEqual([]);
      expect(titles).toEqual(expect.arrayContaining([
        'api.example.com -> the load balancer of the HAProxy ingress controller (IngressClass haproxy)',
        'www.example.com -> the load balancer of the HAProxy ingress controller (IngressClass haproxy)',
      ]));
    });

    test('an ACME issuer that validates a host by HTTP-01 needs the ACME server to reach the host\'s entry on port 80', () => {
      // RFC 8555 section 8.3: the ACME server fetches http://<host>/.well-known/acme-challenge/<token> itself; a private or
      // closed entry never validates.
      const chart = testChart();
      const routes = ingress(chart, { issuer: CertificateIssuer.acme({ name: 'le', server: AcmeServer.letsEncryptStaging(), email: 'ops@example.com' }) });
      routes.route(HOST, '/', app(chart));
      routes.route(HOST, '/admin', app(chart, 'Admin'));

      const network = Prerequisite.declaredIn(chart).filter((d) => d.prerequisite.kind === PrerequisiteKind.NETWORK).map((d) => d.prerequisite.title);
      expect(network.filter((t) => t.includes('port 80'))).toEqual([
        'the load balancer of the HAProxy ingress controller (IngressClass haproxy) answers http://api.example.com/ on port 80 from acme-staging-v02.api.letsencrypt.org',
      ]);
    });

    test.each([
      ['validated by DNS-01 (in a zone of the issuer\'s DNS-01 solver)', (chart: Chart) => ({
        issuer: CertificateIssuer.acme({
          name: 'le', server: AcmeServer.letsEncrypt(), email: 'ops@example.com',
          dns01: { provider: DnsProvider.cloudflare({ apiToken: { secret: cloudflareToken(chart) } }), zones: ['example.com'] },
        }),
      })],
      ['served with a certificate of its own', () => ({ tlsSecrets: { [HOST]: 'api-tls' } })],
      ['issued by an existing issuer, whose solvers the manifests do not know', () => ({ issuer: LETS_ENCRYPT })],
    ])('a host %s needs no HTTP-01 reachability', (_case, props) => {
      const chart = testChart();
      ingress(chart, props(chart)).route(HOST, '/', app(chart));

      expect(Prerequisite.declaredIn(chart).map((d) => d.prerequisite.title).filter((t) => t.includes('port 80'))).toEqual([]);
    });

    test.each([
      ['a rate limit', { rateLimit: { requestsPerSecond: 50 } }, {}],
      ['a source allow-list', {}, { allowedSourceRanges: ['203.0.113.0/24'] }],
    ])('%s needs an ingress controller that sees each client\'s own address, declared once', (_case, props, options) => {
      const chart = testChart();
      const routes = ingress(chart, props);
      routes.route(HOST, '/', app(chart), options);
      routes.route(HOST, '/admin', app(chart, 'Admin'), options);

      const settings = Prerequisite.declaredIn(chart).filter((d) => d.prerequisite.kind === PrerequisiteKind.CONTROLLER_SETTING).map((d) => d.prerequisite.title);
      expect(settings.filter((t) => t.includes('client\'s own address'))).toEqual([
        'the HAProxy ingress controller: sees each client\'s own address: its LoadBalancer Service keeps the source (externalTrafficPolicy: Local), '
        + 'or the load balancer sends the PROXY protocol and the controller reads it',
      ]);
    });

    test('the HAProxy controller is a prerequisite at the version its annotations were written for', () => {
      // The haproxy.org annotations were read against haproxytech kubernetes-ingress v3.2 (pkg/annotations).
      const chart = testChart();
      ingress(chart).route(HOST, '/', app(chart));

      const operators = Prerequisite.declaredIn(chart).filter((d) => d.prerequisite.kind === PrerequisiteKind.OPERATOR);
      expect(operators.map((d) => [d.prerequisite.title, d.prerequisite.reason])).toContainEqual(
        ['HAProxy Kubernetes Ingress Controller (haproxytech) 3.2', 'serves the Ingresses and enforces their annotations']);
    });

    test('routes without a rate limit or an allow-list need no client addresses', () => {
      const chart = testChart();
      ingress(chart).route(HOST, '/', app(chart));

      expect(Prerequisite.declaredIn(chart).map((d) => d.prerequisite.title).filter((t) => t.includes('client\'s own address'))).toEqual([]);
    });

    test('attaches to the listeners of an existing Gateway, which holds the certificates', () => {
      // GIVEN
      const chart = testChart();
      const controller = IngressController.gatewayApi({ name: 'shared', namespace: 'gateways', peer: ENVOY, httpsListener: 'websecure', httpListener: 'web' });

      // WHEN
      new HardenedIngress(chart, 'Ingress', { controller }).route(HOST, '/', app(chart));

      // THEN
      const manifests = synth(chart);
      expect(one(manifests, 'HTTPRoute', 'ingress-api-example-com').spec.parentRefs).toEqual([{ name: 'shared', namespace: 'gateways', sectionName: 'websecure' }]);
      expect(one(manifests, 'HTTPRoute', 'ingress-https-redirect').spec.parentRefs).toEqual([{ name: 'shared', namespace: 'gateways', sectionName: 'web' }]);
      expect(ofKind(manifests, 'Gateway')).toHaveLength(0);
      expect(ofKind(manifests, 'Certificate')).toHaveLength(0);
      expect(Prerequisite.declaredIn(chart).map((d) => d.prerequisite.title)).toContain('Gateway gateways/shared');
    });

    test('tells which rules it cannot enforce', () => {
      // GIVEN
      const controller = IngressController.gatewayApi({ name: 'public', peer: ENVOY });

      // THEN
      expect(controller.limitation(TrafficFeature.RATE_LIMIT)).toMatch(/implementation-specific policy/);
      expect(controller.limitation(TrafficFeature.HSTS_OPTIONS)).toBeUndefined();
      expect(IngressController.ingressNginx().limitation(TrafficFeature.HSTS_OPTIONS)).toMatch(/controller-wide/);
    });
  });

  describe('snapshots', () => {
    test('minimal props', () => {
      // GIVEN
      const chart = testChart();

      // WHEN
      ingress(chart).route(HOST, '/', app(chart));

      // THEN
      expect(synth(chart).filter((m) => !['Deployment', 'Service', 'ServiceAccount', 'HorizontalPodAutoscaler', 'PodDisruptionBudget'].includes(m.kind))).toMatchSnapshot();
    });

    test('all props', () => {
      // GIVEN
      const chart = testChart();
      // ingress-nginx enforces every prop except HSTS settings, which it sets controller-wide.
      const props: Required<Omit<HardenedIngressProps, 'hsts'>> = {
        controller: IngressController.ingressNginx({ className: 'nginx-public', peer: NetworkPeer.namespace('edge') }),
        issuer: CertificateIssuer.acme({
          name: 'letsencrypt-prod', server: AcmeServer.letsEncrypt(), email: 'ops@example.com',
          dns01: { provider: DnsProvider.cloudflare({ apiToken: { secret: cloudflareToken(chart) } }), zones: ['apps.example.com'], clusterResourceNamespace: 'cert-manager' },
        }),
        tlsSecrets: { 'static.example.com': 'static-example-com' },
        dnsRecords: DnsRecords.externalDns({ zones: ['example.com'], ownerId: 'edge', policy: ExternalDnsPolicy.SYNC, ttl: Duration.minutes(1), target: 'edge.cdn.example.net' }),
        name: 'edge',
        namespace: 'test',
        rateLimit: { requestsPerSecond: 100, connectionsPerClient: 50 },
        maxBodySize: Size.mebibytes(8),
        timeouts: { connect: Duration.seconds(5), backend: Duration.seconds(60) },
        cors: {
          allowOrigins: ['https://app.example.com'], allowCredentials: true, allowMethods: [HttpMethod.GET],
          allowHeaders: ['Authorization'], maxAge: Duration.minutes(5),
        },
      };
      const api = app(chart);

      // WHEN
      const edge = new HardenedIngress(chart, 'Edge', props);
      edge.route(HOST, '/', api);
      edge.route('static.example.com', '/', api);
      edge.route(HOST, '/admin', api, { match: PathMatch.EXACT, allowedSourceRanges: ['10.0.0.0/8'] });
      edge.route('*.apps.example.com', '/', api);

      // THEN
      expect(synth(chart).filter((m) => !['Deployment', 'Service', 'ServiceAccount', 'HorizontalPodAutoscaler', 'PodDisruptionBudget'].includes(m.kind))).toMatchSnapshot();
    });
  });

  describe('bad input', () => {
    const ignore = () => undefined;
    const portless: IIngressBackend = Object.assign(new Construct(Testing.app(), 'Worker'), {
      name: 'worker', serviceName: 'worker', namespace: 'test', selectorLabels: { app: 'worker' }, peer: NetworkPeer.pods({ app: 'worker' }), ports: [],
      allowFrom: ignore, allowTo: ignore, addEnv: ignore, addVolume: ignore, addPodAnnotation: ignore, connectTo: ignore,
    });
    const cases: Array<[string, (chart: Chart) => void, RegExp]> = [
      ['a host has no TLS certificate', (c) => ingress(c, { issuer: undefined }).route(HOST, '/', app(c)),
        /'host' \('api.example.com'\) has no TLS certificate/],
      ['a host and path are routed twice', (c) => { const e = ingress(c); e.route(HOST, '/', app(c)); e.route(HOST, '/', app(c, 'Other')); },
        /'path' \('api.example.com\/'\) is already routed/],
      ['the backend has no port', (c) => ingress(c).route(HOST, '/', portless), /'backend' \('Worker'\) must expose a port/],
      ['the backend lives in another namespace', (c) => ingress(c).route(HOST, '/', new ProductionApp(c, 'Far', {
        image: Image.pinned('acme/far', '1.0.0'), namespace: 'elsewhere',
      })), /'backend' \('test\/Far'\) must be in the namespace of the routes/],
      ['CORS allows any origin with credentials', (c) => ingress(c, { cors: { allowOrigins: ['*'], allowCredentials: true } }),
        /'cors.allowCredentials' \(true\) must be false with the '\*' origin/],
      ['CORS lists other origins beside any', (c) => ingress(c, { cors: { allowOrigins: ['*', 'https://a.example.com'] } }),
        /'cors.allowOrigins' .* must not list other origins/],
      ['CORS lists no origin', (c) => ingress(c, { cors: { allowOrigins: [] } }), /'cors.allowOrigins' \(\[\]\) must list at least one origin/],
      ['a CORS origin has a path', (c) => ingress(c, { cors: { allowOrigins: ['https://app.example.com/'] } }),
        /'cors.allowOrigins' \('https:\/\/app.example.com\/'\) must be '\*' or an origin/],
      ['a CORS header is not a header name', (c) => ingress(c, { cors: { allowOrigins: ['*'], allowHeaders: ['X Id'] } }),
        /'cors.allowHeaders' \('X Id'\) must be an HTTP header name/],
      ['CORS allows no method', (c) => ingress(c, { cors: { allowOrigins: ['*'], allowMethods: [] } }), /'cors.allowMethods' \(\[\]\) must list at least one method/],
      ['the CORS max age exceeds a day', (c) => ingress(c, { cors: { allowOrigins: ['*'], maxAge: Duration.days(2) } }),
        /'cors.maxAge' \(172800\) must be an integer between 0 and 86400/],
      ['a host is a wildcard its issuer cannot sign', (c) => ingress(c).route('*.example.com', '/', app(c)),
        /'host' \('\*.example.com'\) cannot be issued by ClusterIssuer 'letsencrypt-prod' unless it signs wildcard names in the host's zone/],
      ['a host has capitals', (c) => ingress(c).route('API.example.com', '/', app(c)), /'host' \('API.example.com'\) must be a fully qualified/],
      ['a host is an IP address', (c) => ingress(c).route('10.0.0.1', '/', app(c)), /'host' \('10.0.0.1'\) must be a fully qualified/],
      ['a host is not qualified', (c) => ingress(c).route('localhost', '/', app(c)), /'host' \('localhost'\) must be a fully qualified/],
      ['a path is relative', (c) => ingress(c).route(HOST, 'api', app(c)), /'path' \('api'\) must be an absolute URL path/],
      ['a path has a dot segment', (c) => ingress(c).route(HOST, '/a/../b', app(c)), /'path' \('\/a\/..\/b'\) must be an absolute URL path/],
      ['a path has a regular expression', (c) => ingress(c).route(HOST, '/api(/|$)(.*)', app(c)), /'path' .* must be an absolute URL path/],
      ['two hosts would share object names', (c) => { const e = ingress(c); e.route('a-b.example.com', '/', app(c)); e.route('a.b-example.com', '/', app(c, 'B')); },
        /'host' \('a.b-example.com'\) would share its object names \('a-b-example-com'\) with host 'a-b.example.com'/],
      ['an allow-list holds no block', (c) => ingress(c).route(HOST, '/', app(c), { allowedSourceRanges: [] }),
        /'allowedSourceRanges' \(\[\]\) must list at least one CIDR block/],
      ['an allow-list holds an address without prefix length', (c) => ingress(c).route(HOST, '/', app(c), { allowedSourceRanges: ['10.0.0.1'] }),
        /'allowedSourceRanges' \('10.0.0.1'\) must be an IPv4 or IPv6 CIDR block/],
      ['an allow-list holds a bad prefix length', (c) => ingress(c).route(HOST, '/', app(c), { allowedSourceRanges: ['2001:db8::/129'] }),
        /'allowedSourceRanges' \('2001:db8::\/129'\) must be an IPv4 or IPv6 CIDR block/],
      ['the Gateway API is asked for an allow-list', (c) => gatewayApi(c).route(HOST, '/', app(c), { allowedSourceRanges: ['10.0.0.0/8'] }),
        /'allowedSourceRanges' \(\["10.0.0.0\/8"\]\) cannot be enforced by the Gateway API: .*implementation-specific policy/],
      ['the Gateway API is asked for a rate limit', (c) => gatewayApi(c, { rateLimit: { requestsPerSecond: 10 } }),
        /'rateLimit.requestsPerSecond' \(10\) cannot be enforced by the Gateway API/],
      ['the Gateway API is asked for a body size', (c) => gatewayApi(c, { maxBodySize: Size.mebibytes(1) }),
        /'maxBodySize' \('1024Ki'\) cannot be enforced by the Gateway API/],
      ['HAProxy is asked for a body size', (c) => ingress(c, { maxBodySize: Size.mebibytes(1) }),
        /'maxBodySize' \('1024Ki'\) cannot be enforced by the HAProxy ingress controller: .*no body-size annotation/],
      ['HAProxy is asked for a connect timeout', (c) => ingress(c, { timeouts: { connect: Duration.seconds(5) } }),
        /'timeouts.connect' \('5 seconds'\) cannot be enforced by the HAProxy ingress controller/],
      ['HAProxy is asked for a per-client connection limit', (c) => ingress(c, { rateLimit: { requestsPerSecond: 10, connectionsPerClient: 5 } }),
        /'rateLimit.connectionsPerClient' \(5\) cannot be enforced by the HAProxy ingress controller/],
      ['ingress-nginx is asked for HSTS settings', (c) => ingress(c, { controller: IngressController.ingressNginx(), hsts: { preload: false } }),
        /'hsts' \('max-age=31536000; includeSubDomains'\) cannot be enforced by ingress-nginx: .*controller-wide/],
      ['HSTS preload lacks subdomains', (c) => ingress(c, { hsts: { preload: true, includeSubdomains: false } }),
        /'hsts.preload' \(true\) needs includeSubdomains and a maxAge of at least a year/],
      ['the HSTS max age is not whole seconds', (c) => ingress(c, { hsts: { maxAge: Duration.millis(1500) } }),
        /'hsts.maxAge' \(1.5\) must be an integer of at least 0/],
      ['the rate limit is zero', (c) => ingress(c, { rateLimit: { requestsPerSecond: 0 } }), /'rateLimit.requestsPerSecond' \(0\) must be an integer of at least 1/],
      ['the connection limit is zero', (c) => ingress(c, { controller: IngressController.ingressNginx(), rateLimit: { requestsPerSecond: 1, connectionsPerClient: 0 } }),
        /'rateLimit.connectionsPerClient' \(0\) must be an integer of at least 1/],
      ['the body size is not whole kibibytes', (c) => ingress(c, { controller: IngressController.ingressNginx(), maxBodySize: Size.kibibytes(0.5) }),
        /'maxBodySize' \('0.5Ki'\) must be a whole number of kibibytes/],
      ['the connect timeout exceeds an hour', (c) => ingress(c, { controller: IngressController.ingressNginx(), timeouts: { connect: Duration.hours(2) } }),
        /'timeouts.connect' \(7200\) must be an integer between 1 and 3600/],
      ['the backend timeout is under a second', (c) => ingress(c, { timeouts: { backend: Duration.millis(500) } }),
        /'timeouts.backend' \(0.5\) must be an integer between 1 and 3600/],
      ['the name is not a DNS label', (c) => ingress(c, { name: 'Edge' }), /'name' \('Edge'\) must be a DNS label/],
      ['no namespace is set', () => new HardenedIngress(new Chart(Testing.app(), 'nons'), 'Ingress', { controller: IngressController.haproxy(), issuer: LETS_ENCRYPT }),
        /'namespace' \(unset\) must be set on the HardenedIngress or its Chart/],
      ['the namespace is not a DNS label', (c) => ingress(c, { namespace: 'Team_A' }), /'namespace' \('Team_A'\) must be a DNS-1123 label/],
      ['a TLS Secret is given for a bad host', (c) => ingress(c, { tlsSecrets: { 'Example.com': 'tls' } }), /'tlsSecrets' \('Example.com'\) must be a fully qualified/],
      ['a TLS Secret name is invalid', (c) => ingress(c, { tlsSecrets: { 'www.example.com': 'TLS' } }), /'tlsSecrets.www.example.com' \('TLS'\) must be a DNS-1123 subdomain/],
      ['the issuer name is invalid', (c) => ingress(c, { issuer: CertificateIssuer.clusterIssuer('Lets_Encrypt') }), /'issuer.name' \('Lets_Encrypt'\) must be a DNS-1123 subdomain/],
      ['the ACME server is not HTTPS', (c) => ingress(c, { issuer: CertificateIssuer.acme({ name: 'le', server: AcmeServer.url('http://acme.example.com'), email: 'ops@example.com' }) }),
        /'issuer.server' \('http:\/\/acme.example.com'\) must be an https URL/],
      ['the ACME email is not an address', (c) => ingress(c, { issuer: CertificateIssuer.acme({ name: 'le', server: AcmeServer.letsEncrypt(), email: 'ops' }) }),
        /'issuer.email' \('ops'\) must be an email address/],
      ['the Gateway name is invalid', (c) => ingress(c, { controller: IngressController.gatewayApi({ name: 'Public', gatewayClassName: 'eg', peer: ENVOY }) }),
        /'controller.gateway.name' \('Public'\) must be a DNS-1123 subdomain/],
      ['the Gateway namespace is invalid', (c) => ingress(c, { issuer: undefined, controller: IngressController.gatewayApi({ name: 'gw', namespace: 'Gateways', peer: ENVOY }) }),
        /'controller.gateway.namespace' \('Gateways'\) must be a DNS-1123 label/],
      ['a listener name is invalid', (c) => ingress(c, { issuer: undefined, controller: IngressController.gatewayApi({ name: 'gw', httpsListener: 'Web_Secure', peer: ENVOY }) }),
        /'controller.gateway.httpsListener' \('Web_Secure'\) must be a DNS label/],
      ['the GatewayClass name is invalid', (c) => ingress(c, { controller: IngressController.gatewayApi({ name: 'gw', gatewayClassName: 'Envoy', peer: ENVOY }) }),
        /'controller.gateway.gatewayClassName' \('Envoy'\) must be a DNS-1123 subdomain/],
      ['a declared Gateway is put in another namespace', (c) => ingress(c, {
        controller: IngressController.gatewayApi({ name: 'gw', gatewayClassName: 'eg', namespace: 'gateways', peer: ENVOY }),
      }), /'controller.gateway.namespace' \('gateways'\) must be the namespace of the HardenedIngress \('test'\) for a declared Gateway/],
      ['an existing Gateway is given an issuer', (c) => ingress(c, { controller: IngressController.gatewayApi({ name: 'gw', peer: ENVOY }) }),
        /'issuer' \('letsencrypt-prod'\) is not used with an existing Gateway/],
      ['an existing Gateway is given TLS Secrets', (c) => ingress(c, { issuer: undefined, tlsSecrets: { [HOST]: 'tls' }, controller: IngressController.gatewayApi({ name: 'gw', peer: ENVOY }) }),
        /'tlsSecrets' .* is not used with an existing Gateway/],
      ['an HTTPRoute would hold more than 16 paths', (c) => {
        const e = gatewayApi(c);
        const api = app(c);
        for (let i = 0; i <= 16; i++) {
          e.route(HOST, `/v${i}`, api);
        }
      }, /'path' \('api.example.com\/v16'\) exceeds the 16 paths an HTTPRoute holds for one host/],
    ];

    test.each(cases)('fails when %s', (_, build, message) => {
      expect(() => build(testChart())).toThrow(message);
    });

    test('writes nothing when a route is refused', () => {
      // GIVEN
      const chart = testChart();
      const edge = ingress(chart);

      // WHEN
      expect(() => edge.route('*.example.com', '/', app(chart))).toThrow();

      // THEN
      const manifests = synth(chart);
      expect(ofKind(manifests, 'Ingress')).toHaveLength(0);
      expect(ofKind(manifests, 'Certificate')).toHaveLength(0);
      expect(one(manifests, 'NetworkPolicy', 'api').spec.ingress).toBeUndefined();
    });
  });
});
