import { Duration } from 'cdk8s';
import { AppAlertOptions, AppMetrics, AppMonitoring, Image, MetricsOptions, Prerequisite, ProductionApp, Prometheus } from '../../lib';
import { parsePromql } from '../promql';
import { Manifest, ofKind, one, synth, testChart } from '../util';

/** What kube-state-metrics and the kubelet (cAdvisor) provide in every cluster. */
const CLUSTER_METRICS = new Set([
  'kube_deployment_status_replicas_unavailable',
  'kube_pod_container_status_restarts_total',
  'kube_pod_container_resource_requests',
  'kube_pod_container_resource_limits',
  'container_cpu_usage_seconds_total',
  'container_memory_working_set_bytes',
]);

function appWith(metrics: MetricsOptions | undefined, namespace = 'shop'): { app: ProductionApp; manifests: Manifest[] } {
  const chart = testChart(namespace);
  const app = new ProductionApp(chart, 'Api', { image: Image.pinned('ghcr.io/acme/api', '1.4.2'), metrics });
  return { app, manifests: synth(chart) };
}

function rulesOf(manifests: Manifest[]): any[] {
  return one(manifests, 'PrometheusRule').spec.groups.flatMap((group: any) => group.rules);
}

function dashboardOf(manifests: Manifest[]): any {
  const configMap = one(manifests, 'ConfigMap', 'api-dashboard');
  return JSON.parse(configMap.data['api-dashboard.json']);
}

function exprsOf(dashboard: any): string[] {
  return dashboard.panels.flatMap((panel: any) => panel.targets.map((target: any) => target.expr));
}

describe('AppMonitoring', () => {
  test('a ProductionApp that declares metrics gets a PrometheusRule and a dashboard ConfigMap in its namespace', () => {
    // WHEN
    const { app, manifests } = appWith({});

    // THEN
    const rule = one(manifests, 'PrometheusRule');
    expect(rule.metadata).toMatchObject({ name: 'api', namespace: 'shop', labels: { 'app.kubernetes.io/name': 'api' } });
    const dashboard = one(manifests, 'ConfigMap', 'api-dashboard');
    expect(dashboard.metadata).toMatchObject({ namespace: 'shop', labels: { 'grafana_dashboard': '1', 'app.kubernetes.io/name': 'api' } });
    expect(app.monitoring?.alerts.name).toBe('api');
    expect(app.monitoring?.dashboard.name).toBe('api-dashboard');
  });

  test('the ServiceMonitor and the PrometheusRule carry the labels kube-prometheus-stack selects: release=<release>', () => {
    // kube-prometheus-stack 88.5.3 (values.yaml l.4451-4504, templates/prometheus/prometheus.yaml l.193-285): with the chart's
    // defaults (*SelectorNilUsesHelmValues true) its Prometheus selects ServiceMonitors, PodMonitors and rules labelled release=<release>.
    for (const [metrics, release] of [[{}, 'kube-prometheus-stack'], [{ prometheus: Prometheus.kubePrometheusStack({ release: 'kps' }) }, 'kps']] as const) {
      // WHEN
      const { manifests } = appWith(metrics);

      // THEN
      for (const kind of ['ServiceMonitor', 'PrometheusRule']) {
        expect(one(manifests, kind).metadata.labels).toMatchObject({ 'release': release, 'app.kubernetes.io/name': 'api' });
      }
    }
  });

  test('declares prometheus-operator, the selection the Prometheus must make and the cluster metrics the alerts read', () => {
    // WHEN
    const chart = testChart('shop');
    new ProductionApp(chart, 'Api', { image: Image.pinned('ghcr.io/acme/api', '1.4.2'), metrics: { prometheus: Prometheus.kubePrometheusStack({ release: 'kps' }) } });

    // THEN
    const titles = Prerequisite.declaredIn(chart).map((d) => d.prerequisite.title);
    expect(titles).toContain('prometheus-operator (kube-prometheus-stack 88) 0.93');
    expect(titles).toContainEqual(expect.stringMatching(/^Prometheus: kube-prometheus-stack release kps in namespace monitoring selects .* labelled release=kps in every namespace/));
    expect(titles).toContainEqual(expect.stringMatching(/^Prometheus: kube-prometheus-stack release kps scrapes kube-state-metrics 2.20 .* the kubelet/));
    expect(titles).toContainEqual(expect.stringMatching(/^Grafana dashboard sidecar: loads ConfigMaps labelled grafana_dashboard=1 from every namespace/));
  });

  test('every alert carries the namespace label, which kube-prometheus-stack\'s Alertmanager groups and inhibits by', () => {
    expect(rulesOf(appWith({}).manifests).map((r) => r.labels.namespace)).toEqual(['shop', 'shop', 'shop']);
  });

  test('a ProductionApp without metrics gets neither', () => {
    // WHEN
    const { app, manifests } = appWith(undefined);

    // THEN
    expect(ofKind(manifests, 'PrometheusRule')).toEqual([]);
    expect(ofKind(manifests, 'ConfigMap')).toEqual([]);
    expect(app.monitoring).toBeUndefined();
  });

  test('alerts on error ratio, latency and unavailable replicas, with unique names, severities and summaries', () => {
    // WHEN
    const rules = rulesOf(appWith({}).manifests);

    // THEN
    expect(rules.map((r) => [r.alert, r.labels.severity, r.for])).toEqual([
      ['HttpErrorRatioHigh', 'critical', '10m'],
      ['HttpLatencyHigh', 'warning', '10m'],
      ['DeploymentReplicasUnavailable', 'warning', '15m'],
    ]);
    for (const rule of rules) {
      expect(parsePromql(rule.expr).errors).toEqual([]);
      expect(rule.expr).toContain('namespace="shop"');
      expect(rule.annotations.summary).not.toEqual('');
      expect(rule.annotations.description).not.toEqual('');
    }
    expect(new Set(rules.map((r) => r.alert)).size).toBe(rules.length);
  });

  test('defaults to the Prometheus client conventions: 5% server errors, p99 above 1s, a five-minute window', () => {
    // WHEN
    const rules = rulesOf(appWith({}).manifests);

    // THEN
    expect(rules[0].expr).toBe('sum by (namespace, service) (rate(http_requests_total{namespace="shop", service="api", code=~"5.."}[5m]))'
      + ' / sum by (namespace, service) (rate(http_requests_total{namespace="shop", service="api"}[5m])) > 0.05');
    expect(rules[1].expr).toBe('histogram_quantile(0.99, sum by (namespace, service, le) '
      + '(rate(http_request_duration_seconds_bucket{namespace="shop", service="api"}[5m]))) > 1');
    expect(rules[2].expr).toBe('kube_deployment_status_replicas_unavailable{namespace="shop", deployment="api"} > 0');
  });

  test('uses the configured metric names, status label and thresholds, and a window of four scrapes', () => {
    // WHEN
    const { manifests } = appWith({
      interval: Duration.minutes(2),
      requestsMetric: 'starlette_requests_total',
      statusCodeLabel: 'status_code',
      requestDurationMetric: 'starlette_request_duration_seconds',
      alerts: { maxErrorRatio: 0.01, latencyQuantile: 0.95, maxLatency: Duration.millis(250), runbookBaseUrl: 'https://runbooks.example.com/apps' },
    });

    // THEN
    const [errors, latency, replicas] = rulesOf(manifests);
    expect(parsePromql(errors.expr).metrics).toEqual(['starlette_requests_total']);
    expect(errors.expr).toContain('status_code=~"5.."');
    expect(errors.expr).toContain('[8m]');
    expect(errors.expr).toMatch(/> 0.01$/);
    expect(parsePromql(latency.expr).metrics).toEqual(['starlette_request_duration_seconds_bucket']);
    expect(latency.expr).toMatch(/^histogram_quantile\(0.95, .*\) > 0.25$/);
    expect(latency.annotations.summary).toContain('p95');
    expect(replicas.annotations.runbook_url).toBe('https://runbooks.example.com/apps/deploymentreplicasunavailable');
  });

  test('the dashboard shows request rate, errors, latency, restarts, CPU and memory against requests and limits', () => {
    // WHEN
    const dashboard = dashboardOf(appWith({}).manifests);

    // THEN
    expect(dashboard).toMatchObject({ uid: 'shop-api-dashboard', title: 'api (shop)', schemaVersion: 39 });
    expect(dashboard.panels.map((p: any) => [p.title, p.fieldConfig.defaults.unit])).toEqual([
      ['Request rate', 'reqps'],
      ['Error ratio', 'percentunit'],
      ['Latency', 's'],
      ['Restarts', 'none'],
      ['CPU', 'short'],
      ['Memory', 'bytes'],
    ]);
    for (const title of ['CPU', 'Memory']) {
      const panel = dashboard.panels.find((p: any) => p.title === title);
      expect(panel.targets.map((t: any) => t.legendFormat)).toEqual(['{{pod}}', 'request', 'limit']);
    }
  });

  test('every dashboard query is valid PromQL on metrics the app exposes or the cluster provides', () => {
    for (const metrics of [{}, { requestsMetric: 'api_requests_total', requestDurationMetric: 'api_latency_seconds' }]) {
      // WHEN
      const exprs = exprsOf(dashboardOf(appWith(metrics).manifests));

      // THEN
      const exposed = new Set([metrics.requestsMetric ?? 'http_requests_total', `${metrics.requestDurationMetric ?? 'http_request_duration_seconds'}_bucket`]);
      const used = new Set<string>();
      for (const expr of exprs) {
        const parsed = parsePromql(expr);
        expect({ expr, errors: parsed.errors }).toEqual({ expr, errors: [] });
        parsed.metrics.forEach((metric) => used.add(metric));
      }
      expect([...used].filter((metric) => !exposed.has(metric) && !CLUSTER_METRICS.has(metric))).toEqual([]);
      expect([...exposed].filter((metric) => !used.has(metric))).toEqual([]);
    }
  });

  test('the dashboard selects the app\'s series only: its service and its container in its namespace', () => {
    // WHEN
    const exprs = exprsOf(dashboardOf(appWith({}).manifests));

    // THEN
    const selectors = exprs.flatMap((expr) => expr.match(/\{[^}]*\}/g) ?? []);
    expect(selectors.length).toBeGreaterThanOrEqual(exprs.length);
    for (const selector of selectors) {
      expect(selector).toMatch(/^\{namespace="shop", (service|container)="api"[,}]/);
    }
  });

  test('matches the snapshot with minimal metrics options', () => {
    expect(appWith({}).manifests.filter((m) => m.kind === 'PrometheusRule' || m.kind === 'ConfigMap')).toMatchSnapshot();
  });

  test('matches the snapshot with all metrics options', () => {
    const alerts: Required<AppAlertOptions> = {
      maxErrorRatio: 0.02,
      latencyQuantile: 0.9,
      maxLatency: Duration.millis(500),
      runbookBaseUrl: 'https://runbooks.example.com/shop',
    };
    const metrics: Required<MetricsOptions> = {
      port: 9090,
      path: '/internal/metrics',
      interval: Duration.seconds(15),
      prometheus: Prometheus.kubePrometheusStack({ release: 'observability', namespace: 'observability' }),
      requestsMetric: 'api_requests_total',
      statusCodeLabel: 'status',
      requestDurationMetric: 'api_request_duration_seconds',
      alerts,
    };
    expect(appWith(metrics).manifests.filter((m) => m.kind === 'PrometheusRule' || m.kind === 'ConfigMap')).toMatchSnapshot();
  });

  describe('of a StatefulSet', () => {
    const monitoringOf = (controller: { deploymentName?: string; statefulSetName?: string }) => {
      const chart = testChart('shop');
      new AppMonitoring(chart, 'Monitoring', {
        name: 'search', namespace: 'shop', serviceName: 'search', labels: {}, metrics: AppMetrics.resolve(chart, {}), ...controller,
      });
      return synth(chart);
    };

    test('alerts on fewer ready replicas than the StatefulSet asks for, in valid PromQL on kube-state-metrics series', () => {
      // The two series kube-prometheus-stack's own KubeStatefulSetReplicasMismatch compares
      // (kube-prometheus-stack 88.5.3, templates/prometheus/rules-1.14/kubernetes-apps.yaml).
      const alert = rulesOf(monitoringOf({ statefulSetName: 'search' })).find((r) => r.alert === 'StatefulSetReplicasUnavailable');
      const parsed = parsePromql(alert.expr);
      expect(parsed.errors).toEqual([]);
      expect([...parsed.metrics].sort()).toEqual(['kube_statefulset_replicas', 'kube_statefulset_status_replicas_ready']);
      expect(alert).toMatchObject({ for: '15m', labels: { severity: 'warning' } });
    });

    test.each([
      ['both a Deployment and a StatefulSet', { deploymentName: 'a', statefulSetName: 'b' }],
      ['neither a Deployment nor a StatefulSet', {}],
    ])('fails when given %s', (_, controller) => {
      expect(() => monitoringOf(controller)).toThrow(/\[test\/Monitoring\] 'deploymentName' .* or 'statefulSetName' must be given, not both: the replica alert watches one controller/);
    });
  });

  describe('fails when', () => {
    test.each<[string, MetricsOptions, RegExp]>([
      ['the requests metric is not a metric name', { requestsMetric: 'http-requests' },
        /\[test\/Api\] 'metrics.requestsMetric' \('http-requests'\) must be a Prometheus metric name/],
      ['the status code label is not a label name', { statusCodeLabel: 'status.code' },
        /'metrics.statusCodeLabel' \('status.code'\) must be a Prometheus label name/],
      ['the status code label is reserved', { statusCodeLabel: '__name__' }, /'metrics.statusCodeLabel' \('__name__'\) must be a Prometheus label name/],
      ['the duration metric is not a metric name', { requestDurationMetric: '9seconds' },
        /'metrics.requestDurationMetric' \('9seconds'\) must be a Prometheus metric name/],
      ['the duration metric names a series of the histogram', { requestDurationMetric: 'http_request_duration_seconds_bucket' },
        /'metrics.requestDurationMetric' \('http_request_duration_seconds_bucket'\) must be the name of the histogram, without the _bucket, _sum or _count suffix/],
      ['the error ratio is a percentage', { alerts: { maxErrorRatio: 5 } }, /'metrics.alerts.maxErrorRatio' \(5\) must be between 0 and 1 \(exclusive\)/],
      ['the error ratio is zero', { alerts: { maxErrorRatio: 0 } }, /'metrics.alerts.maxErrorRatio' \(0\) must be between 0 and 1/],
      ['the latency quantile is a percentile', { alerts: { latencyQuantile: 99 } }, /'metrics.alerts.latencyQuantile' \(99\) must be between 0 and 1 \(exclusive\)/],
      ['the latency threshold is zero', { alerts: { maxLatency: Duration.seconds(0) } }, /'metrics.alerts.maxLatency' \('0 seconds'\) must be longer than zero/],
      ['the runbook base URL is not absolute', { alerts: { runbookBaseUrl: '/runbooks' } },
        /'metrics.alerts.runbookBaseUrl' \('\/runbooks'\) must be an absolute http or https URL/],
      ['the Prometheus selects by a label value Kubernetes refuses', { prometheus: Prometheus.kubePrometheusStack({ release: 'my release' }) },
        /\[test\/Api\] 'metrics.prometheus.selectorLabels.release' \('my release'\) is not a valid label value/],
    ])('%s', (_, metrics, message) => {
      expect(() => appWith(metrics)).toThrow(message);
    });
  });
});
