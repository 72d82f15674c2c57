import { App, Chart } from 'cdk8s';
import {
  AcmeDns01Options, AcmeServer, CertificateIssuer, DnsProvider, Guardrails, HardenedIngress, HardenedIngressProps, IdentityProvider, Image,
  IngressController, NetworkPeer, Prerequisite, ProductionApp, SecretsBinding, SecretSource, SecretStoreRef, SignIn, setTier, Tier,
} from '../../lib';
import { ofKind, one, synth, testChart } from '../util';

// Sources of what these tests hold the manifests to:
// - Kubernetes 1.36 API, IngressRule.host: a "wildcard" host is a domain name prefixed with a single wildcard label
//   (`*.foo.com`), matching exactly one label; IngressTLS.hosts likewise (../shared/schemas).
// - Gateway API v1.6.1, apis/v1/shared_types.go `Hostname`: pattern `^(\*\.)?[a-z0-9]...`, a single leading wildcard
//   label, for listener hostnames and HTTPRoute hostnames.
// - cert-manager v1.21.1: pkg/controller/acmeorders/util.go asks for `*.<identifier>` of a wildcard authorization, and
//   pkg/util/solverpicker/solverpicker.go keeps only solvers whose type the authorization offers (an ACME server offers
//   dns-01 alone for a wildcard), the most specific `selector.dnsZones` match winning over a solver without selector
//   (pkg/controller/acmeorders/selectors/dns_zones.go counts matching labels).
// - cert-manager v1.21.1 pkg/issuer/acme/dns/dns.go: every DNS-01 Secret of a ClusterIssuer is read from the cluster
//   resource namespace (`ResourceNamespaceRef`), `cert-manager` with the Helm chart (deploy/charts/cert-manager/templates/
//   deployment.yaml passes --cluster-resource-namespace=$(POD_NAMESPACE)); ambient credentials are on for ClusterIssuers
//   (internal/apis/config/controller/v1alpha1/defaults.go, defaultClusterIssuerAmbientCredentials = true).
// - The pinned CRD cert-manager-v1.21.1-clusterissuers.yaml: the field names of route53, cloudDNS, cloudflare, azureDNS.

const WILDCARD = '*.apps.example.com';
const ENVOY = NetworkPeer.namespace('envoy-gateway-system');

function app(chart: Chart, id = 'Api'): ProductionApp {
  return new ProductionApp(chart, id, { image: Image.pinned('acme/api', '1.0.0'), port: 8080, servicePort: 80 });
}

/** A Secret the DNS-01 solver reads, produced by an ExternalSecret in `namespace` with `keys`. */
function dnsSecret(chart: Chart, keys: string[], namespace = 'cert-manager', id = 'DnsCredentials'): SecretsBinding {
  return new SecretsBinding(chart, id, {
    name: 'dns-credentials',
    namespace,
    source: SecretSource.externalSecret({ store: SecretStoreRef.cluster('vault'), data: Object.fromEntries(keys.map((k) => [k, { key: `dns/${k}` }])) }),
  });
}

function acme(dns01?: AcmeDns01Options): CertificateIssuer {
  return CertificateIssuer.acme({ name: 'letsencrypt-prod', server: AcmeServer.letsEncrypt(), email: 'ops@example.com', dns01 });
}

function route53Issuer(): CertificateIssuer {
  return acme({ provider: DnsProvider.route53({ iamRoleArn: 'arn:aws:iam::111122223333:role/cert-manager' }), zones: ['example.com'] });
}

function ingress(chart: Chart, props: Partial<HardenedIngressProps> = {}): HardenedIngress {
  return new HardenedIngress(chart, 'Ingress', { controller: IngressController.haproxy(), issuer: route53Issuer(), ...props });
}

function solversOf(chart: Chart): any[] {
  return one(synth(chart), 'ClusterIssuer').spec.acme.solvers;
}

describe('wildcard hosts and DNS-01', () => {
  describe('Ingress rendering', () => {
    test('serves a wildcard host whose issuer solves DNS-01 for its zone: the rule, the TLS entry and a wildcard Certificate', () => {
      // GIVEN
      const chart = testChart();

      // WHEN
      ingress(chart).route(WILDCARD, '/', app(chart));

      // THEN
      const manifests = synth(chart);
      const spec = one(manifests, 'Ingress').spec;
      expect(spec.rules.map((r: any) => r.host)).toEqual([WILDCARD]);
      expect(spec.tls).toEqual([{ hosts: [WILDCARD], secretName: 'wildcard-apps-example-com-tls' }]);
      expect(one(manifests, 'Certificate', 'wildcard-apps-example-com-tls').spec).toMatchObject({ dnsNames: [WILDCARD], secretName: 'wildcard-apps-example-com-tls' });
    });

    test('the ClusterIssuer solves DNS-01 for the zones first, and HTTP-01 for every other name', () => {
      // GIVEN
      const chart = testChart();

      // WHEN
      ingress(chart).route(WILDCARD, '/', app(chart));

      // THEN
      expect(solversOf(chart)).toEqual([
        { selector: { dnsZones: ['example.com'] }, dns01: { route53: {} } },
        { http01: { ingress: { ingressClassName: 'haproxy', serviceType: 'ClusterIP' } } },
      ]);
    });

    test('an issuer without DNS-01 keeps the HTTP-01 solver alone', () => {
      // GIVEN
      const chart = testChart();

      // WHEN
      ingress(chart, { issuer: acme() }).route('api.example.com', '/', app(chart));

      // THEN
      expect(solversOf(chart)).toEqual([{ http01: { ingress: { ingressClassName: 'haproxy', serviceType: 'ClusterIP' } } }]);
    });

    test('a wildcard host and a host under it are two rules, two certificates', () => {
      // GIVEN
      const chart = testChart();
      const edge = ingress(chart);

      // WHEN
      edge.route(WILDCARD, '/', app(chart));
      edge.route('admin.apps.example.com', '/', app(chart, 'Admin'));

      // THEN
      const manifests = synth(chart);
      expect(one(manifests, 'Ingress').spec.rules.map((r: any) => r.host)).toEqual([WILDCARD, 'admin.apps.example.com']);
      expect(ofKind(manifests, 'Certificate').map((c) => c.metadata.name)).toEqual(['wildcard-apps-example-com-tls', 'admin-apps-example-com-tls']);
    });

    test('serves a wildcard host from an existing TLS Secret without asking the issuer', () => {
      // GIVEN
      const chart = testChart();

      // WHEN
      ingress(chart, { issuer: CertificateIssuer.clusterIssuer('http01-only'), tlsSecrets: { [WILDCARD]: 'wildcard-apps' } }).route(WILDCARD, '/', app(chart));

      // THEN
      const manifests = synth(chart);
      expect(one(manifests, 'Ingress').spec.tls).toEqual([{ hosts: [WILDCARD], secretName: 'wildcard-apps' }]);
      expect(ofKind(manifests, 'Certificate')).toEqual([]);
    });

    test('an existing issuer signs wildcard names in the zones it is said to', () => {
      // GIVEN
      const chart = testChart();

      // WHEN
      ingress(chart, { issuer: CertificateIssuer.issuer('internal-ca', { wildcardZones: ['example.com'] }) }).route(WILDCARD, '/', app(chart));

      // THEN
      expect(one(synth(chart), 'Certificate').spec.issuerRef).toEqual({ name: 'internal-ca', kind: 'Issuer', group: 'cert-manager.io' });
      expect(Prerequisite.declaredIn(chart).map((d) => d.prerequisite.reason)).toContain('signs the certificates of the routed hosts, wildcard names under example.com included');
    });

    test('the production guardrail ingress-tls finds the wildcard host covered by its TLS entry', () => {
      // GIVEN
      const root = new App();
      const chart = new Chart(root, 'test', { namespace: 'test', disableResourceNameHashes: true });
      setTier(chart, Tier.PRODUCTION);

      // WHEN
      ingress(chart).route(WILDCARD, '/', app(chart));

      // THEN
      const report = Guardrails.apply(root).evaluate();
      expect(report.rules.map((r) => r.id)).toContain('ingress-tls');
      expect(report.findings.filter((f) => f.rule.id === 'ingress-tls')).toEqual([]);
    });
  });

  describe('Gateway API rendering', () => {
    test('a declared Gateway gets a listener for the wildcard host with its certificate, and the HTTPRoute names it', () => {
      // GIVEN
      const chart = testChart();

      // WHEN
      ingress(chart, { controller: IngressController.gatewayApi({ name: 'public', gatewayClassName: 'eg', peer: ENVOY }) }).route(WILDCARD, '/', app(chart));

      // THEN
      const manifests = synth(chart);
      expect(one(manifests, 'Gateway').spec.listeners[1]).toMatchObject({
        name: 'https-wildcard-apps-example-com', protocol: 'HTTPS', port: 443, hostname: WILDCARD,
        tls: { mode: 'Terminate', certificateRefs: [{ name: 'wildcard-apps-example-com-tls' }] },
      });
      const route = one(manifests, 'HTTPRoute', 'ingress-wildcard-apps-example-com');
      expect(route.spec.hostnames).toEqual([WILDCARD]);
      expect(route.spec.parentRefs).toEqual([{ name: 'public', sectionName: 'https-wildcard-apps-example-com' }]);
      expect(one(manifests, 'HTTPRoute', 'ingress-https-redirect').spec.hostnames).toEqual([WILDCARD]);
    });

    test('solves HTTP-01 through the Gateway beside DNS-01', () => {
      // GIVEN
      const chart = testChart();

      // WHEN
      ingress(chart, { controller: IngressController.gatewayApi({ name: 'public', gatewayClassName: 'eg', peer: ENVOY }) }).route(WILDCARD, '/', app(chart));

      // THEN
      expect(solversOf(chart).map((s) => Object.keys(s).filter((k) => k !== 'selector'))).toEqual([['dns01'], ['http01']]);
      expect(solversOf(chart)[1].http01.gatewayHTTPRoute.parentRefs[0]).toMatchObject({ name: 'public', sectionName: 'http' });
    });

    test('an existing Gateway holds the certificates: a wildcard route attaches to its HTTPS listener', () => {
      // GIVEN
      const chart = testChart();

      // WHEN
      new HardenedIngress(chart, 'Ingress', { controller: IngressController.gatewayApi({ name: 'shared', namespace: 'gateways', peer: ENVOY }) })
        .route(WILDCARD, '/', app(chart));

      // THEN
      const route = one(synth(chart), 'HTTPRoute', 'ingress-wildcard-apps-example-com');
      expect(route.spec.hostnames).toEqual([WILDCARD]);
      expect(route.spec.parentRefs).toEqual([{ name: 'shared', namespace: 'gateways', sectionName: 'https' }]);
    });
  });

  describe('DNS providers', () => {
    test('Route 53 with an access key reads both keys from the Secret in cert-manager\'s namespace', () => {
      // GIVEN
      const chart = testChart();
      const secret = dnsSecret(chart, ['ACCESS_KEY_ID', 'SECRET_ACCESS_KEY']);

      // WHEN
      ingress(chart, { issuer: acme({ provider: DnsProvider.route53({ accessKey: { secret }, hostedZoneId: 'Z0123', region: 'eu-west-1' }), zones: ['example.com'] }) })
        .route(WILDCARD, '/', app(chart));

      // THEN
      expect(solversOf(chart)[0].dns01).toEqual({
        route53: {
          hostedZoneID: 'Z0123', region: 'eu-west-1',
          accessKeyIDSecretRef: { name: 'dns-credentials', key: 'ACCESS_KEY_ID' },
          secretAccessKeySecretRef: { name: 'dns-credentials', key: 'SECRET_ACCESS_KEY' },
        },
      });
      expect(one(synth(chart), 'ExternalSecret').metadata.namespace).toBe('cert-manager');
    });

    test('Route 53 through IRSA declares the role and the annotation of cert-manager\'s ServiceAccount', () => {
      // GIVEN
      const chart = testChart();

      // WHEN
      ingress(chart).route(WILDCARD, '/', app(chart));

      // THEN
      const declared = Prerequisite.declaredIn(chart).map((d) => d.prerequisite);
      expect(declared.find((p) => p.kind === 'cloud-identity')?.details).toEqual({
        provider: 'AWS IAM role', identity: 'arn:aws:iam::111122223333:role/cert-manager', namespace: 'cert-manager', serviceAccount: 'cert-manager',
      });
      expect(declared.map((p) => p.title)).toContain(
        'cert-manager: its ServiceAccount carries eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/cert-manager (Helm chart: serviceAccount.annotations)');
    });

    test('Cloud DNS with a key, or with GKE Workload Identity in the cluster resource namespace given', () => {
      // GIVEN
      const chart = testChart();
      const secret = dnsSecret(chart, ['key.json']);
      const other = testChart();

      // WHEN
      ingress(chart, { issuer: acme({ provider: DnsProvider.cloudDns({ project: 'acme-dns', serviceAccountKey: { secret } }), zones: ['example.com'] }) })
        .route(WILDCARD, '/', app(chart));
      ingress(other, {
        issuer: acme({
          provider: DnsProvider.cloudDns({ project: 'acme-dns', hostedZoneName: 'example-com', googleServiceAccount: 'dns01-solver@acme-dns.iam.gserviceaccount.com' }),
          zones: ['example.com'],
          clusterResourceNamespace: 'security',
        }),
      }).route(WILDCARD, '/', app(other));

      // THEN
      expect(solversOf(chart)[0].dns01).toEqual({ cloudDNS: { project: 'acme-dns', serviceAccountSecretRef: { name: 'dns-credentials', key: 'key.json' } } });
      expect(solversOf(other)[0].dns01).toEqual({ cloudDNS: { project: 'acme-dns', hostedZoneName: 'example-com' } });
      expect(Prerequisite.declaredIn(other).map((d) => d.prerequisite.title)).toEqual(expect.arrayContaining([
        'Google service account dns01-solver@acme-dns.iam.gserviceaccount.com trusts ServiceAccount security/cert-manager',
        'cert-manager: its ServiceAccount carries iam.gke.io/gcp-service-account: dns01-solver@acme-dns.iam.gserviceaccount.com (Helm chart: serviceAccount.annotations)',
      ]));
    });

    test('Cloudflare with an API token', () => {
      // GIVEN
      const chart = testChart();
      const secret = dnsSecret(chart, ['token']);

      // WHEN
      ingress(chart, { issuer: acme({ provider: DnsProvider.cloudflare({ apiToken: { secret, key: 'token' } }), zones: ['example.com'] }) }).route(WILDCARD, '/', app(chart));

      // THEN
      expect(solversOf(chart)[0].dns01).toEqual({ cloudflare: { apiTokenSecretRef: { name: 'dns-credentials', key: 'token' } } });
      expect(Prerequisite.declaredIn(chart).filter((d) => d.prerequisite.kind === 'cloud-identity')).toEqual([]);
    });

    test('Azure DNS with a service principal, or with a managed identity through Azure Workload Identity', () => {
      // GIVEN
      const chart = testChart();
      const secret = dnsSecret(chart, ['client-secret']);
      const other = testChart();
      const zone = { subscriptionId: '11111111-2222-3333-4444-555555555555', resourceGroupName: 'dns', hostedZoneName: 'example.com' };

      // WHEN
      ingress(chart, {
        issuer: acme({
          provider: DnsProvider.azureDns({
            ...zone,
            servicePrincipal: { clientId: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee', tenantId: 'ffffffff-0000-1111-2222-333333333333', clientSecret: { secret } },
          }),
          zones: ['example.com'],
        }),
      }).route(WILDCARD, '/', app(chart));
      ingress(other, {
        issuer: acme({ provider: DnsProvider.azureDns({ ...zone, managedIdentityClientId: '99999999-8888-7777-6666-555555555555' }), zones: ['example.com'] }),
      }).route(WILDCARD, '/', app(other));

      // THEN
      expect(solversOf(chart)[0].dns01).toEqual({
        azureDNS: {
          subscriptionID: zone.subscriptionId, resourceGroupName: 'dns', hostedZoneName: 'example.com',
          clientID: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee', tenantID: 'ffffffff-0000-1111-2222-333333333333',
          clientSecretSecretRef: { name: 'dns-credentials', key: 'client-secret' },
        },
      });
      expect(solversOf(other)[0].dns01).toEqual({
        azureDNS: { subscriptionID: zone.subscriptionId, resourceGroupName: 'dns', hostedZoneName: 'example.com', managedIdentity: { clientID: '99999999-8888-7777-6666-555555555555' } },
      });
      expect(Prerequisite.declaredIn(other).map((d) => d.prerequisite.title)).toEqual(expect.arrayContaining([
        'Azure managed identity (client id) 99999999-8888-7777-6666-555555555555 trusts ServiceAccount cert-manager/cert-manager',
        expect.stringMatching(/^cert-manager: its pods are labelled azure.workload.identity\/use: "true"/),
      ]));
    });
  });

  describe('bad input', () => {
    const cases: Array<[string, (chart: Chart) => void, RegExp]> = [
      ['an ACME issuer solves HTTP-01 only', (c) => ingress(c, { issuer: acme() }).route(WILDCARD, '/', app(c)),
        /'host' \('\*.apps.example.com'\) cannot be issued by ClusterIssuer 'letsencrypt-prod', which solves HTTP-01 only: an ACME server validates a wildcard name by DNS-01 only/],
      ['the wildcard is outside the DNS-01 zones', (c) => ingress(c).route('*.apps.example.org', '/', app(c)),
        /'host' \('\*.apps.example.org'\) is in none of the zones under which ClusterIssuer 'letsencrypt-prod' signs wildcard names \(example.com\)/],
      ['an existing issuer is not said to sign wildcards', (c) => ingress(c, { issuer: CertificateIssuer.clusterIssuer('letsencrypt') }).route(WILDCARD, '/', app(c)),
        /'host' \('\*.apps.example.com'\) cannot be issued by ClusterIssuer 'letsencrypt' unless it signs wildcard names in the host's zone: say so with 'wildcardZones'/],
      ['an existing issuer signs wildcards elsewhere', (c) => ingress(c, { issuer: CertificateIssuer.issuer('ca', { wildcardZones: ['example.org'] }) }).route(WILDCARD, '/', app(c)),
        /'host' \('\*.apps.example.com'\) is in none of the zones under which Issuer 'ca' signs wildcard names \(example.org\)/],
      ['a wildcard host is behind a sign-in', (c) => ingress(c).route(WILDCARD, '/', app(c), {
        signIn: SignIn.oidc({
          identityProvider: IdentityProvider.oidc({ issuerUrl: 'https://login.example.com', endpoint: NetworkPeer.ipBlock('203.0.113.10/32') }),
          clientId: 'apps', secret: dnsSecret(c, ['client-secret', 'cookie-secret'], 'test', 'SignIn'),
        }),
      }), /'host' \('\*.apps.example.com'\) cannot be a wildcard behind a sign-in: the identity provider redirects to one registered URI/],
      ['a wildcard and a host named wildcard would share object names', (c) => {
        const e = ingress(c);
        e.route(WILDCARD, '/', app(c));
        e.route('wildcard.apps.example.com', '/', app(c, 'Other'));
      }, /'host' \('wildcard.apps.example.com'\) would share its object names \('wildcard-apps-example-com'\) with host '\*.apps.example.com'/],
      ['a wildcard covers a top-level domain', (c) => ingress(c).route('*.com', '/', app(c)), /'host' \('\*.com'\) must be a fully qualified lowercase DNS name such as 'api.example.com', or '\*.' and one/],
      ['a wildcard is not the leftmost label', (c) => ingress(c).route('api.*.example.com', '/', app(c)), /'host' \('api.\*.example.com'\) must be a fully qualified/],
      ['a wildcard is part of a label', (c) => ingress(c).route('*api.example.com', '/', app(c)), /'host' \('\*api.example.com'\) must be a fully qualified/],
      ['a wildcard spans labels', (c) => ingress(c).route('**.example.com', '/', app(c)), /'host' \('\*\*.example.com'\) must be a fully qualified/],
      ['a host is a wildcard alone', (c) => ingress(c).route('*', '/', app(c)), /'host' \('\*'\) must be a fully qualified/],
      ['a TLS Secret is given for a malformed wildcard', (c) => ingress(c, { tlsSecrets: { '*.*.example.com': 'tls' } }), /'tlsSecrets' \('\*.\*.example.com'\) must be a fully qualified/],
      ['the DNS-01 solver names no zone', (c) => ingress(c, { issuer: acme({ provider: DnsProvider.route53({ iamRoleArn: 'arn:aws:iam::111122223333:role/x' }), zones: [] }) }),
        /'issuer.dns01.zones' \(\[\]\) must name at least one zone/],
      ['a DNS-01 zone is a wildcard', (c) => ingress(c, { issuer: acme({ provider: DnsProvider.route53({ iamRoleArn: 'arn:aws:iam::111122223333:role/x' }), zones: ['*.example.com'] }) }),
        /'issuer.dns01.zones' \('\*.example.com'\) must be a fully qualified lowercase DNS name/],
      ['a wildcard zone of an existing issuer is malformed', (c) => ingress(c, { issuer: CertificateIssuer.clusterIssuer('ca', { wildcardZones: ['Example.com'] }) }),
        /'issuer.wildcardZones' \('Example.com'\) must be a fully qualified lowercase DNS name/],
      ['the cluster resource namespace is not a namespace name', (c) => ingress(c, {
        issuer: acme({ provider: DnsProvider.route53({ iamRoleArn: 'arn:aws:iam::111122223333:role/x' }), zones: ['example.com'], clusterResourceNamespace: 'Cert_Manager' }),
      }), /'issuer.dns01.clusterResourceNamespace' \('Cert_Manager'\) must be a DNS-1123 label/],
      ['Route 53 has no credentials', (c) => ingress(c, { issuer: acme({ provider: DnsProvider.route53({}), zones: ['example.com'] }) }),
        /'issuer.dns01.provider' \('Route 53'\) needs exactly one of accessKey or iamRoleArn: where its credentials come from/],
      ['Route 53 has both credentials', (c) => ingress(c, {
        issuer: acme({
          provider: DnsProvider.route53({ iamRoleArn: 'arn:aws:iam::111122223333:role/x', accessKey: { secret: dnsSecret(c, ['ACCESS_KEY_ID', 'SECRET_ACCESS_KEY']) } }),
          zones: ['example.com'],
        }),
      }), /'issuer.dns01.provider' \('Route 53'\) needs exactly one of accessKey or iamRoleArn/],
      ['the IAM role is not an ARN', (c) => ingress(c, { issuer: acme({ provider: DnsProvider.route53({ iamRoleArn: 'cert-manager' }), zones: ['example.com'] }) }),
        /'issuer.dns01.provider.iamRoleArn' \('cert-manager'\) must be an IAM role ARN/],
      ['the Route 53 key is in the app\'s namespace', (c) => ingress(c, {
        issuer: acme({ provider: DnsProvider.route53({ accessKey: { secret: dnsSecret(c, ['ACCESS_KEY_ID', 'SECRET_ACCESS_KEY'], 'test') } }), zones: ['example.com'] }),
      }), /'issuer.dns01.provider.accessKey.secret' \('test\/DnsCredentials'\) must produce its Secret in cert-manager's cluster resource namespace 'cert-manager', not 'test': a ClusterIssuer reads the Secrets of its solvers there/],
      ['the Route 53 key id is missing from the Secret', (c) => ingress(c, {
        issuer: acme({ provider: DnsProvider.route53({ accessKey: { secret: dnsSecret(c, ['SECRET_ACCESS_KEY']) } }), zones: ['example.com'] }),
      }), /'issuer.dns01.provider.accessKey.accessKeyIdKey' \('ACCESS_KEY_ID'\) is not a key of Secret 'dns-credentials'/],
      ['the Route 53 secret access key is missing from the Secret', (c) => ingress(c, {
        issuer: acme({ provider: DnsProvider.route53({ accessKey: { secret: dnsSecret(c, ['ACCESS_KEY_ID']) } }), zones: ['example.com'] }),
      }), /'issuer.dns01.provider.accessKey.secretAccessKeyKey' \('SECRET_ACCESS_KEY'\) is not a key of Secret 'dns-credentials'/],
      ['Cloud DNS has no credentials', (c) => ingress(c, { issuer: acme({ provider: DnsProvider.cloudDns({ project: 'acme-dns' }), zones: ['example.com'] }) }),
        /'issuer.dns01.provider' \('Cloud DNS'\) needs exactly one of serviceAccountKey or googleServiceAccount/],
      ['Cloud DNS names no project', (c) => ingress(c, {
        issuer: acme({ provider: DnsProvider.cloudDns({ project: ' ', googleServiceAccount: 'dns01-solver@acme-dns.iam.gserviceaccount.com' }), zones: ['example.com'] }),
      }), /'issuer.dns01.provider.project' \(' '\) must be a Google Cloud project id: 6 to 30 lowercase letters, digits and '-', starting with a letter/],
      ['the Google service account is malformed', (c) => ingress(c, {
        issuer: acme({ provider: DnsProvider.cloudDns({ project: 'acme-dns', googleServiceAccount: 'dns01-solver' }), zones: ['example.com'] }),
      }), /'issuer.dns01.provider.googleServiceAccount' \('dns01-solver'\) must be a Google service account/],
      ['the Cloud DNS key is in the app\'s namespace', (c) => ingress(c, {
        issuer: acme({ provider: DnsProvider.cloudDns({ project: 'acme-dns', serviceAccountKey: { secret: dnsSecret(c, ['key.json'], 'test') } }), zones: ['example.com'] }),
      }), /'issuer.dns01.provider.serviceAccountKey.secret' \('test\/DnsCredentials'\) must produce its Secret in cert-manager's cluster resource namespace/],
      ['the Cloud DNS key is missing from the Secret', (c) => ingress(c, {
        issuer: acme({ provider: DnsProvider.cloudDns({ project: 'acme-dns', serviceAccountKey: { secret: dnsSecret(c, ['credentials.json']) } }), zones: ['example.com'] }),
      }), /'issuer.dns01.provider.serviceAccountKey.key' \('key.json'\) is not a key of Secret 'dns-credentials'/],
      ['the Cloudflare token is in the app\'s namespace', (c) => ingress(c, {
        issuer: acme({ provider: DnsProvider.cloudflare({ apiToken: { secret: dnsSecret(c, ['api-token'], 'test') } }), zones: ['example.com'] }),
      }), /'issuer.dns01.provider.apiToken.secret' \('test\/DnsCredentials'\) must produce its Secret in cert-manager's cluster resource namespace 'cert-manager', not 'test'/],
      ['the Cloudflare token is missing from the Secret', (c) => ingress(c, {
        issuer: acme({ provider: DnsProvider.cloudflare({ apiToken: { secret: dnsSecret(c, ['token']) } }), zones: ['example.com'] }),
      }), /'issuer.dns01.provider.apiToken.key' \('api-token'\) is not a key of Secret 'dns-credentials'/],
      ['the Cloudflare token is in another cluster resource namespace than given', (c) => ingress(c, {
        issuer: acme({ provider: DnsProvider.cloudflare({ apiToken: { secret: dnsSecret(c, ['api-token']) } }), zones: ['example.com'], clusterResourceNamespace: 'security' }),
      }), /'issuer.dns01.provider.apiToken.secret' .* must produce its Secret in cert-manager's cluster resource namespace 'security', not 'cert-manager'/],
      ['Azure DNS has no credentials', (c) => ingress(c, {
        issuer: acme({ provider: DnsProvider.azureDns({ subscriptionId: '11111111-2222-3333-4444-555555555555', resourceGroupName: 'dns' }), zones: ['example.com'] }),
      }), /'issuer.dns01.provider' \('Azure DNS'\) needs exactly one of servicePrincipal or managedIdentityClientId/],
      ['Azure DNS names no subscription', (c) => ingress(c, {
        issuer: acme({ provider: DnsProvider.azureDns({ subscriptionId: '', resourceGroupName: 'dns', managedIdentityClientId: '99999999-8888-7777-6666-555555555555' }), zones: ['example.com'] }),
      }), /'issuer.dns01.provider.subscriptionId' \(''\) must be the id of an Azure subscription: a UUID/],
      ['Azure DNS names no resource group', (c) => ingress(c, {
        issuer: acme({ provider: DnsProvider.azureDns({ subscriptionId: '11111111-2222-3333-4444-555555555555', resourceGroupName: '', managedIdentityClientId: '99999999-8888-7777-6666-555555555555' }), zones: ['example.com'] }),
      }), /'issuer.dns01.provider.resourceGroupName' \(''\) must be the name of the resource group of the zones: 1 to 90 letters/],
      ['the managed identity is not a client id', (c) => ingress(c, {
        issuer: acme({ provider: DnsProvider.azureDns({ subscriptionId: '11111111-2222-3333-4444-555555555555', resourceGroupName: 'dns', managedIdentityClientId: 'cert-manager' }), zones: ['example.com'] }),
      }), /'issuer.dns01.provider.managedIdentityClientId' \('cert-manager'\) must be the client id of the identity: a UUID/],
      ['the service principal\'s client id is not a UUID', (c) => ingress(c, {
        issuer: acme({
          provider: DnsProvider.azureDns({
            subscriptionId: '11111111-2222-3333-4444-555555555555', resourceGroupName: 'dns',
            servicePrincipal: { clientId: 'app', tenantId: 'ffffffff-0000-1111-2222-333333333333', clientSecret: { secret: dnsSecret(c, ['client-secret']) } },
          }),
          zones: ['example.com'],
        }),
      }), /'issuer.dns01.provider.servicePrincipal.clientId' \('app'\) must be the client id of the identity: a UUID/],
      ['the service principal\'s tenant id is not a UUID', (c) => ingress(c, {
        issuer: acme({
          provider: DnsProvider.azureDns({
            subscriptionId: '11111111-2222-3333-4444-555555555555', resourceGroupName: 'dns',
            servicePrincipal: { clientId: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee', tenantId: 'contoso', clientSecret: { secret: dnsSecret(c, ['client-secret']) } },
          }),
          zones: ['example.com'],
        }),
      }), /'issuer.dns01.provider.servicePrincipal.tenantId' \('contoso'\) must be the client id of the identity: a UUID/],
      ['the service principal\'s secret is in the app\'s namespace', (c) => ingress(c, {
        issuer: acme({
          provider: DnsProvider.azureDns({
            subscriptionId: '11111111-2222-3333-4444-555555555555', resourceGroupName: 'dns',
            servicePrincipal: { clientId: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee', tenantId: 'ffffffff-0000-1111-2222-333333333333', clientSecret: { secret: dnsSecret(c, ['client-secret'], 'test') } },
          }),
          zones: ['example.com'],
        }),
      }), /'issuer.dns01.provider.servicePrincipal.clientSecret.secret' \('test\/DnsCredentials'\) must produce its Secret in cert-manager's cluster resource namespace/],
      ['the service principal\'s secret lacks the key', (c) => ingress(c, {
        issuer: acme({
          provider: DnsProvider.azureDns({
            subscriptionId: '11111111-2222-3333-4444-555555555555', resourceGroupName: 'dns',
            servicePrincipal: { clientId: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee', tenantId: 'ffffffff-0000-1111-2222-333333333333', clientSecret: { secret: dnsSecret(c, ['password']) } },
          }),
          zones: ['example.com'],
        }),
      }), /'issuer.dns01.provider.servicePrincipal.clientSecret.key' \('client-secret'\) is not a key of Secret 'dns-credentials'/],
      ['a wildcard zone of an existing issuer is named twice', (c) => ingress(c, { issuer: CertificateIssuer.clusterIssuer('ca', { wildcardZones: ['example.com', 'example.com'] }) }),
        /^\[test\/Ingress\] 'issuer.wildcardZones' \(\["example.com","example.com"\]\) must name each zone once$/],
      ['a DNS-01 zone is named twice', (c) => ingress(c, { issuer: acme({ provider: DnsProvider.route53({ iamRoleArn: 'arn:aws:iam::111122223333:role/x' }), zones: ['example.com', 'example.com'] }) }),
        /^\[test\/Ingress\] 'issuer.dns01.zones' \(\["example.com","example.com"\]\) must name each zone once$/],
      ['the Route 53 region is no AWS region', (c) => ingress(c, { issuer: acme({ provider: DnsProvider.route53({ iamRoleArn: 'arn:aws:iam::111122223333:role/x', region: 'Ireland' }), zones: ['example.com'] }) }),
        /^\[test\/Ingress\] 'issuer.dns01.provider.region' \('Ireland'\) must be an AWS region such as 'eu-west-1'$/],
      ['the Route 53 hosted zone id is blank', (c) => ingress(c, { issuer: acme({ provider: DnsProvider.route53({ iamRoleArn: 'arn:aws:iam::111122223333:role/x', hostedZoneId: ' ' }), zones: ['example.com'] }) }),
        /^\[test\/Ingress\] 'issuer.dns01.provider.hostedZoneId' \(' '\) must not be empty: it is the id of the hosted zone$/],
      ['the Cloud DNS project is no project id', (c) => ingress(c, {
        issuer: acme({ provider: DnsProvider.cloudDns({ project: 'Acme DNS', googleServiceAccount: 'dns01-solver@acme-dns.iam.gserviceaccount.com' }), zones: ['example.com'] }),
      }), /^\[test\/Ingress\] 'issuer.dns01.provider.project' \('Acme DNS'\) must be a Google Cloud project id/],
      ['the Cloud DNS zone is named by its DNS name', (c) => ingress(c, {
        issuer: acme({
          provider: DnsProvider.cloudDns({ project: 'acme-dns', hostedZoneName: 'example.com', googleServiceAccount: 'dns01-solver@acme-dns.iam.gserviceaccount.com' }),
          zones: ['example.com'],
        }),
      }), /^\[test\/Ingress\] 'issuer.dns01.provider.hostedZoneName' \('example.com'\) must be a DNS label of at most 63 characters/],
      ['the Azure resource group ends with a period', (c) => ingress(c, {
        issuer: acme({
          provider: DnsProvider.azureDns({ subscriptionId: '11111111-2222-3333-4444-555555555555', resourceGroupName: 'dns.', managedIdentityClientId: '99999999-8888-7777-6666-555555555555' }),
          zones: ['example.com'],
        }),
      }), /^\[test\/Ingress\] 'issuer.dns01.provider.resourceGroupName' \('dns.'\) must be the name of the resource group of the zones: 1 to 90 letters/],
      ['the Azure DNS zone is no DNS name', (c) => ingress(c, {
        issuer: acme({
          provider: DnsProvider.azureDns({
            subscriptionId: '11111111-2222-3333-4444-555555555555', resourceGroupName: 'dns', hostedZoneName: 'Example.com', managedIdentityClientId: '99999999-8888-7777-6666-555555555555',
          }),
          zones: ['example.com'],
        }),
      }), /^\[test\/Ingress\] 'issuer.dns01.provider.hostedZoneName' \('Example.com'\) must be a fully qualified lowercase DNS name/],
      // A caller without a type checker:
      ['the options of an existing issuer are null', (c) => ingress(c, { issuer: CertificateIssuer.clusterIssuer('ca', null as any) }),
        /^\[test\/Ingress\] 'issuer' \(null\) must be an ExistingIssuerOptions object \(wildcardZones\)$/],
      ['the wildcard zones are one zone', (c) => ingress(c, { issuer: CertificateIssuer.issuer('ca', { wildcardZones: 'example.com' as any }) }),
        /^\[test\/Ingress\] 'issuer.wildcardZones' \('example.com'\) must be an array \(each item a string\), or left unset$/],
      ['the DNS-01 zones are one zone', (c) => ingress(c, { issuer: acme({ provider: DnsProvider.route53({ iamRoleArn: 'arn:aws:iam::111122223333:role/x' }), zones: 'example.com' as any }) }),
        /^\[test\/Ingress\] 'issuer.dns01.zones' \('example.com'\) must be an array \(each item a string\)$/],
      ['the DNS provider is its name', (c) => ingress(c, { issuer: acme({ provider: 'route53' as any, zones: ['example.com'] }) }),
        /^\[test\/Ingress\] 'issuer.dns01.provider' \('route53'\) must be a DnsProvider/],
      ['the Route 53 options are null', (c) => ingress(c, { issuer: acme({ provider: DnsProvider.route53(null as any), zones: ['example.com'] }) }),
        /^\[test\/Ingress\] 'issuer.dns01.provider' \(null\) must be a Route53Options object/],
      ['the Route 53 key\'s Secret is its name', (c) => ingress(c, { issuer: acme({ provider: DnsProvider.route53({ accessKey: { secret: 'dns-credentials' as any } }), zones: ['example.com'] }) }),
        /^\[test\/Ingress\] 'issuer.dns01.provider.accessKey.secret' \('dns-credentials'\) must be a SecretsBinding/],
      ['the Cloud DNS options are null', (c) => ingress(c, { issuer: acme({ provider: DnsProvider.cloudDns(null as any), zones: ['example.com'] }) }),
        /^\[test\/Ingress\] 'issuer.dns01.provider' \(null\) must be a CloudDnsOptions object/],
      ['the Azure DNS options are missing', (c) => ingress(c, { issuer: acme({ provider: DnsProvider.azureDns(undefined as any), zones: ['example.com'] }) }),
        /^\[test\/Ingress\] 'issuer.dns01.provider' \(unset\) must be an AzureDnsOptions object/],
      ['the Cloudflare options are null', (c) => ingress(c, { issuer: acme({ provider: DnsProvider.cloudflare(null as any), zones: ['example.com'] }) }),
        /^\[test\/Ingress\] 'issuer.dns01.provider' \(null\) must be a CloudflareOptions object \(apiToken\)$/],
      ['the Cloudflare token is missing', (c) => ingress(c, { issuer: acme({ provider: DnsProvider.cloudflare({} as any), zones: ['example.com'] }) }),
        /^\[test\/Ingress\] 'issuer.dns01.provider.apiToken' \(unset\) must be a DnsProviderSecret object \(secret, and optionally key\)$/],
      ['the Cloud DNS project is a number', (c) => ingress(c, { issuer: acme({ provider: DnsProvider.cloudDns({ project: 5 as any, googleServiceAccount: 'x' }), zones: ['example.com'] }) }),
        /^\[test\/Ingress\] 'issuer.dns01.provider.project' \(5\) must be a string$/],
      ['the Azure client secret is a string', (c) => ingress(c, {
        issuer: acme({
          provider: DnsProvider.azureDns({
            subscriptionId: '11111111-2222-3333-4444-555555555555', resourceGroupName: 'dns',
            servicePrincipal: { clientId: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee', tenantId: 'ffffffff-0000-1111-2222-333333333333', clientSecret: 's3cr3t' as any },
          }),
          zones: ['example.com'],
        }),
      }), /^\[test\/Ingress\] 'issuer.dns01.provider.servicePrincipal.clientSecret' \('s3cr3t'\) must be a DnsProviderSecret object/],
    ];

    test.each(cases)('fails when %s', (_, build, message) => {
      expect(() => build(testChart())).toThrow(message);
    });
  });
});
