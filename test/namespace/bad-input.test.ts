import { Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { NamespaceBaseline } from '../../lib';
import { synth, testChart } from '../util';

const QUOTA = { requestsCpu: Cpu.units(4), requestsMemory: Size.gibibytes(8), limitsCpu: Cpu.units(8), limitsMemory: Size.gibibytes(16) };

function baseline(props: any): NamespaceBaseline {
  return new NamespaceBaseline(testChart(), 'Namespace', { name: 'shop', quota: QUOTA, ...props });
}

describe('NamespaceBaseline with bad input', () => {
  test.each([
    ...['kube-system', 'kube-public', 'kube-node-lease', 'default', 'kube-anything'].map((name): [string, any, RegExp] => [
      `the namespace is the cluster's ${name}`, { name },
      new RegExp(`\\[test/Namespace\\] 'name' \\('${name}'\\) must not be a namespace of the cluster \\(default, or kube-\\*\\): the baseline would put default-deny`)]),
    ['a label would weaken Pod Security', { labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } },
      /'labels.pod-security.kubernetes.io\/enforce' \('pod-security.kubernetes.io\/enforce'\) is set by the baseline \(Pod Security restricted\) or by the API server/],
    ['a label would shadow the namespace name', { labels: { 'kubernetes.io/metadata.name': 'other' } }, /'labels.kubernetes.io\/metadata.name' .* is set by the baseline/],
    ['a CPU quota is negative', { quota: { ...QUOTA, requestsCpu: Cpu.units(-1) } }, /'quota.requestsCpu' \('-1'\) must be a whole number of millicores, at least 1m/],
    ['a CPU quota is zero', { quota: { ...QUOTA, limitsCpu: Cpu.units(0) } }, /'quota.limitsCpu' \('0'\) must be a whole number of millicores, at least 1m/],
    ['a memory quota is zero', { quota: { ...QUOTA, requestsMemory: Size.mebibytes(0) } }, /'quota.requestsMemory' \('0Ki'\) must be at least 1Ki/],
    ['a memory quota is a string', { quota: { ...QUOTA, limitsMemory: '16Gi' } }, /'quota.limitsMemory' \('16Gi'\) must be a Size/],
    ['a CPU quota is a number', { quota: { ...QUOTA, requestsCpu: 4 } }, /'quota.requestsCpu' \(4\) must be a Cpu/],
    ['the quota is missing', { quota: undefined }, /'quota' \(unset\) must be a NamespaceQuota object/],
    ['a default container does not fit the CPU quota', { quota: { ...QUOTA, requestsCpu: Cpu.millis(50), limitsCpu: Cpu.units(8) } },
      /'quota.requestsCpu' \('50m'\) must hold at least one container of 'containerDefaults' \(cpu.request 100m\): a pod the LimitRange fills in would not fit the quota/],
    ['a default container does not fit the ephemeral storage quota', { quota: { ...QUOTA, requestsEphemeralStorage: Size.mebibytes(64) } },
      /'quota.requestsEphemeralStorage' \('64Mi'\) must hold at least one container of 'containerDefaults' \(ephemeralStorage.request 128Mi\)/],
    ['the pod count is over int32', { quota: { ...QUOTA, pods: 2 ** 31 } }, /'quota.pods' \(2147483648\) must be at most 2147483647/],
    ['the claim count is a fraction', { quota: { ...QUOTA, persistentVolumeClaims: 1.5 } }, /'quota.persistentVolumeClaims' \(1.5\) must be an integer of at least 0/],
    ['the labels are an array', { labels: ['team'] }, /'labels' \(\["team"\]\) must be an object/],
    ['the DNS is a string', { dns: '169.254.20.10' }, /'dns' \('169.254.20.10'\) must be a ClusterDns/],
  ])('fails when %s', (_, props, message) => {
    expect(() => baseline(props)).toThrow(message);
  });

  test('fails when no props are given, and writes nothing', () => {
    const chart = testChart();
    expect(() => new NamespaceBaseline(chart, 'Namespace', undefined as any)).toThrow(/'props' \(unset\) must be an object of NamespaceBaselineProps/);
    expect(synth(chart)).toEqual([]);
  });
});
