import { ApiObject, Chart, Testing } from 'cdk8s';
import { Guardrails, Tier, setTier } from '../../lib';

// The rules read NetworkPolicies as Kubernetes does (an egress rule without `to` admits every destination:
// networking.k8s.io/v1 NetworkPolicyEgressRule) and CiliumNetworkPolicies as Cilium 1.18 does (toFQDNs matching, with
// '*' within one label; `world` and `all` entities; `k8s:` label sources): research notes on Cilium 1.18, Part B1, B4, B5.

/** The messages of `rule` for `objects`, in a chart of `tier`: errors and warnings as the tier makes them. */
function findings(rule: string, objects: object[], tier = Tier.PRODUCTION): { errors: string[]; warnings: string[] } {
  const app = Testing.app();
  const chart = new Chart(app, 'rules', { namespace: 'test' });
  setTier(chart, tier);
  objects.forEach((object, i) => new ApiObject(chart, `Object${i}`, object as any));
  const report = Guardrails.apply(app).evaluate();
  const of = (list: typeof report.errors) => list.filter((f) => f.rule.id === rule).map((f) => f.message);
  return { errors: of(report.errors), warnings: of(report.warnings) };
}

const policy = (spec: object, annotations?: Record<string, string>) => ({
  apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'api', annotations }, spec: { podSelector: { matchLabels: { app: 'api' } }, ...spec },
});
const cilium = (egress: object[], endpointSelector: object = { matchLabels: { app: 'api' } }) => ({
  apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'api' }, spec: { endpointSelector, egress },
});
const https = [{ port: 443, protocol: 'TCP' }];
const ciliumHttps = [{ ports: [{ port: '443', protocol: 'TCP' }] }];

describe('network-egress-open', () => {
  test('reports a rule without destination, 0.0.0.0/0 and ::/0, with the ports they open', () => {
    const result = findings('network-egress-open', [policy({
      policyTypes: ['Egress'],
      egress: [
        { ports: https },
        { to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }, { ipBlock: { cidr: '::/0' } }] },
        { to: [{ ipBlock: { cidr: '203.0.113.0/24' } }], ports: https },
      ],
    })]);

    expect(result.errors).toEqual([
      'egress rule 1 has no destination, so it opens every address on 443/TCP',
      'egress rule 2 opens 0.0.0.0/0 on every port',
      'egress rule 2 opens ::/0 on every port',
    ]);
  });

  test('reports a CiliumNetworkPolicy open to every address by CIDR, CIDR set or entity', () => {
    const result = findings('network-egress-open', [cilium([
      { toCIDR: ['0.0.0.0/0'], toPorts: ciliumHttps },
      { toCIDRSet: [{ cidr: '::/0' }] },
      { toEntities: ['world'], toPorts: ciliumHttps },
      { toEntities: ['all'] },
      { toEntities: ['cluster'] },
      { toFQDNs: [{ matchPattern: '*' }], toPorts: ciliumHttps },
    ])]);

    expect(result.errors).toEqual([
      'egress rule 1 opens 0.0.0.0/0 on 443/TCP',
      'egress rule 2 opens ::/0 on every port',
      'egress rule 3 opens entity world on 443/TCP',
      'egress rule 4 opens entity all on every port',
    ]);
  });

  test('ignores the egress rules of a policy that does not restrict egress, which Kubernetes ignores too', () => {
    expect(findings('network-egress-open', [policy({ policyTypes: ['Ingress'], egress: [{ ports: https }] })]).errors).toEqual([]);
  });

  test('passes production when suppressed with a reason, which the report keeps', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'rules', { namespace: 'test' });
    new ApiObject(chart, 'Policy', policy({ policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: https }] }) as any);
    Guardrails.suppress(chart, 'network-egress-open', 'the crawler fetches arbitrary public sites (ADR-7)');

    const report = Guardrails.apply(app).evaluate();
    expect(report.errors.filter((f) => f.rule.id === 'network-egress-open')).toEqual([]);
    expect(report.suppressed.map((f) => [f.rule.id, f.suppression])).toEqual([['network-egress-open', 'the crawler fetches arbitrary public sites (ADR-7)']]);
  });

  test('is a warning in development', () => {
    expect(findings('network-egress-open', [policy({ policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }] })], Tier.DEVELOPMENT))
      .toEqual({ errors: [], warnings: ['egress rule 1 opens 0.0.0.0/0 on every port'] });
  });
});

describe('network-egress-by-name', () => {
  test('reports the portable fallback with the hosts it stands for, as a warning, and nothing without the annotation', () => {
    const open = { policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: https }] };

    expect(findings('network-egress-by-name', [policy(open, { 'cdk8s-golden-path/egress-fallback-for': 'api.openai.com on 443/TCP' })])).toEqual({
      errors: [], warnings: ['opens the public internet in place of api.openai.com on 443/TCP: the stage\'s egress engine cannot name hosts'],
    });
    expect(findings('network-egress-by-name', [policy(open)]).warnings).toEqual([]);
  });
});

describe('credentials-egress', () => {
  const keys = (annotation: string, kind = 'ExternalSecret') => ({
    apiVersion: kind === 'Secret' ? 'v1' : kind === 'SealedSecret' ? 'bitnami.com/v1alpha1' : 'external-secrets.io/v1',
    kind,
    metadata: { name: 'keys', annotations: { 'cdk8s-golden-path/credentials-for': annotation } },
    spec: {},
  });
  const deployment = (pod: object) => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api' },
    spec: { selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api', image: 'acme/api:1.0.0' }], ...pod } } },
  });
  const mounting = deployment({ volumes: [{ name: 'keys', secret: { secretName: 'keys' } }] });
  const denyAll = policy({ policyTypes: ['Ingress', 'Egress'] });

  test('reports each host the mounted credentials are for that the pods cannot reach', () => {
    const result = findings('credentials-egress', [keys('api.anthropic.com:443/TCP api.openai.com:443/TCP'), mounting, denyAll,
      cilium([{ toFQDNs: [{ matchName: 'api.anthropic.com' }], toPorts: ciliumHttps }])]);

    expect(result).toEqual({ errors: [], warnings: ['mounts Secret \'keys\', credentials for api.openai.com:443/TCP, but its pods have no egress to it'] });
  });

  test.each<[string, object]>([
    ['an env var', deployment({ containers: [{ name: 'api', image: 'acme/api:1.0.0', env: [{ name: 'KEY', valueFrom: { secretKeyRef: { name: 'keys', key: 'k' } } }] }] })],
    ['envFrom', deployment({ containers: [{ name: 'api', image: 'acme/api:1.0.0', envFrom: [{ secretRef: { name: 'keys' } }] }] })],
    ['a projected volume', deployment({ volumes: [{ name: 'all', projected: { sources: [{ secret: { name: 'keys' } }] } }] })],
  ])('follows the Secret read through %s', (_how, workload) => {
    expect(findings('credentials-egress', [keys('api.openai.com:443/TCP'), workload, denyAll]).warnings)
      .toEqual(['mounts Secret \'keys\', credentials for api.openai.com:443/TCP, but its pods have no egress to it']);
  });

  test.each(['SealedSecret', 'Secret'])('reads the hosts from a %s that produces the Secret', (kind) => {
    expect(findings('credentials-egress', [keys('api.openai.com:443/TCP', kind), mounting, denyAll]).warnings).toHaveLength(1);
  });

  test.each<[string, object[]]>([
    ['no policy restricts the pods\' egress', []],
    ['a NetworkPolicy opens the public internet on the port (the portable fallback)',
      [policy({ policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }], ports: https }] })]],
    ['a CiliumNetworkPolicy names the host with a one-label wildcard, its selector with the k8s: source',
      [denyAll, cilium([{ toFQDNs: [{ matchPattern: '*.openai.com' }], toPorts: ciliumHttps }], { matchLabels: { 'k8s:app': 'api' } })]],
    ['a CiliumNetworkPolicy names the host on every port', [denyAll, cilium([{ toFQDNs: [{ matchName: 'api.openai.com' }] }])]],
    ['a CiliumNetworkPolicy opens the world on the port', [denyAll, cilium([{ toEntities: ['world'], toPorts: [{ ports: [{ port: '443', protocol: 'ANY' }] }] }])]],
  ])('accepts the pods when %s', (_how, policies) => {
    expect(findings('credentials-egress', [keys('api.openai.com:443/TCP'), mounting, ...policies]).warnings).toEqual([]);
  });

  test.each<[string, object[]]>([
    ['the CiliumNetworkPolicy names the host on another port', [denyAll, cilium([{ toFQDNs: [{ matchName: 'api.openai.com' }], toPorts: [{ ports: [{ port: '80' }] }] }])]],
    ['the wildcard is one label short of the host', [denyAll, cilium([{ toFQDNs: [{ matchPattern: '*.com' }], toPorts: ciliumHttps }])]],
    ['the CiliumNetworkPolicy selects other pods', [denyAll, cilium([{ toFQDNs: [{ matchName: 'api.openai.com' }] }], { matchLabels: { app: 'worker' } })]],
    ['the NetworkPolicy opens the internet on another port', [policy({ policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 80 }] }] })]],
  ])('reports the pods when %s', (_how, policies) => {
    expect(findings('credentials-egress', [keys('api.openai.com:443/TCP'), mounting, ...policies]).warnings).toHaveLength(1);
  });

  test('ignores Secrets whose producer names no host, and annotations it cannot read', () => {
    expect(findings('credentials-egress', [keys('not an endpoint'), mounting, denyAll]).warnings).toEqual([]);
  });
});
