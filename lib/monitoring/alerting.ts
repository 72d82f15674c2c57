import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { PrometheusRuleSpecGroupsRules, PrometheusRuleSpecGroupsRulesExpr } from '../../imports/monitoring.coreos.com';
import { check } from '../core/errors';
import { Kind } from '../core/kinds';
import { durationSeconds } from '../core/quantities';
import { promqlProblem } from '../core/promql';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * The `severity` label of an alert, which Alertmanager routes on: the three levels kube-prometheus-stack's
 * own rules and its default inhibit rules use (a `critical` alert silences the `warning` and `info`
 * alerts of the same name and namespace).
 * @see https://github.com/prometheus-community/helm-charts/blob/main/charts/kube-prometheus-stack/values.yaml (alertmanager.config.inhibit_rules)
 */
export enum AlertSeverity {
  /** An outage of a service or of a core function (Aileron's "Critical" and "High"): page someone now. */
  CRITICAL = 'critical',
  /** Trouble ahead (a filling disk, failing jobs): act within the working day. */
  WARNING = 'warning',
  /** Worth knowing, never worth a page: kube-prometheus-stack mutes it while a warning or critical alert fires in the namespace. */
  INFO = 'info',
}

/**
 * When an alert about a dependency of the platform fires, expressed against the metrics of the
 * namespace it watches.
 * @see https://prometheus.io/docs/prometheus/latest/configuration/alerting_rules/
 */
export class AlertCondition {
  /**
   * Fires for each series of the gauge `metric` in the namespace that is 0: the `up` gauge of an
   * exporter, e.g. `pg_up` (postgres_exporter) or `redis_up` (redis_exporter).
   */
  public static gaugeIsZero(metric: string): AlertCondition {
    return new AlertCondition({ kind: 'gauge', metric });
  }

  /**
   * Fires when the counter `metric`, summed over the namespace, grew by more than `threshold`
   * within `window`, e.g. `celery_task_failed_total` (celery-exporter).
   */
  public static counterIncrease(metric: string, threshold: number, window: Duration): AlertCondition {
    return new AlertCondition({ kind: 'counter', metric, threshold, window });
  }

  /**
   * Fires for each series the PromQL expression `expr` returns. The expression is taken as
   * written: it selects its own namespace.
   */
  public static query(expr: string): AlertCondition {
    return new AlertCondition({ kind: 'query', expr });
  }

  /** No alert, e.g. because another construct already watches the dependency with its own rules. */
  public static none(): AlertCondition {
    return new AlertCondition({ kind: 'none' });
  }

  private constructor(
    private readonly condition:
    | { kind: 'gauge'; metric: string }
    | { kind: 'counter'; metric: string; threshold: number; window: Duration }
    | { kind: 'query'; expr: string }
    | { kind: 'none' },
  ) {}

  /** What the condition watches, as error messages show it. */
  public get description(): string {
    switch (this.condition.kind) {
      case 'gauge': return `${this.condition.metric} is 0`;
      case 'counter': {
        const { metric, threshold, window } = this.condition;
        const seconds = Kind.DURATION.accepts(window) ? durationSeconds(window) : NaN;
        return `${metric} grew by more than ${threshold} in ${Number.isInteger(seconds) ? prometheusDuration(window) : `${seconds}s`}`;
      }
      case 'query': return this.condition.expr;
      case 'none': return 'no alert';
    }
  }

  /** Why this condition cannot be rendered, or `undefined` when it can. */
  public problem(): string | undefined {
    switch (this.condition.kind) {
      case 'gauge':
        return metricNameProblem(this.condition.metric);
      case 'counter': {
        const { metric, threshold, window } = this.condition;
        if (metricNameProblem(metric) !== undefined) {
          return metricNameProblem(metric);
        }
        if (typeof threshold !== 'number' || !Number.isFinite(threshold) || threshold < 0) {
          return `must have a threshold of at least 0, not ${threshold}`;
        }
        const seconds = Kind.DURATION.accepts(window) ? durationSeconds(window) : NaN;
        return Number.isInteger(seconds) && seconds >= 60 ? undefined : 'must have a window of whole seconds, at least one minute';
      }
      case 'query':
        return typeof this.condition.expr === 'string' && this.condition.expr.trim() === '' ? 'must have a PromQL expression' : promqlProblem(this.condition.expr);
      case 'none':
        return undefined;
    }
  }

  /** The PromQL expression of the alert for workloads in `namespace`, or `undefined` for no alert. */
  public expression(namespace: string): string | undefined {
    switch (this.condition.kind) {
      case 'gauge':
        return `${this.condition.metric}{namespace="${namespace}"} == 0`;
      case 'counter': {
        const { metric, threshold, window } = this.condition;
        return `sum by (namespace) (increase(${metric}{namespace="${namespace}"}[${prometheusDuration(window)}])) > ${threshold}`;
      }
      case 'query':
        return this.condition.expr.trim();
      case 'none':
        return undefined;
    }
  }
}

/** An alerting rule, before it is rendered into a PrometheusRule. */
export interface Alert {
  /** Alert name (CamelCase), unique in its rule group. */
  readonly name: string;
  /** PromQL expression: every series it returns is an alert. */
  readonly expr: string;
  /** How long the expression must hold before the alert fires. */
  readonly for: Duration;
  /** Who is woken up. */
  readonly severity: AlertSeverity;
  /** One line for the notification title; may use `{{ $labels.x }}`. */
  readonly summary: string;
  /** What is wrong and what it affects; may use `{{ $labels.x }}` and `{{ $value }}`. */
  readonly description: string;
}

/** Where rendered alerts belong and what they carry besides their own fields. */
export interface AlertRendering {
  /** The namespace every expression selects: each alert carries it as its `namespace` label, which Alertmanager groups and inhibits by. */
  readonly namespace: string;
  /** Base URL of the runbooks, when alerts link to them. */
  readonly runbookBaseUrl?: string;
  /** Labels of every rule, e.g. the name of the watched object for routing; `severity` and `namespace` are always the alert's own. */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * Alerts as prometheus-operator rules: `severity` and `namespace` labels, `summary` and `description`
 * annotations and, when a runbook base URL is given, a `runbook_url` of `<base>/<alert name in lowercase>`.
 * The `namespace` label is set on the rule because an aggregation (`count(...)`, `max(...)`) drops it from
 * the series, and kube-prometheus-stack's Alertmanager groups and inhibits by it.
 */
export function renderAlerts(alerts: readonly Alert[], rendering: AlertRendering): PrometheusRuleSpecGroupsRules[] {
  const base = rendering.runbookBaseUrl?.replace(/\/+$/, '');
  return alerts.map((alert) => ({
    alert: alert.name,
    expr: PrometheusRuleSpecGroupsRulesExpr.fromString(alert.expr),
    for: prometheusDuration(alert.for),
    labels: { ...rendering.labels, namespace: rendering.namespace, severity: alert.severity },
    annotations: {
      summary: alert.summary,
      description: alert.description,
      ...(base !== undefined ? { runbook_url: `${base}/${alert.name.toLowerCase()}` } : {}),
    },
  }));
}

/** A duration as Prometheus writes it: `90s`, `5m`, `1h`. */
export function prometheusDuration(duration: Duration): string {
  const seconds = duration.toSeconds({ integral: false });
  if (seconds % 3600 === 0) {
    return `${seconds / 3600}h`;
  }
  return seconds % 60 === 0 ? `${seconds / 60}m` : `${seconds}s`;
}

/** A base URL for runbook links: absolute, http or https. */
export function checkRunbookBaseUrl(scope: IConstruct, prop: string, value: string): void {
  let protocol: string | undefined;
  try {
    protocol = typeof value === 'string' ? new URL(value).protocol : undefined;
  } catch {
    protocol = undefined;
  }
  check(protocol === 'https:' || protocol === 'http:', scope, prop, value, 'must be an absolute http or https URL');
}

/** A Prometheus metric name. */
export function checkMetricName(scope: IConstruct, prop: string, value: string): void {
  const problem = metricNameProblem(value);
  check(problem === undefined, scope, prop, value, problem ?? '');
}

/** A Prometheus label name. */
export function checkLabelName(scope: IConstruct, prop: string, value: string): void {
  check(typeof value === 'string' && LABEL_NAME.test(value) && !value.startsWith('__'), scope, prop, value,
    'must be a Prometheus label name: letters, digits and \'_\', not starting with a digit or \'__\'');
}

function metricNameProblem(metric: string): string | undefined {
  return typeof metric === 'string' && METRIC_NAME.test(metric) ? undefined : 'must be a Prometheus metric name: letters, digits, \'_\' and \':\', not starting with a digit';
}

/**
 * An {@link AlertCondition}, as a prop's kind.
 * @internal
 */
export const ALERT_CONDITION_KIND = Kind.instance(AlertCondition,
  'an AlertCondition (AlertCondition.gaugeIsZero, AlertCondition.counterIncrease, AlertCondition.query or AlertCondition.none)');
