import { Chart, Duration, Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import {
  AccessMode, ClusterDns, EgressEngine, EnvValue, Image, LogCollection, LogFormat, NetworkPeer, NodePool, Prerequisite, PreStop, Probe,
  ProductionApp, ProductionAppProps, Prometheus, Protocol, SessionAffinity, SpreadPolicy, TaintEffect,
} from '../../lib';
import { Manifest, ofKind, one, registryIn, synth, testChart } from '../util';

const IMAGE = Image.pinned('ghcr.io/acme/api', '1.2.3');
const SMALL = {
  cpu: { request: Cpu.millis(50), limit: Cpu.millis(200) },
  memory: { request: Size.mebibytes(32), limit: Size.mebibytes(64) },
  ephemeralStorage: { request: Size.mebibytes(16), limit: Size.mebibytes(64) },
};

function appIn(chart: Chart, props: Partial<ProductionAppProps> = {}, id = 'Api'): ProductionApp {
  return new ProductionApp(chart, id, { image: IMAGE, ...props });
}

function podSpec(manifests: Manifest[], name = 'api'): any {
  return one(manifests, 'Deployment', name).spec.template.spec;
}

describe('ProductionApp', () => {
  test('minimal props match the snapshot', () => {
    const chart = testChart();
    appIn(chart);
    expect(synth(chart)).toMatchSnapshot();
  });

  test('all props match the snapshot', () => {
    const chart = testChart();
    const all: Required<ProductionAppProps> = {
      image: Image.digest('ghcr.io/acme/api', `sha256:${'a'.repeat(64)}`),
      name: 'orders',
      namespace: 'shop',
      component: 'api',
      partOf: 'shop',
      port: 9000,
      servicePort: 8080,
      command: ['/app/server'],
      args: ['--listen', ':9000'],
      env: { LOG_FORMAT: 'json' },
      config: { FEATURE_X: 'on' },
      configMountPath: '/etc/orders',
      replicas: 4,
      autoscaling: { enabled: true, maxReplicas: 12, targetCpuUtilization: 60, targetMemoryUtilization: 75, scaleDownStabilization: Duration.minutes(10) },
      disruptionBudget: { enabled: true, maxUnavailable: 2 },
      resources: {
        cpu: { request: Cpu.millis(500), limit: Cpu.units(2) },
        memory: { request: Size.gibibytes(1), limit: Size.gibibytes(2) },
        ephemeralStorage: { request: Size.mebibytes(512), limit: Size.gibibytes(2) },
      },
      readiness: Probe.http('/ready', { period: Duration.seconds(5) }),
      liveness: Probe.http('/health', { timeout: Duration.seconds(5) }),
      startup: Probe.tcp({ failureThreshold: 60 }),
      metrics: { port: 9090, path: '/prometheus', interval: Duration.seconds(15), prometheus: Prometheus.kubePrometheusStack({ release: 'observability', namespace: 'observability' }) },
      allowFrom: [NetworkPeer.namespace('ingress-nginx')],
      dns: ClusterDns.nodeLocalCache(),
      egressEngine: EgressEngine.portable(),
      runAsUser: 20000,
      runAsGroup: 20000,
      mountServiceAccountToken: true,
      serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/orders' },
      imagePullSecrets: [registryIn(chart, 'Registry', { namespace: 'shop' })],
      logs: LogCollection.fluentBit({ destination: 'Loki at https://loki.example.com' }),
      logFormat: LogFormat.JSON,
      nodePool: NodePool.of({ labels: { 'node-pool': 'core' }, taints: [{ key: 'dedicated', value: 'core', effect: TaintEffect.NO_SCHEDULE }] }),
      priorityClassName: 'platform-critical',
      hostSpread: SpreadPolicy.REQUIRED,
      zoneSpread: SpreadPolicy.REQUIRED,
      persistentVolume: { mountPath: '/var/lib/orders', size: Size.gibibytes(100), storageClassName: 'efs', accessMode: AccessMode.READ_WRITE_MANY },
      volumes: [{ name: 'cache', mountPath: '/var/cache/orders', readOnly: false, source: { emptyDir: { sizeLimit: undefined } } }],
      tmpSize: Size.mebibytes(64),
      terminationGracePeriod: Duration.seconds(60),
      labels: { 'acme.com/team': 'orders' },
      annotations: { 'acme.com/owner': 'orders@acme.com' },
      podLabels: { 'vector.dev/exclude': 'false' },
      podAnnotations: { 'fluentbit.io/parser': 'json' },
      initContainers: [{
        name: 'render-config',
        command: ['/app/render-config', '--out', '/var/cache/orders/app.yaml'],
        env: { TEMPLATE: '/etc/orders/app.yaml.tmpl' },
        resources: SMALL,
        mounts: [{ volume: 'cache', mountPath: '/var/cache/orders', readOnly: false }],
      }],
      sidecars: [{
        name: 'log-shipper',
        image: Image.pinned('ghcr.io/acme/log-shipper', '3.1.0'),
        args: ['--from', '/var/log/orders'],
        resources: SMALL,
        mounts: [{ volume: 'logs', mountPath: '/var/log/orders' }],
      }],
      preStop: PreStop.sleep(Duration.seconds(10)),
      additionalPorts: [{ name: 'grpc', port: 9001 }],
      sessionAffinity: SessionAffinity.clientIp(Duration.hours(1)),
    };
    const orders = new ProductionApp(chart, 'Orders', all);
    orders.addVolume({ name: 'logs', mountPath: '/var/log/orders', readOnly: false, source: { emptyDir: {} } });
    expect(synth(chart)).toMatchSnapshot();
  });

  describe('objects', () => {
    test('synthesizes a ServiceAccount, Deployment, Service, HPA, PDB and NetworkPolicy named after the app', () => {
      const chart = testChart();
      appIn(chart);
      const kinds = synth(chart).map((m) => `${m.kind}/${m.metadata.name}`).sort();
      expect(kinds).toEqual([
        'Deployment/api', 'HorizontalPodAutoscaler/api', 'NetworkPolicy/api', 'PodDisruptionBudget/api', 'Service/api', 'ServiceAccount/api',
      ]);
    });

    test('every object carries the recommended labels and the chart namespace', () => {
      const chart = testChart('shop');
      appIn(chart, { component: 'api', partOf: 'shop', metrics: {}, config: { A: 'b' } });
      for (const m of synth(chart)) {
        expect(m.metadata.namespace).toBe('shop');
        expect(m.metadata.labels).toMatchObject({
          'app.kubernetes.io/name': 'api',
          'app.kubernetes.io/instance': 'api',
          'app.kubernetes.io/version': '1.2.3',
          'app.kubernetes.io/component': 'api',
          'app.kubernetes.io/part-of': 'shop',
          'app.kubernetes.io/managed-by': 'cdk8s',
        });
      }
    });

    test('the selector never includes the version, so an upgrade does not orphan pods', () => {
      const chart = testChart();
      appIn(chart);
      const deployment = one(synth(chart), 'Deployment');
      expect(deployment.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api' });
    });

    test('a name defaults to the construct id in kebab-case', () => {
      const chart = testChart();
      appIn(chart, {}, 'BackgroundWorker');
      expect(one(synth(chart), 'Deployment').metadata.name).toBe('background-worker');
    });
  });

  describe('pod security', () => {
    test('runs as a non-root user and group of at least 10000 with seccomp RuntimeDefault', () => {
      const chart = testChart();
      appIn(chart);
      const spec = podSpec(synth(chart));
      expect(spec.securityContext).toEqual({
        runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, fsGroupChangePolicy: 'OnRootMismatch',
        seccompProfile: { type: 'RuntimeDefault' },
      });
    });

    test('drops all capabilities, forbids privilege escalation and mounts the root filesystem read-only', () => {
      const chart = testChart();
      appIn(chart);
      const container = podSpec(synth(chart)).containers[0];
      expect(container.securityContext).toMatchObject({
        allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] }, runAsNonRoot: true,
      });
    });

    test('gives the read-only container a size-limited emptyDir /tmp', () => {
      const chart = testChart();
      appIn(chart, { tmpSize: Size.mebibytes(128) });
      const spec = podSpec(synth(chart));
      expect(spec.containers[0].volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
      expect(spec.volumes).toContainEqual({ name: 'tmp', emptyDir: { sizeLimit: '128Mi' } });
    });

    test('mounts no API token unless asked for', () => {
      const chart = testChart();
      appIn(chart);
      appIn(chart, { mountServiceAccountToken: true }, 'Operator');
      const manifests = synth(chart);
      expect(one(manifests, 'ServiceAccount', 'api').automountServiceAccountToken).toBe(false);
      expect(podSpec(manifests).automountServiceAccountToken).toBe(false);
      expect(podSpec(manifests).serviceAccountName).toBe('api');
      expect(podSpec(manifests, 'operator').automountServiceAccountToken).toBe(true);
    });
  });

  describe('resources and probes', () => {
    test('sets requests and limits for cpu, memory and ephemeral storage by default', () => {
      const chart = testChart();
      appIn(chart);
      expect(podSpec(synth(chart)).containers[0].resources).toEqual({
        requests: { 'cpu': '250m', 'memory': '256Mi', 'ephemeral-storage': '256Mi' },
        limits: { 'cpu': '1', 'memory': '512Mi', 'ephemeral-storage': '1Gi' },
      });
    });

    test('uses distinct readiness and liveness paths and a startup probe on the liveness check', () => {
      const chart = testChart();
      appIn(chart, { readiness: Probe.http('/readyz'), liveness: Probe.http('/livez') });
      const container = podSpec(synth(chart)).containers[0];
      expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http', scheme: 'HTTP' });
      expect(container.livenessProbe.httpGet).toEqual({ path: '/livez', port: 'http', scheme: 'HTTP' });
      expect(container.startupProbe).toMatchObject({ httpGet: { path: '/livez' }, periodSeconds: 5, failureThreshold: 30 });
    });
  });

  describe('availability', () => {
    test('rolls out one extra pod at a time and never takes one away first', () => {
      const chart = testChart();
      appIn(chart);
      expect(one(synth(chart), 'Deployment').spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    });

    test('lets the autoscaler own the replica count, with a scale-down stabilization window', () => {
      const chart = testChart();
      appIn(chart, { replicas: 3, autoscaling: { maxReplicas: 10 } });
      const manifests = synth(chart);
      expect(one(manifests, 'Deployment').spec.replicas).toBeUndefined();
      const hpa = one(manifests, 'HorizontalPodAutoscaler');
      expect(hpa.apiVersion).toBe('autoscaling/v2');
      expect(hpa.spec).toMatchObject({
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' },
        minReplicas: 3,
        maxReplicas: 10,
        behavior: { scaleDown: { stabilizationWindowSeconds: 300 }, scaleUp: { stabilizationWindowSeconds: 60 } },
      });
      expect(hpa.spec.metrics.map((m: any) => `${m.resource.name}=${m.resource.target.averageUtilization}`)).toEqual(['cpu=70', 'memory=80']);
    });

    test('sets replicas on the Deployment when autoscaling is disabled', () => {
      const chart = testChart();
      appIn(chart, { replicas: 1, autoscaling: { enabled: false } });
      const manifests = synth(chart);
      expect(one(manifests, 'Deployment').spec.replicas).toBe(1);
      expect(ofKind(manifests, 'HorizontalPodAutoscaler')).toHaveLength(0);
      expect(ofKind(manifests, 'PodDisruptionBudget')).toHaveLength(0);
    });

    test('the disruption budget never blocks a drain and lets unhealthy pods be evicted', () => {
      const chart = testChart();
      appIn(chart, { replicas: 2 });
      const pdb = one(synth(chart), 'PodDisruptionBudget');
      expect(pdb.apiVersion).toBe('policy/v1');
      expect(pdb.spec).toEqual({
        maxUnavailable: 1,
        selector: { matchLabels: { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api' } },
        unhealthyPodEvictionPolicy: 'AlwaysAllow',
      });
    });

    test('prefers one replica per host and spreads over zones by default', () => {
      const chart = testChart();
      appIn(chart);
      const spec = podSpec(synth(chart));
      expect(spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0]).toMatchObject({
        weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname' },
      });
      expect(spec.topologySpreadConstraints[0]).toMatchObject({
        topologyKey: 'topology.kubernetes.io/zone', maxSkew: 1, whenUnsatisfiable: 'ScheduleAnyway', matchLabelKeys: ['pod-template-hash'],
      });
    });

    test('requires host and zone spread when asked', () => {
      const chart = testChart();
      appIn(chart, { hostSpread: SpreadPolicy.REQUIRED, zoneSpread: SpreadPolicy.REQUIRED });
      const spec = podSpec(synth(chart));
      expect(spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey).toBe('kubernetes.io/hostname');
      expect(spec.topologySpreadConstraints[0].whenUnsatisfiable).toBe('DoNotSchedule');
    });
  });

  describe('placement', () => {
    test('a node pool selects its nodes and tolerates its taints', () => {
      const chart = testChart();
      appIn(chart, {
        nodePool: NodePool.of({ labels: { pool: 'core' }, taints: [{ key: 'dedicated', effect: TaintEffect.NO_SCHEDULE }] }),
        priorityClassName: 'platform',
      });
      const spec = podSpec(synth(chart));
      expect(spec.nodeSelector).toEqual({ pool: 'core' });
      expect(spec.tolerations).toEqual([{ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }]);
      expect(spec.priorityClassName).toBe('platform');
    });

    test('declares what the cluster must hold for its pods: the PriorityClass and the metrics API of the autoscaler, not the registry Secret it is given', () => {
      const chart = testChart();
      const app = appIn(chart, { priorityClassName: 'platform', imagePullSecrets: [registryIn(chart)] });
      expect(Prerequisite.declaredIn(app).map((d) => d.prerequisite.title)).toEqual([
        'PriorityClass platform',
        'APIService v1beta1.metrics.k8s.io',
        expect.stringMatching(/^cluster DNS answers from pods labelled k8s-app=kube-dns/),
      ]);
    });
  });

  describe('config', () => {
    test('is an immutable ConfigMap named after its content, read as environment variables', () => {
      const chart = testChart();
      appIn(chart, { config: { LOG_LEVEL: 'info' } });
      const manifests = synth(chart);
      const configMap = one(manifests, 'ConfigMap');
      expect(configMap.metadata.name).toMatch(/^api-config-[0-9a-f]{10}$/);
      expect(configMap.immutable).toBe(true);
      expect(podSpec(manifests).containers[0].envFrom).toEqual([{ configMapRef: { name: configMap.metadata.name } }]);
    });

    test('a change in content changes the name and therefore rolls the pods', () => {
      const nameFor = (config: Record<string, string>) => {
        const chart = testChart();
        appIn(chart, { config });
        return one(synth(chart), 'ConfigMap').metadata.name;
      };
      expect(nameFor({ LOG_LEVEL: 'info' })).not.toBe(nameFor({ LOG_LEVEL: 'debug' }));
      expect(nameFor({ A: '1', B: '2' })).toBe(nameFor({ B: '2', A: '1' }));
    });

    test('can also be mounted as read-only files', () => {
      const chart = testChart();
      appIn(chart, { config: { LOG_LEVEL: 'info' }, configMountPath: '/etc/app' });
      const spec = podSpec(synth(chart));
      expect(spec.containers[0].volumeMounts).toContainEqual({ name: 'config', mountPath: '/etc/app', readOnly: true });
    });
  });

  describe('volumes', () => {
    test('a ReadWriteOnce data volume runs one replica with the Recreate strategy', () => {
      const chart = testChart();
      appIn(chart, {
        replicas: 1,
        autoscaling: { enabled: false },
        persistentVolume: { mountPath: '/app/data', size: Size.gibibytes(100), storageClassName: 'standard' },
      });
      const manifests = synth(chart);
      const pvc = one(manifests, 'PersistentVolumeClaim');
      expect(pvc.spec).toEqual({ accessModes: ['ReadWriteOnce'], storageClassName: 'standard', resources: { requests: { storage: '100Gi' } } });
      const deployment = one(manifests, 'Deployment');
      expect(deployment.spec.strategy).toEqual({ type: 'Recreate' });
      expect(deployment.spec.template.spec.volumes).toContainEqual({ name: 'data', persistentVolumeClaim: { claimName: 'api-data' } });
    });

    test('the data volume is kept when Argo CD or Flux prune the manifests, and its StorageClass is a prerequisite', () => {
      // argo-cd v3.5.0 docs/user-guide/sync-options.md; kustomize-controller v1.9.4 docs/spec/v1/kustomizations.md.
      const chart = testChart();
      appIn(chart, { replicas: 1, autoscaling: { enabled: false }, persistentVolume: { mountPath: '/app/data', size: Size.gibibytes(1), storageClassName: 'standard' } });
      expect(one(synth(chart), 'PersistentVolumeClaim').metadata.annotations).toEqual({
        'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false',
        'kustomize.toolkit.fluxcd.io/prune': 'disabled',
      });
      expect(Prerequisite.declaredIn(chart).map((d) => d.prerequisite.title)).toContain('StorageClass standard');
    });

    test('extra volumes are mounted read-only unless told otherwise', () => {
      const chart = testChart();
      const app = appIn(chart);
      app.addVolume({ name: 'certs', mountPath: '/etc/certs', source: { secret: { secretName: 'certs' } } });
      const container = podSpec(synth(chart)).containers[0];
      expect(container.volumeMounts).toContainEqual({ name: 'certs', mountPath: '/etc/certs', readOnly: true });
    });
  });

  describe('network', () => {
    test('admits declared peers on the app port and lets the pods reach cluster DNS only', () => {
      const chart = testChart();
      appIn(chart, { port: 8000, allowFrom: [NetworkPeer.namespace('ingress-nginx')] });
      const policy = one(synth(chart), 'NetworkPolicy');
      expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
      expect(policy.spec.ingress).toEqual([{
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }],
        ports: [{ port: 8000, protocol: 'TCP' }],
      }]);
      expect(policy.spec.egress).toEqual([{
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
        ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
      }]);
    });

    test('resolves names through the DNS the stage gives it: NodeLocal DNSCache by address, and the kube-dns pods', () => {
      const chart = testChart();
      appIn(chart, { dns: ClusterDns.nodeLocalCache('169.254.20.10') });
      const dnsPorts = [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }];
      expect(one(synth(chart), 'NetworkPolicy').spec.egress).toEqual([
        { to: [{ ipBlock: { cidr: '169.254.20.10/32' } }], ports: dnsPorts },
        { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: dnsPorts },
      ]);
    });

    test('admits nobody when no peer is declared', () => {
      const chart = testChart();
      appIn(chart);
      expect(one(synth(chart), 'NetworkPolicy').spec.ingress).toBeUndefined();
    });

    test('connectTo opens exactly the path from one app to the other, on both sides', () => {
      const chart = testChart();
      const api = appIn(chart, { port: 8000 });
      const worker = appIn(chart, {}, 'Worker');
      worker.connectTo(api);
      const manifests = synth(chart);
      const workerPods = { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'worker', 'app.kubernetes.io/instance': 'worker' } } };
      const apiPods = { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api' } } };
      expect(one(manifests, 'NetworkPolicy', 'api').spec.ingress).toEqual([{ from: [workerPods], ports: [{ port: 8000, protocol: 'TCP' }] }]);
      expect(one(manifests, 'NetworkPolicy', 'worker').spec.egress).toContainEqual({ to: [apiPods], ports: [{ port: 8000, protocol: 'TCP' }] });
      expect(podSpec(manifests, 'worker').containers[0].env).toEqual([{ name: 'API_URL', value: 'http://api.test.svc:80' }]);
    });

    test('a peer in another namespace is selected by namespace and pods', () => {
      const chart = testChart('shop');
      const other = new Chart(Testing.app(), 'other', { namespace: 'billing' });
      const api = appIn(chart);
      const billing = appIn(other, {}, 'Billing');
      api.allowFrom(billing.peer);
      expect(one(synth(chart), 'NetworkPolicy').spec.ingress[0].from).toEqual([{
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'billing' } },
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'billing', 'app.kubernetes.io/instance': 'billing' } },
      }]);
    });

    test('the same rule added twice renders once', () => {
      const chart = testChart();
      const api = appIn(chart);
      api.allowTo(NetworkPeer.ipBlock('10.0.0.0/8'), [{ port: 443 }]);
      api.allowTo(NetworkPeer.ipBlock('10.0.0.0/8'), [{ port: 443 }, { port: 53, protocol: Protocol.UDP }]);
      const egress = one(synth(chart), 'NetworkPolicy').spec.egress;
      expect(egress.filter((rule: any) => rule.to[0].ipBlock)).toEqual([{
        to: [{ ipBlock: { cidr: '10.0.0.0/8' } }],
        ports: [{ port: 443, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }],
      }]);
    });
  });

  describe('metrics', () => {
    test('a metrics port gets a ServiceMonitor and a path from the Prometheus pods', () => {
      const chart = testChart();
      appIn(chart, { port: 8000, metrics: { port: 9090 } });
      const manifests = synth(chart);
      const monitor = one(manifests, 'ServiceMonitor');
      expect(monitor.apiVersion).toBe('monitoring.coreos.com/v1');
      expect(monitor.spec).toEqual({
        selector: { matchLabels: { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api' } },
        namespaceSelector: { matchNames: ['test'] },
        endpoints: [{ port: 'metrics', path: '/metrics', interval: '30s', scheme: 'http' }],
      });
      expect(one(manifests, 'Service').spec.ports).toContainEqual({ name: 'metrics', port: 9090, targetPort: 'metrics', protocol: 'TCP' });
      // prometheus-operator v0.93.0 labels the Prometheus pods app.kubernetes.io/name: prometheus (pkg/prometheus/server/statefulset_test.go,
      // expectedPodLabels); kube-prometheus-stack runs them in its release namespace.
      expect(one(manifests, 'NetworkPolicy').spec.ingress).toContainEqual({
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } }],
        ports: [{ port: 9090, protocol: 'TCP' }],
      });
    });

    test('no metrics, no ServiceMonitor', () => {
      const chart = testChart();
      appIn(chart);
      expect(ofKind(synth(chart), 'ServiceMonitor')).toHaveLength(0);
    });
  });

  describe('wiring methods', () => {
    test('addEnv renders secret references without their values', () => {
      const chart = testChart();
      const api = appIn(chart);
      api.addEnv('DB_PASSWORD', EnvValue.fromSecret('db-app', 'password'));
      expect(podSpec(synth(chart)).containers[0].env).toEqual([
        { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db-app', key: 'password', optional: false } } },
      ]);
    });

    test('addPodAnnotation annotates the pod template', () => {
      const chart = testChart();
      appIn(chart).addPodAnnotation('example.com/checksum', 'abc');
      expect(one(synth(chart), 'Deployment').spec.template.metadata.annotations).toEqual({ 'example.com/checksum': 'abc' });
    });
  });

  describe('validation', () => {
    const cases: Array<[string, Partial<ProductionAppProps>, RegExp]> = [
      ['the image tag is latest', { image: Image.pinned('nginx', 'latest') }, /\[test\/Api\] 'image' \('nginx:latest'\) must be pinned to a version tag or a sha256 digest, not the floating tag 'latest'/],
      ['the image has no tag', { image: Image.fromReference('nginx') }, /'image' \('nginx'\) must be pinned to a version tag or a sha256 digest, not left to the implicit latest/],
      ['the image tag floats (dev)', { image: Image.fromReference('registry.example.com:5000/team/app:dev') }, /not the floating tag 'dev'/],
      ['the image digest is malformed', { image: Image.digest('nginx', 'sha256:abc') }, /'image' \('nginx@sha256:abc'\) must have a digest of the form sha256/],
      ['the image reference is malformed', { image: Image.pinned('Nginx Server', '1.0') }, /'image' \('Nginx Server:1.0'\) must be a valid image reference/],
      ['the name is not a DNS label', { name: 'Api_Server' }, /'name' \('Api_Server'\) must be a DNS label/],
      ['the name is longer than 63 characters', { name: 'a'.repeat(64) }, /'name' \('a{64}'\) must be a DNS label of at most 63 characters/],
      ['the namespace is invalid', { namespace: 'Shop' }, /'namespace' \('Shop'\) must be a DNS-1123 label/],
      ['the port is out of range', { port: 70000 }, /'port' \(70000\) must be an integer port between 1 and 65535/],
      ['the service port is zero', { servicePort: 0 }, /'servicePort' \(0\) must be an integer port/],
      ['the metrics port is out of range', { metrics: { port: -1 } }, /'metrics.port' \(-1\) must be an integer port/],
      ['the metrics path is relative', { metrics: { path: 'metrics' } }, /'metrics.path' \('metrics'\) must be an absolute path/],
      ['the DNS cache address is a name', { dns: ClusterDns.nodeLocalCache('nodelocaldns') }, /\[test\/Api\] 'dns' \('nodelocaldns'\) must be an IP address/],
      ['replicas is zero', { replicas: 0 }, /'replicas' \(0\) must be an integer of at least 1/],
      ['a PDB is enabled with one replica', { replicas: 1, autoscaling: { enabled: false }, disruptionBudget: { enabled: true } },
        /'replicas' \(1\) must be at least 2 when a PodDisruptionBudget is enabled/],
      ['the PDB would block drains', { replicas: 3, disruptionBudget: { maxUnavailable: 0 } }, /'disruptionBudget.maxUnavailable' \(0\) must be an integer from 1 to 2/],
      ['the PDB allows every pod down', { replicas: 3, disruptionBudget: { maxUnavailable: 3 } }, /'disruptionBudget.maxUnavailable' \(3\) must be an integer from 1 to 2/],
      ['the autoscaler maximum is below replicas', { replicas: 5, autoscaling: { maxReplicas: 4 } }, /'autoscaling.maxReplicas' \(4\) must be an integer of at least 5/],
      ['the CPU target is above 100%', { autoscaling: { targetCpuUtilization: 150 } }, /'autoscaling.targetCpuUtilization' \(150\) must be an integer between 1 and 100/],
      ['the memory target is zero', { autoscaling: { targetMemoryUtilization: 0 } }, /'autoscaling.targetMemoryUtilization' \(0\) must be an integer between 1 and 100/],
      ['the CPU request exceeds the limit', {
        resources: {
          cpu: { request: Cpu.units(2), limit: Cpu.units(1) },
          memory: { request: Size.mebibytes(256), limit: Size.mebibytes(512) },
          ephemeralStorage: { request: Size.mebibytes(256), limit: Size.gibibytes(1) },
        },
      }, /'resources.cpu.request' \('2'\) must not exceed the limit \(1\)/],
      ['the memory request exceeds the limit', {
        resources: {
          cpu: { request: Cpu.millis(250), limit: Cpu.units(1) },
          memory: { request: Size.gibibytes(1), limit: Size.mebibytes(512) },
          ephemeralStorage: { request: Size.mebibytes(256), limit: Size.gibibytes(1) },
        },
      }, /'resources.memory.request' \('1Gi'\) must not exceed the limit \(512Mi\)/],
      ['the ephemeral storage request is zero', {
        resources: {
          cpu: { request: Cpu.millis(250), limit: Cpu.units(1) },
          memory: { request: Size.mebibytes(256), limit: Size.mebibytes(512) },
          ephemeralStorage: { request: Size.mebibytes(0), limit: Size.gibibytes(1) },
        },
      }, /'resources.ephemeralStorage.request' \('0Ki'\) must be greater than zero/],
      ['readiness and liveness are the same probe', { readiness: Probe.http('/health'), liveness: Probe.http('/health') },
        /'liveness' \('\/health'\) must differ from the readiness probe/],
      ['the user id is root', { runAsUser: 0 }, /'runAsUser' \(0\) must be an integer of at least 10000/],
      ['the user id is in the host range', { runAsUser: 1000 }, /'runAsUser' \(1000\) must be an integer of at least 10000/],
      ['the group id is in the host range', { runAsGroup: 1000 }, /'runAsGroup' \(1000\) must be an integer of at least 10000/],
      ['the component is not a label value', { component: 'api server' }, /'component.app.kubernetes.io\/component' \('api server'\) is not a valid label value/],
      ['the part-of is not a label value', { partOf: '-shop' }, /'partOf.app.kubernetes.io\/part-of' \('-shop'\) is not a valid label value/],
      ['a ReadWriteOnce volume is shared by several replicas', {
        replicas: 3, persistentVolume: { mountPath: '/data', size: Size.gibibytes(1), storageClassName: 'standard' },
      }, /'persistentVolume.accessMode' \('ReadWriteOnce'\) needs exactly one replica without autoscaling or a PodDisruptionBudget/],
      ['the data volume path is relative', {
        persistentVolume: { mountPath: 'data', size: Size.gibibytes(1), storageClassName: 'efs', accessMode: AccessMode.READ_WRITE_MANY },
      }, /'persistentVolume.mountPath' \('data'\) must be an absolute path/],
      ['the storage class is not a valid name', {
        persistentVolume: { mountPath: '/data', size: Size.gibibytes(1), storageClassName: 'Fast SSD', accessMode: AccessMode.READ_WRITE_MANY },
      }, /'persistentVolume.storageClassName' \('Fast SSD'\) must be a DNS-1123 subdomain/],
      ['the config is mounted without config', { configMountPath: '/etc/app' }, /'configMountPath' \('\/etc\/app'\) needs 'config' to mount/],
      ['the data volume mounts where the config is', {
        config: { A: 'b' }, configMountPath: '/data',
        persistentVolume: { mountPath: '/data', size: Size.gibibytes(1), storageClassName: 'efs', accessMode: AccessMode.READ_WRITE_MANY },
      }, /'persistentVolume.mountPath' \('\/data'\) must differ from configMountPath: a container mounts one volume at a path/],
      ['a config key is not an environment variable name', { config: { '1BAD': 'x' } }, /'config.1BAD' \('1BAD'\) must be an environment variable name/],
      ['an env name is invalid', { env: { 'MY VAR': 'x' } }, /'env.MY VAR' \('MY VAR'\) must be an environment variable name/],
      ['the priority class is invalid', { priorityClassName: 'High_Priority' }, /'priorityClassName' \('High_Priority'\) must be a DNS-1123 subdomain/],
      ['a volume uses hostPath', { volumes: [{ name: 'docker', mountPath: '/var/run/docker.sock', source: { hostPath: { path: '/var/run/docker.sock' } } }] },
        /'volumes.docker.source.hostPath' \('\/var\/run\/docker.sock'\) is not allowed/],
      ['a volume takes a reserved name', { volumes: [{ name: 'tmp', mountPath: '/scratch', source: { emptyDir: {} } }] },
        /'volumes.name' \('tmp'\) must be unique in the pod and not one of tmp, data, config/],
      ['a volume mounts over /tmp', { volumes: [{ name: 'scratch', mountPath: '/tmp', source: { emptyDir: {} } }] },
        /'volumes.scratch.mountPath' \('\/tmp'\) must be unique in the container and not \/tmp/],
    ];

    test.each(cases)('fails when %s', (_, props, message) => {
      const chart = testChart();
      expect(() => appIn(chart, props)).toThrow(message);
    });

    test('fails when no namespace is set on the app or its chart', () => {
      const chart = new Chart(Testing.app(), 'test');
      expect(() => appIn(chart)).toThrow(/\[test\/Api\] 'namespace' \(unset\) must be set on the ProductionApp or its Chart/);
    });

    test('fails when an env variable is set twice', () => {
      const chart = testChart();
      const api = appIn(chart, { env: { LOG_LEVEL: 'info' } });
      expect(() => api.addEnv('LOG_LEVEL', EnvValue.literal('debug'))).toThrow(/'env.LOG_LEVEL' \('LOG_LEVEL'\) is already set on this app/);
    });

    test('fails when two volumes share a mount path', () => {
      const chart = testChart();
      const api = appIn(chart);
      api.addVolume({ name: 'a', mountPath: '/etc/a', source: { emptyDir: {} } });
      expect(() => api.addVolume({ name: 'b', mountPath: '/etc/a', source: { emptyDir: {} } })).toThrow(/'volumes.b.mountPath' \('\/etc\/a'\) must be unique/);
    });

    test('nothing is added to the tree when validation fails', () => {
      const chart = testChart();
      expect(() => appIn(chart, { replicas: 0 })).toThrow();
      expect(synth(chart)).toEqual([]);
    });

    test('nothing is added to the tree when a monitoring option is invalid either', () => {
      const chart = testChart();
      expect(() => appIn(chart, { metrics: { alerts: { maxErrorRatio: 2 } } })).toThrow(/'metrics.alerts.maxErrorRatio' \(2\) must be between 0 and 1/);
      expect(synth(chart)).toEqual([]);
    });
  });
});
