import { Chart, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ServiceMonitor, ServiceMonitorSpecEndpointsScheme } from '../imports/monitoring.coreos.com';

const { k8s } = kplus;

/**
 * The baseline: the objects of one benchmark service written by hand with cdk8s-plus-28 and the
 * L1 imports, the way a team without this library would (Deployment, Service, ServiceAccount,
 * HPA, PDB, NetworkPolicy, ServiceMonitor, ConfigMap), with the same hardening.
 */
export function handwrittenService(chart: Chart, index: number): void {
  const scope = new Construct(chart, `svc${index}`);
  const name = `svc-${index}`;
  const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': name };

  const serviceAccount = new kplus.ServiceAccount(scope, 'ServiceAccount', {
    metadata: { name, labels },
    automountToken: false,
  });
  const config = new kplus.ConfigMap(scope, 'Config', {
    metadata: { name: `${name}-config`, labels },
    data: { LOG_LEVEL: 'info', SERVICE_INDEX: String(index) },
    immutable: true,
  });
  const deployment = new kplus.Deployment(scope, 'Deployment', {
    metadata: { name, labels },
    podMetadata: { labels },
    select: false,
    replicas: undefined,
    serviceAccount,
    automountServiceAccountToken: false,
    strategy: kplus.DeploymentStrategy.rollingUpdate({ maxSurge: kplus.PercentOrAbsolute.absolute(1), maxUnavailable: kplus.PercentOrAbsolute.absolute(0) }),
    securityContext: { ensureNonRoot: true, user: 10001, group: 10001, fsGroup: 10001, fsGroupChangePolicy: kplus.FsGroupChangePolicy.ON_ROOT_MISMATCH },
    isolate: false,
    containers: [{
      name,
      image: 'ghcr.io/acme/bench:1.0.0',
      portNumber: 8080,
      envFrom: [kplus.Env.fromConfigMap(config)],
      securityContext: {
        ensureNonRoot: true, user: 10001, group: 10001, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, privileged: false,
        capabilities: { drop: [kplus.Capability.ALL] }, seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
      },
      resources: {
        cpu: { request: kplus.Cpu.millis(250), limit: kplus.Cpu.units(1) },
        memory: { request: Size.mebibytes(256), limit: Size.mebibytes(512) },
        ephemeralStorage: { request: Size.mebibytes(256), limit: Size.gibibytes(1) },
      },
      readiness: kplus.Probe.fromHttpGet('/ready', { port: 8080 }),
      liveness: kplus.Probe.fromHttpGet('/health', { port: 8080 }),
      startup: kplus.Probe.fromHttpGet('/health', { port: 8080, periodSeconds: Duration.seconds(5), failureThreshold: 30 }),
      volumeMounts: [{ path: '/tmp', volume: kplus.Volume.fromEmptyDir(scope, 'Tmp', 'tmp', { sizeLimit: Size.mebibytes(256) }) }],
    }],
  });
  deployment.scheduling.spread({ topology: kplus.Topology.ZONE });
  const service = deployment.exposeViaService({ name, ports: [{ name: 'http', port: 80, targetPort: 8080 }] });
  new kplus.HorizontalPodAutoscaler(scope, 'Autoscaler', {
    metadata: { name, labels },
    target: deployment,
    minReplicas: 3,
    maxReplicas: 10,
    metrics: [kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(70)), kplus.Metric.resourceMemory(kplus.MetricTarget.averageUtilization(80))],
    scaleDown: { stabilizationWindow: Duration.minutes(5), strategy: kplus.ScalingStrategy.MIN_CHANGE, policies: [{ replicas: kplus.Replicas.percent(50), duration: Duration.minutes(1) }] },
  });
  new k8s.KubePodDisruptionBudget(scope, 'DisruptionBudget', {
    metadata: { name, labels },
    spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: labels }, unhealthyPodEvictionPolicy: 'AlwaysAllow' },
  });
  new kplus.NetworkPolicy(scope, 'NetworkPolicy', {
    metadata: { name, labels },
    selector: deployment,
    ingress: {
      default: kplus.NetworkPolicyTrafficDefault.DENY,
      rules: [{ peer: kplus.Namespaces.select(scope, 'Monitoring', { names: ['monitoring'] }), ports: [kplus.NetworkPolicyPort.tcp(8080)] }],
    },
    egress: {
      default: kplus.NetworkPolicyTrafficDefault.DENY,
      rules: [{ peer: kplus.Pods.select(scope, 'Dns', { labels: { 'k8s-app': 'kube-dns' }, namespaces: kplus.Namespaces.select(scope, 'KubeSystem', { names: ['kube-system'] }) }),
        ports: [kplus.NetworkPolicyPort.udp(53), kplus.NetworkPolicyPort.tcp(53)] }],
    },
  });
  new ServiceMonitor(scope, 'ServiceMonitor', {
    metadata: { name, labels },
    spec: {
      selector: { matchLabels: labels },
      endpoints: [{ port: 'http', path: '/metrics', interval: '30s', scheme: ServiceMonitorSpecEndpointsScheme.HTTP }],
    },
  });
  void service;
}
