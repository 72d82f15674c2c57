import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ServiceMonitor } from '../../imports/monitoring.coreos.com';
import { check } from '../core/errors';
import { checkProps } from '../core/kinds';
import { AppMonitoring } from '../monitoring/app-monitoring';
import { NetworkPeer } from '../network/network-peer';
import { NetworkPolicyRules } from '../network/network-policy-rules';
import { HardenedPodTemplate, OwnVolume, addDisruptionBudget } from './_pod-template';
import { SERVING_KINDS, addMetrics, addService, grantServing, resolveServing } from './_serving';
import { WorkloadBase } from './_workload-base';
import { addConfig, addNetworkPolicy, addServiceAccount, newPod, resolveWorkload } from './_workload-parts';
import { AUTOSCALING_KIND, AutoscalingOptions, addAutoscaler } from './availability';
import { AccessMode, PERSISTENT_VOLUME_KIND, PersistentVolumeOptions, addPersistentVolume, checkPersistentVolume } from './persistent-volume';
import { SpreadPolicy } from './placement';
import { IConnectable, IWorkload, WorkloadPort } from './workload';
import { ServingProps } from './workload-props';

/** Props of a {@link ProductionApp}. */
export interface ProductionAppProps extends ServingProps {
  /** Horizontal pod autoscaling. @default - an HPA from `replicas` to max(10, 2 × replicas) at 70% CPU and 80% memory */
  readonly autoscaling?: AutoscalingOptions;
  /**
   * A persistent data volume: one PersistentVolumeClaim shared by every replica. A ReadWriteOnce volume
   * attaches to one node, so it needs one replica; a volume per replica is a `StatefulApp`.
   * @default - no persistent volume
   */
  readonly persistentVolume?: PersistentVolumeOptions;
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
  /** The ports the app serves other workloads on: its container port, named `http`, and the additional ports. */
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

  public constructor(scope: Construct, id: string, props: ProductionAppProps) {
    super(scope, id);
    checkProps(this, props, {
      ...SERVING_KINDS,
      autoscaling: AUTOSCALING_KIND.optional(),
      persistentVolume: PERSISTENT_VOLUME_KIND.optional(),
    }, 'ProductionAppProps');

    const settings = resolveWorkload(this, id, props, { kind: 'ProductionApp', servesHttp: true });
    const serving = resolveServing(this, props, {});
    if (props.persistentVolume) {
      check(props.persistentVolume.accessMode === AccessMode.READ_WRITE_MANY
        || (serving.replicas === 1 && !serving.autoscaler && serving.maxUnavailable === undefined), this, 'persistentVolume.accessMode',
      AccessMode.READ_WRITE_ONCE, 'needs exactly one replica without autoscaling or a PodDisruptionBudget: '
        + 'a ReadWriteOnce volume attaches to one node; use READ_WRITE_MANY to share it, or a StatefulApp for a volume per replica');
      checkPersistentVolume(this, props.persistentVolume);
      check(props.persistentVolume.mountPath !== props.configMountPath, this, 'persistentVolume.mountPath', props.persistentVolume.mountPath,
        'must differ from configMountPath: a container mounts one volume at a path');
    }
    this.name = settings.name;
    this.namespace = settings.namespace;
    this.selectorLabels = settings.selectorLabels;
    this.peer = NetworkPeer.pods(this.selectorLabels, this.namespace);
    this.port = serving.port;
    this.servicePort = serving.servicePort;
    this.ports = serving.ports;
    this.replicas = serving.replicas;
    this.serviceName = this.name;
    this.metricsPort = serving.metricsPort;
    const metadata = settings.metadata;

    this.serviceAccount = addServiceAccount(this, settings, props);
    const config = addConfig(this, settings, props);
    this.configMap = config.configMap;
    const data = props.persistentVolume ? addPersistentVolume(this, metadata, props.persistentVolume) : undefined;
    this.persistentVolumeClaim = data?.claim;

    this.pod = newPod(this, settings, props, {
      serviceAccountName: this.serviceAccount.name,
      ports: serving.containerPorts,
      probes: serving.probes,
      envFrom: config.envFrom,
      ownVolumes: [config.volume, data?.volume].filter((v): v is OwnVolume => v !== undefined),
      reservedVolumeNames: ['data', 'config'],
      hostSpread: props.hostSpread ?? SpreadPolicy.PREFERRED,
      zoneSpread: props.zoneSpread ?? SpreadPolicy.PREFERRED,
      spreadMatchLabelKeys: ['pod-template-hash'],
    });

    const singleNode = props.persistentVolume !== undefined && props.persistentVolume.accessMode !== AccessMode.READ_WRITE_MANY;
    this.deployment = new k8s.KubeDeployment(this, 'Resource', {
      metadata,
      spec: {
        replicas: serving.autoscaler ? undefined : this.replicas,
        revisionHistoryLimit: 5,
        selector: { matchLabels: this.selectorLabels },
        strategy: singleNode
          ? { type: 'Recreate' }
          : { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(0), maxSurge: k8s.IntOrString.fromNumber(1) } },
        template: this.pod.render(),
      },
    });
    this.service = addService(this, 'Service', metadata, this.selectorLabels, serving);
    this.autoscaler = serving.autoscaler && addAutoscaler(this, 'Autoscaler', metadata, {
      ...serving.autoscaler, target: { kind: 'Deployment', name: this.deployment.name }, minReplicas: this.replicas,
    });
    this.disruptionBudget = serving.maxUnavailable !== undefined
      ? addDisruptionBudget(this, 'DisruptionBudget', metadata, this.selectorLabels, serving.maxUnavailable)
      : undefined;

    this.networkPolicy = addNetworkPolicy(this, settings, props);
    for (const peer of props.allowFrom ?? []) {
      this.allowFrom(peer);
    }
    const metrics = addMetrics(this, settings, serving, this.networkPolicy, this.serviceName, { deploymentName: this.deployment.name });
    this.serviceMonitor = metrics?.serviceMonitor;
    this.monitoring = metrics?.monitoring;
  }

  /** Lets `workload` reach this app's port, and nothing else, and gives it the app's URL as `<NAME>_URL`. */
  public grantConnection(workload: IWorkload): void {
    grantServing(this, workload, `http://${this.serviceName}.${this.namespace}.svc:${this.servicePort}`, this.port);
  }
}

