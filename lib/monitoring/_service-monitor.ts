import { Construct } from 'constructs';
import { ServiceMonitor, ServiceMonitorSpecEndpointsScheme } from '../../imports/monitoring.coreos.com';
import { AppMetrics } from './app-metrics';
import { declarePrometheus, selectedLabels } from './prometheus';

/** What a ServiceMonitor scrapes: the Services of a workload and their metrics port. */
export interface ServiceMonitorTarget {
  /** Name, namespace and labels of the ServiceMonitor. */
  readonly metadata: { readonly name: string; readonly namespace: string; readonly labels: Record<string, string> };
  /** Labels of the workload's Services. */
  readonly selector: Record<string, string>;
  /**
   * A label of the workload's Services that must not be scraped, e.g. the governing headless Service of a
   * StatefulSet, whose endpoints are the same pods: scraped through both Services, each series would come twice.
   * @default - every Service with the selector's labels
   */
  readonly excludeLabel?: string;
  /** Name of the Service port that serves the metrics. */
  readonly portName: string;
  /** Path and interval of the scrape. */
  readonly metrics: AppMetrics;
}

/**
 * A prometheus-operator ServiceMonitor that scrapes the workload's Services in their own namespace,
 * over HTTP, as `metrics` says, labelled for the Prometheus that `metrics` names.
 * @internal
 */
export function addServiceMonitor(scope: Construct, id: string, target: ServiceMonitorTarget): ServiceMonitor {
  const prometheus = target.metrics.prometheus;
  declarePrometheus(scope, prometheus);
  return new ServiceMonitor(scope, id, {
    metadata: { ...target.metadata, labels: selectedLabels(prometheus, target.metadata.labels) },
    spec: {
      selector: {
        matchLabels: target.selector,
        matchExpressions: target.excludeLabel !== undefined ? [{ key: target.excludeLabel, operator: 'DoesNotExist' }] : undefined,
      },
      namespaceSelector: { matchNames: [target.metadata.namespace] },
      endpoints: [{
        port: target.portName,
        path: target.metrics.path,
        interval: `${target.metrics.interval.toSeconds()}s`,
        scheme: ServiceMonitorSpecEndpointsScheme.HTTP,
      }],
    },
  });
}
