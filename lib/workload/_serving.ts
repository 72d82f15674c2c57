import { Duration } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { ServiceMonitor } from '../../imports/monitoring.coreos.com';
import { check } from '../core/errors';
import { Kind, Kinds } from '../core/kinds';
import { durationSeconds } from '../core/quantities';
import { INT32_MAX, checkInteger, checkPort } from '../core/validate';
import { addServiceMonitor } from '../monitoring/_service-monitor';
import { AppMetrics, METRICS_OPTIONS_KIND } from '../monitoring/app-metrics';
import { AppMonitoring } from '../monitoring/app-monitoring';
import { admitScraper } from '../monitoring/prometheus';
import { NETWORK_PEER_KIND } from '../network/_checks';
import { Protocol } from '../network/network-peer';
import { NetworkPolicyRules } from '../network/network-policy-rules';
import { WORKLOAD_KINDS, WorkloadMetadata, WorkloadSettings } from './_workload-parts';
import { AUTOSCALING_KIND, Availability, AutoscalingOptions, DISRUPTION_BUDGET_KIND, resolveAvailability } from './availability';
import { EnvValue } from './env-value';
import { SpreadPolicy } from './placement';
import { PROBE_KIND, Probe } from './probe';
import { SESSION_AFFINITY_KIND, SessionAffinity, checkPorts } from './service-options';
import { IWorkload, WORKLOAD_KIND, WorkloadPort } from './workload';
import { ServingProps } from './workload-props';

// Internal: what ProductionApp and StatefulApp, the workloads that serve on a port, share. Not exported from the package.

/** Name of the main container port, which probes and an HTTP preStop hook call. */
export const HTTP_PORT_NAME = 'http';
/** Name of the metrics port, when metrics are served on a port of their own. */
export const METRICS_PORT_NAME = 'metrics';
/** Label of a governing headless Service, which the workload's ServiceMonitor leaves out: its endpoints are the same pods as the client Service's. */
export const HEADLESS_SERVICE_LABEL = 'cdk8s-golden-path/headless';

/** The serving props of a workload, with their defaults resolved and checked. */
export interface ServingSettings extends Availability {
  /** Container port the workload serves on. */
  readonly port: number;
  /** Port of the Service. */
  readonly servicePort: number;
  /** The ports the workload serves other workloads on: `http` and the additional ports. */
  readonly ports: readonly WorkloadPort[];
  /** Every port of the container: the served ones and the metrics port. */
  readonly containerPorts: readonly WorkloadPort[];
  /** Replicas, or the autoscaler's minimum. */
  readonly replicas: number;
  /** The container port that serves metrics, when metrics are declared. */
  readonly metricsPort?: number;
  /** The metrics, resolved. */
  readonly metrics?: AppMetrics;
  /** The probes, rendered. */
  readonly probes: { readonly readiness: k8s.Probe; readonly liveness: k8s.Probe; readonly startup: k8s.Probe };
  /** The Service's session affinity. */
  readonly sessionAffinity: SessionAffinity;
}

/**
 * Resolves the serving props of a workload and checks them before any object is created. Autoscaling
 * follows `autoscalingDefault` when the props leave it unset.
 */
export function resolveServing(scope: IConstruct, props: ServingProps, autoscalingDefault: AutoscalingOptions): ServingSettings {
  const port = props.port ?? 8080;
  const servicePort = props.servicePort ?? 80;
  checkPort(scope, 'port', port);
  checkPort(scope, 'servicePort', servicePort);
  if (props.metrics?.port !== undefined) {
    checkPort(scope, 'metrics.port', props.metrics.port);
  }
  const metrics = props.metrics !== undefined ? AppMetrics.resolve(scope, props.metrics) : undefined;
  const metricsPort = props.metrics ? props.metrics.port ?? port : undefined;
  const ports: WorkloadPort[] = [{ name: HTTP_PORT_NAME, port }, ...props.additionalPorts ?? []];
  const containerPorts = metricsPort !== undefined && metricsPort !== port ? [...ports, { name: METRICS_PORT_NAME, port: metricsPort }] : ports;
  checkPorts(scope, 'additionalPorts', containerPorts);
  // The Service serves every container port on its own number, but the http one on servicePort.
  const otherServicePorts = containerPorts.filter((p) => p.name !== HTTP_PORT_NAME && (p.protocol ?? Protocol.TCP) === Protocol.TCP);
  const clash = otherServicePorts.find((p) => p.port === servicePort);
  check(clash === undefined, scope, 'servicePort', servicePort,
    `must differ from the Service's port '${clash?.name}' (${clash?.port}/TCP): the API server refuses a Service with a port number twice`);
  const sessionAffinity = props.sessionAffinity ?? SessionAffinity.none();
  const affinityProblem = sessionAffinity.problem();
  const timeout = sessionAffinity.timeout;
  check(affinityProblem === undefined, scope, 'sessionAffinity', Kind.DURATION.accepts(timeout) ? durationSeconds(timeout as Duration) : timeout, affinityProblem ?? '');

  const replicas = props.replicas ?? 3;
  checkInteger(scope, 'replicas', replicas, 1, INT32_MAX);
  const availability = resolveAvailability(scope, replicas, props.autoscaling ?? autoscalingDefault, props.disruptionBudget);
  const readiness = props.readiness ?? Probe.http('/ready');
  const liveness = props.liveness ?? Probe.http('/health');
  readiness.check(scope, 'readiness');
  liveness.check(scope, 'liveness');
  props.startup?.check(scope, 'startup');
  check(JSON.stringify(readiness.render(HTTP_PORT_NAME)) !== JSON.stringify(liveness.render(HTTP_PORT_NAME)), scope, 'liveness',
    liveness.path ?? 'probe', 'must differ from the readiness probe: a failing dependency should take pods out of the Service, not restart them');
  const startup = props.startup ?? liveness.withOptions({ period: Duration.seconds(5), failureThreshold: 30, initialDelay: undefined });
  const probes = { readiness: readiness.render(HTTP_PORT_NAME), liveness: liveness.render(HTTP_PORT_NAME), startup: startup.render(HTTP_PORT_NAME) };
  return { ...availability, port, servicePort, ports, containerPorts, replicas, metricsPort, metrics, probes, sessionAffinity };
}

/** {@link ServingProps}, kind by kind, for callers without a type checker. */
export const SERVING_KINDS: Kinds<ServingProps> = {
  ...WORKLOAD_KINDS,
  port: Kind.NUMBER.optional(),
  servicePort: Kind.NUMBER.optional(),
  additionalPorts: Kind.array(Kind.object('a WorkloadPort (name, port, and optionally protocol)', {
    name: Kind.STRING,
    port: Kind.NUMBER,
    protocol: Kind.oneOf(Protocol, 'a Protocol').optional(),
  })).optional(),
  sessionAffinity: SESSION_AFFINITY_KIND.optional(),
  replicas: Kind.NUMBER.optional(),
  autoscaling: AUTOSCALING_KIND.optional(),
  disruptionBudget: DISRUPTION_BUDGET_KIND.optional(),
  readiness: PROBE_KIND.optional(),
  liveness: PROBE_KIND.optional(),
  startup: PROBE_KIND.optional(),
  metrics: METRICS_OPTIONS_KIND.optional(),
  allowFrom: Kind.array(NETWORK_PEER_KIND).optional(),
  hostSpread: Kind.oneOf(SpreadPolicy, 'a SpreadPolicy').optional(),
  zoneSpread: Kind.oneOf(SpreadPolicy, 'a SpreadPolicy').optional(),
};

/**
 * A Service in front of the pods: every served port (each targets its container port by name), and
 * the metrics port when it is another. A headless one (`clusterIP: None`) gives each pod of a
 * StatefulSet its DNS name.
 */
export function addService(scope: Construct, id: string, metadata: WorkloadMetadata, selector: Record<string, string>, serving: ServingSettings,
  headless?: { readonly publishNotReadyAddresses: boolean }): k8s.KubeService {
  const ports: k8s.ServicePort[] = serving.containerPorts.map((p) => ({
    name: p.name,
    port: p.name === HTTP_PORT_NAME && headless === undefined ? serving.servicePort : p.port,
    targetPort: k8s.IntOrString.fromString(p.name),
    protocol: p.protocol ?? 'TCP',
  }));
  return new k8s.KubeService(scope, id, {
    metadata: headless === undefined ? metadata : { ...metadata, labels: { ...metadata.labels, [HEADLESS_SERVICE_LABEL]: 'true' } },
    spec: headless === undefined
      ? { type: 'ClusterIP', selector, ports, ...serving.sessionAffinity.render() }
      : { clusterIp: 'None', selector, ports, publishNotReadyAddresses: headless.publishNotReadyAddresses || undefined },
  });
}

/** What the metrics of a serving workload add: the ServiceMonitor, the scraper's path, the alerts and the dashboard. */
export interface MetricsParts {
  readonly serviceMonitor: ServiceMonitor;
  readonly monitoring: AppMonitoring;
}

/**
 * Lets Prometheus scrape the workload's Services (ServiceMonitor, a NetworkPolicy path from the
 * scraper) and adds its alerts and dashboard; `controller` is what the replica alert watches.
 */
export function addMetrics(scope: Construct, settings: WorkloadSettings, serving: ServingSettings, networkPolicy: NetworkPolicyRules,
  serviceName: string, controller: { deploymentName?: string; statefulSetName?: string }): MetricsParts | undefined {
  if (serving.metrics === undefined || serving.metricsPort === undefined) {
    return undefined;
  }
  const serviceMonitor = addServiceMonitor(scope, 'ServiceMonitor', {
    metadata: settings.metadata,
    selector: settings.selectorLabels,
    excludeLabel: controller.statefulSetName !== undefined ? HEADLESS_SERVICE_LABEL : undefined,
    portName: serving.metricsPort === serving.port ? HTTP_PORT_NAME : METRICS_PORT_NAME,
    metrics: serving.metrics,
  });
  admitScraper(networkPolicy, serving.metrics.prometheus, [{ port: serving.metricsPort }]);
  const monitoring = new AppMonitoring(scope, 'Monitoring', {
    name: settings.name,
    namespace: settings.namespace,
    serviceName,
    ...controller,
    labels: settings.metadata.labels,
    metrics: serving.metrics,
  });
  return { serviceMonitor, monitoring };
}

/**
 * Lets `workload` reach the `port` of the serving workload `target` (pods `peer`), and nothing else,
 * and gives it the URL of `target`'s Service as `<NAME>_URL`.
 */
export function grantServing(target: IWorkload, workload: IWorkload, url: string, port: number): void {
  WORKLOAD_KIND.check(target, 'grantConnection', workload);
  target.allowFrom(workload.peer, [{ port }]);
  workload.allowTo(target.peer, [{ port }]);
  workload.addEnv(`${target.name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_URL`, EnvValue.literal(url));
}
