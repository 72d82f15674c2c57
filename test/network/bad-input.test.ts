import { ClusterDns, Image, NetworkPeer, NetworkPolicyRules, PolicyType, ProductionApp } from '../../lib';
import { one, synth, testChart } from '../util';

// The API server refuses a NetworkPolicy with a bad address block or port (kubernetes pkg/apis/networking/validation
// ValidateIPBlock, ValidateNetworkPolicyPort) while the rest of the manifests apply, and the pods stay under default-deny.
function policy(props: any = {}): NetworkPolicyRules {
  return new NetworkPolicyRules(testChart(), 'Policy', { name: 'api', namespace: 'test', podSelector: { app: 'api' }, ...props });
}

describe('NetworkPolicyRules with bad input', () => {
  test.each([
    ['the name has a space', { name: 'my policy' }, /\[test\/Policy\] 'name' \('my policy'\) must be a DNS-1123 subdomain/],
    ['the namespace is a number', { namespace: 5 }, /'namespace' \(5\) must be a string/],
    ['the pod selector is an array', { podSelector: ['api'] }, /'podSelector' \(\["api"\]\) must be an object/],
    ['a selector expression has an operator that is none', { podSelectorExpressions: [{ key: 'role', operator: 'Is', values: ['x'] }] },
      /'podSelectorExpressions\[0\].operator' \('Is'\) must be an operator: 'In', 'NotIn', 'Exists', 'DoesNotExist'/],
    ['an In expression has no values', { podSelectorExpressions: [{ key: 'role', operator: 'In', values: [] }] },
      /'podSelectorExpressions.role.values' \(\[\]\) must list at least one value for operator In/],
    ['an Exists expression has values', { podSelectorExpressions: [{ key: 'role', operator: 'Exists', values: ['x'] }] },
      /'podSelectorExpressions.role.values' \(\["x"\]\) must be empty for operator Exists/],
    ['a policy type is listed twice', { policyTypes: [PolicyType.INGRESS, PolicyType.INGRESS] }, /'policyTypes' \(\["Ingress","Ingress"\]\) must name each direction once/],
    ['the egress engine is its name', { egressEngine: 'cilium' },
      /^\[test\/Policy\] 'egressEngine' \('cilium'\) must be an EgressEngine \(EgressEngine.cilium\(\) or EgressEngine.portable\(\)\), or left unset$/],
    ['the DNS is null', { dns: null }, /^\[test\/Policy\] 'dns' \(null\) must be a ClusterDns .*, or left unset$/],
  ])('fails when %s', (_, props, message) => {
    expect(() => policy(props)).toThrow(message);
  });

  test.each([
    ['a block has a prefix length of 33', () => policy().allowEgress(NetworkPeer.ipBlock('10.0.0.0/33'), [{ port: 443 }]),
      /'allowEgress.peer' \('10.0.0.0\/33'\) must be an IPv4 or IPv6 CIDR block .*at most 32/],
    ['a block has a prefix length of 40', () => policy().allowEgress(NetworkPeer.ipBlock('10.0.0.0/40'), [{ port: 443 }]), /'allowEgress.peer' \('10.0.0.0\/40'\)/],
    ['a block has a prefix length of 99', () => policy().allowIngress(NetworkPeer.ipBlock('10.0.0.0/99'), [{ port: 443 }]), /'allowIngress.peer' \('10.0.0.0\/99'\)/],
    ['a block sets address bits past its prefix', () => policy().allowEgress(NetworkPeer.ipBlock('10.1.2.3/8'), [{ port: 443 }]),
      /'allowEgress.peer' \('10.1.2.3\/8'\) .*without address bits past the prefix length/],
    ['an exception is outside its block', () => policy().allowEgress(NetworkPeer.ipBlock('0.0.0.0/0', ['10.0.0.0/8', '2001:db8::/32']), [{ port: 443 }]),
      /'allowEgress.peer.except' \('2001:db8::\/32'\) must be a block inside '0.0.0.0\/0' with a longer prefix/],
    ['an exception is the block itself', () => policy().allowEgress(NetworkPeer.ipBlock('10.0.0.0/8', ['10.0.0.0/8']), [{ port: 443 }]),
      /'allowEgress.peer.except' \('10.0.0.0\/8'\) must be a block inside '10.0.0.0\/8' with a longer prefix/],
    ['the exceptions are a string', () => policy().allowEgress(NetworkPeer.ipBlock('10.0.0.0/8', '10.1.0.0/16' as any), [{ port: 443 }]),
      /'allowEgress.peer.except' \('10.1.0.0\/16'\) must be an array/],
    ['a port is over 65535', () => policy().allowIngress(NetworkPeer.namespace('web'), [{ port: 65536 }]),
      /'allowIngress.ports\[0\].port' \(65536\) must be an integer port between 1 and 65535/],
    ['a port is 0', () => policy().allowIngress(NetworkPeer.namespace('web'), [{ port: 0 }]), /'allowIngress.ports\[0\].port' \(0\) must be an integer port/],
    ['a port is a string', () => policy().allowIngress(NetworkPeer.namespace('web'), [{ port: '80' } as any]), /'allowIngress.ports\[0\].port' \('80'\) must be a number/],
    ['a rule has no ports', () => policy().allowIngress(NetworkPeer.namespace('web'), []), /'allowIngress.ports' \(\[\]\) must list at least one port/],
    ['the peer is a string', () => policy().allowIngress('web' as any, [{ port: 80 }]), /'allowIngress.peer' \('web'\) must be a NetworkPeer/],
    ['a namespace peer names no namespace a name can be', () => policy().allowIngress(NetworkPeer.namespace('web_app'), [{ port: 80 }]),
      /'allowIngress.peer.namespace' \('web_app'\) must be a DNS-1123 label/],
  ])('fails when %s', (_, run, message) => {
    expect(run).toThrow(message);
  });
});

describe('ClusterDns with bad input', () => {
  test.each([
    ['the cache address has a zone', ClusterDns.nodeLocalCache('fe80::1%eth0'), /'dns' \('fe80::1%eth0'\) must be an IP address/],
    ['the kube-dns Service address is a name', ClusterDns.nodeLocalCache('169.254.20.10', { kubeDnsServiceIp: 'kube-dns' }), /'dns' \('kube-dns'\) must be an IP address/],
    ['it is a string', 'kube-dns', /'dns' \('kube-dns'\) must be a ClusterDns \(ClusterDns.kubeDns, ClusterDns.nodeLocalCache or ClusterDns.nodeLocalCacheRedirect\)/],
  ])('fails when %s', (_, dns, message) => {
    expect(() => new ProductionApp(testChart(), 'Api', { image: Image.pinned('ghcr.io/acme/api', '1.0.0'), dns: dns as any })).toThrow(message);
  });

  test('nodeLocalCache without options (a plain JavaScript null) keeps the cache address alone', () => {
    const chart = testChart();
    new ProductionApp(chart, 'Api', { image: Image.pinned('ghcr.io/acme/api', '1.0.0'), dns: ClusterDns.nodeLocalCache('169.254.20.10', null as any) });
    expect(one(synth(chart), 'NetworkPolicy').spec.egress[0].to).toEqual([{ ipBlock: { cidr: '169.254.20.10/32' } }]);
  });
});

describe('NetworkPeer factories with bad input', () => {
  test.each([
    ['pods get no labels (which would select every pod)', () => NetworkPeer.pods(undefined as any), /'allowIngress.peer.podSelector' \(unset\) must be an object/],
    ['namespaces get an array of labels', () => NetworkPeer.namespaces(['team'] as any), /'allowIngress.peer.namespaceSelector' \(\["team"\]\) must be an object/],
  ])('fails when %s', (_, peer, message) => {
    expect(() => policy().allowIngress(peer(), [{ port: 80 }])).toThrow(message);
  });
});
