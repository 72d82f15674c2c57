import { Chart, Duration, Size } from 'cdk8s';
import { AcmeServer, CertificateIssuer, HardenedIngress, Image, IngressController, NetworkPeer, PathMatch, ProductionApp } from '../../lib';
import { ofKind, one, synth, testChart } from '../util';

const LETS_ENCRYPT = CertificateIssuer.clusterIssuer('letsencrypt-prod');
const ENVOY = NetworkPeer.namespace('envoy-gateway-system');

function ingress(props: any, chart: Chart = testChart()): HardenedIngress {
  return new HardenedIngress(chart, 'Ingress', { controller: IngressController.haproxy(), issuer: LETS_ENCRYPT, ...props });
}

function api(chart: Chart): ProductionApp {
  return new ProductionApp(chart, 'Api', { image: Image.pinned('ghcr.io/acme/api', '1.0.0') });
}

/** A host of 253 characters, the longest DNS name: `<host>-tls` would be 257. */
const LONG_HOST = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(57)}.com`;

describe('HardenedIngress with bad input', () => {
  test.each([
    ['the ingress class name has a space', { controller: IngressController.haproxy({ className: 'haproxy public' }) },
      /\[test\/Ingress\] 'controller.className' \('haproxy public'\) must be a DNS-1123 subdomain/],
    ['the ingress class name is a number', { controller: IngressController.ingressNginx({ className: 5 as any }) }, /'controller.className' \(5\) must be a DNS-1123 subdomain/],
    ['the controller peer has a prefix length of 40', { controller: IngressController.haproxy({ peer: NetworkPeer.ipBlock('10.0.0.0/40') }) },
      /'controller.peer' \('10.0.0.0\/40'\) must be an IPv4 or IPv6 CIDR block/],
    ['the controller is a name', { controller: 'haproxy' }, /'controller' \('haproxy'\) must be an IngressController/],
    ['the Gateway options are missing', { controller: IngressController.gatewayApi(undefined as any), issuer: undefined },
      /'controller.gateway.name' \(unset\) must be a string/],
    ['the Gateway peer is a namespace name', { controller: IngressController.gatewayApi({ name: 'public', peer: 'envoy-gateway-system' as any }), issuer: undefined },
      /'controller.gateway.peer' \('envoy-gateway-system'\) must be a NetworkPeer/],
    ['the issuer is a name', { issuer: 'letsencrypt-prod' }, /'issuer' \('letsencrypt-prod'\) must be a CertificateIssuer/],
    ['the ACME server is a URL string', { issuer: CertificateIssuer.acme({ name: 'le', server: 'https://acme.example.com' as any, email: 'ops@example.com' }) },
      /'issuer.server' \('https:\/\/acme.example.com'\) must be an AcmeServer/],
    ['the ACME URL is no URL', { issuer: CertificateIssuer.acme({ name: 'le', server: AcmeServer.url('https://'), email: 'ops@example.com' }) },
      /'issuer.server' \('https:\/\/'\) must be an https URL/],
    ['the ACME URL is a number', { issuer: CertificateIssuer.acme({ name: 'le', server: AcmeServer.url(5 as any), email: 'ops@example.com' }) },
      /'issuer.server' \(5\) must be an https URL/],
    ['the ACME options are missing', { issuer: CertificateIssuer.acme(undefined as any) }, /'issuer' \(unset\) must be an AcmeIssuerOptions object/],
    ['a TLS Secret name is a number', { tlsSecrets: { 'api.example.com': 5 } }, /'tlsSecrets.api.example.com' \(5\) must be a string/],
    ['the rate limit is a string', { rateLimit: { requestsPerSecond: '100' } }, /'rateLimit.requestsPerSecond' \('100'\) must be a number/],
    ['the body size is a string', { controller: IngressController.ingressNginx(), maxBodySize: '10m' }, /'maxBodySize' \('10m'\) must be a Size/],
    ['the body size is NaN', { controller: IngressController.ingressNginx(), maxBodySize: Size.mebibytes(NaN) }, /'maxBodySize' \('NaNKi'\) must be a finite size/],
    ['the HSTS max age is a fraction of a second', { hsts: { maxAge: Duration.millis(1500) }, controller: IngressController.haproxy() },
      /'hsts.maxAge' \(1.5\) must be an integer of at least 0/],
    ['a CORS method is no method', { cors: { allowOrigins: ['https://shop.example.com'], allowMethods: ['FETCH'] } },
      /'cors.allowMethods' \('FETCH'\) must be an HttpMethod: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS/],
    ['the CORS origins are a string', { cors: { allowOrigins: 'https://shop.example.com' } }, /'cors.allowOrigins' \('https:\/\/shop.example.com'\) must be an array/],
  ])('fails when %s', (_, props, message) => {
    expect(() => ingress(props)).toThrow(message);
  });

  test.each([
    ['the backend is a Service name', (i: HardenedIngress) => i.route('api.example.com', '/', 'api' as any), /'backend' \('api'\) must be a backend/],
    ['the path match is no match', (i: HardenedIngress, c: Chart) => i.route('api.example.com', '/', api(c), { match: 'Regex' as PathMatch }),
      /'match' \('Regex'\) must be a PathMatch: 'Prefix', 'Exact', or left unset/],
    ['the source ranges are a string', (i: HardenedIngress, c: Chart) => i.route('api.example.com', '/', api(c), { allowedSourceRanges: '10.0.0.0/8' as any }),
      /'allowedSourceRanges' \('10.0.0.0\/8'\) must be an array/],
    ['a source range has a prefix length of 33', (i: HardenedIngress, c: Chart) => i.route('api.example.com', '/', api(c), { allowedSourceRanges: ['10.0.0.0/33'] }),
      /'allowedSourceRanges' \('10.0.0.0\/33'\) must be an IPv4 or IPv6 CIDR block/],
    ['the host is a number', (i: HardenedIngress, c: Chart) => i.route(5 as any, '/', api(c)), /'host' \(5\) must be a fully qualified lowercase DNS name/],
  ])('fails when %s', (_, route, message) => {
    const chart = testChart();
    expect(() => route(ingress({}, chart), chart)).toThrow(message);
  });
});

describe('HardenedIngress with a host whose derived names would be too long', () => {
  test('names the Certificate and its Secret of a 253-character host within 253 characters, with a hash, and refers to that Secret', () => {
    // GIVEN the longest host a DNS name can be
    const chart = testChart();
    const i = ingress({}, chart);
    i.route(LONG_HOST, '/', api(chart));
    // THEN
    const manifests = synth(chart);
    const certificate = one(manifests, 'Certificate');
    expect(certificate.metadata.name).toHaveLength(253);
    expect(certificate.metadata.name).toMatch(/-[0-9a-f]{10}-tls$/);
    expect(certificate.spec.secretName).toBe(certificate.metadata.name);
    expect(one(manifests, 'Ingress').spec.tls).toEqual([{ hosts: [LONG_HOST], secretName: certificate.metadata.name }]);
  });

  test('keeps the names of a host within the limits as they were: names are API', () => {
    const chart = testChart();
    ingress({}, chart).route('api.example.com', '/', api(chart));
    expect(one(synth(chart), 'Certificate').metadata.name).toBe('api-example-com-tls');
  });

  test('names the HTTPRoute and the HTTPS listener of a long host within 253 characters, and attaches one to the other', () => {
    const chart = testChart();
    const i = new HardenedIngress(chart, 'Ingress', {
      controller: IngressController.gatewayApi({ name: 'public', peer: ENVOY, gatewayClassName: 'eg' }), issuer: LETS_ENCRYPT,
    });
    i.route(LONG_HOST, '/', api(chart));
    const manifests = synth(chart);
    const route = ofKind(manifests, 'HTTPRoute').find((r) => r.spec.hostnames[0] === LONG_HOST && !r.metadata.name.endsWith('-https-redirect'))!;
    const listener = one(manifests, 'Gateway').spec.listeners.find((l: any) => l.hostname === LONG_HOST);
    expect(route.metadata.name.length).toBeLessThanOrEqual(253);
    expect(listener.name.length).toBeLessThanOrEqual(253);
    expect(route.spec.parentRefs[0].sectionName).toBe(listener.name);
  });

  test('names the ACME account key of a long issuer name within 253 characters', () => {
    const chart = testChart();
    const name = `${'l'.repeat(63)}.${'e'.repeat(63)}.${'t'.repeat(63)}.${'s'.repeat(61)}`;
    ingress({ issuer: CertificateIssuer.acme({ name, server: AcmeServer.letsEncrypt(), email: 'ops@example.com' }) }, chart);
    const key = one(synth(chart), 'ClusterIssuer').spec.acme.privateKeySecretRef.name;
    expect(key).toHaveLength(253);
    expect(key).toMatch(/-[0-9a-f]{10}-account-key$/);
  });
});
