import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ServiceMonitor } from '../../imports/monitoring.coreos.com';
import { check } from '../core/errors';
import { Kind, checkProps } from '../core/kinds';
import { Prerequisite } from '../core/prerequisites';
import { KEEP_ANNOTATIONS, keepOnPrune } from '../core/protection';
import { checkSize, kib, sizeQuantity } from '../core/quantities';
import { checkAbsolutePath, checkDnsLabel, checkDnsSubdomain } from '../core/validate';
import { AppMonitoring } from '../monitoring/app-monitoring';
import { NetworkPeer } from '../network/network-peer';
import { NetworkPolicyRules } from '../network/network-policy-rules';
import { HardenedPodTemplate, OwnVolume, addDisruptionBudget } from './_pod-template';
import { SERVING_KINDS, addMetrics, addService, grantServing, resolveServing } from './_serving';
import { WorkloadBase } from './_workload-base';
import { addConfig, addNetworkPolicy, addServiceAccount, newPod, resolveWorkload } from './_workload-parts';
import { AUTOSCALING_KIND, AutoscalingOptions, addAutoscaler } from './availability';
import { AccessMode, PersistentVolumeOptions } from './persistent-volume';
import { SpreadPolicy } from './placement';
import { IConnectable, IWorkload, WorkloadPort } from './workload';
import { ServingProps } from './workload-props';

/**
 * The StatefulSet controller labels each pod with its revision, `<name>-<10-character hash>`
 * (`controller-revision-hash`), which must fit a label value's 63 characters (kubernetes/kubernetes#64023).
 */
const MAX_NAME_LENGTH = 52;

/** A volume of each replica: a claim template of the StatefulSet, one PersistentVolumeClaim per pod. */
export interface VolumeClaimOptions extends PersistentVolumeOptions {
  /** Name of the volume in the pod; each replica's claim is `<name>-<app name>-<ordinal>`. */
  readonly name: string;
}

/** What happens to the claims of a StatefulSet's replicas. */
export enum RetentionAction {
  /** The claim, and the data on its volume, stays. */
  RETAIN = 'Retain',
  /** The claim is deleted, and with it the volume when its StorageClass reclaims with Delete. */
  DELETE = 'Delete',
}

/**
 * When the claims of the replicas are deleted (`persistentVolumeClaimRetentionPolicy`; beta and on
 * by default from Kubernetes 1.27, GA in 1.32).
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#persistentvolumeclaim-retention
 */
export interface ClaimRetentionOptions {
  /** When the StatefulSet is deleted. @default RetentionAction.RETAIN */
  readonly whenDeleted?: RetentionAction;
  /** When the StatefulSet scales down, for the replicas it removes. @default RetentionAction.RETAIN */
  readonly whenScaled?: RetentionAction;
}

/** In which order a StatefulSet starts and stops its replicas (immutable on a live StatefulSet). */
export enum PodManagement {
  /** One at a time, each ready before the next starts, stopped in reverse: for members that join a quorum or a primary. */
  ORDERED_READY = 'OrderedReady',
  /** All at once, for replicas that do not depend on each other; rolling updates still go one pod at a time. */
  PARALLEL = 'Parallel',
}

/** Props of a {@link StatefulApp}. */
export interface StatefulAppProps extends ServingProps {
  /** Name of the app's objects: at most 52 characters (the StatefulSet labels its pods `<name>-<revision hash>`). @default - the construct id in kebab-case */
  readonly name?: string;
  /** Volumes of each replica (at least one): one claim per replica, kept when replicas go. */
  readonly volumeClaims: VolumeClaimOptions[];
  /** When the claims are deleted. @default - kept when the StatefulSet is deleted and when it scales down */
  readonly claimRetention?: ClaimRetentionOptions;
  /** In which order replicas start and stop. @default PodManagement.ORDERED_READY */
  readonly podManagement?: PodManagement;
  /**
   * Horizontal pod autoscaling. Off by default: a replica that goes keeps its claim, and most stateful
   * apps must move data before they gain or lose a member.
   * @default - no autoscaler: `replicas` replicas
   */
  readonly autoscaling?: AutoscalingOptions;
  /**
   * Whether the governing headless Service publishes the DNS names of pods that are not ready yet,
   * so that members find each other while they form a cluster. Clients use the other Service, which
   * routes to ready pods only.
   * @default true
   */
  readonly publishNotReadyAddresses?: boolean;
}

/**
 * A service that keeps data on a volume per replica: ServiceAccount, StatefulSet with claim templates,
 * a governing headless Service (a stable DNS name per pod, `<name>-<ordinal>.<name>-headless`), a
 * ClusterIP Service for clients, PodDisruptionBudget, NetworkPolicy and, as asked, an autoscaler and
 * monitoring; the hardened pods of `ProductionApp`, with `fsGroup` so the non-root user can write
 * its volumes.
 *
 * The data outlives the app: claims are retained when replicas go or the StatefulSet is deleted, the
 * StatefulSet carries the GitOps keep annotations (Argo CD `Prune=false,Delete=false`, Flux prune
 * disabled), and so do its claim templates, which the StatefulSet controller copies onto each claim.
 * The claims themselves are not in the manifests, so Argo CD and Flux never prune them as long as
 * they track resources by annotation (Argo CD's default since 3.0) or by inventory (Flux); with Argo
 * CD's older label tracking, a claim carrying the app instance label would count as the Application's
 * and be pruned without its annotations.
 *
 * `volumeClaims`, the pod management, `name` and the selector cannot change on a live StatefulSet
 * (the API server refuses the update): the claim templates carry only labels that never change.
 */
export class StatefulApp extends WorkloadBase implements IConnectable {
  /** Name of the app's objects. */
  public readonly name: string;
  /** Namespace of the app's objects. */
  public readonly namespace: string;
  /** Container port the app serves on. */
  public readonly port: number;
  /** Port of the client Service. */
  public readonly servicePort: number;
  /** Name of the client Service (ClusterIP). */
  public readonly serviceName: string;
  /** Name of the governing headless Service, the StatefulSet's `serviceName`. */
  public readonly headlessServiceName: string;
  /** Labels that select the app's pods. */
  public readonly selectorLabels: Record<string, string>;
  /** The app's pods as a NetworkPolicy peer. */
  public readonly peer: NetworkPeer;
  /** The ports the app serves other workloads on. */
  public readonly ports: readonly WorkloadPort[];
  /** Replicas, or the autoscaler's minimum. */
  public readonly replicas: number;
  /** The StatefulSet. */
  public readonly statefulSet: k8s.KubeStatefulSet;
  /** The governing headless Service. */
  public readonly headlessService: k8s.KubeService;
  /** The client Service. */
  public readonly service: k8s.KubeService;
  /** The ServiceAccount the pods run as. */
  public readonly serviceAccount: k8s.KubeServiceAccount;
  /** The NetworkPolicy of the pods. */
  public readonly networkPolicy: NetworkPolicyRules;
  /** The HorizontalPodAutoscaler, when autoscaling is enabled. */
  public readonly autoscaler?: k8s.KubeHorizontalPodAutoscalerV2;
  /** The PodDisruptionBudget, when enabled. */
  public readonly disruptionBudget?: k8s.KubePodDisruptionBudget;
  /** The ConfigMap, when config is given. */
  public readonly configMap?: k8s.KubeConfigMap;
  /** The ServiceMonitor, when metrics are declared. */
  public readonly serviceMonitor?: ServiceMonitor;
  /** The alerts and the Grafana dashboard, when metrics are declared. */
  public readonly monitoring?: AppMonitoring;

  protected readonly pod: HardenedPodTemplate;

  public constructor(scope: Construct, id: string, props: StatefulAppProps) {
    super(scope, id);
    checkProps(this, props, {
      ...SERVING_KINDS,
      volumeClaims: Kind.array(Kind.object('a VolumeClaimOptions object (name, mountPath, size, storageClassName, and optionally accessMode)', {
        name: Kind.STRING,
        mountPath: Kind.STRING,
        size: Kind.SIZE,
        storageClassName: Kind.STRING,
        accessMode: Kind.oneOf(AccessMode, 'an AccessMode').optional(),
      })),
      claimRetention: Kind.object('a ClaimRetentionOptions object', {
        whenDeleted: Kind.oneOf(RetentionAction, 'a RetentionAction').optional(),
        whenScaled: Kind.oneOf(RetentionAction, 'a RetentionAction').optional(),
      }).optional(),
      podManagement: Kind.oneOf(PodManagement, 'a PodManagement').optional(),
      autoscaling: AUTOSCALING_KIND.optional(),
      publishNotReadyAddresses: Kind.BOOLEAN.optional(),
    }, 'StatefulAppProps');
    const settings = resolveWorkload(this, id, props, {
      kind: 'StatefulApp', maxNameLength: MAX_NAME_LENGTH, servesHttp: true,
      nameReason: 'the StatefulSet controller labels each pod \'<name>-<10-character revision hash>\', within 63',
    });
    const serving = resolveServing(this, props, { enabled: false });
    checkClaims(this, props.volumeClaims, props.configMountPath);
    this.name = settings.name;
    this.namespace = settings.namespace;
    this.selectorLabels = settings.selectorLabels;
    this.peer = NetworkPeer.pods(this.selectorLabels, this.namespace);
    this.port = serving.port;
    this.servicePort = serving.servicePort;
    this.ports = serving.ports;
    this.replicas = serving.replicas;
    this.serviceName = this.name;
    this.headlessServiceName = `${this.name}-headless`;
    const metadata = settings.metadata;

    this.serviceAccount = addServiceAccount(this, settings, props);
    const config = addConfig(this, settings, props);
    this.configMap = config.configMap;
    const claims: OwnVolume[] = props.volumeClaims.map((c) => ({ mount: { name: c.name, mountPath: c.mountPath } }));
    this.pod = newPod(this, settings, props, {
      serviceAccountName: this.serviceAccount.name,
      ports: serving.containerPorts,
      probes: serving.probes,
      envFrom: config.envFrom,
      ownVolumes: [config.volume, ...claims].filter((v): v is OwnVolume => v !== undefined),
      reservedVolumeNames: ['config', ...props.volumeClaims.map((c) => c.name)],
      hostSpread: props.hostSpread ?? SpreadPolicy.PREFERRED,
      zoneSpread: props.zoneSpread ?? SpreadPolicy.PREFERRED,
    });

    this.statefulSet = keepOnPrune(new k8s.KubeStatefulSet(this, 'Resource', {
      metadata,
      spec: {
        serviceName: this.headlessServiceName,
        replicas: serving.autoscaler ? undefined : this.replicas,
        podManagementPolicy: props.podManagement ?? PodManagement.ORDERED_READY,
        revisionHistoryLimit: 5,
        selector: { matchLabels: this.selectorLabels },
        updateStrategy: { type: 'RollingUpdate' },
        persistentVolumeClaimRetentionPolicy: {
          whenDeleted: props.claimRetention?.whenDeleted ?? RetentionAction.RETAIN,
          whenScaled: props.claimRetention?.whenScaled ?? RetentionAction.RETAIN,
        },
        template: this.pod.render(),
        volumeClaimTemplates: props.volumeClaims.map((c) => ({
          metadata: { name: c.name, labels: this.selectorLabels, annotations: { ...KEEP_ANNOTATIONS } },
          spec: {
            accessModes: [c.accessMode ?? AccessMode.READ_WRITE_ONCE],
            storageClassName: c.storageClassName,
            resources: { requests: { storage: k8s.Quantity.fromString(sizeQuantity(c.size)) } },
          },
        })),
      },
    }));
    this.headlessService = addService(this, 'Headless', { ...metadata, name: this.headlessServiceName }, this.selectorLabels, serving,
      { publishNotReadyAddresses: props.publishNotReadyAddresses ?? true });
    this.service = addService(this, 'Service', metadata, this.selectorLabels, serving);
    this.autoscaler = serving.autoscaler && addAutoscaler(this, 'Autoscaler', metadata, {
      ...serving.autoscaler, target: { kind: 'StatefulSet', name: this.statefulSet.name }, minReplicas: this.replicas,
    });
    this.disruptionBudget = serving.maxUnavailable !== undefined
      ? addDisruptionBudget(this, 'DisruptionBudget', metadata, this.selectorLabels, serving.maxUnavailable)
      : undefined;

    this.networkPolicy = addNetworkPolicy(this, settings, props);
    for (const peer of props.allowFrom ?? []) {
      this.allowFrom(peer);
    }
    const metrics = addMetrics(this, settings, serving, this.networkPolicy, this.serviceName, { statefulSetName: this.statefulSet.name });
    this.serviceMonitor = metrics?.serviceMonitor;
    this.monitoring = metrics?.monitoring;

    for (const storageClassName of new Set(props.volumeClaims.map((c) => c.storageClassName))) {
      Prerequisite.declare(this, Prerequisite.clusterObject('StorageClass', storageClassName,
        `the volume claims of ${this.namespace}/${this.name}; reclaimPolicy Retain keeps a volume whose claim is deleted, allowVolumeExpansion lets it grow`));
    }
  }

  /** Lets `workload` reach this app's port through its client Service, and nothing else, and gives it the URL as `<NAME>_URL`. */
  public grantConnection(workload: IWorkload): void {
    grantServing(this, workload, `http://${this.serviceName}.${this.namespace}.svc:${this.servicePort}`, this.port);
  }
}

/** Checks the claim templates: at least one, valid and unique names and paths (the config's included), a StorageClass and a size. */
function checkClaims(scope: Construct, claims: readonly VolumeClaimOptions[], configMountPath: string | undefined): void {
  check(claims.length > 0, scope, 'volumeClaims', claims, 'must hold at least one volume: a StatefulApp keeps data per replica (a stateless service is a ProductionApp)');
  const names = new Set<string>();
  const paths = new Set<string>(configMountPath !== undefined ? [configMountPath] : []);
  for (const claim of claims) {
    checkDnsLabel(scope, 'volumeClaims.name', claim.name);
    check(!['tmp', 'config'].includes(claim.name) && !names.has(claim.name), scope, 'volumeClaims.name', claim.name, 'must be unique and not tmp or config');
    checkAbsolutePath(scope, `volumeClaims.${claim.name}.mountPath`, claim.mountPath);
    check(claim.mountPath !== '/tmp' && !paths.has(claim.mountPath), scope, `volumeClaims.${claim.name}.mountPath`, claim.mountPath, 'must be unique in the container (configMountPath included) and not /tmp');
    checkDnsSubdomain(scope, `volumeClaims.${claim.name}.storageClassName`, claim.storageClassName);
    checkSize(scope, `volumeClaims.${claim.name}.size`, claim.size);
    check(kib(claim.size) > 0, scope, `volumeClaims.${claim.name}.size`, sizeQuantity(claim.size), 'must be greater than zero');
    names.add(claim.name);
    paths.add(claim.mountPath);
  }
}
