import { Chart, Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { ClusterDns, NamespaceBaseline, NamespaceBaselineProps, NamespaceQuota, Prerequisite } from '../../lib';
import { one, synth, testChart } from '../util';

const QUOTA: NamespaceQuota = {
  requestsCpu: Cpu.units(4),
  requestsMemory: Size.gibibytes(8),
  limitsCpu: Cpu.units(8),
  limitsMemory: Size.gibibytes(16),
};

function baseline(chart: Chart, props: Partial<NamespaceBaselineProps> = {}): NamespaceBaseline {
  return new NamespaceBaseline(chart, 'Namespace', { name: 'shop', quota: QUOTA, ...props });
}

describe('NamespaceBaseline', () => {
  test('minimal props match the snapshot', () => {
    const chart = testChart('shop');
    baseline(chart);
    expect(synth(chart)).toMatchSnapshot();
  });

  test('all props match the snapshot', () => {
    const chart = testChart('shop');
    const all: Required<NamespaceBaselineProps> = {
      name: 'shop',
      quota: {
        ...QUOTA,
        requestsEphemeralStorage: Size.gibibytes(50),
        persistentVolumeClaims: 4,
        pods: 40,
        loadBalancers: 1,
        nodePorts: 0,
      },
      containerDefaults: {
        cpu: { request: Cpu.millis(50), limit: Cpu.millis(250) },
        memory: { request: Size.mebibytes(64), limit: Size.mebibytes(128) },
        ephemeralStorage: { request: Size.mebibytes(64), limit: Size.mebibytes(256) },
      },
      dns: ClusterDns.nodeLocalCache('169.254.20.10', { kubeDnsServiceIp: '10.96.0.10' }),
      labels: { team: 'payments' },
    };
    new NamespaceBaseline(chart, 'Namespace', all);
    expect(synth(chart)).toMatchSnapshot();
  });

  test('enforces, audits and warns on the Pod Security restricted profile', () => {
    const chart = testChart('shop');
    baseline(chart);
    const namespace = one(synth(chart), 'Namespace');
    expect(namespace.metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
    });
  });

  test('the Namespace is cluster-scoped even in a namespaced chart, and comes first', () => {
    const chart = testChart('shop');
    baseline(chart);
    const manifests = synth(chart);
    expect(manifests[0].kind).toBe('Namespace');
    expect(manifests[0].metadata.namespace).toBeUndefined();
    expect(manifests.slice(1).every((m) => m.metadata.namespace === 'shop')).toBe(true);
  });

  test('also works in a chart without a namespace', () => {
    const chart = new Chart(Testing.app(), 'test');
    baseline(chart);
    const manifests = synth(chart);
    expect(one(manifests, 'Namespace').metadata).toMatchObject({ name: 'shop' });
    expect(one(manifests, 'ResourceQuota').metadata.namespace).toBe('shop');
  });

  test('caps compute, storage, pods and refuses LoadBalancer and NodePort services by default', () => {
    const chart = testChart('shop');
    baseline(chart);
    expect(one(synth(chart), 'ResourceQuota').spec.hard).toEqual({
      'requests.cpu': '4',
      'requests.memory': '8Gi',
      'limits.cpu': '8',
      'limits.memory': '16Gi',
      'requests.ephemeral-storage': '16Gi',
      'persistentvolumeclaims': 10,
      'pods': 100,
      'services.loadbalancers': 0,
      'services.nodeports': 0,
    });
  });

  test('gives containers without resources default requests and limits', () => {
    const chart = testChart('shop');
    baseline(chart);
    expect(one(synth(chart), 'LimitRange').spec.limits).toEqual([{
      type: 'Container',
      defaultRequest: { 'cpu': '100m', 'memory': '128Mi', 'ephemeral-storage': '128Mi' },
      default: { 'cpu': '500m', 'memory': '256Mi', 'ephemeral-storage': '1Gi' },
    }]);
  });

  test('denies all ingress and egress by default and lets every pod resolve names', () => {
    const chart = testChart('shop');
    baseline(chart);
    const manifests = synth(chart);
    expect(one(manifests, 'NetworkPolicy', 'default-deny').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(one(manifests, 'NetworkPolicy', 'allow-dns').spec).toEqual({
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
        ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
      }],
    });
  });

  test('with NodeLocal DNSCache, admits the cache\'s address as well as the kube-dns pods behind it', () => {
    // The cache runs on the host network at a link-local address (169.254.20.10 in the Kubernetes docs, tasks/administer-cluster/
    // nodelocaldns); a host-network pod matches no pod selector, and NetworkPolicy admits it by ipBlock only
    // (concepts/services-networking/network-policies, "NetworkPolicy and hostNetwork pods"). kube-dns stays for the fallback.
    const chart = testChart('shop');
    baseline(chart, { dns: ClusterDns.nodeLocalCache() });
    expect(one(synth(chart), 'NetworkPolicy', 'allow-dns').spec.egress).toEqual([
      { to: [{ ipBlock: { cidr: '169.254.20.10/32' } }], ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] },
      {
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
        ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
      },
    ]);
  });

  test('declares where DNS answers, which the policies are written for', () => {
    const chart = testChart('shop');
    baseline(chart, { dns: ClusterDns.nodeLocalCache() });
    expect(Prerequisite.declaredIn(chart).map((d) => d.prerequisite.title)).toEqual([
      expect.stringMatching(/^NodeLocal DNSCache answers on 169.254.20.10 \(53\/UDP and 53\/TCP\), and the cluster DNS pods/),
    ]);
  });

  test('the Namespace is kept when Argo CD or Flux prune the manifests: deleting it deletes everything in it', () => {
    // argo-cd v3.5.0 docs/user-guide/sync-options.md (Prune=false, Delete=false, comma-separated); kustomize-controller v1.9.4
    // docs/spec/v1/kustomizations.md (kustomize.toolkit.fluxcd.io/prune: disabled).
    const chart = testChart('shop');
    baseline(chart);
    expect(one(synth(chart), 'Namespace').metadata.annotations).toEqual({
      'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false',
      'kustomize.toolkit.fluxcd.io/prune': 'disabled',
    });
  });

  describe('validation', () => {
    const cases: Array<[string, Partial<NamespaceBaselineProps>, RegExp]> = [
      ['the name is not a DNS label', { name: 'Shop' }, /\[test\/Namespace\] 'name' \('Shop'\) must be a DNS-1123 label/],
      ['a label value is invalid', { labels: { team: 'payments team' } }, /'labels.team' \('payments team'\) is not a valid label value/],
      ['a label key is invalid', { labels: { 'bad key': 'x' } }, /'labels.bad key' \('bad key'\) is not a valid label key/],
      ['CPU requests exceed CPU limits', { quota: { ...QUOTA, requestsCpu: Cpu.units(16) } }, /'quota.requestsCpu' \('16'\) must not exceed 'quota.limitsCpu' \(8\)/],
      ['memory requests exceed memory limits', { quota: { ...QUOTA, requestsMemory: Size.gibibytes(32) } },
        /'quota.requestsMemory' \('32Gi'\) must not exceed 'quota.limitsMemory' \(16Gi\)/],
      ['the pod count is zero', { quota: { ...QUOTA, pods: 0 } }, /'quota.pods' \(0\) must be an integer of at least 1/],
      ['the PVC count is negative', { quota: { ...QUOTA, persistentVolumeClaims: -1 } }, /'quota.persistentVolumeClaims' \(-1\) must be an integer of at least 0/],
      ['the container default request exceeds its limit', {
        containerDefaults: {
          cpu: { request: Cpu.units(1), limit: Cpu.millis(500) },
          memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) },
          ephemeralStorage: { request: Size.mebibytes(128), limit: Size.gibibytes(1) },
        },
      }, /'containerDefaults.cpu.request' \('1'\) must not exceed the limit \(500m\)/],
      ['the DNS cache address is not an IP address', { dns: ClusterDns.nodeLocalCache('node-local-dns') },
        /\[test\/Namespace\] 'dns' \('node-local-dns'\) must be an IP address: the address the DNS cache listens on/],
      ['the kube-dns Service address is not an IP address', { dns: ClusterDns.nodeLocalCache('169.254.20.10', { kubeDnsServiceIp: 'kube-dns' }) },
        /'dns' \('kube-dns'\) must be an IP address/],
    ];

    test.each(cases)('fails when %s', (_, props, message) => {
      expect(() => baseline(testChart('shop'), props)).toThrow(message);
    });
  });
});
