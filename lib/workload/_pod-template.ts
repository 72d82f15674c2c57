import { ApiObjectMetadata, Duration, Lazy, Size } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { check } from '../core/errors';
import { checkNoSecretLiteral } from '../core/leaks';
import { Prerequisite } from '../core/prerequisites';
import { sizeQuantity } from '../core/quantities';
import { checkAbsolutePath, checkDnsLabel, checkEnvName } from '../core/validate';
import { EnvValue } from './env-value';
import { Image } from './image';
import { NodePool, SpreadPolicy, hostAntiAffinity, nodePoolPlacement, zoneSpread } from './placement';
import { ContainerResources, renderResources } from './resources';
import { WorkloadPort, WorkloadVolume } from './workload';

// Internal: the one renderer of the library's hardened pods. Not exported from the package.

/** Where a workload's pods run. */
export interface PodPlacement {
  /** Node pool of the pods. */
  readonly nodePool?: NodePool;
  /** PriorityClass of the pods. */
  readonly priorityClassName?: string;
  /** How replicas are spread over hosts. */
  readonly hostSpread: SpreadPolicy;
  /** How replicas are spread over zones. */
  readonly zoneSpread: SpreadPolicy;
  /** Pod labels that narrow the zone spread to the pods of one revision, e.g. `pod-template-hash` for a Deployment. */
  readonly spreadMatchLabelKeys?: string[];
}

/** A volume the workload mounts itself (its config, its data), rendered exactly as given. */
export interface OwnVolume {
  /** The container's mount. */
  readonly mount: k8s.VolumeMount;
  /** The pod's volume. */
  readonly volume: k8s.Volume;
}

/** What a hardened pod runs: one container, its identity, its probes and where it is placed. */
export interface HardenedPodTemplateProps {
  /** Namespace of the pods. */
  readonly namespace: string;
  /** Labels of the pods. */
  readonly labels: Record<string, string>;
  /** Labels that select the pods (a subset of `labels`), for anti-affinity and spread. */
  readonly selectorLabels: Record<string, string>;
  /** The ServiceAccount the pods run as. */
  readonly serviceAccountName: string;
  /** Whether a Kubernetes API token is mounted. */
  readonly mountServiceAccountToken: boolean;
  /** Name of the container. */
  readonly containerName: string;
  /** The container image. */
  readonly image: Image;
  /** Entrypoint override. */
  readonly command?: string[];
  /** Arguments. */
  readonly args?: string[];
  /** The container's named ports. */
  readonly ports: readonly WorkloadPort[];
  /** Requests and limits. */
  readonly resources: ContainerResources;
  /** The container's probes, rendered. */
  readonly probes: { readonly readiness?: k8s.Probe; readonly liveness?: k8s.Probe; readonly startup?: k8s.Probe };
  /** ConfigMaps or Secrets read as environment variables. */
  readonly envFrom?: k8s.EnvFromSource[];
  /** User id of the container process (at least 10000). */
  readonly runAsUser: number;
  /** Group id of the container process and of mounted volumes (at least 10000). */
  readonly runAsGroup: number;
  /** Where the pods run. */
  readonly placement: PodPlacement;
  /** Secrets with registry credentials. */
  readonly imagePullSecrets?: readonly string[];
  /** Time the container has to shut down after SIGTERM. */
  readonly terminationGracePeriod: Duration;
  /** Size limit of the writable `/tmp` emptyDir (the root filesystem is read-only). */
  readonly tmpSize: Size;
  /** Volumes the workload mounts itself, after `/tmp` and before the ones added with `addVolume`. */
  readonly ownVolumes?: readonly OwnVolume[];
  /** Volume names `addVolume` refuses besides `tmp`: those of the workload's own volumes, present or not. */
  readonly reservedVolumeNames?: readonly string[];
}

/**
 * The pod template every workload kind of the library renders: non-root with the given uid and gid,
 * seccomp RuntimeDefault, no capabilities or privilege escalation, a read-only root filesystem with
 * an emptyDir `/tmp`, no service links, an API token only when asked for, requests and limits, and
 * the placement (node pool, host anti-affinity, zone spread, priority). It also holds what other
 * constructs add to the workload after construction (environment variables, volumes, pod
 * annotations), which render at synth. A Deployment, Job or StatefulSet only adds its controller object.
 */
export class HardenedPodTemplate {
  private readonly env = new Map<string, EnvValue>();
  private readonly volumes = new Map<string, WorkloadVolume>();
  private readonly annotations = new Map<string, string>();
  private readonly reservedVolumeNames: readonly string[];

  /** `scope` is the workload: errors name it, and it declares the objects of the cluster that the pods name. */
  public constructor(private readonly scope: IConstruct, private readonly props: HardenedPodTemplateProps) {
    this.reservedVolumeNames = ['tmp', ...props.reservedVolumeNames ?? []];
    if (props.placement.priorityClassName !== undefined) {
      Prerequisite.declare(scope, Prerequisite.clusterObject('PriorityClass', props.placement.priorityClassName, 'the pods run at its priority'));
    }
    for (const secretName of props.imagePullSecrets ?? []) {
      Prerequisite.declare(scope, Prerequisite.object('Secret', props.namespace, secretName, 'the kubelet pulls the image with these registry credentials'));
    }
  }

  /** Adds an environment variable to the container; names are unique, and a literal must not hold a credential. */
  public addEnv(name: string, value: EnvValue): void {
    checkEnvName(this.scope, `env.${name}`, name);
    check(!this.env.has(name), this.scope, `env.${name}`, name, 'is already set on this app: each variable has one source');
    if (value.isLiteral) {
      checkNoSecretLiteral(this.scope, `env.${name}`, name, value.render(name).value ?? '');
    }
    this.env.set(name, value);
  }

  /** Mounts a volume into the container; names and mount paths are unique, `hostPath` is refused. */
  public addVolume(volume: WorkloadVolume): void {
    checkDnsLabel(this.scope, 'volumes.name', volume.name);
    checkAbsolutePath(this.scope, `volumes.${volume.name}.mountPath`, volume.mountPath);
    check(!this.reservedVolumeNames.includes(volume.name) && !this.volumes.has(volume.name), this.scope, 'volumes.name', volume.name,
      `must be unique in the pod and not one of ${this.reservedVolumeNames.join(', ')}`);
    check(volume.mountPath !== '/tmp' && ![...this.volumes.values()].some((v) => v.mountPath === volume.mountPath), this.scope,
      `volumes.${volume.name}.mountPath`, volume.mountPath, 'must be unique in the container and not /tmp');
    check(volume.source.hostPath === undefined, this.scope, `volumes.${volume.name}.source.hostPath`, volume.source.hostPath?.path,
      'is not allowed: hostPath volumes break the Pod Security restricted profile and tie pods to nodes');
    this.volumes.set(volume.name, volume);
  }

  /** Sets an annotation on the pod template; changing its value rolls the pods. */
  public addAnnotation(key: string, value: string): void {
    this.annotations.set(key, value);
  }

  /** The pod template, for the workload's controller object (Deployment, Job, StatefulSet, ...). */
  public render(): k8s.PodTemplateSpec {
    const { props } = this;
    const placement = props.placement;
    const tmp: OwnVolume = {
      mount: { name: 'tmp', mountPath: '/tmp' },
      volume: { name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString(sizeQuantity(props.tmpSize)) } },
    };
    const own = [tmp, ...props.ownVolumes ?? []];
    return {
      metadata: {
        labels: props.labels,
        annotations: Lazy.any({ produce: () => this.annotations.size > 0 ? Object.fromEntries(this.annotations) : undefined }),
      },
      spec: {
        serviceAccountName: props.serviceAccountName,
        automountServiceAccountToken: props.mountServiceAccountToken,
        enableServiceLinks: false,
        priorityClassName: placement.priorityClassName,
        terminationGracePeriodSeconds: props.terminationGracePeriod.toSeconds(),
        imagePullSecrets: props.imagePullSecrets?.map((name) => ({ name })),
        ...nodePoolPlacement(placement.nodePool),
        securityContext: {
          runAsNonRoot: true,
          runAsUser: props.runAsUser,
          runAsGroup: props.runAsGroup,
          fsGroup: props.runAsGroup,
          fsGroupChangePolicy: 'OnRootMismatch',
          seccompProfile: { type: 'RuntimeDefault' },
        },
        affinity: { podAntiAffinity: hostAntiAffinity(props.selectorLabels, placement.hostSpread) },
        topologySpreadConstraints: [zoneSpread(props.selectorLabels, placement.zoneSpread, placement.spreadMatchLabelKeys)],
        containers: [this.renderContainer(own)],
        volumes: Lazy.any({
          produce: () => [...own.map((v) => v.volume), ...[...this.volumes.values()].map((v) => ({ ...v.source, name: v.name }))],
        }),
      },
    };
  }

  private renderContainer(own: readonly OwnVolume[]): k8s.Container {
    const { props } = this;
    return {
      name: props.containerName,
      image: props.image.reference,
      imagePullPolicy: 'IfNotPresent',
      command: props.command,
      args: props.args,
      ports: props.ports.map((p) => ({ name: p.name, containerPort: p.port, protocol: p.protocol ?? 'TCP' })),
      env: Lazy.any({ produce: () => this.env.size > 0 ? [...this.env].map(([name, value]) => value.render(name)) : undefined }),
      envFrom: props.envFrom,
      resources: renderResources(props.resources, k8s.Quantity.fromString, k8s.Quantity.fromString),
      readinessProbe: props.probes.readiness,
      livenessProbe: props.probes.liveness,
      startupProbe: props.probes.startup,
      securityContext: {
        runAsNonRoot: true,
        runAsUser: props.runAsUser,
        runAsGroup: props.runAsGroup,
        allowPrivilegeEscalation: false,
        privileged: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      },
      volumeMounts: Lazy.any({
        produce: () => [...own.map((v) => v.mount), ...[...this.volumes.values()].map((v) => ({
          name: v.name, mountPath: v.mountPath, readOnly: v.readOnly ?? true,
        }))],
      }),
    };
  }
}

/** The least uid and gid of a container process: ids below it may map to users and groups of the host. */
const MIN_ID = 10000;

/** Checks the uid and gid a hardened pod runs as. */
export function checkRunAs(scope: IConstruct, runAsUser: number, runAsGroup: number): void {
  check(runAsUser >= MIN_ID && Number.isInteger(runAsUser), scope, 'runAsUser', runAsUser,
    `must be an integer of at least ${MIN_ID}, so that it maps to no user of the host`);
  check(runAsGroup >= MIN_ID && Number.isInteger(runAsGroup), scope, 'runAsGroup', runAsGroup,
    `must be an integer of at least ${MIN_ID}, so that it maps to no group of the host`);
}

/**
 * A PodDisruptionBudget that lets `maxUnavailable` of the pods `selector` picks go at once, and
 * always lets unhealthy pods go, so that it protects availability without ever blocking a drain.
 */
export function addDisruptionBudget(scope: Construct, id: string, metadata: ApiObjectMetadata, selector: Record<string, string>,
  maxUnavailable: number): k8s.KubePodDisruptionBudget {
  return new k8s.KubePodDisruptionBudget(scope, id, {
    metadata,
    spec: {
      maxUnavailable: k8s.IntOrString.fromNumber(maxUnavailable),
      selector: { matchLabels: selector },
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    },
  });
}
