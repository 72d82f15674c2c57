import { Duration } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { PrometheusRule } from '../imports/monitoring.coreos.com';
import { Alert, AlertSeverity, checkLabelName, checkMetricName, checkRunbookBaseUrl, prometheusDuration, renderAlerts } from './alerting';
import { check } from './errors';
import { DashboardPanel, GrafanaDashboard, PanelUnit } from './grafana-dashboard';
import type { MetricsOptions, ProductionApp } from './production-app';

/** When the alerts of a {@link ProductionApp} fire, and where their runbooks are. */
export interface AppAlertOptions {
  /** Share of requests answered with a 5xx status (between 0 and 1) above which `HttpErrorRatioHigh` fires. @default 0.05 */
  readonly maxErrorRatio?: number;
  /** Quantile of the request latency (between 0 and 1) that `HttpLatencyHigh` watches. @default 0.99 */
  readonly latencyQuantile?: number;
  /** Latency at `latencyQuantile` above which `HttpLatencyHigh` fires. @default Duration.seconds(1) */
  readonly maxLatency?: Duration;
  /** Base URL of the runbooks: every alert links to `<base>/<alert name in lowercase>`. @default - no runbook links */
  readonly runbookBaseUrl?: string;
}

/** Props of {@link AppMonitoring}. */
export interface AppMonitoringProps {
  /** The app to watch. */
  readonly app: ProductionApp;
  /** How the app exposes its metrics, and when its alerts fire. */
  readonly metrics: MetricsOptions;
}

/**
 * Checks the monitoring options of `app` (metric and label names, thresholds, runbook URL). Errors
 * name the app and the prop as the user wrote them on the ProductionApp, which calls this before
 * it creates any object.
 */
export function checkMetricsOptions(app: IConstruct, metrics: MetricsOptions): void {
  const duration = metrics.requestDurationMetric ?? 'http_request_duration_seconds';
  const alerting = metrics.alerts ?? {};
  const maxErrorRatio = alerting.maxErrorRatio ?? 0.05;
  const latencyQuantile = alerting.latencyQuantile ?? 0.99;
  const maxLatency = alerting.maxLatency ?? Duration.seconds(1);
  checkMetricName(app, 'metrics.requestsMetric', metrics.requestsMetric ?? 'http_requests_total');
  checkLabelName(app, 'metrics.statusCodeLabel', metrics.statusCodeLabel ?? 'code');
  checkMetricName(app, 'metrics.requestDurationMetric', duration);
  check(!/_(bucket|sum|count)$/.test(duration), app, 'metrics.requestDurationMetric', duration,
    'must be the name of the histogram, without the _bucket, _sum or _count suffix');
  check(maxErrorRatio > 0 && maxErrorRatio < 1, app, 'metrics.alerts.maxErrorRatio', maxErrorRatio, 'must be between 0 and 1 (exclusive)');
  check(latencyQuantile > 0 && latencyQuantile < 1, app, 'metrics.alerts.latencyQuantile', latencyQuantile, 'must be between 0 and 1 (exclusive)');
  check(maxLatency.toMilliseconds({ integral: false }) > 0, app, 'metrics.alerts.maxLatency', maxLatency.toHumanString(), 'must be longer than zero');
  if (alerting.runbookBaseUrl !== undefined) {
    checkRunbookBaseUrl(app, 'metrics.alerts.runbookBaseUrl', alerting.runbookBaseUrl);
  }
}

/** Rate windows hold at least four scrapes, and never less than five minutes, so that one missed scrape does not fire an alert. */
const MIN_RATE_WINDOW = Duration.minutes(5);
const SCRAPES_PER_WINDOW = 4;
const DEFAULT_SCRAPE_INTERVAL = Duration.seconds(30);

/**
 * The alerts and the dashboard of a {@link ProductionApp} that declares metrics: a PrometheusRule
 * with its HTTP error ratio and latency (from its own metrics) and unavailable replicas
 * (kube-state-metrics), and a Grafana dashboard of request rate, errors, latency, CPU and memory
 * against requests and limits, and restarts.
 *
 * The HTTP metrics default to the Prometheus client conventions: a counter `http_requests_total`
 * with a `code` label and a histogram `http_request_duration_seconds`. Series are selected by the
 * `namespace` and `service` labels prometheus-operator gives every target of the app's
 * ServiceMonitor, and container metrics (cAdvisor, kube-state-metrics) by namespace and container name.
 *
 * @see https://prometheus.io/docs/practices/naming/
 * @see https://prometheus-operator.dev/docs/developer/alerting/
 */
export class AppMonitoring extends Construct {
  /** The PrometheusRule with the app's alerts. */
  public readonly alerts: PrometheusRule;
  /** The app's Grafana dashboard. */
  public readonly dashboard: GrafanaDashboard;

  public constructor(scope: Construct, id: string, props: AppMonitoringProps) {
    super(scope, id);
    const { app, metrics } = props;
    const requests = metrics.requestsMetric ?? 'http_requests_total';
    const statusCode = metrics.statusCodeLabel ?? 'code';
    const duration = metrics.requestDurationMetric ?? 'http_request_duration_seconds';
    const alerting = metrics.alerts ?? {};
    const maxErrorRatio = alerting.maxErrorRatio ?? 0.05;
    const latencyQuantile = alerting.latencyQuantile ?? 0.99;
    const maxLatency = alerting.maxLatency ?? Duration.seconds(1);

    checkMetricsOptions(app, metrics);

    const scrapeWindow = Duration.seconds(SCRAPES_PER_WINDOW * (metrics.interval ?? DEFAULT_SCRAPE_INTERVAL).toSeconds());
    const window = prometheusDuration(scrapeWindow.toSeconds() > MIN_RATE_WINDOW.toSeconds() ? scrapeWindow : MIN_RATE_WINDOW);
    const service = `namespace="${app.namespace}", service="${app.serviceName}"`;
    const container = `namespace="${app.namespace}", container="${app.name}"`;
    const errors = `${statusCode}=~"5.."`;
    const percentile = `p${+(latencyQuantile * 100).toFixed(2)}`;
    const latencySeconds = maxLatency.toSeconds({ integral: false });
    // The app's recommended labels, as on every object of the app.
    const labels = app.deployment.metadata.toJson().labels as Record<string, string>;

    const alerts: Alert[] = [
      {
        name: 'HttpErrorRatioHigh',
        expr: `sum by (namespace, service) (rate(${requests}{${service}, ${errors}}[${window}]))`
          + ` / sum by (namespace, service) (rate(${requests}{${service}}[${window}])) > ${maxErrorRatio}`,
        for: Duration.minutes(10),
        severity: AlertSeverity.CRITICAL,
        summary: '{{ $labels.service }} answers {{ $value | humanizePercentage }} of requests with a server error',
        description: `More than ${+(maxErrorRatio * 100).toFixed(2)}% of the requests to {{ $labels.namespace }}/{{ $labels.service }} have failed with a 5xx status for 10 minutes.`,
      },
      {
        name: 'HttpLatencyHigh',
        expr: `histogram_quantile(${latencyQuantile}, sum by (namespace, service, le) (rate(${duration}_bucket{${service}}[${window}]))) > ${latencySeconds}`,
        for: Duration.minutes(10),
        severity: AlertSeverity.WARNING,
        summary: `{{ $labels.service }} answers slowly: ${percentile} latency is {{ $value | humanizeDuration }}`,
        description: `The ${percentile} latency of {{ $labels.namespace }}/{{ $labels.service }} has been above ${latencySeconds}s for 10 minutes.`,
      },
      {
        name: 'DeploymentReplicasUnavailable',
        expr: `kube_deployment_status_replicas_unavailable{namespace="${app.namespace}", deployment="${app.deployment.name}"} > 0`,
        for: Duration.minutes(15),
        severity: AlertSeverity.WARNING,
        summary: 'Deployment {{ $labels.deployment }} has {{ $value }} unavailable replicas',
        description: 'Deployment {{ $labels.namespace }}/{{ $labels.deployment }} has had unavailable replicas for 15 minutes: it runs with less capacity and redundancy than it asks for.',
      },
    ];
    this.alerts = new PrometheusRule(this, 'Alerts', {
      metadata: { name: app.name, namespace: app.namespace, labels },
      spec: { groups: [{ name: app.name, rules: renderAlerts(alerts, alerting.runbookBaseUrl) }] },
    });

    const rate = (selector: string) => `rate(${requests}{${selector}}[$__rate_interval])`;
    const panels: DashboardPanel[] = [
      {
        title: 'Request rate',
        description: 'Requests per second, by status code.',
        unit: PanelUnit.REQUESTS_PER_SECOND,
        queries: [{ expr: `sum by (${statusCode}) (${rate(service)})`, legend: `{{${statusCode}}}` }],
      },
      {
        title: 'Error ratio',
        description: `Share of requests answered with a 5xx status; the alert fires above ${+(maxErrorRatio * 100).toFixed(2)}%.`,
        unit: PanelUnit.RATIO,
        queries: [{ expr: `sum(${rate(`${service}, ${errors}`)}) / sum(${rate(service)})`, legend: 'errors' }],
      },
      {
        title: 'Latency',
        description: `Request latency quantiles; the alert fires when ${percentile} stays above ${latencySeconds}s.`,
        unit: PanelUnit.SECONDS,
        queries: [...new Set([0.5, 0.95, latencyQuantile])].map((quantile) => ({
          expr: `histogram_quantile(${quantile}, sum by (le) (rate(${duration}_bucket{${service}}[$__rate_interval])))`,
          legend: `p${+(quantile * 100).toFixed(2)}`,
        })),
      },
      {
        title: 'Restarts',
        description: 'Container restarts per pod in the last hour.',
        unit: PanelUnit.COUNT,
        queries: [{ expr: `sum by (pod) (increase(kube_pod_container_status_restarts_total{${container}}[1h]))`, legend: '{{pod}}' }],
      },
      {
        title: 'CPU',
        description: 'CPU used per pod against the container\'s request and limit.',
        unit: PanelUnit.CORES,
        queries: [
          { expr: `sum by (pod) (rate(container_cpu_usage_seconds_total{${container}}[$__rate_interval]))`, legend: '{{pod}}' },
          ...resourceQueries(container, 'cpu'),
        ],
      },
      {
        title: 'Memory',
        description: 'Working-set memory per pod (what the OOM killer compares with the limit) against the container\'s request and limit.',
        unit: PanelUnit.BYTES,
        queries: [
          { expr: `sum by (pod) (container_memory_working_set_bytes{${container}})`, legend: '{{pod}}' },
          ...resourceQueries(container, 'memory'),
        ],
      },
    ];
    this.dashboard = new GrafanaDashboard(this, 'Dashboard', {
      name: `${app.name}-dashboard`,
      namespace: app.namespace,
      title: `${app.name} (${app.namespace})`,
      tags: [app.namespace],
      labels,
      panels,
    });
  }
}

/** The request and the limit of `resource` of the app's container (kube-state-metrics). */
function resourceQueries(container: string, resource: 'cpu' | 'memory') {
  return ['requests', 'limits'].map((kind) => ({
    expr: `max(kube_pod_container_resource_${kind}{${container}, resource="${resource}"})`,
    legend: kind === 'requests' ? 'request' : 'limit',
  }));
}
