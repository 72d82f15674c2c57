import { App, Chart, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ObjectStore } from '../imports/barmancloud.cnpg.io';
import { Certificate } from '../imports/cert-manager.io';
import {
  PodMonitor, PrometheusRule, PrometheusRuleSpecGroupsRulesExpr, ServiceMonitor, ServiceMonitorSpecEndpointsScheme,
} from '../imports/monitoring.coreos.com';
import { Cluster, ClusterSpecPostgresqlSynchronousMethod, ScheduledBackup, ScheduledBackupSpecMethod } from '../imports/postgresql.cnpg.io';

const { k8s } = kplus;

/**
 * The baseline: the objects of one benchmark service written by hand with cdk8s-plus-28 and the
 * L1 imports, the way a team without this library would (Deployment, Service, ServiceAccount,
 * HPA, PDB, NetworkPolicy, ServiceMonitor, PrometheusRule, dashboard ConfigMap, an HTTPS route and its
 * Certificate, a connection to one CloudNativePG database), with the same hardening.
 */
export function handwrittenPlatform(app: App, count: number): Chart {
  const chart = new Chart(app, 'platform', { namespace: 'bench', disableResourceNameHashes: true });
  handwrittenNamespace(chart);
  const ingress = new kplus.Ingress(chart, 'Ingress', {
    metadata: {
      name: 'bench',
      annotations: { 'haproxy.org/ssl-redirect': 'true', 'haproxy.org/rate-limit-requests': '100', 'haproxy.org/rate-limit-period': '1s' },
    },
    className: 'haproxy',
  });
  const databasePolicy = handwrittenDatabase(chart);
  for (let i = 0; i < count; i++) {
    const service = handwrittenService(chart, i, databasePolicy);
    const host = `svc-${i}.bench.example.com`;
    const secretName = `svc-${i}-bench-example-com-tls`;
    ingress.addHostRule(host, '/', kplus.IngressBackend.fromService(service, { port: 80 }), kplus.HttpIngressPathType.PREFIX);
    ingress.addTls([{ hosts: [host], secret: kplus.Secret.fromSecretName(chart, `Tls${i}`, secretName) }]);
    new Certificate(chart, `Certificate${i}`, {
      metadata: { name: secretName },
      spec: { secretName, dnsNames: [host], issuerRef: { kind: 'ClusterIssuer', name: 'letsencrypt-prod' } },
    });
  }
  return chart;
}

function handwrittenNamespace(chart: Chart): void {
  new kplus.Namespace(chart, 'Namespace', {
    metadata: { name: 'bench', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } },
  });
  new k8s.KubeResourceQuota(chart, 'Quota', {
    metadata: { name: 'baseline' },
    spec: { hard: { 'requests.cpu': k8s.Quantity.fromString('10000'), 'limits.cpu': k8s.Quantity.fromString('20000') } },
  });
  new k8s.KubeLimitRange(chart, 'LimitRange', {
    metadata: { name: 'baseline' },
    spec: { limits: [{ type: 'Container', default: { cpu: k8s.Quantity.fromString('500m') }, defaultRequest: { cpu: k8s.Quantity.fromString('100m') } }] },
  });
  new k8s.KubeNetworkPolicy(chart, 'DefaultDeny', { metadata: { name: 'default-deny' }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } });
}

const DATABASE_LABELS = { 'cnpg.io/cluster': 'bench-db', 'cnpg.io/podRole': 'instance' };

/** A CloudNativePG cluster with Barman Cloud plugin backups, monitoring and its NetworkPolicy, by hand. */
function handwrittenDatabase(chart: Chart): kplus.k8s.NetworkPolicyIngressRule[] {
  new ObjectStore(chart, 'DatabaseStore', {
    metadata: { name: 'bench-db' },
    spec: {
      configuration: {
        destinationPath: 's3://bench-backups/postgres',
        s3Credentials: {
          accessKeyId: { name: 'backup-credentials', key: 'ACCESS_KEY_ID' },
          secretAccessKey: { name: 'backup-credentials', key: 'ACCESS_SECRET_KEY' },
        },
      },
      retentionPolicy: '30d',
    },
  });
  new Cluster(chart, 'Database', {
    metadata: { name: 'bench-db' },
    spec: {
      instances: 3,
      imageName: 'ghcr.io/cloudnative-pg/postgresql:18.4-minimal-trixie',
      enableSuperuserAccess: false,
      bootstrap: { initdb: { database: 'app', owner: 'app', dataChecksums: true } },
      storage: { size: '50Gi' },
      walStorage: { size: '10Gi' },
      postgresql: { synchronous: { method: ClusterSpecPostgresqlSynchronousMethod.ANY, number: 1 }, pgHba: ['hostnossl all all all reject'] },
      plugins: [{ name: 'barman-cloud.cloudnative-pg.io', isWalArchiver: true, parameters: { barmanObjectName: 'bench-db' } }],
    },
  });
  new ScheduledBackup(chart, 'DatabaseBackup', {
    metadata: { name: 'bench-db' },
    spec: {
      cluster: { name: 'bench-db' }, schedule: '0 0 2 * * *', method: ScheduledBackupSpecMethod.PLUGIN,
      pluginConfiguration: { name: 'barman-cloud.cloudnative-pg.io' },
    },
  });
  new PodMonitor(chart, 'DatabaseMonitor', {
    metadata: { name: 'bench-db' },
    spec: { selector: { matchLabels: DATABASE_LABELS }, podMetricsEndpoints: [{ port: 'metrics' }] },
  });
  new PrometheusRule(chart, 'DatabaseAlerts', {
    metadata: { name: 'bench-db' },
    spec: {
      groups: [{
        name: 'bench-db',
        rules: [
          { alert: 'PostgresInstanceDown', expr: PrometheusRuleSpecGroupsRulesExpr.fromString('count(cnpg_collector_up{namespace="bench"} == 1) < 3'), for: '5m', labels: { severity: 'warning' } },
          { alert: 'PostgresWalArchivingFailing', expr: PrometheusRuleSpecGroupsRulesExpr.fromString('max(cnpg_pg_stat_archiver_last_failed_time - cnpg_pg_stat_archiver_last_archived_time) > 0'), for: '5m', labels: { severity: 'critical' } },
        ],
      }],
    },
  });
  const ingress: kplus.k8s.NetworkPolicyIngressRule[] = [];
  new k8s.KubeNetworkPolicy(chart, 'DatabasePolicy', {
    metadata: { name: 'bench-db' },
    spec: {
      podSelector: { matchLabels: DATABASE_LABELS },
      policyTypes: ['Ingress', 'Egress'],
      ingress,
      egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/20' } }], ports: [{ port: k8s.IntOrString.fromNumber(443), protocol: 'TCP' }] }],
    },
  });
  return ingress;
}

function handwrittenService(chart: Chart, index: number, databaseIngress: kplus.k8s.NetworkPolicyIngressRule[]): kplus.Service {
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
      envVariables: {
        PGHOST: kplus.EnvValue.fromValue('bench-db-rw.bench.svc'),
        PGPORT: kplus.EnvValue.fromValue('5432'),
        PGDATABASE: kplus.EnvValue.fromValue('app'),
        PGUSER: kplus.EnvValue.fromValue('app'),
        PGPASSWORD_FILE: kplus.EnvValue.fromValue('/var/run/secrets/postgres/bench-db/password'),
        PGSSLMODE: kplus.EnvValue.fromValue('verify-full'),
      },
      securityContext: {
        ensureNonRoot: true, user: 10001, group: 10001, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, privileged: false,
        capabilities: { drop: [kplus.Capability.ALL] }, seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
      },
      resources: {
        cpu: { request: kplus.Cpu.millis(250), limit: kplus.Cpu.units(1) },
        memory: { request: Size.mebibytes(256), limit: Size.mebibytes(512) },
        ephemeralStorage: { request: Size.gibibytes(1), limit: Size.gibibytes(2) },
      },
      readiness: kplus.Probe.fromHttpGet('/ready', { port: 8080 }),
      liveness: kplus.Probe.fromHttpGet('/health', { port: 8080 }),
      startup: kplus.Probe.fromHttpGet('/health', { port: 8080, periodSeconds: Duration.seconds(5), failureThreshold: 30 }),
      volumeMounts: [
        { path: '/tmp', volume: kplus.Volume.fromEmptyDir(scope, 'Tmp', 'tmp', { sizeLimit: Size.mebibytes(256) }) },
        {
          path: '/var/run/secrets/postgres/bench-db',
          volume: kplus.Volume.fromSecret(scope, 'DbCredentials', kplus.Secret.fromSecretName(scope, 'DbApp', 'bench-db-app'), {
            name: 'bench-db-credentials', defaultMode: 0o400, items: { username: { path: 'username' }, password: { path: 'password' } },
          }),
          readOnly: true,
        },
      ],
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
      rules: [
        { peer: kplus.Namespaces.select(scope, 'Monitoring', { names: ['monitoring'] }), ports: [kplus.NetworkPolicyPort.tcp(8080)] },
        { peer: kplus.Namespaces.select(scope, 'Haproxy', { names: ['haproxy-controller'] }), ports: [kplus.NetworkPolicyPort.tcp(8080)] },
      ],
    },
    egress: {
      default: kplus.NetworkPolicyTrafficDefault.DENY,
      rules: [{ peer: kplus.Pods.select(scope, 'Dns', { labels: { 'k8s-app': 'kube-dns' }, namespaces: kplus.Namespaces.select(scope, 'KubeSystem', { names: ['kube-system'] }) }),
        ports: [kplus.NetworkPolicyPort.udp(53), kplus.NetworkPolicyPort.tcp(53)] },
      { peer: kplus.Pods.select(scope, 'Database', { labels: DATABASE_LABELS }), ports: [kplus.NetworkPolicyPort.tcp(5432)] }],
    },
  });
  new ServiceMonitor(scope, 'ServiceMonitor', {
    metadata: { name, labels },
    spec: {
      selector: { matchLabels: labels },
      endpoints: [{ port: 'http', path: '/metrics', interval: '30s', scheme: ServiceMonitorSpecEndpointsScheme.HTTP }],
    },
  });
  databaseIngress.push({ from: [{ podSelector: { matchLabels: labels } }], ports: [{ port: k8s.IntOrString.fromNumber(5432), protocol: 'TCP' }] });
  const selector = `namespace="bench", service="${name}"`;
  const alert = (name_: string, expr: string, severity: string) => ({
    alert: name_, expr: PrometheusRuleSpecGroupsRulesExpr.fromString(expr), for: '10m',
    labels: { severity }, annotations: { summary: `${name_} on {{ $labels.service }}`, description: `${name_} has fired for 10 minutes.` },
  });
  new PrometheusRule(scope, 'Alerts', {
    metadata: { name, labels },
    spec: {
      groups: [{
        name,
        rules: [
          alert('HttpErrorRatioHigh', `sum(rate(http_requests_total{${selector}, code=~"5.."}[5m])) / sum(rate(http_requests_total{${selector}}[5m])) > 0.05`, 'critical'),
          alert('HttpLatencyHigh', `histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{${selector}}[5m]))) > 1`, 'warning'),
          alert('DeploymentReplicasUnavailable', `kube_deployment_status_replicas_unavailable{namespace="bench", deployment="${name}"} > 0`, 'warning'),
        ],
      }],
    },
  });
  const panels = ['Request rate', 'Error ratio', 'Latency', 'Restarts', 'CPU', 'Memory'].map((title, i) => ({
    id: i + 1, type: 'timeseries', title, datasource: { type: 'prometheus', uid: '${datasource}' },
    gridPos: { h: 8, w: 12, x: (i % 2) * 12, y: Math.floor(i / 2) * 8 },
    targets: [{ refId: 'A', expr: `sum(rate(http_requests_total{${selector}}[$__rate_interval]))`, legendFormat: '{{pod}}' }],
  }));
  new kplus.ConfigMap(scope, 'Dashboard', {
    metadata: { name: `${name}-dashboard`, labels: { ...labels, grafana_dashboard: '1' } },
    data: { [`${name}.json`]: JSON.stringify({ uid: name, title: name, schemaVersion: 39, panels }, undefined, 2) },
  });
  return service;
}
