import { App, Chart, Duration, Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import {
  AccessMode, CertificateIssuer, ClusterDns, EgressEngine, Guardrails, HardenedIngress, Image, IngressController, LogCollection, LogFormat,
  NamespaceBaseline, NetworkPeer, NodePool, PodManagement, Prerequisite, PrerequisiteKind, PreStop, Probe, ProductionApp, RetentionAction,
  SessionAffinity, SpreadPolicy, StatefulApp, StatefulAppProps, Velero, VolumeBackupSchedule,
} from '../../lib';
import { ofKind, one, registryIn, synth, testChart } from '../util';

const IMAGE = Image.pinned('ghcr.io/acme/search', '4.1.0');
const INDEX = { name: 'index', mountPath: '/var/lib/search', size: Size.gibibytes(20), storageClassName: 'gp3' };
const SMALL = {
  cpu: { request: Cpu.millis(50), limit: Cpu.millis(200) },
  memory: { request: Size.mebibytes(32), limit: Size.mebibytes(64) },
  ephemeralStorage: { request: Size.mebibytes(16), limit: Size.mebibytes(64) },
};

function appIn(chart: Chart, props: Partial<StatefulAppProps> = {}): StatefulApp {
  return new StatefulApp(chart, 'Search', { image: IMAGE, port: 7700, volumeClaims: [INDEX], ...props });
}

describe('StatefulApp', () => {
  test('minimal props match the snapshot', () => {
    const chart = testChart();
    appIn(chart);
    expect(synth(chart)).toMatchSnapshot();
  });

  test('all props match the snapshot', () => {
    const chart = testChart();
    const all: Required<StatefulAppProps> = {
      image: IMAGE,
      name: 'orders-search',
      namespace: 'shop',
      component: 'search',
      partOf: 'shop',
      labels: { 'acme.com/team': 'orders' },
      annotations: { 'acme.com/owner': 'orders@acme.com' },
      podLabels: { 'vector.dev/exclude': 'false' },
      podAnnotations: { 'fluentbit.io/parser': 'json' },
      command: ['/bin/search'],
      args: ['--data', '/var/lib/search'],
      env: { LOG_FORMAT: 'json' },
      config: { SEARCH_ENV: 'production' },
      configMountPath: '/etc/search',
      resources: SMALL,
      initContainers: [{ name: 'check-index', args: ['check', '/var/lib/search'], resources: SMALL, mounts: [{ volume: 'index', mountPath: '/var/lib/search', readOnly: false }] }],
      sidecars: [{ name: 'snapshotter', image: Image.pinned('ghcr.io/acme/snapshotter', '1.0.0'), resources: SMALL, mounts: [{ volume: 'index', mountPath: '/data' }] }],
      preStop: PreStop.httpGet('/drain'),
      runAsUser: 20000,
      runAsGroup: 20000,
      mountServiceAccountToken: false,
      serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/search' },
      dns: ClusterDns.nodeLocalCache(),
      egressEngine: EgressEngine.cilium(),
      imagePullSecrets: [registryIn(chart, 'Registry', { namespace: 'shop' })],
      logs: LogCollection.fluentBit({ destination: 'Loki at https://loki.example.com' }),
      logFormat: LogFormat.JSON,
      nodePool: NodePool.of({ labels: { 'node-pool': 'data' } }),
      priorityClassName: 'data',
      volumes: [{ name: 'cache', mountPath: '/var/cache/search', readOnly: false, source: { emptyDir: {} } }],
      tmpSize: Size.mebibytes(64),
      terminationGracePeriod: Duration.seconds(120),
      port: 7700,
      servicePort: 80,
      additionalPorts: [{ name: 'cluster', port: 7701 }],
      sessionAffinity: SessionAffinity.clientIp(Duration.minutes(10)),
      replicas: 3,
      autoscaling: { enabled: true, maxReplicas: 5 },
      disruptionBudget: { maxUnavailable: 1 },
      readiness: Probe.http('/ready'),
      liveness: Probe.http('/health'),
      startup: Probe.http('/health', { failureThreshold: 120 }),
      metrics: { port: 9100 },
      allowFrom: [NetworkPeer.namespace('ingress')],
      hostSpread: SpreadPolicy.REQUIRED,
      zoneSpread: SpreadPolicy.REQUIRED,
      volumeClaims: [INDEX, { name: 'wal', mountPath: '/var/lib/search-wal', size: Size.gibibytes(5), storageClassName: 'io2', accessMode: AccessMode.READ_WRITE_ONCE }],
      claimRetention: { whenDeleted: RetentionAction.RETAIN, whenScaled: RetentionAction.DELETE },
      podManagement: PodManagement.PARALLEL,
      publishNotReadyAddresses: false,
    };
    new StatefulApp(chart, 'Search', all);
    expect(synth(chart)).toMatchSnapshot();
  });

  test('a ServiceAccount, StatefulSet, headless and client Services, disruption budget and NetworkPolicy; no autoscaler by default', () => {
    const chart = testChart();
    appIn(chart);
    expect(synth(chart).map((m) => `${m.kind}/${m.metadata.name}`)).toEqual([
      'ServiceAccount/search', 'StatefulSet/search', 'Service/search-headless', 'Service/search', 'PodDisruptionBudget/search', 'NetworkPolicy/search',
    ]);
  });

  describe('the StatefulSet', () => {
    test('is governed by the headless Service, starts its replicas in order and keeps their claims', () => {
      const chart = testChart();
      appIn(chart);
      const spec = one(synth(chart), 'StatefulSet').spec;
      expect(spec).toMatchObject({
        serviceName: 'search-headless',
        replicas: 3,
        podManagementPolicy: 'OrderedReady',
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
        selector: { matchLabels: { 'app.kubernetes.io/name': 'search', 'app.kubernetes.io/instance': 'search' } },
      });
    });

    test('claims a volume per replica, mounted writable, with fsGroup so that the non-root user can write it', () => {
      const chart = testChart();
      appIn(chart);
      const spec = one(synth(chart), 'StatefulSet').spec;
      expect(spec.volumeClaimTemplates).toEqual([{
        metadata: {
          name: 'index',
          labels: { 'app.kubernetes.io/name': 'search', 'app.kubernetes.io/instance': 'search' },
          annotations: { 'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false', 'kustomize.toolkit.fluxcd.io/prune': 'disabled' },
        },
        spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'gp3', resources: { requests: { storage: '20Gi' } } },
      }]);
      const pod = spec.template.spec;
      expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'index', mountPath: '/var/lib/search' });
      // The StatefulSet controller adds the claim's volume to each pod: the template must not declare it.
      expect(pod.volumes.map((v: any) => v.name)).toEqual(['tmp']);
      expect(pod.securityContext).toMatchObject({ runAsUser: 10001, fsGroup: 10001, fsGroupChangePolicy: 'OnRootMismatch' });
    });

    test('its claim templates do not change with the version: the API server refuses any change of volumeClaimTemplates', () => {
      // kubernetes pkg/apis/apps/validation ValidateStatefulSetUpdate: only replicas, ordinals, template, updateStrategy,
      // persistentVolumeClaimRetentionPolicy and minReadySeconds may change.
      const templatesOf = (tag: string) => {
        const chart = testChart();
        appIn(chart, { image: Image.pinned('ghcr.io/acme/search', tag), labels: { 'acme.com/team': 'search' } });
        return one(synth(chart), 'StatefulSet').spec.volumeClaimTemplates;
      };
      expect(templatesOf('4.2.0')).toEqual(templatesOf('4.1.0'));
    });

    test('carries the GitOps keep annotations', () => {
      const chart = testChart();
      appIn(chart);
      expect(one(synth(chart), 'StatefulSet').metadata.annotations).toEqual({
        'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false',
        'kustomize.toolkit.fluxcd.io/prune': 'disabled',
      });
    });

    test('spreads its replicas over hosts and zones', () => {
      const chart = testChart();
      appIn(chart);
      const pod = one(synth(chart), 'StatefulSet').spec.template.spec;
      expect(pod.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey).toBe('kubernetes.io/hostname');
      expect(pod.topologySpreadConstraints).toEqual([expect.objectContaining({ topologyKey: 'topology.kubernetes.io/zone', maxSkew: 1 })]);
      expect(pod.topologySpreadConstraints[0].matchLabelKeys).toBeUndefined();
    });

    test('an autoscaler, when asked for, scales the StatefulSet', () => {
      const chart = testChart();
      appIn(chart, { autoscaling: { maxReplicas: 6 } });
      const manifests = synth(chart);
      expect(one(manifests, 'StatefulSet').spec.replicas).toBeUndefined();
      expect(one(manifests, 'HorizontalPodAutoscaler').spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'search' });
    });
  });

  describe('Services', () => {
    test('the headless one gives each pod a DNS name, published before it is ready', () => {
      const chart = testChart();
      appIn(chart);
      const headless = one(synth(chart), 'Service', 'search-headless').spec;
      expect(headless).toEqual({
        clusterIP: 'None',
        publishNotReadyAddresses: true,
        selector: { 'app.kubernetes.io/name': 'search', 'app.kubernetes.io/instance': 'search' },
        ports: [{ name: 'http', port: 7700, targetPort: 'http', protocol: 'TCP' }],
      });
    });

    test('the client one routes to ready pods on the service port', () => {
      const chart = testChart();
      appIn(chart);
      expect(one(synth(chart), 'Service', 'search').spec).toMatchObject({ type: 'ClusterIP', ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] });
    });
  });

  test('a service connects to it through the client Service, on its port only', () => {
    const chart = testChart();
    const search = appIn(chart);
    const api = new ProductionApp(chart, 'Api', { image: Image.pinned('ghcr.io/acme/api', '1.0.0') });
    api.connectTo(search);
    const manifests = synth(chart);
    expect(one(manifests, 'Deployment').spec.template.spec.containers[0].env).toEqual([{ name: 'SEARCH_URL', value: 'http://search.test.svc:80' }]);
    expect(one(manifests, 'NetworkPolicy', 'search').spec.ingress).toEqual([expect.objectContaining({ ports: [{ port: 7700, protocol: 'TCP' }] })]);
  });

  test('Prometheus scrapes each pod once: the ServiceMonitor leaves out the headless Service, whose endpoints are the same pods', () => {
    const chart = testChart();
    appIn(chart, { metrics: {} });
    const manifests = synth(chart);
    expect(one(manifests, 'Service', 'search-headless').metadata.labels['cdk8s-golden-path/headless']).toBe('true');
    expect(one(manifests, 'Service', 'search').metadata.labels['cdk8s-golden-path/headless']).toBeUndefined();
    expect(one(manifests, 'ServiceMonitor').spec.selector).toEqual({
      matchLabels: { 'app.kubernetes.io/name': 'search', 'app.kubernetes.io/instance': 'search' },
      matchExpressions: [{ key: 'cdk8s-golden-path/headless', operator: 'DoesNotExist' }],
    });
  });

  test('its metrics alert on unready StatefulSet replicas, not on a Deployment', () => {
    const chart = testChart();
    appIn(chart, { metrics: {} });
    const rules = one(synth(chart), 'PrometheusRule').spec.groups[0].rules;
    expect(rules.map((r: any) => r.alert)).toEqual(['HttpErrorRatioHigh', 'HttpLatencyHigh', 'StatefulSetReplicasUnavailable']);
    expect(rules[2].expr).toBe('kube_statefulset_status_replicas_ready{namespace="test", statefulset="search"} < kube_statefulset_replicas{namespace="test", statefulset="search"}');
  });

  test('an ingress routes to its client Service', () => {
    const chart = testChart();
    const search = appIn(chart);
    const ingress = new HardenedIngress(chart, 'Ingress', { controller: IngressController.haproxy(), issuer: CertificateIssuer.clusterIssuer('letsencrypt-prod') });
    ingress.route('search.example.com', '/', search);
    const rule = one(synth(chart), 'Ingress').spec.rules[0];
    expect(rule.http.paths[0].backend).toEqual({ service: { name: 'search', port: { number: 80 } } });
  });

  test('declares the StorageClasses of its claims as prerequisites', () => {
    const chart = testChart();
    appIn(chart);
    const clusterObjects = Prerequisite.declaredIn(chart).filter((d) => d.prerequisite.kind === PrerequisiteKind.CLUSTER_OBJECT);
    expect(clusterObjects.map((d) => d.prerequisite.title)).toEqual(['StorageClass gp3']);
  });

  test('passes every production guardrail in a namespace baseline, with its volumes backed up by Velero', () => {
    const chart = testChart();
    new NamespaceBaseline(chart, 'Namespace', {
      name: 'test', quota: { requestsCpu: Cpu.units(4), requestsMemory: Size.gibibytes(8), limitsCpu: Cpu.units(8), limitsMemory: Size.gibibytes(16) },
    });
    const app = appIn(chart, { metrics: {} });
    new VolumeBackupSchedule(chart, 'Backups', { workload: app, velero: Velero.installed() });
    const report = Guardrails.apply(chart.node.root as App).evaluate();
    expect(report.errors.map((f) => `${f.rule.id}: ${f.message}`)).toEqual([]);
    expect(report.suppressed).toEqual([]);
  });

  describe('validation', () => {
    const cases: Array<[string, Partial<StatefulAppProps>, RegExp]> = [
      ['it has no volume', { volumeClaims: [] }, /\[test\/Search\] 'volumeClaims' \(\[\]\) must hold at least one volume/],
      ['two volumes share a name', { volumeClaims: [INDEX, { ...INDEX, mountPath: '/other' }] }, /'volumeClaims.name' \('index'\) must be unique and not tmp or config/],
      ['a volume is named config', { volumeClaims: [{ ...INDEX, name: 'config' }] }, /'volumeClaims.name' \('config'\) must be unique and not tmp or config/],
      ['a volume name is not a DNS label', { volumeClaims: [{ ...INDEX, name: 'Index' }] }, /'volumeClaims.name' \('Index'\) must be a DNS label/],
      ['a mount path is relative', { volumeClaims: [{ ...INDEX, mountPath: 'data' }] }, /'volumeClaims.index.mountPath' \('data'\) must be an absolute path/],
      ['a volume mounts over /tmp', { volumeClaims: [{ ...INDEX, mountPath: '/tmp' }] }, /'volumeClaims.index.mountPath' \('\/tmp'\) must be unique in the container \(configMountPath included\) and not \/tmp/],
      ['two volumes share a mount path', { volumeClaims: [INDEX, { ...INDEX, name: 'wal' }] }, /'volumeClaims.wal.mountPath' \('\/var\/lib\/search'\) must be unique/],
      ['a volume mounts where the config is', { config: { A: 'b' }, configMountPath: '/var/lib/search' },
        /'volumeClaims.index.mountPath' \('\/var\/lib\/search'\) must be unique in the container \(configMountPath included\)/],
      ['the StorageClass is not a valid name', { volumeClaims: [{ ...INDEX, storageClassName: 'Fast SSD' }] }, /'volumeClaims.index.storageClassName' \('Fast SSD'\) must be a DNS-1123 subdomain/],
      ['a volume has no size', { volumeClaims: [{ ...INDEX, size: Size.gibibytes(0) }] }, /'volumeClaims.index.size' \('0Ki'\) must be greater than zero/],
      ['the name leaves no room for the revision hash', { name: 'a'.repeat(53) }, /'name' \('a{53}'\) must be at most 52 characters: the StatefulSet controller labels each pod/],
      ['a PDB is asked for one replica', { replicas: 1, disruptionBudget: { enabled: true } }, /'replicas' \(1\) must be at least 2 when a PodDisruptionBudget is enabled/],
      ['readiness and liveness are the same', { readiness: Probe.http('/health'), liveness: Probe.http('/health') }, /'liveness' \('\/health'\) must differ from the readiness probe/],
    ];

    test.each(cases)('fails when %s', (_, props, message) => {
      const chart = testChart();
      expect(() => appIn(chart, props)).toThrow(message);
      expect(synth(chart)).toEqual([]);
    });

    test('fails when an added volume mounts where a claim is mounted', () => {
      const chart = testChart();
      const app = appIn(chart);
      expect(() => app.addVolume({ name: 'extra', mountPath: '/var/lib/search', source: { emptyDir: {} } }))
        .toThrow(/'volumes.extra.mountPath' \('\/var\/lib\/search'\) must be unique in the container and not \/tmp/);
      expect(() => app.addVolume({ name: 'index', mountPath: '/x', source: { emptyDir: {} } })).toThrow(/'volumes.name' \('index'\) must be unique in the pod and not one of tmp, config, index/);
      expect(ofKind(synth(chart), 'StatefulSet')).toHaveLength(1);
    });

    test('fails when no namespace is set on the app or its chart', () => {
      expect(() => appIn(new Chart(Testing.app(), 'bare'))).toThrow(/\[bare\/Search\] 'namespace' \(unset\) must be set on the StatefulApp or its Chart/);
    });
  });
});
