import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { PrometheusRule, ServiceMonitor, ServiceMonitorSpecEndpointsScheme } from '../../imports/monitoring.coreos.com';
import { renderAlerts } from '../monitoring/alerting';
import { Prometheus, admitScraper, declarePrometheus, selectedLabels } from '../monitoring/prometheus';
import { NetworkPolicyRules } from '../network/network-policy-rules';
import { EXPORTER_PORT, EXPORTER_PORT_NAME } from './_operator';
import { RedisAlertContext, redisAlertRules } from './_redis-alerts';

/** Prometheus scraping and alerting of a Redis. */
export interface RedisMonitoringOptions {
  /** Whether the exporters, a ServiceMonitor and a PrometheusRule are created. @default true */
  readonly enabled?: boolean;
  /**
   * The Prometheus that scrapes the exporters and loads the alerts: the ServiceMonitor and the PrometheusRule carry
   * the labels it selects, and the NetworkPolicies admit its pods to the exporters' port.
   * @default Prometheus.kubePrometheusStack() - release kube-prometheus-stack in namespace monitoring
   */
  readonly prometheus?: Prometheus;
  /** Scrape interval. @default Duration.seconds(30) */
  readonly interval?: Duration;
  /** Share of maxmemory in use, in percent, above which `RedisMemoryNearLimit` fires. @default 90 */
  readonly memoryUsagePercent?: number;
  /**
   * Base URL of the runbooks: every alert links to `<base>/<alert name in lowercase>`.
   * @default - no runbook links
   */
  readonly runbookBaseUrl?: string;
}

/**
 * What the monitoring of a Redis watches.
 * @internal
 */
export interface WatchedRedis {
  readonly prometheus: Prometheus;
  /** Name, namespace and labels of the ServiceMonitor and the PrometheusRule; the name is the Redis's. */
  readonly metadata: { readonly name: string; readonly namespace: string; readonly labels: Record<string, string> };
  /** The `app` labels of the operator's metrics Services: `<name>`, and `<name>-sentinel` with Sentinels. */
  readonly apps: readonly string[];
  /** The policies of the pods that run an exporter. */
  readonly policies: readonly NetworkPolicyRules[];
  readonly interval: Duration;
  readonly alerts: Omit<RedisAlertContext, 'name' | 'namespace'>;
}

/**
 * A ServiceMonitor of the operator's metrics Services and the Redis alerts. The operator creates no ServiceMonitor
 * (redis-operator v0.26.0: none in internal/ or api/; its docs/content/en/docs/Monitoring say to write one); it
 * creates `<name>-metrics` (and `<name>-sentinel-metrics`) labelled `app.kubernetes.io/component: metrics`, beside
 * Services that expose the exporter port too (`<name>`), so the selector picks the metrics Services only and each
 * pod is scraped once (internal/k8sutils/services.go CreateOrUpdateMetricsService).
 * @internal
 */
export function addRedisMonitoring(scope: Construct, options: RedisMonitoringOptions, watched: WatchedRedis):
{ serviceMonitor: ServiceMonitor; alerts: PrometheusRule } {
  const { prometheus } = watched;
  const metadata = { ...watched.metadata, labels: selectedLabels(prometheus, watched.metadata.labels) };
  declarePrometheus(scope, prometheus);
  watched.policies.forEach((policy) => admitScraper(policy, prometheus, [{ port: EXPORTER_PORT }]));
  const serviceMonitor = new ServiceMonitor(scope, 'ServiceMonitor', {
    metadata,
    spec: {
      selector: {
        matchLabels: { 'app.kubernetes.io/component': 'metrics' },
        matchExpressions: [{ key: 'app', operator: 'In', values: [...watched.apps] }],
      },
      namespaceSelector: { matchNames: [metadata.namespace] },
      endpoints: [{ port: EXPORTER_PORT_NAME, interval: `${watched.interval.toSeconds()}s`, scheme: ServiceMonitorSpecEndpointsScheme.HTTP }],
    },
  });
  const alerts = new PrometheusRule(scope, 'Alerts', {
    metadata,
    spec: {
      groups: [{
        name: `${metadata.namespace}.${metadata.name}.redis`,
        rules: renderAlerts(redisAlertRules({ name: metadata.name, namespace: metadata.namespace, ...watched.alerts }),
          { namespace: metadata.namespace, runbookBaseUrl: options.runbookBaseUrl, labels: { redis: metadata.name } }),
      }],
    },
  });
  return { serviceMonitor, alerts };
}
