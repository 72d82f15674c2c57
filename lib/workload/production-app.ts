import { Duration, Size } from 'cdk8s';
import { Cpu, k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ServiceMonitor } from '../../imports/monitoring.coreos.com';
import { check } from '../core/errors';
import { WorkloadIdentity, recommendedLabels, selectorLabels } from '../core/labels';
import { nameFromId, resolveNamespace } from '../core/names';
import { checkDnsLabel, checkDnsSubdomain, checkInteger, checkLabels, checkPort } from '../core/validate';
import { addServiceMonitor } from '../monitoring/_service-monitor';
import { AppMetrics, MetricsOptions } from '../monitoring/app-metrics';
import { AppMonitoring } from '../monitoring/app-monitoring';
import { admitScraper } from '../monitoring/prometheus';
import { ClusterDns, checkClusterDns } from '../network/cluster-dns';
import { EgressEngine } from '../network/egress-engine';
import { NetworkPeer } from '../network/network-peer';
import { NetworkPolicyRules } from '../network/network-policy-rules';
import { addAppConfig, checkAppConfig } from './_app-config';
import { HardenedPodTemplate, OwnVolume, addDisruptionBudget, checkRunAs } from './_pod-template';
import { WorkloadBase } from './_workload-base';
import { Availability, AutoscalingOptions, DisruptionBudgetOptions, addAutoscaler, resolveAvailability } from './availability';
import { EnvValue } from './env-value';
import { Image } from './image';
import { AccessMode, PersistentVolumeOptions, addPersistentVolume, checkPersistentVolume } from './persistent-volume';
import { NodePool, SpreadPolicy } from './placement';
import { Probe } from './probe';
import { ContainerResources, checkResources } from './resources';
import { IConnectable, IWorkload, WorkloadPort, WorkloadVolume } from './workload';

/** Props of a {@link ProductionApp}. */
export interface ProductionAppProps {
  /** Container image, pinned to a version tag or a digest. */
  readonly image: Image;
  /** Name of every object of the app (DNS label). @default - the construct id in kebab-case */
  readonly name?: string;
  /** Namespace of every object. @default - the namespace of the chart */
  readonly namespace?: string;
  /** Role in the architecture (`app.kubernetes.io/component`), e.g. `api` or `worker`. @default - no component label */
  readonly component?: string;
  /** The application this is part of (`app.kubernetes.io/part-of`). @default - no part-of label */
  readonly partOf?: string;
  /** Container port the app serves on (named `http`). @default 8080 */
  readonly port?: number;
  /** Port of the Service in front of the pods. @default 80 */
  readonly servicePort?: number;
  /** Entrypoint override. @default - the image's entrypoint */
  readonly command?: string[];
  /** Arguments. @default - the image's arguments */
  readonly args?: string[];
  /** Literal environment variables. Credentials come through a secret binding instead. @default - none */
  readonly env?: Record<string, string>;
  /**
   * Configuration, as a ConfigMap whose name carries a hash of its content and that the pods
   * read as environment variables: a change in content rolls the pods, and a rollback gets the old config.
   * @default - no ConfigMap
   */
  readonly config?: Record<string, string>;
  /** Also mount the config as files under this path. @default - environment variables only */
  readonly configMountPath?: string;
  /** Replicas; with autoscaling, the minimum. @default 3 */
  readonly replicas?: number;
  /** Horizontal pod autoscaling. @default - an HPA from `replicas` to max(10, 2 × replicas) at 70% CPU and 80% memory */
  readonly autoscaling?: AutoscalingOptions;
  /** PodDisruptionBudget. @default - a PodDisruptionBudget with maxUnavailable 1 when `replicas` is at least 2 */
  readonly disruptionBudget?: DisruptionBudgetOptions;
  /**
   * Requests and limits.
   * @default - cpu 250m/1, memory 256Mi/512Mi, ephemeral storage 256Mi/1Gi (request/limit)
   */
  readonly resources?: ContainerResources;
  /** Readiness probe: is the pod ready for traffic. @default Probe.http('/ready') */
  readonly readiness?: Probe;
  /** Liveness probe: must the container be restarted; distinct from readiness. @default Probe.http('/health') */
  readonly liveness?: Probe;
  /** Startup probe: holds the other probes back until the app has started. @default - the liveness check, every 5s, for up to 150s */
  readonly startup?: Probe;
  /** Prometheus metrics: a ServiceMonitor, alerts and a dashboard, labelled for the Prometheus that scrapes them, and a network path for its pods. @default - no metrics */
  readonly metrics?: MetricsOptions;
  /** Peers allowed to connect to the app's port. @default - nobody (add with `allowFrom`, `connectTo` or an ingress) */
  readonly allowFrom?: NetworkPeer[];
  /** Where the pods resolve names: the NetworkPolicy admits DNS to it. Give the namespace baseline's value. @default ClusterDns.kubeDns() */
  readonly dns?: ClusterDns;
  /** What renders egress to hosts by name (`connectTo(externalService)`): the stage's engine. @default - a rule to a host by name fails */
  readonly egressEngine?: EgressEngine;
  /** User id of the container process (at least 10000, outside the host's user range). @default 10001 */
  readonly runAsUser?: number;
  /** Group id of the container process and of mounted volumes (at least 10000). @default 10001 */
  readonly runAsGroup?: number;
  /** Mount a Kubernetes API token into the pods. @default false */
  readonly mountServiceAccountToken?: boolean;
  /** Annotations of the ServiceAccount, e.g. for cloud workload identity. @default - none */
  readonly serviceAccountAnnotations?: Record<string, string>;
  /** Names of Secrets with registry credentials. @default - none */
  readonly imagePullSecrets?: string[];
  /** Node pool the pods run on. @default - any node */
  readonly nodePool?: NodePool;
  /** PriorityClass of the pods. @default - the cluster's default priority */
  readonly priorityClassName?: string;
  /** How replicas are spread over hosts. @default SpreadPolicy.PREFERRED */
  readonly hostSpread?: SpreadPolicy;
  /** How replicas are spread over zones. @default SpreadPolicy.PREFERRED */
  readonly zoneSpread?: SpreadPolicy;
  /** A persistent data volume. @default - no persistent volume */
  readonly persistentVolume?: PersistentVolumeOptions;
  /** Additional volumes. @default - none */
  readonly volumes?: WorkloadVolume[];
  /** Size limit of the writable `/tmp` (the root filesystem is read-only). @default Size.mebibytes(256) */
  readonly tmpSize?: Size;
  /** Time the app has to shut down after SIGTERM. @default Duration.seconds(30) */
  readonly terminationGracePeriod?: Duration;
}

const DEFAULT_RESOURCES: ContainerResources = {
  cpu: { request: Cpu.millis(250), limit: Cpu.units(1) },
  memory: { request: Size.mebibytes(256), limit: Size.mebibytes(512) },
  ephemeralStorage: { request: Size.mebibytes(256), limit: Size.gibibytes(1) },
};

const HTTP_PORT_NAME = 'http';
const METRICS_PORT_NAME = 'metrics';

/** The props of a {@link ProductionApp} with their defaults resolved. */
interface Settings extends Availability {
  readonly resources: ContainerResources;
  readonly readiness: Probe;
  readonly liveness: Probe;
  readonly startup: Probe;
  readonly runAsUser: number;
  readonly runAsGroup: number;
  readonly metrics?: AppMetrics;
}

/**
 * A hardened stateless service: ServiceAccount, Deployment, Service, HorizontalPodAutoscaler,
 * PodDisruptionBudget, NetworkPolicy, ServiceMonitor and a config that rolls the pods when it changes.
 *
 * Every default is the production practice: non-root, read-only, seccomp-confined, without
 * capabilities or an API token, with requests and limits, distinct probes, zero-downtime rollouts,
 * spread over hosts and zones, and a network that admits only declared peers.
 */
export class ProductionApp extends WorkloadBase implements IConnectable {
  /** Name of the app's objects. */
  public readonly name: string;
  /** Namespace of the app's objects. */
  public readonly namespace: string;
  /** Container port the app serves on. */
  public readonly port: number;
  /** Port of the Service. */
  public readonly servicePort: number;
  /** Name of the Service in front of the pods. */
  public readonly serviceName: string;
  /** Labels that select the app's pods. */
  public readonly selectorLabels: Record<string, string>;
  /** The app's pods as a NetworkPolicy peer. */
  public readonly peer: NetworkPeer;
  /** The port the app serves other workloads on: its container port, named `http`. */
  public readonly ports: readonly WorkloadPort[];
  /** Replicas, or the autoscaler's minimum. */
  public readonly replicas: number;
  /** The Deployment. */
  public readonly deployment: k8s.KubeDeployment;
  /** The Service. */
  public readonly service: k8s.KubeService;
  /** The ServiceAccount the pods run as. */
  public readonly serviceAccount: k8s.KubeServiceAccount;
  /** The NetworkPolicy of the pods. */
  public readonly networkPolicy: NetworkPolicyRules;
  /** The HorizontalPodAutoscaler, when autoscaling is enabled. */
  public readonly autoscaler?: k8s.KubeHorizontalPodAutoscalerV2;
  /** The PodDisruptionBudget, when enabled. */
  public readonly disruptionBudget?: k8s.KubePodDisruptionBudget;
  /** The ServiceMonitor, when metrics are declared. */
  public readonly serviceMonitor?: ServiceMonitor;
  /** The ConfigMap, when config is given. */
  public readonly configMap?: k8s.KubeConfigMap;
  /** The PersistentVolumeClaim, when a persistent volume is declared. */
  public readonly persistentVolumeClaim?: k8s.KubePersistentVolumeClaim;
  /** The container port that serves metrics, when metrics are declared. */
  public readonly metricsPort?: number;
  /** The alerts and the Grafana dashboard, when metrics are declared. */
  public readonly monitoring?: AppMonitoring;

  protected readonly pod: HardenedPodTemplate;
  private readonly labels: Record<string, string>;

  public constructor(scope: Construct, id: string, props: ProductionAppProps) {
    super(scope, id);

    this.name = props.name ?? nameFromId(id);
    this.namespace = resolveNamespace(this, 'ProductionApp', props.namespace);
    this.port = props.port ?? 8080;
    this.servicePort = props.servicePort ?? 80;
    this.ports = [{ name: HTTP_PORT_NAME, port: this.port }];
    this.replicas = props.replicas ?? 3;
    this.serviceName = this.name;
    this.metricsPort = props.metrics ? props.metrics.port ?? this.port : undefined;
    const settings = this.resolve(props);

    const identity: WorkloadIdentity = {
      name: this.name,
      instance: this.name,
      version: props.image.version,
      component: props.component,
      partOf: props.partOf,
    };
    this.labels = recommendedLabels(identity);
    this.selectorLabels = selectorLabels(identity);
    this.peer = NetworkPeer.pods(this.selectorLabels, this.namespace);
    const metadata = { name: this.name, namespace: this.namespace, labels: this.labels };

    this.serviceAccount = new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { ...metadata, annotations: props.serviceAccountAnnotations },
      automountServiceAccountToken: props.mountServiceAccountToken ?? false,
    });
    const config = props.config !== undefined ? addAppConfig(this, metadata, props.config, props.configMountPath) : undefined;
    this.configMap = config?.configMap;
    const data = props.persistentVolume ? addPersistentVolume(this, metadata, props.persistentVolume) : undefined;
    this.persistentVolumeClaim = data?.claim;

    this.pod = this.newPodTemplate(props, settings, [config?.volume, data?.volume].filter((v): v is OwnVolume => v !== undefined), config?.envFrom);
    for (const [name, value] of Object.entries(props.env ?? {})) {
      this.addEnv(name, EnvValue.literal(value));
    }
    for (const volume of props.volumes ?? []) {
      this.addVolume(volume);
    }

    const singleNode = props.persistentVolume !== undefined && props.persistentVolume.accessMode !== AccessMode.READ_WRITE_MANY;
    this.deployment = new k8s.KubeDeployment(this, 'Resource', {
      metadata,
      spec: {
        replicas: settings.autoscaler ? undefined : this.replicas,
        revisionHistoryLimit: 5,
        selector: { matchLabels: this.selectorLabels },
        strategy: singleNode
          ? { type: 'Recreate' }
          : { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(0), maxSurge: k8s.IntOrString.fromNumber(1) } },
        template: this.pod.render(),
      },
    });
    this.service = this.newService(metadata);
    this.autoscaler = settings.autoscaler && addAutoscaler(this, 'Autoscaler', metadata, {
      ...settings.autoscaler, target: { kind: 'Deployment', name: this.deployment.name }, minReplicas: this.replicas,
    });
    this.disruptionBudget = settings.maxUnavailable !== undefined
      ? addDisruptionBudget(this, 'DisruptionBudget', metadata, this.selectorLabels, settings.maxUnavailable)
      : undefined;

    this.networkPolicy = new NetworkPolicyRules(this, 'NetworkPolicy', {
      name: this.name,
      namespace: this.namespace,
      podSelector: this.selectorLabels,
      labels: this.labels,
      dns: props.dns ?? ClusterDns.kubeDns(),
      egressEngine: props.egressEngine,
    });
    for (const peer of props.allowFrom ?? []) {
      this.allowFrom(peer);
    }

    if (settings.metrics && this.metricsPort !== undefined) {
      this.serviceMonitor = addServiceMonitor(this, 'ServiceMonitor', {
        metadata,
        selector: this.selectorLabels,
        portName: this.metricsPort === this.port ? HTTP_PORT_NAME : METRICS_PORT_NAME,
        metrics: settings.metrics,
      });
      admitScraper(this.networkPolicy, settings.metrics.prometheus, [{ port: this.metricsPort }]);
      this.monitoring = new AppMonitoring(this, 'Monitoring', {
        name: this.name,
        namespace: this.namespace,
        serviceName: this.serviceName,
        deploymentName: this.deployment.name,
        labels: this.labels,
        metrics: settings.metrics,
      });
    }
  }

  /** Lets `workload` reach this app's port, and nothing else, and gives it the app's URL as `<NAME>_URL`. */
  public grantConnection(workload: IWorkload): void {
    this.allowFrom(workload.peer, [{ port: this.port }]);
    workload.allowTo(this.peer, [{ port: this.port }]);
    workload.addEnv(`${envPrefix(this.name)}_URL`, EnvValue.literal(`http://${this.serviceName}.${this.namespace}.svc:${this.servicePort}`));
  }

  /** Resolves the defaults of `props` that the objects share, and checks every prop before any object is created. */
  private resolve(props: ProductionAppProps): Settings {
    checkDnsLabel(this, 'name', this.name);
    const imageProblem = props.image.problem();
    check(imageProblem === undefined, this, 'image', props.image.reference, imageProblem ?? '');
    checkPort(this, 'port', this.port);
    checkPort(this, 'servicePort', this.servicePort);
    if (props.metrics?.port !== undefined) {
      checkPort(this, 'metrics.port', props.metrics.port);
    }
    if (props.dns !== undefined) {
      checkClusterDns(this, 'dns', props.dns);
    }
    const metrics = props.metrics !== undefined ? AppMetrics.resolve(this, props.metrics) : undefined;
    checkInteger(this, 'replicas', this.replicas, 1);
    const availability = resolveAvailability(this, this.replicas, props.autoscaling, props.disruptionBudget);
    const resources = props.resources ?? DEFAULT_RESOURCES;
    checkResources(this, 'resources', resources);
    const readiness = props.readiness ?? Probe.http('/ready');
    const liveness = props.liveness ?? Probe.http('/health');
    check(JSON.stringify(readiness.render(HTTP_PORT_NAME)) !== JSON.stringify(liveness.render(HTTP_PORT_NAME)), this, 'liveness',
      liveness.path ?? 'probe', 'must differ from the readiness probe: a failing dependency should take pods out of the Service, not restart them');
    const runAsUser = props.runAsUser ?? 10001;
    const runAsGroup = props.runAsGroup ?? 10001;
    checkRunAs(this, runAsUser, runAsGroup);
    if (props.component !== undefined) {
      checkLabels(this, 'component', { 'app.kubernetes.io/component': props.component });
    }
    if (props.partOf !== undefined) {
      checkLabels(this, 'partOf', { 'app.kubernetes.io/part-of': props.partOf });
    }
    if (props.persistentVolume && props.persistentVolume.accessMode !== AccessMode.READ_WRITE_MANY) {
      check(this.replicas === 1 && !availability.autoscaler && availability.maxUnavailable === undefined, this, 'persistentVolume.accessMode',
        AccessMode.READ_WRITE_ONCE, 'needs exactly one replica without autoscaling or a PodDisruptionBudget: '
        + 'a ReadWriteOnce volume attaches to one node; use READ_WRITE_MANY to share it');
    }
    if (props.persistentVolume) {
      checkPersistentVolume(this, props.persistentVolume);
    }
    checkAppConfig(this, props.config, props.configMountPath);
    if (props.priorityClassName !== undefined) {
      checkDnsSubdomain(this, 'priorityClassName', props.priorityClassName);
    }
    for (const secretName of props.imagePullSecrets ?? []) {
      checkDnsSubdomain(this, 'imagePullSecrets', secretName);
    }
    const startup = props.startup ?? liveness.withOptions({ period: Duration.seconds(5), failureThreshold: 30, initialDelay: undefined });
    return { ...availability, resources, readiness, liveness, startup, runAsUser, runAsGroup, metrics };
  }

  /** The hardened pod of the app: its container with the app's ports, probes and config, and its own volumes. */
  private newPodTemplate(props: ProductionAppProps, settings: Settings, ownVolumes: OwnVolume[], configEnv?: k8s.EnvFromSource): HardenedPodTemplate {
    const ports = [...this.ports];
    if (this.metricsPort !== undefined && this.metricsPort !== this.port) {
      ports.push({ name: METRICS_PORT_NAME, port: this.metricsPort });
    }
    return new HardenedPodTemplate(this, {
      namespace: this.namespace,
      labels: this.labels,
      selectorLabels: this.selectorLabels,
      serviceAccountName: this.serviceAccount.name,
      mountServiceAccountToken: props.mountServiceAccountToken ?? false,
      containerName: this.name,
      image: props.image,
      command: props.command,
      args: props.args,
      ports,
      resources: settings.resources,
      probes: {
        readiness: settings.readiness.render(HTTP_PORT_NAME),
        liveness: settings.liveness.render(HTTP_PORT_NAME),
        startup: settings.startup.render(HTTP_PORT_NAME),
      },
      envFrom: configEnv && [configEnv],
      runAsUser: settings.runAsUser,
      runAsGroup: settings.runAsGroup,
      placement: {
        nodePool: props.nodePool,
        priorityClassName: props.priorityClassName,
        hostSpread: props.hostSpread ?? SpreadPolicy.PREFERRED,
        zoneSpread: props.zoneSpread ?? SpreadPolicy.PREFERRED,
        spreadMatchLabelKeys: ['pod-template-hash'],
      },
      imagePullSecrets: props.imagePullSecrets,
      terminationGracePeriod: props.terminationGracePeriod ?? Duration.seconds(30),
      tmpSize: props.tmpSize ?? Size.mebibytes(256),
      ownVolumes,
      reservedVolumeNames: ['data', 'config'],
    });
  }

  /** The ClusterIP Service in front of the pods: the app's port, and the metrics port when it is another. */
  private newService(metadata: { name: string; namespace: string; labels: Record<string, string> }): k8s.KubeService {
    const ports: k8s.ServicePort[] = [
      { name: HTTP_PORT_NAME, port: this.servicePort, targetPort: k8s.IntOrString.fromString(HTTP_PORT_NAME), protocol: 'TCP' },
    ];
    if (this.metricsPort !== undefined && this.metricsPort !== this.port) {
      ports.push({ name: METRICS_PORT_NAME, port: this.metricsPort, targetPort: k8s.IntOrString.fromString(METRICS_PORT_NAME), protocol: 'TCP' });
    }
    return new k8s.KubeService(this, 'Service', {
      metadata,
      spec: { type: 'ClusterIP', selector: this.selectorLabels, ports },
    });
  }
}

function envPrefix(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}
