import { Chart, Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { NamespaceBaseline, NamespaceBaselineProps, NetworkPeer, NamespaceQuota } from '../../lib';
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
      dns: NetworkPeer.podsInNamespaces({ 'k8s-app': 'node-local-dns' }, { 'kubernetes.io/metadata.name': 'kube-system' }),
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
    ];

    test.each(cases)('fails when %s', (_, props, message) => {
      expect(() => baseline(testChart('shop'), props)).toThrow(message);
    });
  });
});
