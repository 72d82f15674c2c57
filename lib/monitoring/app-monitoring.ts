import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { PrometheusRule } from '../../imports/monitoring.coreos.com';
import { check } from '../core/errors';
import { Kind, checkProps } from '../core/kinds';
import { checkDnsLabel, checkDnsSubdomain, checkLabels, checkNamespaceName } from '../core/validate';
import { Alert, AlertSeverity, prometheusDuration, renderAlerts } from './alerting';
import { AppMetrics } from './app-metrics';
import { DashboardPanel, GrafanaDashboard, PanelUnit } from './grafana-dashboard';
import { declareClusterMetrics, declarePrometheus, selectedLabels } from './prometheus';

/** Props of {@link AppMonitoring}: plain values of the workload it watches. */
export interface AppMonitoringProps {
  /** Name of the workload: of its container, and of the PrometheusRule and the dashboard. */
  readonly name: string;
  /** Namespace of the workload, and of the PrometheusRule and the dashboard. */
  readonly namespace: string;
  /** The Service whose ServiceMonitor targets carry the HTTP metrics (their `service` label). */
  readonly serviceName: string;
  /** The Deployment whose unavailable replicas `DeploymentReplicasUnavailable` watches; give it or `statefulSetName`. @default - the workload is a StatefulSet */
  readonly deploymentName?: string;
  /** The StatefulSet whose unready replicas `StatefulSetReplicasUnavailable` watches; give it or `deploymentName`. @default - the workload is a Deployment */
  readonly statefulSetName?: string;
  /** Labels of the PrometheusRule and the dashboard ConfigMap: the workload's recommended labels. */
  readonly labels: Record<string, string>;
  /** The workload's metrics, alert thresholds and the Prometheus that loads the alerts. */
  readonly metrics: AppMetrics;
}

/** Rate windows hold at least four scrapes, and never less than five minutes, so that one missed scrape does not fire an alert. */
const MIN_RATE_WINDOW = Duration.minutes(5);
const SCRAPES_PER_WINDOW = 4;

/**
 * The alerts and the dashboard of a workload that declares metrics (a `ProductionApp`): a PrometheusRule
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
    checkProps(this, props, {
      name: Kind.STRING,
      namespace: Kind.STRING,
      serviceName: Kind.STRING,
      deploymentName: Kind.STRING.optional(),
      statefulSetName: Kind.STRING.optional(),
      labels: Kind.record(Kind.STRING),
      metrics: Kind.instance(AppMetrics, 'an AppMetrics (AppMetrics.resolve)'),
    }, 'AppMonitoringProps');
    const { name, namespace, labels, metrics } = props;
    checkDnsLabel(this, 'name', name);
    checkNamespaceName(this, 'namespace', namespace);
    checkDnsLabel(this, 'serviceName', props.serviceName);
    for (const controller of ['deploymentName', 'statefulSetName'] as const) {
      if (props[controller] !== undefined) {
        checkDnsSubdomain(this, controller, props[controller] as string);
      }
    }
    checkLabels(this, 'labels', labels);
    check((props.deploymentName === undefined) !== (props.statefulSetName === undefined), this, 'deploymentName',
      props.deploymentName ?? props.statefulSetName, 'or \'statefulSetName\' must be given, not both: the replica alert watches one controller');
    const requests = metrics.requestsMetric;
    const statusCode = metrics.statusCodeLabel;
    const duration = metrics.requestDurationMetric;
    const { maxErrorRatio, latencyQuantile, maxLatency } = metrics;

    const scrapeWindow = Duration.seconds(SCRAPES_PER_WINDOW * metrics.interval.toSeconds());
    const window = prometheusDuration(scrapeWindow.toSeconds() > MIN_RATE_WINDOW.toSeconds() ? scrapeWindow : MIN_RATE_WINDOW);
    const service = `namespace="${namespace}", service="${props.serviceName}"`;
    const container = `namespace="${namespace}", container="${name}"`;
    const errors = `${statusCode}=~"5.."`;
    const percentile = `p${+(latencyQuantile * 100).toFixed(2)}`;
    const latencySeconds = maxLatency.toSeconds({ integral: false });

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
      props.statefulSetName !== undefined ? statefulSetAlert(namespace, props.statefulSetName) : deploymentAlert(namespace, props.deploymentName ?? ''),
    ];
    declarePrometheus(this, metrics.prometheus);
    declareClusterMetrics(this, metrics.prometheus);
    this.alerts = new PrometheusRule(this, 'Alerts', {
      metadata: { name, namespace, labels: selectedLabels(metrics.prometheus, labels) },
      spec: { groups: [{ name, rules: renderAlerts(alerts, { namespace, runbookBaseUrl: metrics.runbookBaseUrl }) }] },
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
      name: `${name}-dashboard`,
      namespace,
      title: `${name} (${namespace})`,
      tags: [namespace],
      labels,
      panels,
    });
  }
}

/** Replicas of the Deployment `name` that are not available, for 15 minutes (kube-state-metrics). */
function deploymentAlert(namespace: string, name: string): Alert {
  return {
    name: 'DeploymentReplicasUnavailable',
    expr: `kube_deployment_status_replicas_unavailable{namespace="${namespace}", deployment="${name}"} > 0`,
    for: Duration.minutes(15),
    severity: AlertSeverity.WARNING,
    summary: 'Deployment {{ $labels.deployment }} has {{ $value }} unavailable replicas',
    description: 'Deployment {{ $labels.namespace }}/{{ $labels.deployment }} has had unavailable replicas for 15 minutes: it runs with less capacity and redundancy than it asks for.',
  };
}

/**
 * Fewer ready replicas than the StatefulSet `name` asks for, for 15 minutes: the series
 * kube-prometheus-stack's own `KubeStatefulSetReplicasMismatch` compares (kube-prometheus-stack 88.5.3,
 * `templates/prometheus/rules-1.14/kubernetes-apps.yaml`).
 */
function statefulSetAlert(namespace: string, name: string): Alert {
  const selector = `namespace="${namespace}", statefulset="${name}"`;
  return {
    name: 'StatefulSetReplicasUnavailable',
    expr: `kube_statefulset_status_replicas_ready{${selector}} < kube_statefulset_replicas{${selector}}`,
    for: Duration.minutes(15),
    severity: AlertSeverity.WARNING,
    summary: 'StatefulSet {{ $labels.statefulset }} has fewer ready replicas than it asks for',
    description: 'StatefulSet {{ $labels.namespace }}/{{ $labels.statefulset }} has had unready replicas for 15 minutes: a member of the set is down, and with it its share of the data or the quorum.',
  };
}

/** The request and the limit of `resource` of the app's container (kube-state-metrics). */
function resourceQueries(container: string, resource: 'cpu' | 'memory') {
  return ['requests', 'limits'].map((kind) => ({
    expr: `max(kube_pod_container_resource_${kind}{${container}, resource="${resource}"})`,
    legend: kind === 'requests' ? 'request' : 'limit',
  }));
}
