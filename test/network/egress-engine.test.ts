import { Chart, Testing } from 'cdk8s';
import {
  ClusterDns, EgressEngine, Guardrails, Image, NetworkPeer, NetworkPolicyRules, Prerequisite, PrerequisiteKind, ProductionApp, Protocol, Tier, setTier,
} from '../../lib';
import { Manifest, ofKind, one, synth, testChart } from '../util';

// What Cilium 1.18 needs, from the research notes on Cilium 1.18, Part B (each fact with its source there):
// - toFQDNs learns addresses from the DNS answers Cilium's DNS proxy intercepts, which needs an L7 DNS rule to the DNS pods;
//   matchPattern '*' lets every lookup through, cluster names included (cilium Documentation/security/policy/language.rst,
//   "DNS based" and "DNS Policy and IP Discovery").
// - toFQDNs and toEndpoints may not share an egress rule: the DNS rule and the names are separate items (same file).
// - toEndpoints without the namespace label selects the policy's own namespace, hence `k8s:io.kubernetes.pod.namespace`
//   (Documentation/security/policy/kubernetes.rst "Namespaces"; examples/policies/l3/fqdn/fqdn.yaml uses the `k8s:` source).
// - Cilium allows the union of the rules that select a pod, NetworkPolicies included (Documentation/security/policy/intro.rst
//   "Rule Basics"; network/kubernetes/policy.rst): the NetworkPolicy keeps its other rules, its DNS rule among them.
// - With NodeLocal DNSCache behind a CiliumLocalRedirectPolicy the DNS rule must select the cache pods, k8s-app=node-local-dns
//   (network/kubernetes/local-redirect-policy.rst "Node-local DNS cache"; a maintainer in cilium/cilium#24654).
// - The pinned CRD (cilium-v1.18.2): ports are strings, protocol TCP|UDP|SCTP|ANY, rules.dns items are matchName|matchPattern.

const KUBE_DNS = { 'k8s:io.kubernetes.pod.namespace': 'kube-system', 'k8s:k8s-app': 'kube-dns' };
const NODE_LOCAL_DNS = { 'k8s:io.kubernetes.pod.namespace': 'kube-system', 'k8s:k8s-app': 'node-local-dns' };
const DNS_PORTS = [{ port: '53', protocol: 'UDP' }, { port: '53', protocol: 'TCP' }];
const HTTPS = [{ port: 443 }];

function rules(chart: Chart, props: { engine?: EgressEngine; dns?: ClusterDns } = {}): NetworkPolicyRules {
  return new NetworkPolicyRules(chart, 'Policy', {
    name: 'api',
    namespace: 'test',
    podSelector: { app: 'api' },
    labels: { team: 'shop' },
    dns: props.dns,
    egressEngine: props.engine,
  });
}

function cilium(manifests: Manifest[], name = 'api'): Manifest {
  return one(manifests, 'CiliumNetworkPolicy', name);
}

describe('EgressEngine.cilium()', () => {
  test('renders a CiliumNetworkPolicy for the same pods, with the DNS rule first and the names on their ports', () => {
    // GIVEN
    const chart = testChart();
    const policy = rules(chart, { engine: EgressEngine.cilium(), dns: ClusterDns.kubeDns() });

    // WHEN
    policy.allowEgress(NetworkPeer.domain('api.openai.com', 'api.anthropic.com'), HTTPS);

    // THEN
    const manifests = synth(chart);
    const cnp = cilium(manifests);
    expect(cnp.apiVersion).toBe('cilium.io/v2');
    expect(cnp.metadata).toEqual({ name: 'api', namespace: 'test', labels: { team: 'shop' } });
    expect(cnp.spec.endpointSelector).toEqual({ matchLabels: { app: 'api' } });
    expect(cnp.spec.nodeSelector).toBeUndefined();
    expect(cnp.spec.egress).toEqual([
      { toEndpoints: [{ matchLabels: KUBE_DNS }], toPorts: [{ ports: DNS_PORTS, rules: { dns: [{ matchPattern: '*' }] } }] },
      { toFQDNs: [{ matchName: 'api.anthropic.com' }, { matchName: 'api.openai.com' }], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] },
    ]);
  });

  test('leaves the NetworkPolicy to its other rules, its DNS rule included: no address block stands for the names', () => {
    const chart = testChart();
    const policy = rules(chart, { engine: EgressEngine.cilium(), dns: ClusterDns.kubeDns() });

    policy.allowEgress(NetworkPeer.domain('api.anthropic.com'), HTTPS);

    expect(one(synth(chart), 'NetworkPolicy', 'api').spec.egress).toEqual([{
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
      ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
    }]);
  });

  test('selects the DNS cache pods and the kube-dns pods with NodeLocal DNSCache behind a Local Redirect Policy', () => {
    const chart = testChart();
    rules(chart, { engine: EgressEngine.cilium(), dns: ClusterDns.nodeLocalCacheRedirect() }).allowEgress(NetworkPeer.domain('api.anthropic.com'), HTTPS);

    expect(cilium(synth(chart)).spec.egress[0].toEndpoints).toEqual([{ matchLabels: NODE_LOCAL_DNS }, { matchLabels: KUBE_DNS }]);
  });

  test('groups the names by their ports, and renders a leading wildcard as a matchPattern', () => {
    const chart = testChart();
    const policy = rules(chart, { engine: EgressEngine.cilium(), dns: ClusterDns.kubeDns() });

    policy.allowEgress(NetworkPeer.domain('*.s3.eu-west-1.amazonaws.com'), HTTPS);
    policy.allowEgress(NetworkPeer.domain('db.example.com'), [{ port: 5432 }]);
    policy.allowEgress(NetworkPeer.domain('sts.eu-west-1.amazonaws.com'), [{ port: 443, protocol: Protocol.TCP }]);
    policy.allowEgress(NetworkPeer.domain('ntp.example.com'), [{ port: 123, protocol: Protocol.UDP }]);

    expect(cilium(synth(chart)).spec.egress.slice(1)).toEqual([
      { toFQDNs: [{ matchPattern: '*.s3.eu-west-1.amazonaws.com' }, { matchName: 'sts.eu-west-1.amazonaws.com' }], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] },
      { toFQDNs: [{ matchName: 'db.example.com' }], toPorts: [{ ports: [{ port: '5432', protocol: 'TCP' }] }] },
      { toFQDNs: [{ matchName: 'ntp.example.com' }], toPorts: [{ ports: [{ port: '123', protocol: 'UDP' }] }] },
    ]);
  });

  test('carries the selector\'s expressions into the endpoint selector', () => {
    const chart = testChart();
    const policy = new NetworkPolicyRules(chart, 'Policy', {
      name: 'db', namespace: 'test', podSelector: { 'cnpg.io/cluster': 'db' },
      podSelectorExpressions: [{ key: 'cnpg.io/podRole', operator: 'NotIn', values: ['pooler'] }],
      dns: ClusterDns.kubeDns(), egressEngine: EgressEngine.cilium(),
    });

    policy.allowEgress(NetworkPeer.domain('backups.s3.eu-west-1.amazonaws.com'), HTTPS);

    expect(cilium(synth(chart), 'db').spec.endpointSelector).toEqual({
      matchLabels: { 'cnpg.io/cluster': 'db' },
      matchExpressions: [{ key: 'cnpg.io/podRole', operator: 'NotIn', values: ['pooler'] }],
    });
  });

  test('renders nothing for a workload that reaches no host by name', () => {
    const chart = testChart();
    rules(chart, { engine: EgressEngine.cilium(), dns: ClusterDns.kubeDns() }).allowEgress(NetworkPeer.ipBlock('10.0.0.0/20'), HTTPS);

    expect(ofKind(synth(chart), 'CiliumNetworkPolicy')).toEqual([]);
  });

  test('declares Cilium 1.18 with its CRD, the L7 proxy its DNS proxy needs, and that the names resolve outside the cluster', () => {
    const chart = testChart();
    rules(chart, { engine: EgressEngine.cilium(), dns: ClusterDns.kubeDns() }).allowEgress(NetworkPeer.domain('api.anthropic.com'), HTTPS);

    const declared = Prerequisite.declaredIn(chart).map((d) => d.prerequisite);
    expect(declared.find((p) => p.kind === PrerequisiteKind.OPERATOR)?.details).toMatchObject({
      name: 'Cilium', version: '1.18', crds: ['ciliumnetworkpolicies.cilium.io'],
    });
    const titles = declared.map((p) => p.title);
    expect(titles).toContain('Cilium agent: enable-l7-proxy: true (Helm l7Proxy: true, the default)');
    expect(titles).toContain('api.anthropic.com resolves to addresses outside the cluster');
  });

  test('fails when the policy has no DNS rule for the proxy to see', () => {
    const chart = testChart();
    const policy = rules(chart, { engine: EgressEngine.cilium() });

    expect(() => policy.allowEgress(NetworkPeer.domain('api.anthropic.com'), HTTPS))
      .toThrow(/\[test\/Policy\] 'dns' \(unset\) is required with EgressEngine.cilium\(\): Cilium learns the addresses of a name from the lookups its DNS proxy sees/);
  });

  test('fails when the pods resolve through a DNS cache on the host network, whose queries the DNS proxy does not see', () => {
    const chart = testChart();
    const policy = rules(chart, { engine: EgressEngine.cilium(), dns: ClusterDns.nodeLocalCache('169.254.20.10') });

    expect(() => policy.allowEgress(NetworkPeer.domain('api.anthropic.com'), HTTPS))
      .toThrow(/'dns' \('169.254.20.10'\) must be reached by pod with EgressEngine.cilium\(\).*use ClusterDns.nodeLocalCacheRedirect\(\)/);
  });
});

describe('NetworkPolicyRules.allowKubernetesApi', () => {
  // Cilium 1.18 Documentation/security/policy/language.rst, "Selecting nodes with CIDR / ipBlock": by default CIDR rules do
  // not match the cluster's own nodes, where a self-hosted (kubeadm) API server runs; "you must ordinarily use the
  // kube-apiserver entity", which stands for the API server inside or outside the cluster (same file, "Entities based").
  const API = NetworkPeer.ipBlock('172.18.0.0/16');
  const API_IP_BLOCK = { to: [{ ipBlock: { cidr: '172.18.0.0/16' } }], ports: [{ port: 6443, protocol: 'TCP' }] };

  test('with Cilium, adds the kube-apiserver entity on the port beside the address block, without a DNS rule', () => {
    // GIVEN
    const chart = testChart();
    const policy = rules(chart, { engine: EgressEngine.cilium() });
    // WHEN
    policy.allowKubernetesApi(API, 6443);
    // THEN
    const manifests = synth(chart);
    expect(one(manifests, 'NetworkPolicy', 'api').spec.egress).toEqual([API_IP_BLOCK]);
    const cnp = cilium(manifests);
    expect(cnp.spec.egress).toEqual([{ toEntities: ['kube-apiserver'], toPorts: [{ ports: [{ port: '6443', protocol: 'TCP' }] }] }]);
    expect(cnp.spec.description).toBe('egress to the Kubernetes API server of the pods of NetworkPolicy api, which holds their other rules');
    expect(Prerequisite.declaredIn(chart).map((d) => d.prerequisite.title)).not.toContain('Cilium agent: enable-l7-proxy: true (Helm l7Proxy: true, the default)');
  });

  test('with Cilium and hosts by name, one CiliumNetworkPolicy holds the DNS rule, the names and then the API server', () => {
    const chart = testChart();
    const policy = rules(chart, { engine: EgressEngine.cilium(), dns: ClusterDns.kubeDns() });
    policy.allowKubernetesApi(API, 443);
    policy.allowEgress(NetworkPeer.domain('s3.eu-west-1.amazonaws.com'), HTTPS);

    const cnp = cilium(synth(chart));
    expect(cnp.spec.egress.map((rule: any) => Object.keys(rule)[0])).toEqual(['toEndpoints', 'toFQDNs', 'toEntities']);
    expect(cnp.spec.description).toMatch(/^egress to hosts by name and the Kubernetes API server of the pods of NetworkPolicy api, .*DNS proxy/);
  });

  test.each([
    ['the portable engine', EgressEngine.portable()],
    ['no engine', undefined],
  ])('with %s, the address block is the whole rule', (_name, engine) => {
    const chart = testChart();
    rules(chart, { engine }).allowKubernetesApi(API, 6443);

    const manifests = synth(chart);
    expect(one(manifests, 'NetworkPolicy', 'api').spec.egress).toEqual([API_IP_BLOCK]);
    expect(ofKind(manifests, 'CiliumNetworkPolicy')).toEqual([]);
  });

  test('fails when the port is out of range, naming the policy and the port', () => {
    const chart = testChart();
    expect(() => rules(chart, { engine: EgressEngine.cilium() }).allowKubernetesApi(API, 70000))
      .toThrow("[test/Policy] 'allowKubernetesApi.port' (70000) must be an integer port between 1 and 65535");
  });

  test('fails when the peer is no NetworkPeer, for a caller without a type checker', () => {
    const chart = testChart();
    expect(() => rules(chart, { engine: EgressEngine.cilium() }).allowKubernetesApi('172.18.0.0/16' as unknown as NetworkPeer, 6443))
      .toThrow(/\[test\/Policy\] 'allowKubernetesApi.peer' \('172.18.0.0\/16'\) must be a NetworkPeer/);
  });

  test('fails when the API server is given by name: the policy sees its endpoints\' addresses', () => {
    const chart = testChart();
    expect(() => rules(chart, { engine: EgressEngine.cilium() }).allowKubernetesApi(NetworkPeer.domain('api.example.com'), 443))
      .toThrow(/\[test\/Policy\] 'allowKubernetesApi.peer' \('the hosts api.example.com'\) must be the address block of the API server's endpoints/);
  });
});

describe('EgressEngine.portable()', () => {
  /** A production app whose NetworkPolicy reaches the LLM APIs through the portable fallback. */
  function fallbackApp(): { app: ReturnType<typeof Testing.app>; chart: Chart } {
    const app = Testing.app();
    const chart = new Chart(app, 'test', { namespace: 'test', disableResourceNameHashes: true });
    setTier(chart, Tier.PRODUCTION);
    const api = new ProductionApp(chart, 'Api', { image: Image.pinned('acme/api', '1.0.0'), egressEngine: EgressEngine.portable() });
    api.allowTo(NetworkPeer.domain('api.anthropic.com', 'api.openai.com'), HTTPS);
    return { app, chart };
  }

  test('opens every public address on the named ports, IPv4 and IPv6, private, shared and link-local ranges excluded', () => {
    const { chart } = fallbackApp();

    const egress = one(synth(chart), 'NetworkPolicy', 'api').spec.egress;
    expect(egress).toContainEqual({
      to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '100.64.0.0/10', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16'] } }],
      ports: [{ port: 443, protocol: 'TCP' }],
    });
    expect(egress).toContainEqual({ to: [{ ipBlock: { cidr: '::/0', except: ['fc00::/7', 'fe80::/10'] } }], ports: [{ port: 443, protocol: 'TCP' }] });
    expect(ofKind(synth(chart), 'CiliumNetworkPolicy')).toEqual([]);
  });

  test('records the names it stands for on the NetworkPolicy', () => {
    const { chart } = fallbackApp();

    expect(one(synth(chart), 'NetworkPolicy', 'api').metadata.annotations)
      .toEqual({ 'cdk8s-golden-path/egress-fallback-for': 'api.anthropic.com, api.openai.com on 443/TCP' });
  });

  test('is reported in production as a warning that names the hosts, never as a silent widening nor a failure', () => {
    const { app } = fallbackApp();

    const report = Guardrails.apply(app).evaluate();
    const egress = (findings: typeof report.findings) => findings.filter((f) => f.rule.id.startsWith('network-egress-'));
    expect(egress(report.errors)).toEqual([]);
    expect(egress(report.warnings).map((f) => `${f.rule.id}: ${f.message}`)).toEqual([
      'network-egress-by-name: opens the public internet in place of api.anthropic.com, api.openai.com on 443/TCP: the stage\'s egress engine cannot name hosts',
    ]);
    // one finding for 0.0.0.0/0, one for ::/0, both accepted with the fallback's reason
    expect(egress(report.suppressed).map((f) => [f.rule.id, f.suppression])).toEqual([
      ['network-egress-open', 'the portable egress fallback stands for api.anthropic.com, api.openai.com on 443/TCP: EgressEngine.portable() cannot name hosts, and guardrail network-egress-by-name reports it'],
      ['network-egress-open', 'the portable egress fallback stands for api.anthropic.com, api.openai.com on 443/TCP: EgressEngine.portable() cannot name hosts, and guardrail network-egress-by-name reports it'],
    ]);
  });

  test('declares that the names resolve to public addresses, the only ones it admits', () => {
    const { chart } = fallbackApp();

    expect(Prerequisite.declaredIn(chart).map((d) => d.prerequisite.title)).toContain('api.anthropic.com, api.openai.com resolve to public addresses');
  });
});

describe('NetworkPolicyRules with hosts by name', () => {
  test('fails when no engine renders names, and names the choice', () => {
    const chart = testChart();
    const policy = rules(chart, { dns: ClusterDns.kubeDns() });

    expect(() => policy.allowEgress(NetworkPeer.domain('api.anthropic.com'), HTTPS)).toThrow(
      /\[test\/Policy\] 'egressEngine' \(unset\) is required to reach api.anthropic.com by name: give the construct the stage's EgressEngine.cilium\(\) \(toFQDNs\) or EgressEngine.portable\(\)/);
  });

  test('fails when a host by name is given as a source of ingress', () => {
    const chart = testChart();
    const policy = rules(chart, { engine: EgressEngine.cilium(), dns: ClusterDns.kubeDns() });

    expect(() => policy.allowIngress(NetworkPeer.domain('api.anthropic.com'), HTTPS))
      .toThrow(/'ingress' \('the hosts api.anthropic.com'\) must be pods, namespaces or addresses: a rule by DNS name admits only egress/);
  });

  test('fails when a name is invalid, before any engine renders it', () => {
    const chart = testChart();
    const policy = rules(chart, { engine: EgressEngine.cilium(), dns: ClusterDns.kubeDns() });

    expect(() => policy.allowEgress(NetworkPeer.domain('api.anthropic.com:443'), HTTPS)).toThrow(/\[test\/Policy\] 'allowEgress.peer' \('api.anthropic.com:443'\) must be a host name without a port/);
    expect(ofKind(synth(chart), 'CiliumNetworkPolicy')).toEqual([]);
  });

  test('fails when a rule to a host by name names no port', () => {
    const chart = testChart();
    const policy = rules(chart, { engine: EgressEngine.cilium(), dns: ClusterDns.kubeDns() });

    expect(() => policy.allowEgress(NetworkPeer.domain('api.anthropic.com'), [])).toThrow(/'egress.ports' \(\[\]\) must name at least one port/);
  });

  test('admits DNS to the ClusterDns it is given, as ClusterDns.allowFrom does', () => {
    const chart = testChart();
    rules(chart, { dns: ClusterDns.kubeDns() });

    expect(one(synth(chart), 'NetworkPolicy', 'api').spec.egress).toEqual([{
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
      ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
    }]);
  });

  test('a domain peer has no NetworkPolicy form', () => {
    expect(() => NetworkPeer.domain('api.anthropic.com').toPolicyPeer('test')).toThrow(/a NetworkPolicy cannot name the hosts api.anthropic.com/);
  });
});
