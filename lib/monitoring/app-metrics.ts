import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { check } from '../core/errors';
import { Kind } from '../core/kinds';
import { checkWholeSeconds } from '../core/quantities';
import { checkBetweenExclusive, checkHttpPath } from '../core/validate';
import { checkLabelName, checkMetricName, checkRunbookBaseUrl } from './alerting';
import { PROMETHEUS_KIND, Prometheus, checkPrometheus } from './prometheus';

/** When the alerts of an app fire, and where their runbooks are. */
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

/** Prometheus scraping of an app, and when its alerts fire. */
export interface MetricsOptions {
  /** Container port that serves metrics. @default - the main `port` */
  readonly port?: number;
  /** HTTP path of the metrics. @default '/metrics' */
  readonly path?: string;
  /** Scrape interval. @default Duration.seconds(30) */
  readonly interval?: Duration;
  /**
   * The Prometheus that scrapes the app and loads its alerts: the ServiceMonitor and the PrometheusRule
   * carry the labels it selects, and the NetworkPolicy admits its pods to the metrics port.
   * @default Prometheus.kubePrometheusStack() - release kube-prometheus-stack in namespace monitoring
   */
  readonly prometheus?: Prometheus;
  /** Counter of the HTTP requests the app handled, labelled with the status code. @default 'http_requests_total' */
  readonly requestsMetric?: string;
  /** Label of `requestsMetric` that holds the HTTP status code. @default 'code' */
  readonly statusCodeLabel?: string;
  /** Histogram of request durations in seconds, named without the `_bucket` suffix. @default 'http_request_duration_seconds' */
  readonly requestDurationMetric?: string;
  /**
   * When the app's alerts fire (a PrometheusRule beside the ServiceMonitor, with a Grafana dashboard).
   * @default - more than 5% server errors, p99 latency above 1s, or replicas unavailable, each for 10-15 minutes; no runbook links
   */
  readonly alerts?: AppAlertOptions;
}

/**
 * An app's metrics and alert thresholds with every default resolved and every value checked: what
 * {@link AppMonitoring} renders. Made once, by the workload that declares the metrics.
 */
export class AppMetrics {
  /**
   * Resolves the defaults of `options` and checks them. Errors name `scope` (the workload) and the
   * prop as the user wrote it there (`metrics.requestsMetric`, ...).
   */
  public static resolve(scope: IConstruct, options: MetricsOptions): AppMetrics {
    METRICS_OPTIONS_KIND.check(scope, 'metrics', options);
    const alerts = options.alerts ?? {};
    const metrics = new AppMetrics(
      options.path ?? '/metrics',
      options.interval ?? Duration.seconds(30),
      options.requestsMetric ?? 'http_requests_total',
      options.statusCodeLabel ?? 'code',
      options.requestDurationMetric ?? 'http_request_duration_seconds',
      alerts.maxErrorRatio ?? 0.05,
      alerts.latencyQuantile ?? 0.99,
      alerts.maxLatency ?? Duration.seconds(1),
      alerts.runbookBaseUrl,
      options.prometheus ?? Prometheus.kubePrometheusStack(),
    );
    if (options.path !== undefined) {
      checkHttpPath(scope, 'metrics.path', options.path);
    }
    // prometheus-operator writes the interval as a Go duration, which the ServiceMonitor CRD's pattern takes in whole units.
    checkWholeSeconds(scope, 'metrics.interval', metrics.interval, 1);
    checkMetricName(scope, 'metrics.requestsMetric', metrics.requestsMetric);
    checkLabelName(scope, 'metrics.statusCodeLabel', metrics.statusCodeLabel);
    checkMetricName(scope, 'metrics.requestDurationMetric', metrics.requestDurationMetric);
    check(!/_(bucket|sum|count)$/.test(metrics.requestDurationMetric), scope, 'metrics.requestDurationMetric', metrics.requestDurationMetric,
      'must be the name of the histogram, without the _bucket, _sum or _count suffix');
    checkBetweenExclusive(scope, 'metrics.alerts.maxErrorRatio', metrics.maxErrorRatio, 0, 1);
    checkBetweenExclusive(scope, 'metrics.alerts.latencyQuantile', metrics.latencyQuantile, 0, 1);
    const latency = metrics.maxLatency.toMilliseconds({ integral: false });
    check(Number.isFinite(latency) && latency > 0, scope, 'metrics.alerts.maxLatency', metrics.maxLatency.toHumanString(),
      'must be longer than zero');
    if (metrics.runbookBaseUrl !== undefined) {
      checkRunbookBaseUrl(scope, 'metrics.alerts.runbookBaseUrl', metrics.runbookBaseUrl);
    }
    checkPrometheus(scope, 'metrics.prometheus', metrics.prometheus);
    return metrics;
  }

  private constructor(
    /** HTTP path of the metrics. */
    public readonly path: string,
    /** Scrape interval. */
    public readonly interval: Duration,
    /** Counter of the HTTP requests, labelled with the status code. */
    public readonly requestsMetric: string,
    /** Label of `requestsMetric` that holds the status code. */
    public readonly statusCodeLabel: string,
    /** Histogram of request durations in seconds, without the `_bucket` suffix. */
    public readonly requestDurationMetric: string,
    /** Share of 5xx responses above which `HttpErrorRatioHigh` fires. */
    public readonly maxErrorRatio: number,
    /** Quantile of the latency that `HttpLatencyHigh` watches. */
    public readonly latencyQuantile: number,
    /** Latency at `latencyQuantile` above which `HttpLatencyHigh` fires. */
    public readonly maxLatency: Duration,
    /** Base URL of the runbooks, when alerts link to them. */
    public readonly runbookBaseUrl: string | undefined,
    /** The Prometheus that scrapes the app and loads its alerts. */
    public readonly prometheus: Prometheus,
  ) {}
}

/**
 * {@link AppAlertOptions}, as a prop's kind.
 * @internal
 */
export const APP_ALERT_OPTIONS_KIND = Kind.object<AppAlertOptions>('an AppAlertOptions object', {
  maxErrorRatio: Kind.NUMBER.optional(),
  latencyQuantile: Kind.NUMBER.optional(),
  maxLatency: Kind.DURATION.optional(),
  runbookBaseUrl: Kind.STRING.optional(),
});

/**
 * {@link MetricsOptions}, as a prop's kind.
 * @internal
 */
export const METRICS_OPTIONS_KIND = Kind.object('a MetricsOptions object', {
  port: Kind.NUMBER.optional(),
  path: Kind.STRING.optional(),
  interval: Kind.DURATION.optional(),
  prometheus: PROMETHEUS_KIND.optional(),
  requestsMetric: Kind.STRING.optional(),
  statusCodeLabel: Kind.STRING.optional(),
  requestDurationMetric: Kind.STRING.optional(),
  alerts: APP_ALERT_OPTIONS_KIND.optional(),
});
