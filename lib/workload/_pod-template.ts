import { ApiObjectMetadata, Duration, Lazy, Size } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { check } from '../core/errors';
import { Kind } from '../core/kinds';
import { checkNoSecretLiteral } from '../core/leaks';
import { Prerequisite } from '../core/prerequisites';
import { sizeQuantity } from '../core/quantities';
import { checkAbsolutePath, checkAnnotations, checkDnsLabel, checkEnvName } from '../core/validate';
import { WorkloadContainer } from './container';
import { ENV_VALUE_KIND, EnvValue } from './env-value';
import { Image } from './image';
import { NodePool, SpreadPolicy, hostAntiAffinity, nodePoolPlacement, zoneSpread } from './placement';
import { IRegistryCredentials, imagePullSecretsOf } from './registry-credentials';
import { ContainerResources, renderResources } from './resources';
import { WorkloadPort, WorkloadVolume } from './workload';

// Internal: the one renderer of the library's hardened pods. Not exported from the package.

/** Where a workload's pods run. */
export interface PodPlacement {
  /** Node pool of the pods. */
  readonly nodePool?: NodePool;
  /** PriorityClass of the pods. */
  readonly priorityClassName?: string;
  /** How replicas are spread over hosts. @default - not spread: a job's one pod at a time needs no spreading */
  readonly hostSpread?: SpreadPolicy;
  /** How replicas are spread over zones. @default - not spread */
  readonly zoneSpread?: SpreadPolicy;
  /** Pod labels that narrow the zone spread to the pods of one revision, e.g. `pod-template-hash` for a Deployment. */
  readonly spreadMatchLabelKeys?: string[];
}

/** A volume the workload mounts itself (its config, its data), rendered exactly as given. */
export interface OwnVolume {
  /** The container's mount. */
  readonly mount: k8s.VolumeMount;
  /** The pod's volume; none for one its controller adds (the claim template of a StatefulSet). */
  readonly volume?: k8s.Volume;
}

/** What a hardened pod runs: one container (and its init containers and sidecars), its identity, its probes and where it is placed. */
export interface HardenedPodTemplateProps {
  /** Namespace of the pods. */
  readonly namespace: string;
  /** Labels of the pods. */
  readonly labels: Record<string, string>;
  /** Annotations of the pods, before the ones added with `addAnnotation`. */
  readonly annotations?: Record<string, string>;
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
  /** The variables `envFrom` sets (the keys of the workload's config): no other source may set them. */
  readonly envFromKeys?: readonly string[];
  /** The container's `preStop` hook, rendered. */
  readonly preStop?: k8s.LifecycleHandler;
  /** Init containers, run in order after the sidecars have started. */
  readonly initContainers?: readonly WorkloadContainer[];
  /** Native sidecars: init containers with `restartPolicy: Always`, started first. */
  readonly sidecars?: readonly WorkloadContainer[];
  /** The pod's restart policy (`Never` or `OnFailure` for a Job). @default - the API default, Always */
  readonly restartPolicy?: string;
  /** User id of the container process (at least 10000). */
  readonly runAsUser: number;
  /** Group id of the container process and of mounted volumes (at least 10000). */
  readonly runAsGroup: number;
  /** Where the pods run. */
  readonly placement: PodPlacement;
  /** Registry credentials the kubelet pulls the images with. */
  readonly imagePullSecrets?: readonly IRegistryCredentials[];
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
  private readonly annotations: Map<string, string>;
  private readonly reservedVolumeNames: readonly string[];

  /** `scope` is the workload: errors name it, and it declares the objects of the cluster that the pods name. */
  public constructor(private readonly scope: IConstruct, private readonly props: HardenedPodTemplateProps) {
    this.reservedVolumeNames = ['tmp', ...props.reservedVolumeNames ?? []];
    if (props.placement.priorityClassName !== undefined) {
      Prerequisite.declare(scope, Prerequisite.clusterObject('PriorityClass', props.placement.priorityClassName, 'the pods run at its priority'));
    }
    this.annotations = new Map(Object.entries(props.annotations ?? {}));
    scope.node.addValidation({ validate: () => this.unknownMounts() });
  }

  /**
   * Adds an environment variable to the container; names are unique (one source per variable: env,
   * config or a binding), and a literal must not hold a credential.
   */
  public addEnv(name: string, value: EnvValue): void {
    checkEnvName(this.scope, `env.${name}`, name);
    ENV_VALUE_KIND.check(this.scope, `env.${name}`, value);
    value.check(this.scope, `env.${name}`);
    const first = this.env.get(name)?.source ?? (this.props.envFromKeys?.includes(name) ? 'its config' : undefined);
    check(first === undefined, this.scope, `env.${name}`, name, `is already set on this app, by ${first} (and now by ${value.source}): `
      + 'each variable has one source, and an env entry would win over the config without a word');
    if (value.isLiteral) {
      checkNoSecretLiteral(this.scope, `env.${name}`, name, value.render(name).value ?? '');
    }
    this.env.set(name, value);
  }

  /** Mounts a volume into the container; names and mount paths are unique, `hostPath` is refused. */
  public addVolume(volume: WorkloadVolume): void {
    VOLUME_KIND.check(this.scope, 'volumes', volume);
    checkDnsLabel(this.scope, 'volumes.name', volume.name);
    checkAbsolutePath(this.scope, `volumes.${volume.name}.mountPath`, volume.mountPath);
    check(!this.reservedVolumeNames.includes(volume.name) && !this.volumes.has(volume.name), this.scope, 'volumes.name', volume.name,
      `must be unique in the pod and not one of ${this.reservedVolumeNames.join(', ')}`);
    const taken = ['/tmp', ...(this.props.ownVolumes ?? []).map((v) => v.mount.mountPath), ...[...this.volumes.values()].map((v) => v.mountPath)];
    check(!taken.includes(volume.mountPath), this.scope, `volumes.${volume.name}.mountPath`, volume.mountPath, 'must be unique in the container and not /tmp');
    check(volume.source.hostPath === undefined, this.scope, `volumes.${volume.name}.source.hostPath`, volume.source.hostPath?.path,
      'is not allowed: hostPath volumes break the Pod Security restricted profile and tie pods to nodes');
    this.volumes.set(volume.name, volume);
  }

  /** Sets an annotation on the pod template; changing its value rolls the pods. */
  public addAnnotation(key: string, value: string): void {
    checkAnnotations(this.scope, 'podAnnotations', { ...Object.fromEntries(this.annotations), [key]: value });
    this.annotations.set(key, value);
  }

  /** The pod template, for the workload's controller object (Deployment, Job, StatefulSet, ...). */
  public render(): k8s.PodTemplateSpec {
    const { props } = this;
    const placement = props.placement;
    const tmp: OwnVolume = {
      mount: TMP_MOUNT,
      volume: { name: TMP_MOUNT.name, emptyDir: { sizeLimit: k8s.Quantity.fromString(sizeQuantity(props.tmpSize)) } },
    };
    const own = [tmp, ...props.ownVolumes ?? []];
    const initContainers = [
      ...(props.sidecars ?? []).map((c) => ({ ...this.renderExtraContainer(c), restartPolicy: 'Always' })),
      ...(props.initContainers ?? []).map((c) => this.renderExtraContainer(c)),
    ];
    return {
      metadata: {
        labels: props.labels,
        annotations: Lazy.any({ produce: () => this.annotations.size > 0 ? Object.fromEntries(this.annotations) : undefined }),
      },
      spec: {
        serviceAccountName: props.serviceAccountName,
        automountServiceAccountToken: props.mountServiceAccountToken,
        enableServiceLinks: false,
        restartPolicy: props.restartPolicy,
        priorityClassName: placement.priorityClassName,
        terminationGracePeriodSeconds: props.terminationGracePeriod.toSeconds(),
        imagePullSecrets: imagePullSecretsOf(props.imagePullSecrets),
        ...nodePoolPlacement(placement.nodePool),
        securityContext: {
          runAsNonRoot: true,
          runAsUser: props.runAsUser,
          runAsGroup: props.runAsGroup,
          fsGroup: props.runAsGroup,
          fsGroupChangePolicy: 'OnRootMismatch',
          seccompProfile: { type: 'RuntimeDefault' },
        },
        affinity: placement.hostSpread !== undefined ? { podAntiAffinity: hostAntiAffinity(props.selectorLabels, placement.hostSpread) } : undefined,
        topologySpreadConstraints: placement.zoneSpread !== undefined
          ? [zoneSpread(props.selectorLabels, placement.zoneSpread, placement.spreadMatchLabelKeys)]
          : undefined,
        initContainers: initContainers.length > 0 ? initContainers : undefined,
        containers: [this.renderContainer(own)],
        volumes: Lazy.any({
          produce: () => [
            ...own.flatMap((v) => v.volume !== undefined ? [v.volume] : []),
            ...[...this.volumes.values()].map((v) => ({ ...v.source, name: v.name })),
          ],
        }),
      },
    };
  }

  private renderContainer(own: readonly OwnVolume[]): k8s.Container {
    const { props } = this;
    return {
      ...this.hardened(props.containerName, props.image, props.resources),
      command: props.command,
      args: props.args,
      ports: props.ports.length > 0 ? props.ports.map((p) => ({ name: p.name, containerPort: p.port, protocol: p.protocol ?? 'TCP' })) : undefined,
      env: Lazy.any({ produce: () => this.env.size > 0 ? [...this.env].map(([name, value]) => value.render(name)) : undefined }),
      envFrom: props.envFrom,
      readinessProbe: props.probes.readiness,
      livenessProbe: props.probes.liveness,
      startupProbe: props.probes.startup,
      lifecycle: props.preStop !== undefined ? { preStop: props.preStop } : undefined,
      volumeMounts: Lazy.any({
        produce: () => [...own.map((v) => v.mount), ...[...this.volumes.values()].map((v) => ({
          name: v.name, mountPath: v.mountPath, readOnly: v.readOnly ?? true,
        }))],
      }),
    };
  }

  private renderExtraContainer(container: WorkloadContainer): k8s.Container {
    return {
      ...this.hardened(container.name, container.image ?? this.props.image, container.resources),
      command: container.command,
      args: container.args,
      env: container.env !== undefined ? Object.entries(container.env).map(([name, value]) => ({ name, value })) : undefined,
      volumeMounts: [TMP_MOUNT, ...(container.mounts ?? []).map((m) => ({ name: m.volume, mountPath: m.mountPath, readOnly: m.readOnly ?? true }))],
    };
  }

  /** What every container of the pod shares: the image, requests and limits, and the security context. */
  private hardened(name: string, image: Image, resources: ContainerResources): k8s.Container {
    return {
      name,
      image: image.reference,
      imagePullPolicy: 'IfNotPresent',
      resources: renderResources(resources, k8s.Quantity.fromString, k8s.Quantity.fromString),
      securityContext: {
        runAsNonRoot: true,
        runAsUser: this.props.runAsUser,
        runAsGroup: this.props.runAsGroup,
        allowPrivilegeEscalation: false,
        privileged: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      },
    };
  }

  /** Mounts of the init containers and sidecars that name no volume of the pod (checked at synth: bindings add volumes after construction). */
  private unknownMounts(): string[] {
    const known = new Set([TMP_MOUNT.name, ...(this.props.ownVolumes ?? []).map((v) => v.mount.name), ...this.volumes.keys()]);
    const lists = [['sidecars', this.props.sidecars ?? []], ['initContainers', this.props.initContainers ?? []]] as const;
    return lists.flatMap(([list, containers]) => containers.flatMap((c) => (c.mounts ?? [])
      .filter((m) => !known.has(m.volume))
      .map((m) => `'${list}.${c.name}.mounts' ('${m.volume}') must name a volume of the pod: ${[...known].join(', ')}`)));
  }
}

/**
 * A {@link WorkloadVolume}, as a prop's kind.
 * @internal
 */
export const VOLUME_KIND = Kind.object('a WorkloadVolume (name, mountPath, source, and optionally readOnly)', {
  name: Kind.STRING,
  mountPath: Kind.STRING,
  readOnly: Kind.BOOLEAN.optional(),
  source: Kind.object('a volume source (emptyDir, configMap, secret, projected, csi, ...)', {}),
});

/** The writable `/tmp` of every container of the pod: one size-limited emptyDir, shared. */
const TMP_MOUNT: k8s.VolumeMount = { name: 'tmp', mountPath: '/tmp' };

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
