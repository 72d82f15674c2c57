import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { PrometheusRule } from '../../imports/monitoring.coreos.com';
import { check } from '../core/errors';
import { Kind, checkProps } from '../core/kinds';
import { recommendedLabels } from '../core/labels';
import { boundedName, resolveNamespace } from '../core/names';
import { checkDnsSubdomain, checkInteger } from '../core/validate';
import { ALERT_CONDITION_KIND, Alert, AlertCondition, AlertSeverity, checkRunbookBaseUrl, renderAlerts } from './alerting';
import { PROMETHEUS_KIND, Prometheus, checkPrometheus, declareClusterMetrics, declarePrometheus, declareVolumeStats, selectedLabels } from './prometheus';

/** Props of {@link PlatformAlerts}. */
export interface PlatformAlertsProps {
  /** Namespace whose workloads the alerts watch; the PrometheusRule lives there too. @default - the namespace of the chart */
  readonly namespace?: string;
  /** Name of the PrometheusRule. @default 'platform-alerts' */
  readonly name?: string;
  /**
   * Base URL of the runbooks: every alert links to `<base>/<alert name in lowercase>`,
   * e.g. `https://runbooks.example.com/platform/podcrashlooping`.
   * @default - no runbook links
   */
  readonly runbookBaseUrl?: string;
  /** Share of a PersistentVolumeClaim's capacity, in percent, above which `PersistentVolumeFillingUp` fires. @default 80 */
  readonly volumeUsagePercent?: number;
  /**
   * The Prometheus that loads the alerts: the PrometheusRule carries the labels it selects.
   * @default Prometheus.kubePrometheusStack() - release kube-prometheus-stack in namespace monitoring
   */
  readonly prometheus?: Prometheus;
  /**
   * When the database is unhealthy (`DatabaseUnhealthy`, critical), e.g. `AlertCondition.gaugeIsZero('pg_up')`
   * where postgres_exporter runs. `HaPostgres` brings its own rules on CloudNativePG's metrics instead.
   * @default AlertCondition.none() - no alert: an alert exists only when the exporter it reads is deployed
   */
  readonly database?: AlertCondition;
  /**
   * When the cache or task queue is unhealthy (`CacheUnhealthy`, critical), e.g. `AlertCondition.gaugeIsZero('redis_up')`
   * where redis_exporter runs.
   * @default AlertCondition.none() - no alert: an alert exists only when the exporter it reads is deployed
   */
  readonly cache?: AlertCondition;
  /**
   * When background tasks fail more than usual (`TaskFailuresRising`, warning), e.g.
   * `AlertCondition.counterIncrease('celery_task_failed_total', 5, Duration.minutes(15))` where celery-exporter runs.
   * @default AlertCondition.none() - no alert: an alert exists only when the exporter it reads is deployed
   */
  readonly taskFailures?: AlertCondition;
}

/**
 * The alerts every production namespace needs, from Aileron's production checklist, as one
 * prometheus-operator `PrometheusRule`: a crash-looping pod (critical) and a volume over 80% full
 * (warning) always; an unhealthy database or cache (critical) and rising task failures (warning) when
 * their condition is given. Aileron's "High" (an unhealthy cache: the task queue is down) is an
 * outage, and kube-prometheus-stack's routing pages on `critical`, so it is `critical` here.
 *
 * Pod and volume alerts read kube-state-metrics and the kubelet's volume stats; the database, cache
 * and task alerts read the exporters named by their conditions, so they exist only when a condition
 * names one. Every expression selects the namespace, so one rule per namespace never alerts on
 * another's workloads, and every alert carries the `namespace` label.
 *
 * @see https://prometheus-operator.dev/docs/developer/alerting/
 * @see https://github.com/kubernetes/kube-state-metrics/tree/main/docs/metrics
 */
export class PlatformAlerts extends Construct {
  /** Name of the PrometheusRule. */
  public readonly name: string;
  /** Namespace the alerts watch. */
  public readonly namespace: string;
  /** The PrometheusRule. */
  public readonly rule: PrometheusRule;

  public constructor(scope: Construct, id: string, props: PlatformAlertsProps = {}) {
    super(scope, id);
    checkProps(this, props, {
      namespace: Kind.STRING.optional(),
      name: Kind.STRING.optional(),
      runbookBaseUrl: Kind.STRING.optional(),
      volumeUsagePercent: Kind.NUMBER.optional(),
      prometheus: PROMETHEUS_KIND.optional(),
      database: ALERT_CONDITION_KIND.optional(),
      cache: ALERT_CONDITION_KIND.optional(),
      taskFailures: ALERT_CONDITION_KIND.optional(),
    }, 'PlatformAlertsProps');

    this.name = props.name ?? 'platform-alerts';
    this.namespace = resolveNamespace(this, 'PlatformAlerts', props.namespace, 'the alerts watch one namespace');
    const volumeUsagePercent = props.volumeUsagePercent ?? 80;
    const prometheus = props.prometheus ?? Prometheus.kubePrometheusStack();
    const database = props.database ?? AlertCondition.none();
    const cache = props.cache ?? AlertCondition.none();
    const taskFailures = props.taskFailures ?? AlertCondition.none();

    checkDnsSubdomain(this, 'name', this.name);
    if (props.runbookBaseUrl !== undefined) {
      checkRunbookBaseUrl(this, 'runbookBaseUrl', props.runbookBaseUrl);
    }
    checkInteger(this, 'volumeUsagePercent', volumeUsagePercent, 1, 99);
    checkPrometheus(this, 'prometheus', prometheus);
    for (const [prop, condition] of Object.entries({ database, cache, taskFailures })) {
      const problem = condition.problem();
      check(problem === undefined, this, prop, condition.description, problem ?? '');
    }

    const ns = `namespace="${this.namespace}"`;
    const alerts: Alert[] = [
      {
        name: 'PodCrashLooping',
        // max_over_time keeps the alert pending while the container is briefly Running between back-offs.
        expr: `max_over_time(kube_pod_container_status_waiting_reason{${ns}, reason="CrashLoopBackOff"}[5m]) >= 1`,
        for: Duration.minutes(10),
        severity: AlertSeverity.CRITICAL,
        summary: 'Container {{ $labels.container }} of pod {{ $labels.pod }} is crash looping',
        description: 'Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} has been in CrashLoopBackOff for 10 minutes: the service it runs is failing.',
      },
      {
        name: 'PersistentVolumeFillingUp',
        expr: `100 * max by (namespace, persistentvolumeclaim) (kubelet_volume_stats_used_bytes{${ns}})`
          + ` / max by (namespace, persistentvolumeclaim) (kubelet_volume_stats_capacity_bytes{${ns}}) > ${volumeUsagePercent}`,
        for: Duration.minutes(10),
        severity: AlertSeverity.WARNING,
        summary: 'Volume {{ $labels.persistentvolumeclaim }} is {{ $value | humanize }}% full',
        description: `PersistentVolumeClaim {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} is over ${volumeUsagePercent}% full: expand it or free space before writes fail.`,
      },
    ];
    const databaseExpr = database.expression(this.namespace);
    if (databaseExpr !== undefined) {
      alerts.push({
        name: 'DatabaseUnhealthy',
        expr: databaseExpr,
        for: Duration.minutes(2),
        severity: AlertSeverity.CRITICAL,
        summary: 'The database of {{ $labels.namespace }} is unhealthy',
        description: 'The database of namespace {{ $labels.namespace }} has been unhealthy for 2 minutes: every service that stores data is failing.',
      });
    }
    const cacheExpr = cache.expression(this.namespace);
    if (cacheExpr !== undefined) {
      alerts.push({
        name: 'CacheUnhealthy',
        expr: cacheExpr,
        for: Duration.minutes(5),
        severity: AlertSeverity.CRITICAL,
        summary: 'The cache of {{ $labels.namespace }} is unhealthy',
        description: 'The cache and task queue of namespace {{ $labels.namespace }} have been unhealthy for 5 minutes: background tasks are not running.',
      });
    }
    const taskFailuresExpr = taskFailures.expression(this.namespace);
    if (taskFailuresExpr !== undefined) {
      alerts.push({
        name: 'TaskFailuresRising',
        expr: taskFailuresExpr,
        for: Duration.minutes(10),
        severity: AlertSeverity.WARNING,
        summary: 'Background tasks are failing in {{ $labels.namespace }}',
        description: 'Background tasks of namespace {{ $labels.namespace }} have kept failing for 10 minutes: automation is not doing its work.',
      });
    }

    declarePrometheus(this, prometheus);
    declareClusterMetrics(this, prometheus);
    declareVolumeStats(this);
    this.rule = new PrometheusRule(this, 'Resource', {
      metadata: {
        name: this.name,
        namespace: this.namespace,
        // A label value holds 63 characters, the name of a PrometheusRule 253.
        labels: selectedLabels(prometheus, recommendedLabels({ name: boundedName(this.name, 63), instance: boundedName(this.name, 63), component: 'alerting' })),
      },
      spec: { groups: [{ name: this.name, rules: renderAlerts(alerts, { namespace: this.namespace, runbookBaseUrl: props.runbookBaseUrl }) }] },
    });
  }
}
