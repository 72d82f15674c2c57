import { createHash } from 'crypto';
import { Duration, Lazy, Size } from 'cdk8s';
import { Cpu, k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ServiceMonitor, ServiceMonitorSpecEndpointsScheme } from '../../imports/monitoring.coreos.com';
import { check } from '../core/errors';
import { WorkloadIdentity, recommendedLabels, selectorLabels } from '../core/labels';
import { checkNoSecretLiteral } from '../core/leaks';
import { nameFromId, resolveNamespace } from '../core/names';
import {
  checkAbsolutePath, checkDnsLabel, checkDnsSubdomain, checkEnvName, checkInteger, checkLabels, checkPort,
} from '../core/validate';
import { AppMetrics, MetricsOptions } from '../monitoring/app-metrics';
import { AppMonitoring } from '../monitoring/app-monitoring';
import { DNS_PORTS, NetworkPeer, NetworkPolicyRules, NetworkPort } from '../network/network-peer';
import { EnvValue } from './env-value';
import { Image } from './image';
import { NodePool, SpreadPolicy } from './placement';
import { Probe } from './probe';
import { ContainerResources, checkResources, renderResources, sizeQuantity } from './resources';
import { IConnectable, IWorkload, WorkloadPort, WorkloadVolume } from './workload';

/** Horizontal pod autoscaling of a {@link ProductionApp}. */
export interface AutoscalingOptions {
  /** Whether an autoscaling/v2 HorizontalPodAutoscaler manages the replica count. @default true */
  readonly enabled?: boolean;
  /** Most replicas the autoscaler may run. @default - the larger of 10 and twice `replicas` */
  readonly maxReplicas?: number;
  /** Average CPU utilisation (% of requests) the autoscaler aims for. @default 70 */
  readonly targetCpuUtilization?: number;
  /** Average memory utilisation (% of requests) the autoscaler aims for. @default 80 */
  readonly targetMemoryUtilization?: number;
  /** How long load must stay low before replicas are removed. @default Duration.minutes(5) */
  readonly scaleDownStabilization?: Duration;
}

/** The PodDisruptionBudget of a {@link ProductionApp}. */
export interface DisruptionBudgetOptions {
  /** Whether a PodDisruptionBudget protects the pods during voluntary disruptions. @default - true when `replicas` is at least 2 */
  readonly enabled?: boolean;
  /** Pods that may be evicted at once; at least 1, so a drain can always proceed. @default 1 */
  readonly maxUnavailable?: number;
}

/** A persistent data volume: a PersistentVolumeClaim mounted into the container. */
export interface PersistentVolumeOptions {
  /** Where the volume is mounted. */
  readonly mountPath: string;
  /** Requested capacity. */
  readonly size: Size;
  /** StorageClass of the claim (e.g. `gp3`, `pd-ssd`, `standard`). */
  readonly storageClassName: string;
  /** Access mode. @default AccessMode.READ_WRITE_ONCE */
  readonly accessMode?: AccessMode;
}

/** Access mode of a persistent volume. */
export enum AccessMode {
  /** Mounted read-write by one node: the pod is replaced with the Recreate strategy and runs one replica. */
  READ_WRITE_ONCE = 'ReadWriteOnce',
  /** Mounted read-write by many nodes: any number of replicas. */
  READ_WRITE_MANY = 'ReadWriteMany',
}

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
  /** Prometheus metrics: a ServiceMonitor and a network path for the scraper. @default - no metrics */
  readonly metrics?: MetricsOptions;
  /** Peers allowed to connect to the app's port. @default - nobody (add with `allowFrom`, `connectTo` or an ingress) */
  readonly allowFrom?: NetworkPeer[];
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
const RESERVED_VOLUMES = new Set(['tmp', 'data', 'config']);
const MIN_ID = 10000;

/**
 * A hardened stateless service: ServiceAccount, Deployment, Service, HorizontalPodAutoscaler,
 * PodDisruptionBudget, NetworkPolicy, ServiceMonitor and a config that rolls the pods when it changes.
 *
 * Every default is the production practice: non-root, read-only, seccomp-confined, without
 * capabilities or an API token, with requests and limits, distinct probes, zero-downtime rollouts,
 * spread over hosts and zones, and a network that admits only declared peers.
 */
export class ProductionApp extends Construct implements IWorkload, IConnectable {
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

  private readonly labels: Record<string, string>;
  private readonly env = new Map<string, EnvValue>();
  private readonly volumes = new Map<string, WorkloadVolume>();
  private readonly podAnnotations = new Map<string, string>();

  public constructor(scope: Construct, id: string, props: ProductionAppProps) {
    super(scope, id);

    this.name = props.name ?? nameFromId(id);
    this.namespace = resolveNamespace(this, 'ProductionApp', props.namespace);
    this.port = props.port ?? 8080;
    this.servicePort = props.servicePort ?? 80;
    this.ports = [{ name: HTTP_PORT_NAME, port: this.port }];
    this.replicas = props.replicas ?? 3;
    this.serviceName = this.name;
    const autoscaling = props.autoscaling ?? {};
    const autoscalingEnabled = autoscaling.enabled ?? true;
    const maxReplicas = autoscaling.maxReplicas ?? Math.max(10, 2 * this.replicas);
    const budget = props.disruptionBudget ?? {};
    const budgetEnabled = budget.enabled ?? this.replicas >= 2;
    const maxUnavailable = budget.maxUnavailable ?? 1;
    const resources = props.resources ?? DEFAULT_RESOURCES;
    const readiness = props.readiness ?? Probe.http('/ready');
    const liveness = props.liveness ?? Probe.http('/health');
    const startup = props.startup ?? liveness.withOptions({ period: Duration.seconds(5), failureThreshold: 30, initialDelay: undefined });
    const runAsUser = props.runAsUser ?? 10001;
    const runAsGroup = props.runAsGroup ?? 10001;
    this.metricsPort = props.metrics ? props.metrics.port ?? this.port : undefined;

    checkDnsLabel(this, 'name', this.name);
    const imageProblem = props.image.problem();
    check(imageProblem === undefined, this, 'image', props.image.reference, imageProblem ?? '');
    checkPort(this, 'port', this.port);
    checkPort(this, 'servicePort', this.servicePort);
    if (props.metrics?.port !== undefined) {
      checkPort(this, 'metrics.port', props.metrics.port);
    }
    const metrics = props.metrics !== undefined ? AppMetrics.resolve(this, props.metrics) : undefined;
    checkInteger(this, 'replicas', this.replicas, 1);
    if (autoscalingEnabled) {
      checkInteger(this, 'autoscaling.maxReplicas', maxReplicas, this.replicas);
      checkInteger(this, 'autoscaling.targetCpuUtilization', autoscaling.targetCpuUtilization ?? 70, 1, 100);
      checkInteger(this, 'autoscaling.targetMemoryUtilization', autoscaling.targetMemoryUtilization ?? 80, 1, 100);
    }
    if (budgetEnabled) {
      check(this.replicas >= 2, this, 'replicas', this.replicas,
        'must be at least 2 when a PodDisruptionBudget is enabled: with one replica the budget either blocks node drains or protects nothing');
      check(Number.isInteger(maxUnavailable) && maxUnavailable >= 1 && maxUnavailable < this.replicas, this, 'disruptionBudget.maxUnavailable',
        maxUnavailable, `must be an integer from 1 to ${this.replicas - 1} (replicas - 1), so that drains proceed and some pods stay up`);
    }
    checkResources(this, 'resources', resources);
    check(JSON.stringify(readiness.render(HTTP_PORT_NAME)) !== JSON.stringify(liveness.render(HTTP_PORT_NAME)), this, 'liveness',
      liveness.path ?? 'probe', 'must differ from the readiness probe: a failing dependency should take pods out of the Service, not restart them');
    check(runAsUser >= MIN_ID && Number.isInteger(runAsUser), this, 'runAsUser', runAsUser,
      `must be an integer of at least ${MIN_ID}, so that it maps to no user of the host`);
    check(runAsGroup >= MIN_ID && Number.isInteger(runAsGroup), this, 'runAsGroup', runAsGroup,
      `must be an integer of at least ${MIN_ID}, so that it maps to no group of the host`);
    if (props.component !== undefined) {
      checkLabels(this, 'component', { 'app.kubernetes.io/component': props.component });
    }
    if (props.partOf !== undefined) {
      checkLabels(this, 'partOf', { 'app.kubernetes.io/part-of': props.partOf });
    }
    const sharedVolume = props.persistentVolume?.accessMode === AccessMode.READ_WRITE_MANY;
    if (props.persistentVolume && !sharedVolume) {
      check(this.replicas === 1 && !autoscalingEnabled && !budgetEnabled, this, 'persistentVolume.accessMode', AccessMode.READ_WRITE_ONCE,
        'needs exactly one replica without autoscaling or a PodDisruptionBudget: a ReadWriteOnce volume attaches to one node; use READ_WRITE_MANY to share it');
    }
    if (props.persistentVolume) {
      checkAbsolutePath(this, 'persistentVolume.mountPath', props.persistentVolume.mountPath);
      checkDnsSubdomain(this, 'persistentVolume.storageClassName', props.persistentVolume.storageClassName);
    }
    for (const [key, value] of Object.entries(props.config ?? {})) {
      checkEnvName(this, `config.${key}`, key);
      checkNoSecretLiteral(this, `config.${key}`, key, value);
    }
    if (props.configMountPath !== undefined) {
      checkAbsolutePath(this, 'configMountPath', props.configMountPath);
      check(props.config !== undefined, this, 'configMountPath', props.configMountPath, 'needs \'config\' to mount');
    }
    if (props.priorityClassName !== undefined) {
      checkDnsSubdomain(this, 'priorityClassName', props.priorityClassName);
    }
    for (const secretName of props.imagePullSecrets ?? []) {
      checkDnsSubdomain(this, 'imagePullSecrets', secretName);
    }

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

    for (const [name, value] of Object.entries(props.env ?? {})) {
      this.addEnv(name, EnvValue.literal(value));
    }
    for (const volume of props.volumes ?? []) {
      this.addVolume(volume);
    }

    this.serviceAccount = new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { ...metadata, annotations: props.serviceAccountAnnotations },
      automountServiceAccountToken: props.mountServiceAccountToken ?? false,
    });

    if (props.config !== undefined) {
      this.configMap = new k8s.KubeConfigMap(this, 'Config', {
        metadata: { ...metadata, name: `${this.name}-config-${contentHash(props.config)}` },
        immutable: true,
        data: { ...props.config },
      });
    }

    if (props.persistentVolume) {
      this.persistentVolumeClaim = new k8s.KubePersistentVolumeClaim(this, 'Data', {
        metadata: { ...metadata, name: `${this.name}-data` },
        spec: {
          accessModes: [props.persistentVolume.accessMode ?? AccessMode.READ_WRITE_ONCE],
          storageClassName: props.persistentVolume.storageClassName,
          resources: { requests: { storage: k8s.Quantity.fromString(sizeQuantity(props.persistentVolume.size)) } },
        },
      });
    }

    const ports: k8s.ContainerPort[] = [{ name: HTTP_PORT_NAME, containerPort: this.port, protocol: 'TCP' }];
    if (this.metricsPort !== undefined && this.metricsPort !== this.port) {
      ports.push({ name: METRICS_PORT_NAME, containerPort: this.metricsPort, protocol: 'TCP' });
    }
    const staticMounts: k8s.VolumeMount[] = [{ name: 'tmp', mountPath: '/tmp' }];
    const staticVolumes: k8s.Volume[] = [
      { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString(sizeQuantity(props.tmpSize ?? Size.mebibytes(256))) } },
    ];
    if (this.configMap && props.configMountPath) {
      staticMounts.push({ name: 'config', mountPath: props.configMountPath, readOnly: true });
      staticVolumes.push({ name: 'config', configMap: { name: this.configMap.name, defaultMode: 0o444 } });
    }
    if (this.persistentVolumeClaim && props.persistentVolume) {
      staticMounts.push({ name: 'data', mountPath: props.persistentVolume.mountPath });
      staticVolumes.push({ name: 'data', persistentVolumeClaim: { claimName: this.persistentVolumeClaim.name } });
    }

    const hostRequired = (props.hostSpread ?? SpreadPolicy.PREFERRED) === SpreadPolicy.REQUIRED;
    const hostTerm: k8s.PodAffinityTerm = { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: this.selectorLabels } };

    this.deployment = new k8s.KubeDeployment(this, 'Resource', {
      metadata,
      spec: {
        replicas: autoscalingEnabled ? undefined : this.replicas,
        revisionHistoryLimit: 5,
        selector: { matchLabels: this.selectorLabels },
        strategy: props.persistentVolume && !sharedVolume
          ? { type: 'Recreate' }
          : { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(0), maxSurge: k8s.IntOrString.fromNumber(1) } },
        template: {
          metadata: {
            labels: this.labels,
            annotations: Lazy.any({ produce: () => this.podAnnotations.size > 0 ? Object.fromEntries(this.podAnnotations) : undefined }),
          },
          spec: {
            serviceAccountName: this.serviceAccount.name,
            automountServiceAccountToken: props.mountServiceAccountToken ?? false,
            enableServiceLinks: false,
            priorityClassName: props.priorityClassName,
            terminationGracePeriodSeconds: (props.terminationGracePeriod ?? Duration.seconds(30)).toSeconds(),
            imagePullSecrets: props.imagePullSecrets?.map((name) => ({ name })),
            nodeSelector: props.nodePool?.nodeSelector,
            tolerations: props.nodePool && props.nodePool.tolerations.length > 0 ? props.nodePool.tolerations : undefined,
            securityContext: {
              runAsNonRoot: true,
              runAsUser,
              runAsGroup,
              fsGroup: runAsGroup,
              fsGroupChangePolicy: 'OnRootMismatch',
              seccompProfile: { type: 'RuntimeDefault' },
            },
            affinity: {
              podAntiAffinity: hostRequired
                ? { requiredDuringSchedulingIgnoredDuringExecution: [hostTerm] }
                : { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: hostTerm }] },
            },
            topologySpreadConstraints: [{
              maxSkew: 1,
              topologyKey: 'topology.kubernetes.io/zone',
              whenUnsatisfiable: (props.zoneSpread ?? SpreadPolicy.PREFERRED) === SpreadPolicy.REQUIRED ? 'DoNotSchedule' : 'ScheduleAnyway',
              labelSelector: { matchLabels: this.selectorLabels },
              matchLabelKeys: ['pod-template-hash'],
            }],
            containers: [{
              name: this.name,
              image: props.image.reference,
              imagePullPolicy: 'IfNotPresent',
              command: props.command,
              args: props.args,
              ports,
              env: Lazy.any({ produce: () => this.env.size > 0 ? [...this.env].map(([name, value]) => value.render(name)) : undefined }),
              envFrom: this.configMap ? [{ configMapRef: { name: this.configMap.name } }] : undefined,
              resources: renderResources(resources),
              readinessProbe: readiness.render(HTTP_PORT_NAME),
              livenessProbe: liveness.render(HTTP_PORT_NAME),
              startupProbe: startup.render(HTTP_PORT_NAME),
              securityContext: {
                runAsNonRoot: true,
                runAsUser,
                runAsGroup,
                allowPrivilegeEscalation: false,
                privileged: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
                seccompProfile: { type: 'RuntimeDefault' },
              },
              volumeMounts: Lazy.any({
                produce: () => [...staticMounts, ...[...this.volumes.values()].map((v) => ({
                  name: v.name, mountPath: v.mountPath, readOnly: v.readOnly ?? true,
                }))],
              }),
            }],
            volumes: Lazy.any({
              produce: () => [...staticVolumes, ...[...this.volumes.values()].map((v) => ({ ...v.source, name: v.name }))],
            }),
          },
        },
      },
    });

    const servicePorts: k8s.ServicePort[] = [
      { name: HTTP_PORT_NAME, port: this.servicePort, targetPort: k8s.IntOrString.fromString(HTTP_PORT_NAME), protocol: 'TCP' },
    ];
    if (this.metricsPort !== undefined && this.metricsPort !== this.port) {
      servicePorts.push({ name: METRICS_PORT_NAME, port: this.metricsPort, targetPort: k8s.IntOrString.fromString(METRICS_PORT_NAME), protocol: 'TCP' });
    }
    this.service = new k8s.KubeService(this, 'Service', {
      metadata,
      spec: { type: 'ClusterIP', selector: this.selectorLabels, ports: servicePorts },
    });

    if (autoscalingEnabled) {
      this.autoscaler = new k8s.KubeHorizontalPodAutoscalerV2(this, 'Autoscaler', {
        metadata,
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: this.deployment.name },
          minReplicas: this.replicas,
          maxReplicas,
          metrics: [
            utilization('cpu', autoscaling.targetCpuUtilization ?? 70),
            utilization('memory', autoscaling.targetMemoryUtilization ?? 80),
          ],
          behavior: {
            scaleUp: {
              stabilizationWindowSeconds: 60,
              selectPolicy: 'Max',
              policies: [{ type: 'Percent', value: 100, periodSeconds: 60 }, { type: 'Pods', value: 4, periodSeconds: 60 }],
            },
            scaleDown: {
              stabilizationWindowSeconds: (autoscaling.scaleDownStabilization ?? Duration.minutes(5)).toSeconds(),
              selectPolicy: 'Min',
              policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }],
            },
          },
        },
      });
    }

    if (budgetEnabled) {
      this.disruptionBudget = new k8s.KubePodDisruptionBudget(this, 'DisruptionBudget', {
        metadata,
        spec: {
          maxUnavailable: k8s.IntOrString.fromNumber(maxUnavailable),
          selector: { matchLabels: this.selectorLabels },
          unhealthyPodEvictionPolicy: 'AlwaysAllow',
        },
      });
    }

    this.networkPolicy = new NetworkPolicyRules(this, 'NetworkPolicy', {
      name: this.name,
      namespace: this.namespace,
      podSelector: this.selectorLabels,
      labels: this.labels,
    });
    this.networkPolicy.allowEgress(NetworkPeer.clusterDns(), DNS_PORTS);
    for (const peer of props.allowFrom ?? []) {
      this.allowFrom(peer);
    }

    if (metrics && this.metricsPort !== undefined) {
      this.serviceMonitor = new ServiceMonitor(this, 'ServiceMonitor', {
        metadata,
        spec: {
          selector: { matchLabels: this.selectorLabels },
          namespaceSelector: { matchNames: [this.namespace] },
          endpoints: [{
            port: this.metricsPort === this.port ? HTTP_PORT_NAME : METRICS_PORT_NAME,
            path: metrics.path,
            interval: `${metrics.interval.toSeconds()}s`,
            scheme: ServiceMonitorSpecEndpointsScheme.HTTP,
          }],
        },
      });
      this.networkPolicy.allowIngress(props.metrics?.scraper ?? NetworkPeer.namespace('monitoring'), [{ port: this.metricsPort }]);
      this.monitoring = new AppMonitoring(this, 'Monitoring', {
        name: this.name,
        namespace: this.namespace,
        serviceName: this.serviceName,
        deploymentName: this.deployment.name,
        labels: this.labels,
        metrics,
      });
    }
  }

  /** Lets `peer` connect to the app's pods on `ports` (by default the app's port). */
  public allowFrom(peer: NetworkPeer, ports: readonly NetworkPort[] = [{ port: this.port }]): void {
    this.networkPolicy.allowIngress(peer, ports);
  }

  /** Lets the app's pods connect to `peer` on `ports`. */
  public allowTo(peer: NetworkPeer, ports: readonly NetworkPort[]): void {
    this.networkPolicy.allowEgress(peer, ports);
  }

  /**
   * Connects this app to `target`: the target opens the network path on both sides and passes
   * whatever settings and credentials the app needs.
   */
  public connectTo(target: IConnectable): void {
    target.grantConnection(this);
  }

  /** Lets `workload` reach this app's port, and nothing else, and gives it the app's URL as `<NAME>_URL`. */
  public grantConnection(workload: IWorkload): void {
    this.allowFrom(workload.peer, [{ port: this.port }]);
    workload.allowTo(this.peer, [{ port: this.port }]);
    workload.addEnv(`${envPrefix(this.name)}_URL`, EnvValue.literal(`http://${this.serviceName}.${this.namespace}.svc:${this.servicePort}`));
  }

  /** Adds an environment variable to the container; names are unique. */
  public addEnv(name: string, value: EnvValue): void {
    checkEnvName(this, `env.${name}`, name);
    check(!this.env.has(name), this, `env.${name}`, name, 'is already set on this app: each variable has one source');
    if (value.isLiteral) {
      checkNoSecretLiteral(this, `env.${name}`, name, value.render(name).value ?? '');
    }
    this.env.set(name, value);
  }

  /** Mounts a volume into the container; names and mount paths are unique, `hostPath` is refused. */
  public addVolume(volume: WorkloadVolume): void {
    checkDnsLabel(this, 'volumes.name', volume.name);
    checkAbsolutePath(this, `volumes.${volume.name}.mountPath`, volume.mountPath);
    check(!RESERVED_VOLUMES.has(volume.name) && !this.volumes.has(volume.name), this, 'volumes.name', volume.name,
      `must be unique in the pod and not one of ${[...RESERVED_VOLUMES].join(', ')}`);
    check(volume.mountPath !== '/tmp' && ![...this.volumes.values()].some((v) => v.mountPath === volume.mountPath), this,
      `volumes.${volume.name}.mountPath`, volume.mountPath, 'must be unique in the container and not /tmp');
    check(volume.source.hostPath === undefined, this, `volumes.${volume.name}.source.hostPath`, volume.source.hostPath?.path,
      'is not allowed: hostPath volumes break the Pod Security restricted profile and tie pods to nodes');
    this.volumes.set(volume.name, volume);
  }

  /** Sets an annotation on the pod template; changing its value rolls the pods. */
  public addPodAnnotation(key: string, value: string): void {
    this.podAnnotations.set(key, value);
  }
}

function utilization(resource: 'cpu' | 'memory', averageUtilization: number): k8s.MetricSpecV2 {
  return { type: 'Resource', resource: { name: resource, target: { type: 'Utilization', averageUtilization } } };
}

/** A short, stable hash of a string map: sorted keys, so that order does not matter. */
export function contentHash(data: Record<string, string>): string {
  const sorted = Object.keys(data).sort().map((k) => [k, data[k]]);
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex').slice(0, 10);
}


function envPrefix(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}
