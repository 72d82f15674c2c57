import { Chart, Size } from 'cdk8s';
import { Construct } from 'constructs';
import { Image, OneOffJob, ProductionApp, Schedule, ScheduledJob, StatefulApp, WorkloadProps } from '../../lib';
import { Manifest, one, registryIn, synth, testChart } from '../util';

// Where the registry credentials go: on the pod spec of every pod the library renders, not on the ServiceAccount. The
// ServiceAccount admission plugin copies a ServiceAccount's imagePullSecrets into a pod only when the pod is created and
// lists none itself (kubernetes plugin/pkg/admission/serviceaccount/admission.go; "Managing Service Accounts" in the
// Kubernetes docs): on the pod spec the credentials are visible in the manifests, a change rolls the pods, and the
// Secret must be in the pod's namespace either way.

const IMAGE = Image.pinned('registry.example.com/acme/api', '1.0.0');
const VOLUME = { name: 'data', mountPath: '/data', size: Size.gibibytes(1), storageClassName: 'gp3' };

/** The pod spec and ServiceAccount of every workload kind, each given `props`. */
function everyKind(chart: Chart, props: Partial<WorkloadProps>): Array<{ kind: string; pod: any; serviceAccount: Manifest }> {
  new ProductionApp(chart, 'Api', { image: IMAGE, ...props });
  new StatefulApp(chart, 'Search', { image: IMAGE, port: 7700, volumeClaims: [VOLUME], ...props });
  new OneOffJob(chart, 'Migrate', { image: IMAGE, ...props });
  new ScheduledJob(chart, 'Cleanup', { image: IMAGE, schedule: Schedule.cron('0 3 * * *'), ...props });
  const manifests = synth(chart);
  const job = one(manifests, 'Job');
  return [
    { kind: 'Deployment', pod: one(manifests, 'Deployment').spec.template.spec, serviceAccount: one(manifests, 'ServiceAccount', 'api') },
    { kind: 'StatefulSet', pod: one(manifests, 'StatefulSet').spec.template.spec, serviceAccount: one(manifests, 'ServiceAccount', 'search') },
    { kind: 'Job', pod: job.spec.template.spec, serviceAccount: one(manifests, 'ServiceAccount', 'migrate') },
    { kind: 'CronJob', pod: one(manifests, 'CronJob').spec.jobTemplate.spec.template.spec, serviceAccount: one(manifests, 'ServiceAccount', 'cleanup') },
  ];
}

describe('imagePullSecrets of the workload kinds', () => {
  test('every kind names the registry Secret on its pod spec, and none on its ServiceAccount', () => {
    // GIVEN
    const chart = testChart();
    const registry = registryIn(chart);

    // WHEN
    const kinds = everyKind(chart, { imagePullSecrets: [registry] });

    // THEN
    expect(kinds.map((k) => [k.kind, k.pod.imagePullSecrets])).toEqual(['Deployment', 'StatefulSet', 'Job', 'CronJob'].map((kind) => [kind, [{ name: 'registry' }]]));
    for (const { serviceAccount } of kinds) {
      expect(serviceAccount.imagePullSecrets).toBeUndefined();
    }
  });

  test('no credentials, no field', () => {
    // GIVEN
    const chart = testChart();

    // WHEN
    const kinds = everyKind(chart, {});

    // THEN
    expect(kinds.map((k) => k.pod.imagePullSecrets)).toEqual([undefined, undefined, undefined, undefined]);
  });

  test('the ExternalSecret that writes the Secret comes before the pods that pull with it, wherever it sits in the tree', () => {
    // GIVEN a scope that precedes the credentials in the construct tree
    const chart = testChart();
    const services = new Construct(chart, 'Services');
    const registry = registryIn(chart);

    // WHEN
    new ProductionApp(services, 'Api', { image: IMAGE, imagePullSecrets: [registry] });

    // THEN
    const order = synth(chart).map((m) => `${m.kind}/${m.metadata.name}`);
    expect(order.indexOf('ExternalSecret/registry')).toBeGreaterThanOrEqual(0);
    expect(order.indexOf('ExternalSecret/registry')).toBeLessThan(order.indexOf('Deployment/api'));
  });

  describe('bad input', () => {
    const cases: Array<[string, (chart: Chart) => void, RegExp]> = [
      ['the credentials are in another namespace', (c) => new ProductionApp(c, 'Api', { image: IMAGE, imagePullSecrets: [registryIn(c, 'R', { namespace: 'tools' })] }),
        /\[test\/Api\] 'imagePullSecrets' \('test\/R'\) must produce its Secret in namespace 'test', not 'tools': the kubelet reads image pull secrets of the pod's namespace only/],
      ['a job\'s credentials are in another namespace', (c) => new OneOffJob(c, 'Migrate', { image: IMAGE, imagePullSecrets: [registryIn(c, 'R', { namespace: 'tools' })] }),
        /\[test\/Migrate\] 'imagePullSecrets' \('test\/R'\) must produce its Secret in namespace 'test'/],
      ['the same Secret is named twice', (c) => {
        const registry = registryIn(c);
        new ProductionApp(c, 'Api', { image: IMAGE, imagePullSecrets: [registry, registry] });
      }, /'imagePullSecrets' \('registry'\) names the same Secret twice/],
      // A caller without a type checker:
      ['a Secret is given by name', (c) => new ProductionApp(c, 'Api', { image: IMAGE, imagePullSecrets: ['registry' as any] }),
        /^\[test\/Api\] 'imagePullSecrets\[0\]' \('registry'\) must be registry credentials \(IRegistryCredentials: a RegistryCredentials\)$/],
      ['the egress engine is its name', (c) => new ProductionApp(c, 'Api', { image: IMAGE, egressEngine: 'cilium' as any }),
        /^\[test\/Api\] 'egressEngine' \('cilium'\) must be an EgressEngine/],
      ['the log collection is its name', (c) => new OneOffJob(c, 'Migrate', { image: IMAGE, logs: 'fluent-bit' as any }),
        /^\[test\/Migrate\] 'logs' \('fluent-bit'\) must be a LogCollection \(LogCollection.fluentBit or LogCollection.collector\), or left unset$/],
    ];

    test.each(cases)('fails when %s', (_, build, message) => {
      expect(() => build(testChart())).toThrow(message);
    });
  });
});
