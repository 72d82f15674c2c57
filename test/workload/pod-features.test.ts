import { Chart, Duration, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { Image, NetworkPeer, OneOffJob, PreStop, ProductionApp, ProductionAppProps, Protocol, SessionAffinity } from '../../lib';
import { Manifest, one, synth, testChart } from '../util';

// What every workload kind shares (WorkloadProps and ServingProps), shown on a ProductionApp: extra
// labels and annotations, init containers and native sidecars, a preStop hook, more named ports and
// session affinity. The other kinds render the same pod (test/workload/one-off-job.test.ts, ...).

const IMAGE = Image.pinned('ghcr.io/acme/api', '1.2.3');
const SMALL = {
  cpu: { request: Cpu.millis(50), limit: Cpu.millis(200) },
  memory: { request: Size.mebibytes(32), limit: Size.mebibytes(64) },
  ephemeralStorage: { request: Size.mebibytes(16), limit: Size.mebibytes(64) },
};

function appIn(chart: Chart, props: Partial<ProductionAppProps> = {}): ProductionApp {
  return new ProductionApp(chart, 'Api', { image: IMAGE, ...props });
}

function podOf(manifests: Manifest[]): any {
  return one(manifests, 'Deployment').spec.template;
}

describe('labels and annotations', () => {
  test('labels go on every object and the pods; podLabels on the pods only', () => {
    const chart = testChart();
    appIn(chart, { labels: { 'acme.com/team': 'orders' }, podLabels: { 'sidecar.istio.io/inject': 'false' }, metrics: {}, config: { A: 'b' } });
    const manifests = synth(chart);
    for (const object of manifests) {
      expect(object.metadata.labels).toMatchObject({ 'acme.com/team': 'orders', 'app.kubernetes.io/name': 'api' });
      expect(object.metadata.labels['sidecar.istio.io/inject']).toBeUndefined();
    }
    expect(podOf(manifests).metadata.labels).toMatchObject({ 'acme.com/team': 'orders', 'sidecar.istio.io/inject': 'false' });
    expect(one(manifests, 'Deployment').spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api' });
  });

  test('annotations go on every object, podAnnotations on the pods, and the ServiceAccount keeps its own too', () => {
    const chart = testChart();
    appIn(chart, {
      annotations: { 'acme.com/owner': 'orders@acme.com' },
      podAnnotations: { 'fluentbit.io/parser': 'json' },
      serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/api' },
    });
    const manifests = synth(chart);
    for (const kind of ['Deployment', 'Service', 'NetworkPolicy', 'HorizontalPodAutoscaler', 'PodDisruptionBudget']) {
      expect(one(manifests, kind).metadata.annotations).toEqual({ 'acme.com/owner': 'orders@acme.com' });
    }
    expect(one(manifests, 'ServiceAccount').metadata.annotations).toEqual({
      'acme.com/owner': 'orders@acme.com', 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/api',
    });
    expect(podOf(manifests).metadata.annotations).toEqual({ 'fluentbit.io/parser': 'json' });
  });

  test('a pod annotation added later joins the ones given', () => {
    const chart = testChart();
    appIn(chart, { podAnnotations: { 'fluentbit.io/parser': 'json' } }).addPodAnnotation('example.com/checksum', 'abc');
    expect(podOf(synth(chart)).metadata.annotations).toEqual({ 'fluentbit.io/parser': 'json', 'example.com/checksum': 'abc' });
  });
});

describe('init containers and sidecars', () => {
  test('sidecars are init containers that always restart, started before the init containers, hardened like the app', () => {
    const chart = testChart();
    appIn(chart, {
      sidecars: [{ name: 'proxy', image: Image.pinned('ghcr.io/acme/proxy', '2.0.0'), resources: SMALL }],
      initContainers: [{ name: 'render', args: ['render'], resources: SMALL, env: { OUT: '/work' }, mounts: [{ volume: 'work', mountPath: '/work', readOnly: false }] }],
      volumes: [{ name: 'work', mountPath: '/work', source: { emptyDir: {} } }],
    });
    const pod = podOf(synth(chart)).spec;
    expect(pod.initContainers.map((c: any) => [c.name, c.image, c.restartPolicy])).toEqual([
      ['proxy', 'ghcr.io/acme/proxy:2.0.0', 'Always'],
      ['render', 'ghcr.io/acme/api:1.2.3', undefined],
    ]);
    for (const container of pod.initContainers) {
      expect(container.securityContext).toEqual(pod.containers[0].securityContext);
      expect(container.resources).toEqual({
        requests: { 'cpu': '50m', 'memory': '32Mi', 'ephemeral-storage': '16Mi' },
        limits: { 'cpu': '200m', 'memory': '64Mi', 'ephemeral-storage': '64Mi' },
      });
      expect(container.volumeMounts[0]).toEqual({ name: 'tmp', mountPath: '/tmp' });
    }
    expect(pod.initContainers[1].volumeMounts[1]).toEqual({ name: 'work', mountPath: '/work', readOnly: false });
    expect(pod.initContainers[1].env).toEqual([{ name: 'OUT', value: '/work' }]);
  });

  test('a sidecar mounts, read-only unless told otherwise, a volume a binding adds after construction', () => {
    const chart = testChart();
    const app = appIn(chart, { sidecars: [{ name: 'shipper', resources: SMALL, mounts: [{ volume: 'keys', mountPath: '/keys' }] }] });
    app.addVolume({ name: 'keys', mountPath: '/var/run/secrets/keys', source: { secret: { secretName: 'keys' } } });
    expect(app.node.validate()).toEqual([]);
    expect(podOf(synth(chart)).spec.initContainers[0].volumeMounts).toContainEqual({ name: 'keys', mountPath: '/keys', readOnly: true });
  });

  test('fails at synth when a sidecar or an init container mounts a volume the pod does not have', () => {
    const chart = testChart();
    const app = appIn(chart, {
      sidecars: [{ name: 'shipper', resources: SMALL, mounts: [{ volume: 'logs', mountPath: '/logs' }] }],
      initContainers: [{ name: 'render', resources: SMALL, mounts: [{ volume: 'work', mountPath: '/work' }] }],
    });
    expect(app.node.validate()).toEqual([
      '\'sidecars.shipper.mounts\' (\'logs\') must name a volume of the pod: tmp',
      '\'initContainers.render.mounts\' (\'work\') must name a volume of the pod: tmp',
    ]);
  });

  test('a Job with a native sidecar still completes: the sidecar is an init container, not a second container', () => {
    const chart = testChart();
    new OneOffJob(chart, 'Migrate', { image: IMAGE, sidecars: [{ name: 'proxy', resources: SMALL }] });
    const pod = one(synth(chart), 'Job').spec.template.spec;
    expect(pod.containers.map((c: any) => c.name)).toEqual(['migrate']);
    expect(pod.initContainers.map((c: any) => [c.name, c.restartPolicy])).toEqual([['proxy', 'Always']]);
  });
});

describe('preStop and the grace period', () => {
  test('a sleep runs `sleep` in the container (the API\'s sleep action is not in Kubernetes 1.28)', () => {
    const chart = testChart();
    appIn(chart, { preStop: PreStop.sleep(Duration.seconds(10)), terminationGracePeriod: Duration.seconds(45) });
    const pod = podOf(synth(chart)).spec;
    expect(pod.containers[0].lifecycle).toEqual({ preStop: { exec: { command: ['sleep', '10'] } } });
    expect(pod.terminationGracePeriodSeconds).toBe(45);
  });

  test('an HTTP hook calls the app\'s port by name', () => {
    const chart = testChart();
    appIn(chart, { preStop: PreStop.httpGet('/drain') });
    expect(podOf(synth(chart)).spec.containers[0].lifecycle).toEqual({ preStop: { httpGet: { path: '/drain', port: 'http', scheme: 'HTTP' } } });
  });
});

describe('ports and session affinity', () => {
  test('additional ports are container and Service ports, open to the peers the app admits', () => {
    const chart = testChart();
    const app = appIn(chart, { additionalPorts: [{ name: 'grpc', port: 9000 }, { name: 'gossip', port: 7946, protocol: Protocol.UDP }], allowFrom: [NetworkPeer.namespace('edge')] });
    const manifests = synth(chart);
    expect(app.ports.map((p) => p.name)).toEqual(['http', 'grpc', 'gossip']);
    expect(podOf(manifests).spec.containers[0].ports).toEqual([
      { name: 'http', containerPort: 8080, protocol: 'TCP' },
      { name: 'grpc', containerPort: 9000, protocol: 'TCP' },
      { name: 'gossip', containerPort: 7946, protocol: 'UDP' },
    ]);
    expect(one(manifests, 'Service').spec.ports).toEqual([
      { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' },
      { name: 'grpc', port: 9000, targetPort: 'grpc', protocol: 'TCP' },
      { name: 'gossip', port: 7946, targetPort: 'gossip', protocol: 'UDP' },
    ]);
    expect(one(manifests, 'NetworkPolicy').spec.ingress[0].ports).toEqual([
      { port: 8080, protocol: 'TCP' }, { port: 9000, protocol: 'TCP' }, { port: 7946, protocol: 'UDP' },
    ]);
  });

  test('ClientIP affinity with the AI-Shell guide\'s one-hour timeout', () => {
    const chart = testChart();
    appIn(chart, { sessionAffinity: SessionAffinity.clientIp(Duration.hours(1)) });
    expect(one(synth(chart), 'Service').spec).toMatchObject({ sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 3600 } } });
  });

  test('no affinity leaves the Service at the API default', () => {
    const chart = testChart();
    appIn(chart, { sessionAffinity: SessionAffinity.none() });
    expect(one(synth(chart), 'Service').spec.sessionAffinity).toBeUndefined();
  });
});

describe('validation', () => {
  const cases: Array<[string, Partial<ProductionAppProps>, RegExp]> = [
    ['a label sets a recommended label', { labels: { 'app.kubernetes.io/name': 'other' } },
      /\[test\/Api\] 'labels.app.kubernetes.io\/name' \('app.kubernetes.io\/name'\) uses a prefix reserved for Kubernetes \(kubernetes.io, k8s.io\)/],
    ['a label uses a Kubernetes prefix', { labels: { 'node.kubernetes.io/pool': 'a' } }, /'labels.node.kubernetes.io\/pool' \('node.kubernetes.io\/pool'\) uses a prefix reserved for Kubernetes/],
    ['a pod label uses the k8s.io prefix', { podLabels: { 'k8s.io/x': 'a' } }, /'podLabels.k8s.io\/x' \('k8s.io\/x'\) uses a prefix reserved for Kubernetes/],
    ['a label key is invalid', { labels: { 'team name': 'a' } }, /'labels.team name' \('team name'\) is not a valid label key/],
    ['a label value is invalid', { podLabels: { team: 'a b' } }, /'podLabels.team' \('a b'\) is not a valid label value/],
    ['an annotation key is invalid', { annotations: { 'Acme.com/owner': 'x' } }, /'annotations.Acme.com\/owner' \('Acme.com\/owner'\) is not a valid annotation key/],
    ['a pod annotation key is invalid', { podAnnotations: { '/parser': 'json' } }, /'podAnnotations.\/parser' \('\/parser'\) is not a valid annotation key/],
    ['a sidecar name is not a DNS label', { sidecars: [{ name: 'Proxy', resources: SMALL }] }, /'sidecars.name' \('Proxy'\) must be a DNS label/],
    ['a sidecar takes the app\'s name', { sidecars: [{ name: 'api', resources: SMALL }] }, /'sidecars.name' \('api'\) must be unique among the containers of the pod/],
    ['an init container takes a sidecar\'s name', { sidecars: [{ name: 'proxy', resources: SMALL }], initContainers: [{ name: 'proxy', resources: SMALL }] },
      /'initContainers.name' \('proxy'\) must be unique among the containers of the pod/],
    ['a sidecar image floats', { sidecars: [{ name: 'proxy', image: Image.pinned('envoyproxy/envoy', 'latest'), resources: SMALL }] },
      /'sidecars.proxy.image' \('envoyproxy\/envoy:latest'\) must be pinned to a version tag or a sha256 digest, not the floating tag 'latest'/],
    ['a sidecar requests more than its limit', { sidecars: [{ name: 'proxy', resources: { ...SMALL, cpu: { request: Cpu.units(1), limit: Cpu.millis(500) } } }] },
      /'sidecars.proxy.resources.cpu.request' \('1'\) must not exceed the limit \(500m\)/],
    ['an init container has an invalid env name', { initContainers: [{ name: 'render', resources: SMALL, env: { 'A B': 'x' } }] },
      /'initContainers.render.env.A B' \('A B'\) must be an environment variable name/],
    ['an init container holds a credential in its env', { initContainers: [{ name: 'render', resources: SMALL, env: { DB_PASSWORD: 'hunter2' } }] },
      /'initContainers.render.env.DB_PASSWORD' .*credential/],
    ['a sidecar mount path is relative', { sidecars: [{ name: 'proxy', resources: SMALL, mounts: [{ volume: 'x', mountPath: 'x' }] }] },
      /'sidecars.proxy.mounts.x.mountPath' \('x'\) must be an absolute path/],
    ['a sidecar mounts over /tmp', { sidecars: [{ name: 'proxy', resources: SMALL, mounts: [{ volume: 'x', mountPath: '/tmp' }] }] },
      /'sidecars.proxy.mounts.x.mountPath' \('\/tmp'\) must be unique in the container and not \/tmp/],
    ['the preStop sleep takes the whole grace period', { preStop: PreStop.sleep(Duration.seconds(30)) },
      /'terminationGracePeriod' \(30\) must be longer than the preStop sleep \(30 s\): the kubelet counts the hook inside the grace period/],
    ['the preStop sleep is a fraction of a second', { preStop: PreStop.sleep(Duration.millis(500)) }, /'preStop' \('sleep 0.5'\) must sleep a whole number of seconds, at least 1/],
    ['the preStop command is empty', { preStop: PreStop.exec([]) }, /'preStop' \(\[\]\) must run a command/],
    ['the preStop path is not a URL path', { preStop: PreStop.httpGet('drain') }, /'preStop.path' \('drain'\) must be an absolute URL path/],
    ['an annotation value is not a string (from JavaScript)', { annotations: { 'acme.com/replicas': 3 as unknown as string } },
      /'annotations.acme.com\/replicas' \(3\) must be a string/],
    ['a sidecar mounts two volumes at one path', { sidecars: [{ name: 'proxy', resources: SMALL, mounts: [{ volume: 'a', mountPath: '/x' }, { volume: 'b', mountPath: '/x' }] }] },
      /'sidecars.proxy.mounts.b.mountPath' \('\/x'\) must be unique in the container and not \/tmp/],
    ['a port name has two dashes in a row', { additionalPorts: [{ name: 'grpc--api', port: 9000 }] }, /'additionalPorts.name' \('grpc--api'\) must be a port name/],
    ['a port name is in upper case', { additionalPorts: [{ name: 'GRPC', port: 9000 }] }, /'additionalPorts.name' \('GRPC'\) must be a port name of at most 15 lowercase letters/],
    ['a port name is longer than 15 characters', { additionalPorts: [{ name: 'grpc-internal-api', port: 9000 }] }, /'additionalPorts.name' \('grpc-internal-api'\) must be a port name/],
    ['a port name has no letter', { additionalPorts: [{ name: '9000', port: 9000 }] }, /'additionalPorts.name' \('9000'\) must be a port name/],
    ['a port name repeats http', { additionalPorts: [{ name: 'http', port: 9000 }] }, /'additionalPorts.name' \('http'\) must be unique among the ports of the pod/],
    ['a port number repeats the app port', { additionalPorts: [{ name: 'grpc', port: 8080 }] }, /'additionalPorts.grpc.port' \(8080\) must be unique among the ports of the pod \(8080\/TCP is taken\)/],
    ['a port number repeats the metrics port', { metrics: { port: 9090 }, additionalPorts: [{ name: 'grpc', port: 9090 }] },
      /'additionalPorts.metrics.port' \(9090\) must be unique among the ports of the pod \(9090\/TCP is taken\)/],
    ['a port number is out of range', { additionalPorts: [{ name: 'grpc', port: 70000 }] }, /'additionalPorts.grpc.port' \(70000\) must be an integer port between 1 and 65535/],
    ['the affinity timeout is longer than a day', { sessionAffinity: SessionAffinity.clientIp(Duration.hours(25)) },
      /'sessionAffinity' \(90000\) must keep a client for a whole number of seconds from 1 to 86400 \(one day\)/],
    ['the affinity timeout is zero', { sessionAffinity: SessionAffinity.clientIp(Duration.seconds(0)) }, /'sessionAffinity' \(0\) must keep a client for a whole number of seconds/],
  ];

  test.each(cases)('fails when %s', (_, props, message) => {
    const chart = testChart();
    expect(() => appIn(chart, props)).toThrow(message);
    expect(synth(chart)).toEqual([]);
  });

  test('fails when a peer is admitted on no port: a NetworkPolicy rule without ports admits every port', () => {
    const chart = testChart();
    expect(() => appIn(chart).allowFrom(NetworkPeer.namespace('edge'), [])).toThrow(/'allowFrom' \('namespaces:kubernetes.io\/metadata.name=edge'\) needs ports/);
  });

  test('fails when a volume mounts where the data volume is', () => {
    const chart = testChart();
    const app = appIn(chart, { replicas: 1, autoscaling: { enabled: false }, persistentVolume: { mountPath: '/data', size: Size.gibibytes(1), storageClassName: 'gp3' } });
    expect(() => app.addVolume({ name: 'extra', mountPath: '/data', source: { emptyDir: {} } })).toThrow(/'volumes.extra.mountPath' \('\/data'\) must be unique in the container/);
  });
});
