import { IConstruct } from 'constructs';
import { Kind } from '../core/kinds';
import { NAMESPACE_NAME_LABEL } from '../core/labels';
import { Operator, Prerequisite } from '../core/prerequisites';
import { checkLabels, checkNotBlank } from '../core/validate';
import { checkNetworkPeer } from '../network/_checks';
import { NetworkPeer, NetworkPort } from '../network/network-peer';
import { NetworkPolicyRules } from '../network/network-policy-rules';

/** Options of {@link Prometheus.kubePrometheusStack}. */
export interface KubePrometheusStackOptions {
  /** Helm release name of the chart: its Prometheus selects monitors and rules labelled `release: <release>`. @default 'kube-prometheus-stack' */
  readonly release?: string;
  /** Namespace of the release, where its Prometheus pods run. @default 'monitoring' */
  readonly namespace?: string;
}

/** Options of {@link Prometheus.of}. */
export interface PrometheusOptions {
  /** Labels the Prometheus selects ServiceMonitors, PodMonitors and PrometheusRules by; every such object carries them. */
  readonly selectorLabels: Record<string, string>;
  /** The Prometheus pods: the NetworkPolicies admit them to the metrics ports. */
  readonly scraper: NetworkPeer;
  /** How the Prometheus is configured to select the objects, in words, for the prerequisites file. */
  readonly selection: string;
  /**
   * How the Prometheus scrapes kube-state-metrics and the kubelet, in words, for the prerequisites file.
   * @default - kube-state-metrics and the kubelet (`/metrics`, `/metrics/cadvisor`) are scraped with honorLabels
   */
  readonly clusterMetrics?: string;
}

/**
 * The Prometheus that scrapes the manifests' workloads and evaluates their alerts: the labels it
 * selects ServiceMonitors, PodMonitors and PrometheusRules by, and its pods, which the
 * NetworkPolicies admit to the metrics ports. One value of the stage, given to every construct that
 * writes monitoring objects, so that all of them carry the labels the cluster's Prometheus selects.
 * @see https://prometheus-operator.dev/docs/developer/getting-started/
 */
export class Prometheus {
  /**
   * The Prometheus of the kube-prometheus-stack Helm chart installed as `release` in `namespace`. With
   * the chart's default values it selects only the objects labelled `release: <release>`, in every
   * namespace, and its pods carry `app.kubernetes.io/name: prometheus`.
   * @see https://github.com/prometheus-community/helm-charts/tree/main/charts/kube-prometheus-stack
   */
  public static kubePrometheusStack(options: KubePrometheusStackOptions = {}): Prometheus {
    const release = options?.release ?? 'kube-prometheus-stack';
    const namespace = options?.namespace ?? 'monitoring';
    return new Prometheus({
      selectorLabels: { release },
      scraper: NetworkPeer.podsInNamespaces({ 'app.kubernetes.io/name': 'prometheus' }, { [NAMESPACE_NAME_LABEL]: namespace }),
      selection: `kube-prometheus-stack release ${release} in namespace ${namespace} selects ServiceMonitors, PodMonitors and PrometheusRules `
        + `labelled release=${release} in every namespace (the chart's defaults: prometheus.prometheusSpec.serviceMonitorSelectorNilUsesHelmValues, `
        + 'podMonitorSelectorNilUsesHelmValues and ruleSelectorNilUsesHelmValues true, the *NamespaceSelector values {})',
      clusterMetrics: `kube-prometheus-stack release ${release} scrapes kube-state-metrics 2.20 (kubeStateMetrics.enabled) and the kubelet's `
        + '/metrics and /metrics/cadvisor (kubelet.enabled, kubelet.serviceMonitor.cAdvisor), with honorLabels: the chart\'s defaults',
    });
  }

  /** Another Prometheus: the labels it selects by, its pods, and its configuration in words. */
  public static of(options: PrometheusOptions): Prometheus {
    return new Prometheus(options);
  }

  /** Labels every ServiceMonitor, PodMonitor and PrometheusRule carries, so that the Prometheus selects it. */
  public readonly selectorLabels: Readonly<Record<string, string>>;
  /** The Prometheus pods, admitted to the metrics ports. */
  public readonly scraper: NetworkPeer;
  /** How the Prometheus selects the objects, in words. */
  public readonly selection: string;
  /** How the Prometheus scrapes kube-state-metrics and the kubelet, in words. */
  public readonly clusterMetrics: string;

  private constructor(options: PrometheusOptions) {
    this.selectorLabels = { ...options?.selectorLabels };
    this.scraper = options?.scraper;
    this.selection = options?.selection;
    this.clusterMetrics = options?.clusterMetrics
      ?? 'kube-state-metrics 2.x and the kubelet (/metrics and /metrics/cadvisor) are scraped with honorLabels, so that series keep their namespace, pod and container labels';
  }
}

/**
 * Checks the labels of `prometheus`, given to `scope` as `prop`.
 * @internal
 */
export function checkPrometheus(scope: IConstruct, prop: string, prometheus: Prometheus): void {
  PROMETHEUS_KIND.check(scope, prop, prometheus);
  checkLabels(scope, `${prop}.selectorLabels`, { ...prometheus.selectorLabels });
  checkNetworkPeer(scope, `${prop}.scraper`, prometheus.scraper);
  checkNotBlank(scope, `${prop}.selection`, prometheus.selection, 'what the prerequisites file says the cluster\'s Prometheus selects');
  checkNotBlank(scope, `${prop}.clusterMetrics`, prometheus.clusterMetrics, 'what the prerequisites file says the cluster\'s Prometheus scrapes');
}

/**
 * A {@link Prometheus}, as a prop's kind.
 * @internal
 */
export const PROMETHEUS_KIND = Kind.instance(Prometheus, 'a Prometheus (Prometheus.kubePrometheusStack or Prometheus.of)');

/**
 * `labels` with the labels `prometheus` selects by: the labels of a ServiceMonitor, PodMonitor or PrometheusRule.
 * @internal
 */
export function selectedLabels(prometheus: Prometheus, labels: Readonly<Record<string, string>>): Record<string, string> {
  return { ...labels, ...prometheus.selectorLabels };
}

/**
 * Declares on `scope`, which writes monitoring objects, that the cluster runs prometheus-operator and
 * a Prometheus that selects them.
 * @internal
 */
export function declarePrometheus(scope: IConstruct, prometheus: Prometheus): void {
  Prerequisite.declare(scope,
    Prerequisite.operator(Operator.PROMETHEUS_OPERATOR, 'reads the ServiceMonitors, PodMonitors and PrometheusRules'),
    Prerequisite.controllerSetting('Prometheus', prometheus.selection,
      `the ServiceMonitors, PodMonitors and PrometheusRules carry ${labelList(prometheus.selectorLabels)}; a Prometheus that does not select them scrapes nothing and loads no alert`));
}

/**
 * Declares on `scope` that the Prometheus scrapes kube-state-metrics and the kubelet, which its alerts and dashboards read.
 * @internal
 */
export function declareClusterMetrics(scope: IConstruct, prometheus: Prometheus): void {
  Prerequisite.declare(scope, Prerequisite.controllerSetting('Prometheus', prometheus.clusterMetrics,
    'alerts and dashboards read kube-state-metrics (pod, container and Deployment state) and the kubelet (volume stats, cAdvisor)'));
}

/**
 * Declares on `scope`, whose alerts read the kubelet's volume stats, that the kubelet publishes them.
 * @internal
 */
export function declareVolumeStats(scope: IConstruct): void {
  Prerequisite.declare(scope, Prerequisite.controllerSetting('kubelet',
    'exports kubelet_volume_stats_* for every mounted PersistentVolumeClaim: Kubernetes 1.34.0 and 1.34.1 do not (kubernetes/kubernetes#133847, '
    + 'fixed in 1.34.2), nor does a CSI driver without the GET_VOLUME_STATS node capability',
    'the alerts on full volumes read them: without them they never fire'));
}

/**
 * Admits the Prometheus pods to `ports` of the pods `policy` protects, and declares where they run.
 * @internal
 */
export function admitScraper(policy: NetworkPolicyRules, prometheus: Prometheus, ports: readonly NetworkPort[]): void {
  policy.allowIngress(prometheus.scraper, ports);
  Prerequisite.declare(policy, Prerequisite.network(`Prometheus scrapes from ${prometheus.scraper.description}`,
    'the NetworkPolicies admit those pods, and only them, to the metrics ports'));
}

function labelList(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(', ');
}
