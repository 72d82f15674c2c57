import { Chart, Duration } from 'cdk8s';
import {
  CertificateIssuer, DnsRecords, ExternalDnsOptions, ExternalDnsPolicy, HardenedIngress, HardenedIngressProps, Image, IngressController, NetworkPeer,
  Operator, Prerequisite, ProductionApp,
} from '../../lib';
import { Manifest, ofKind, one, synth, testChart } from '../util';

// What ExternalDNS v0.22.0 reads, from its source at that tag:
// - source/annotations/annotations.go: the default annotation prefix is `external-dns.kubernetes.io/` (commit ecb88cfbd,
//   "switch default annotations prefix to GA"); no code of 0.22 reads `external-dns.alpha.kubernetes.io/` unless
//   `--annotation-prefix` says so.
// - source/annotations/processors.go (TTLFromAnnotations, parseTTL): `ttl` is a duration or whole seconds, 1 to MaxInt32;
//   anything else is ignored with a warning.
// - source/ingress.go (endpointsFromIngress): the hosts of `spec.rules[].host` and `spec.tls[].hosts`, no annotation
//   needed; the targets are the `target` annotation or `status.loadBalancer.ingress` (targetsFromIngressStatus).
// - docs/sources/gateway-api.md ("Annotation Placement") and source/gateway.go: HTTPRoute `spec.hostnames` matched against
//   the listeners of the Gateways that accepted the route; `ttl` is read from the route, `target` from the Gateway only.
// - source/wrappers/dedupsource.go: two equal records (type, name, targets) are one, whatever their TTL: every route
//   naming a host carries the same TTL.
// - docs/flags.md: `--policy` is required, no default; `--source` repeatable (ingress, gateway-httproute, crd, ...);
//   `--txt-owner-id`, `--domain-filter`.

const HOST = 'api.example.com';
const ENVOY = NetworkPeer.namespace('envoy-gateway-system');
const ISSUER = CertificateIssuer.clusterIssuer('letsencrypt-prod');
const EXTERNAL_DNS: ExternalDnsOptions = { zones: ['example.com'], ownerId: 'shop-prod', policy: ExternalDnsPolicy.SYNC };

function app(chart: Chart, id = 'Api'): ProductionApp {
  return new ProductionApp(chart, id, { image: Image.pinned('acme/api', '1.0.0'), port: 8080, servicePort: 80 });
}

function ingress(chart: Chart, props: Partial<HardenedIngressProps> = {}, dns: Partial<ExternalDnsOptions> = {}): HardenedIngress {
  return new HardenedIngress(chart, 'Ingress', {
    controller: IngressController.haproxy(), issuer: ISSUER, dnsRecords: DnsRecords.externalDns({ ...EXTERNAL_DNS, ...dns }), ...props,
  });
}

function gatewayApi(chart: Chart, dns: Partial<ExternalDnsOptions> = {}): HardenedIngress {
  return ingress(chart, { controller: IngressController.gatewayApi({ name: 'public', gatewayClassName: 'eg', peer: ENVOY }) }, dns);
}

function externalDnsAnnotations(object: Manifest): Record<string, string> {
  return Object.fromEntries(Object.entries<string>(object.metadata.annotations ?? {}).filter(([key]) => key.includes('external-dns')));
}

function titles(chart: Chart): string[] {
  return Prerequisite.declaredIn(chart).map((d) => d.prerequisite.title);
}

describe('DnsRecords.externalDns', () => {
  describe('Ingress rendering', () => {
    test('every Ingress carries the TTL under the 0.22 prefix; the hosts come from its rules and TLS, with no hostname annotation', () => {
      // GIVEN
      const chart = testChart();
      const edge = ingress(chart, {}, { ttl: Duration.minutes(1) });

      // WHEN
      edge.route(HOST, '/', app(chart));
      edge.route(HOST, '/admin', app(chart, 'Admin'), { allowedSourceRanges: ['10.0.0.0/8'] });

      // THEN
      const ingresses = ofKind(synth(chart), 'Ingress');
      expect(ingresses).toHaveLength(2);
      for (const object of ingresses) {
        expect(externalDnsAnnotations(object)).toEqual({ 'external-dns.kubernetes.io/ttl': '60' });
        expect(object.spec.rules.map((r: any) => r.host)).toEqual([HOST]);
        expect(object.spec.tls[0].hosts).toEqual([HOST]);
      }
    });

    test('the TTL is five minutes unless given, and the target goes on the Ingress', () => {
      // GIVEN
      const chart = testChart();

      // WHEN
      ingress(chart, {}, { target: 'edge.cdn.example.net' }).route(HOST, '/', app(chart));

      // THEN
      expect(externalDnsAnnotations(one(synth(chart), 'Ingress'))).toEqual({
        'external-dns.kubernetes.io/ttl': '300',
        'external-dns.kubernetes.io/target': 'edge.cdn.example.net',
      });
    });

    test('never writes the alpha prefix, which 0.22 ignores by default', () => {
      // GIVEN
      const chart = testChart();

      // WHEN
      ingress(chart, {}, { target: '203.0.113.10' }).route(HOST, '/', app(chart));

      // THEN
      expect(JSON.stringify(synth(chart))).not.toContain('external-dns.alpha.kubernetes.io');
    });

    test('declares ExternalDNS 0.22, the flags it runs with, the zones it owns, and the controller publishing its address', () => {
      // GIVEN
      const chart = testChart();

      // WHEN
      ingress(chart, {}, { zones: ['example.com', 'example.org'], policy: ExternalDnsPolicy.UPSERT_ONLY }).route(HOST, '/', app(chart));

      // THEN
      expect(titles(chart)).toEqual(expect.arrayContaining([
        'ExternalDNS 0.22',
        'ExternalDNS: --source=ingress',
        'ExternalDNS: --policy=upsert-only',
        'ExternalDNS: --txt-owner-id=shop-prod',
        'ExternalDNS: --domain-filter=example.com, with write access to the zone example.com at its DNS provider',
        'ExternalDNS: --domain-filter=example.org, with write access to the zone example.org at its DNS provider',
        'ExternalDNS: the default annotation prefix external-dns.kubernetes.io/ (no --annotation-prefix)',
        expect.stringMatching(/^the HAProxy ingress controller: publishes its load balancer's address in the status of the Ingresses it serves/),
      ]));
      const operator = Prerequisite.declaredIn(chart).find((d) => d.prerequisite.title === 'ExternalDNS 0.22')!.prerequisite;
      expect(operator.details).toMatchObject({ name: Operator.EXTERNAL_DNS.name, version: '0.22', crds: [] });
    });

    test('the record of each host is ExternalDNS\'s, and a target replaces the controller\'s address', () => {
      // GIVEN
      const chart = testChart();

      // WHEN
      ingress(chart, {}, { target: 'edge.cdn.example.net' }).route(HOST, '/', app(chart));

      // THEN
      const record = Prerequisite.declaredIn(chart).find((d) => d.prerequisite.key === `dns:${HOST}`)!.prerequisite;
      expect(record.title).toBe('api.example.com -> the load balancer of the HAProxy ingress controller (IngressClass haproxy) (ExternalDNS creates it)');
      expect(record.details).toMatchObject({ host: HOST, createdBy: 'ExternalDNS' });
      expect(titles(chart).filter((t) => t.includes('publishes its load balancer'))).toEqual([]);
    });

    test('without ExternalDNS the records are made by hand, and nothing is written for it', () => {
      // GIVEN
      const chart = testChart();

      // WHEN
      new HardenedIngress(chart, 'Ingress', { controller: IngressController.haproxy(), issuer: ISSUER }).route(HOST, '/', app(chart));

      // THEN
      expect(externalDnsAnnotations(one(synth(chart), 'Ingress'))).toEqual({});
      const record = Prerequisite.declaredIn(chart).find((d) => d.prerequisite.key === `dns:${HOST}`)!.prerequisite;
      expect(record.details.createdBy).toBeUndefined();
      expect(record.reason).toMatch(/create it by hand/);
      expect(titles(chart).filter((t) => t.startsWith('ExternalDNS'))).toEqual([]);
    });
  });

  describe('Gateway API rendering', () => {
    test('every HTTPRoute carries the TTL, the redirect route too, since it names the same hosts', () => {
      // GIVEN
      const chart = testChart();

      // WHEN
      gatewayApi(chart).route(HOST, '/', app(chart));

      // THEN
      const routes = ofKind(synth(chart), 'HTTPRoute');
      expect(routes.map((r) => r.metadata.name).sort()).toEqual(['ingress-api-example-com', 'ingress-https-redirect']);
      for (const route of routes) {
        expect(externalDnsAnnotations(route)).toEqual({ 'external-dns.kubernetes.io/ttl': '300' });
        expect(route.spec.hostnames).toEqual([HOST]);
      }
    });

    test('the target goes on the declared Gateway, where ExternalDNS reads it, and on no route', () => {
      // GIVEN
      const chart = testChart();

      // WHEN
      gatewayApi(chart, { target: 'lb.example.net' }).route(HOST, '/', app(chart));

      // THEN
      const manifests = synth(chart);
      expect(externalDnsAnnotations(one(manifests, 'Gateway', 'public'))).toEqual({ 'external-dns.kubernetes.io/target': 'lb.example.net' });
      for (const route of ofKind(manifests, 'HTTPRoute')) {
        expect(externalDnsAnnotations(route)).toEqual({ 'external-dns.kubernetes.io/ttl': '300' });
      }
    });

    test('declares the gateway-httproute source and the Gateway\'s published address', () => {
      // GIVEN
      const chart = testChart();

      // WHEN
      gatewayApi(chart).route(HOST, '/', app(chart));

      // THEN
      expect(titles(chart)).toEqual(expect.arrayContaining([
        'ExternalDNS: --source=gateway-httproute',
        'the Gateway API: the implementation publishes the address of Gateway test/public in its status.addresses',
        'api.example.com -> the address of Gateway test/public (ExternalDNS creates it)',
      ]));
      expect(titles(chart)).not.toContain('ExternalDNS: --source=ingress');
    });

    test('routes on an existing Gateway carry the TTL too', () => {
      // GIVEN
      const chart = testChart();

      // WHEN
      new HardenedIngress(chart, 'Ingress', {
        controller: IngressController.gatewayApi({ name: 'shared', namespace: 'gateways', peer: ENVOY }),
        dnsRecords: DnsRecords.externalDns(EXTERNAL_DNS),
      }).route(HOST, '/', app(chart));

      // THEN
      expect(externalDnsAnnotations(one(synth(chart), 'HTTPRoute', 'ingress-api-example-com'))).toEqual({ 'external-dns.kubernetes.io/ttl': '300' });
      expect(titles(chart)).toContain('the Gateway API: the implementation publishes the address of Gateway gateways/shared in its status.addresses');
    });
  });

  describe('bad input', () => {
    const existingGateway = IngressController.gatewayApi({ name: 'shared', namespace: 'gateways', peer: ENVOY });
    const cases: Array<[string, (chart: Chart) => void, RegExp]> = [
      ['no zone is named', (c) => ingress(c, {}, { zones: [] }), /'dnsRecords.zones' \(\[\]\) must name at least one zone/],
      ['a zone is a wildcard', (c) => ingress(c, {}, { zones: ['*.example.com'] }), /'dnsRecords.zones' \('\*.example.com'\) must be a fully qualified lowercase DNS name/],
      ['a zone has a trailing dot', (c) => ingress(c, {}, { zones: ['example.com.'] }), /'dnsRecords.zones' \('example.com.'\) must be a fully qualified/],
      ['the owner id has a comma', (c) => ingress(c, {}, { ownerId: 'shop,prod' }), /'dnsRecords.ownerId' \('shop,prod'\) must be at most 63 letters, digits/],
      ['the owner id is empty', (c) => ingress(c, {}, { ownerId: '' }), /'dnsRecords.ownerId' \(''\) must be at most 63 letters/],
      ['the TTL is zero', (c) => ingress(c, {}, { ttl: Duration.seconds(0) }), /'dnsRecords.ttl' \('0s'\) must be a whole number of seconds, at least 1/],
      ['the TTL is not whole seconds', (c) => ingress(c, {}, { ttl: Duration.millis(1500) }), /'dnsRecords.ttl' \('1.5s'\) must be a whole number of seconds, at least 1/],
      ['the TTL exceeds what ExternalDNS accepts', (c) => ingress(c, {}, { ttl: Duration.days(25000) }),
        /'dnsRecords.ttl' \('2160000000s'\) must be at most 2147483647 seconds: the API stores it in a 32-bit integer/],
      ['the target is a URL', (c) => ingress(c, {}, { target: 'https://lb.example.net' }), /'dnsRecords.target' \('https:\/\/lb.example.net'\) must be a fully qualified/],
      ['a target is given for an existing Gateway', (c) => ingress(c, { controller: existingGateway, issuer: undefined }, { target: 'lb.example.net' }),
        /'dnsRecords.target' \('lb.example.net'\) is read from the Gateway, which is not declared here: annotate the existing Gateway/],
      ['a host is in none of the zones', (c) => ingress(c, {}, { zones: ['example.org'] }).route(HOST, '/', app(c)),
        /'host' \('api.example.com'\) is in none of the zones ExternalDNS manages \(example.org\): its --domain-filter would skip the record/],
      ['a host only ends like a zone', (c) => ingress(c, {}, { zones: ['ample.com'] }).route(HOST, '/', app(c)), /'host' \('api.example.com'\) is in none of the zones/],
      ['a wildcard host is in none of the zones', (c) => ingress(c, { issuer: CertificateIssuer.clusterIssuer('ca', { wildcardZones: ['example.com'] }) },
        { zones: ['example.org'] }).route('*.apps.example.com', '/', app(c)), /'host' \('\*.apps.example.com'\) is in none of the zones ExternalDNS manages/],
      ['a zone is named twice', (c) => ingress(c, {}, { zones: ['example.com', 'example.com'] }),
        /^\[test\/Ingress\] 'dnsRecords.zones' \(\["example.com","example.com"\]\) must name each zone once: each is one --domain-filter$/],
      ['the target is no IPv4 address', (c) => ingress(c, {}, { target: '203.0.113.300' }),
        /^\[test\/Ingress\] 'dnsRecords.target' \('203.0.113.300'\) must be an IPv4 or IPv6 address such as '10.0.0.1'$/],
      ['the target is an IPv6 address with a zone', (c) => ingress(c, {}, { target: 'fe80::1%eth0' }),
        /^\[test\/Ingress\] 'dnsRecords.target' \('fe80::1%eth0'\) must be an IPv4 or IPv6 address/],
      // A caller without a type checker:
      ['the options are missing', (c) => ingress(c, { dnsRecords: DnsRecords.externalDns(undefined as any) }),
        /^\[test\/Ingress\] 'dnsRecords' \(unset\) must be an ExternalDnsOptions object \(zones, ownerId, policy, and optionally ttl and target\)$/],
      ['the zones are one zone', (c) => ingress(c, {}, { zones: 'example.com' as any }),
        /^\[test\/Ingress\] 'dnsRecords.zones' \('example.com'\) must be an array \(each item a string\)$/],
      ['the policy is missing', (c) => ingress(c, {}, { policy: undefined }),
        /^\[test\/Ingress\] 'dnsRecords.policy' \(unset\) must be an ExternalDnsPolicy: 'sync', 'upsert-only', 'create-only'$/],
      ['the TTL is a number of seconds', (c) => ingress(c, {}, { ttl: 300 as any }), /^\[test\/Ingress\] 'dnsRecords.ttl' \(300\) must be a Duration/],
      ['the records are the options themselves', (c) => ingress(c, { dnsRecords: EXTERNAL_DNS as any }),
        /^\[test\/Ingress\] 'dnsRecords' \(.*\) must be DnsRecords \(DnsRecords.externalDns\(...\)\), or left unset$/],
    ];

    test.each(cases)('fails when %s', (_, build, message) => {
      expect(() => build(testChart())).toThrow(message);
    });
  });
});
