import { Duration, Size } from 'cdk8s';
import { Cpu, k8s } from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { check } from '../core/errors';
import { WorkloadIdentity, recommendedLabels, selectorLabels } from '../core/labels';
import { checkNoSecretLiteral } from '../core/leaks';
import { nameFromId, resolveNamespace } from '../core/names';
import { Kind, Kinds } from '../core/kinds';
import { Prerequisite } from '../core/prerequisites';
import { checkSize, checkWholeSeconds } from '../core/quantities';
import { checkAbsolutePath, checkAnnotations, checkDnsLabel, checkDnsSubdomain, checkEnvName, checkLabels } from '../core/validate';
import { LOG_COLLECTION_KIND, LogFormat } from '../monitoring/log-collection';
import { CLUSTER_DNS_KIND, ClusterDns, checkClusterDns } from '../network/cluster-dns';
import { EGRESS_ENGINE_KIND } from '../network/egress-engine';
import { NetworkPolicyRules } from '../network/network-policy-rules';
import { addAppConfig, checkAppConfig } from './_app-config';
import { HardenedPodTemplate, HardenedPodTemplateProps, OwnVolume, VOLUME_KIND, checkRunAs } from './_pod-template';
import { CONTAINER_KIND, PRE_STOP_KIND, WorkloadContainer } from './container';
import { EnvValue } from './env-value';
import { IMAGE_KIND } from './image';
import { NODE_POOL_KIND } from './placement';
import { REGISTRY_CREDENTIALS_KIND, checkRegistryCredentials } from './registry-credentials';
import { ContainerResources, RESOURCES_KIND, checkResources } from './resources';
import { WorkloadProps } from './workload-props';

// Internal: what every workload kind resolves, checks and creates the same way. Not exported from the package.

/** Requests and limits of a workload's container when none are given. */
export const DEFAULT_RESOURCES: ContainerResources = {
  cpu: { request: Cpu.millis(250), limit: Cpu.units(1) },
  memory: { request: Size.mebibytes(256), limit: Size.mebibytes(512) },
  ephemeralStorage: { request: Size.mebibytes(256), limit: Size.gibibytes(1) },
};

/** Name, namespace, labels and annotations of every object of a workload. */
export interface WorkloadMetadata {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

/** The props every workload kind shares, with their defaults resolved and checked. */
export interface WorkloadSettings {
  /** Name of the workload's objects. */
  readonly name: string;
  /** Namespace of the workload's objects. */
  readonly namespace: string;
  /** Labels that select the pods. */
  readonly selectorLabels: Record<string, string>;
  /** Labels of the pods: the objects' labels and `podLabels`. */
  readonly podLabels: Record<string, string>;
  /** The metadata of every object. */
  readonly metadata: WorkloadMetadata;
  /** Requests and limits of the workload's container. */
  readonly resources: ContainerResources;
  /** User id of the containers. */
  readonly runAsUser: number;
  /** Group id of the containers and of the pod's volumes. */
  readonly runAsGroup: number;
  /** Time to shut down after SIGTERM. */
  readonly terminationGracePeriod: Duration;
}

/** How a workload kind resolves the shared props. */
export interface ResolveOptions {
  /** Name of the construct class, for errors (`must be set on the <kind> or its Chart`). */
  readonly kind: string;
  /** Most characters of `name`, when the controller or the construct appends a suffix to it. @default 63 (a DNS label) */
  readonly maxNameLength?: number;
  /** Why `name` is that short, for the error. @default - no reason: give one with `maxNameLength` */
  readonly nameReason?: string;
  /** Whether the workload serves HTTP on a port called `http` (an HTTP preStop hook calls it). */
  readonly servesHttp: boolean;
}

/**
 * Resolves the defaults of the shared props of a workload with construct id `id`, and checks every
 * one of them before any object is created.
 */
export function resolveWorkload(scope: IConstruct, id: string, props: WorkloadProps, options: ResolveOptions): WorkloadSettings {
  const name = props.name ?? nameFromId(id);
  checkDnsLabel(scope, 'name', name);
  if (options.maxNameLength !== undefined) {
    check(name.length <= options.maxNameLength, scope, 'name', name, `must be at most ${options.maxNameLength} characters: ${options.nameReason}`);
  }
  const namespace = resolveNamespace(scope, options.kind, props.namespace);
  const imageProblem = props.image.problem();
  check(imageProblem === undefined, scope, 'image', props.image.reference, imageProblem ?? '');
  if (props.component !== undefined) {
    checkLabels(scope, 'component', { 'app.kubernetes.io/component': props.component });
  }
  if (props.partOf !== undefined) {
    checkLabels(scope, 'partOf', { 'app.kubernetes.io/part-of': props.partOf });
  }
  checkOwnLabels(scope, 'labels', props.labels ?? {});
  checkOwnLabels(scope, 'podLabels', props.podLabels ?? {});
  checkAnnotations(scope, 'annotations', props.annotations ?? {});
  checkAnnotations(scope, 'podAnnotations', props.podAnnotations ?? {});
  checkAnnotations(scope, 'serviceAccountAnnotations', props.serviceAccountAnnotations ?? {});
  const resources = props.resources ?? DEFAULT_RESOURCES;
  checkResources(scope, 'resources', resources);
  const runAsUser = props.runAsUser ?? 10001;
  const runAsGroup = props.runAsGroup ?? 10001;
  checkRunAs(scope, runAsUser, runAsGroup);
  checkAppConfig(scope, props.config, props.configMountPath);
  checkContainers(scope, name, props);
  if (props.dns !== undefined) {
    checkClusterDns(scope, 'dns', props.dns);
  }
  const terminationGracePeriod = props.terminationGracePeriod ?? Duration.seconds(30);
  checkWholeSeconds(scope, 'terminationGracePeriod', terminationGracePeriod, 1);
  props.preStop?.check(scope, terminationGracePeriod, options.servesHttp);
  if (props.priorityClassName !== undefined) {
    checkDnsSubdomain(scope, 'priorityClassName', props.priorityClassName);
  }
  checkRegistryCredentials(scope, 'imagePullSecrets', props.imagePullSecrets ?? [], namespace);
  props.logs?.check(scope, 'logs', [name], props.logFormat ?? LogFormat.TEXT);
  props.nodePool?.check(scope, 'nodePool');
  if (props.tmpSize !== undefined) {
    checkSize(scope, 'tmpSize', props.tmpSize, 1);
  }
  for (const [key, value] of Object.entries(props.env ?? {})) {
    checkEnvName(scope, `env.${key}`, key);
    check(props.config === undefined || !Object.hasOwn(props.config, key), scope, `env.${key}`, key,
      'is already set on this app, by its config (and now by env): each variable has one source, and an env entry would win over the config without a word');
    checkNoSecretLiteral(scope, `env.${key}`, key, value);
  }

  const identity: WorkloadIdentity = { name, instance: name, version: props.image.version, component: props.component, partOf: props.partOf };
  const labels = { ...props.labels, ...recommendedLabels(identity) };
  const annotations = props.annotations !== undefined && Object.keys(props.annotations).length > 0 ? { ...props.annotations } : undefined;
  return {
    name,
    namespace,
    selectorLabels: selectorLabels(identity),
    podLabels: { ...labels, ...props.podLabels },
    metadata: { name, namespace, labels, ...annotations !== undefined ? { annotations } : {} },
    resources,
    runAsUser,
    runAsGroup,
    terminationGracePeriod,
  };
}

/**
 * {@link WorkloadProps}, kind by kind: what every workload kind checks first, for callers without a
 * type checker.
 */
export const WORKLOAD_KINDS: Kinds<WorkloadProps> = {
  image: IMAGE_KIND,
  name: Kind.STRING.optional(),
  namespace: Kind.STRING.optional(),
  component: Kind.STRING.optional(),
  partOf: Kind.STRING.optional(),
  labels: Kind.record(Kind.STRING).optional(),
  annotations: Kind.record(Kind.STRING).optional(),
  podLabels: Kind.record(Kind.STRING).optional(),
  podAnnotations: Kind.record(Kind.STRING).optional(),
  command: Kind.array(Kind.STRING).optional(),
  args: Kind.array(Kind.STRING).optional(),
  env: Kind.record(Kind.SECRET_STRING).optional(),
  config: Kind.record(Kind.SECRET_STRING).optional(),
  configMountPath: Kind.STRING.optional(),
  resources: RESOURCES_KIND.optional(),
  initContainers: Kind.array(CONTAINER_KIND).optional(),
  sidecars: Kind.array(CONTAINER_KIND).optional(),
  preStop: PRE_STOP_KIND.optional(),
  runAsUser: Kind.NUMBER.optional(),
  runAsGroup: Kind.NUMBER.optional(),
  mountServiceAccountToken: Kind.BOOLEAN.optional(),
  serviceAccountAnnotations: Kind.record(Kind.STRING).optional(),
  dns: CLUSTER_DNS_KIND.optional(),
  egressEngine: EGRESS_ENGINE_KIND.optional(),
  imagePullSecrets: Kind.array(REGISTRY_CREDENTIALS_KIND).optional(),
  logs: LOG_COLLECTION_KIND.optional(),
  logFormat: Kind.oneOf(LogFormat, 'a LogFormat').optional(),
  nodePool: NODE_POOL_KIND.optional(),
  priorityClassName: Kind.STRING.optional(),
  volumes: Kind.array(VOLUME_KIND).optional(),
  tmpSize: Kind.SIZE.optional(),
  terminationGracePeriod: Kind.DURATION.optional(),
};

/** Label keys of the `kubernetes.io` and `k8s.io` prefixes (the recommended `app.kubernetes.io/*` among them), which the construct or Kubernetes set. */
const KUBERNETES_PREFIX = /(^|\.)(kubernetes\.io|k8s\.io)$/;

function checkOwnLabels(scope: IConstruct, prop: string, labels: Record<string, string>): void {
  checkLabels(scope, prop, labels);
  for (const key of Object.keys(labels)) {
    check(!key.includes('/') || !KUBERNETES_PREFIX.test(key.split('/', 1)[0]), scope, `${prop}.${key}`, key,
      'uses a prefix reserved for Kubernetes (kubernetes.io, k8s.io): the recommended and selector labels come from name, component and partOf');
  }
}

/** Checks the init containers and sidecars: names, images, requests and limits, environment and mounts. */
function checkContainers(scope: IConstruct, workloadName: string, props: WorkloadProps): void {
  const names = new Set([workloadName]);
  const lists = [['sidecars', props.sidecars ?? []], ['initContainers', props.initContainers ?? []]] as const;
  for (const [list, containers] of lists) {
    for (const container of containers) {
      const prop = `${list}.${container.name}`;
      checkDnsLabel(scope, `${list}.name`, container.name);
      check(!names.has(container.name), scope, `${list}.name`, container.name, 'must be unique among the containers of the pod (the workload\'s own is named after it)');
      names.add(container.name);
      checkContainer(scope, prop, container);
    }
  }
}

function checkContainer(scope: IConstruct, prop: string, container: WorkloadContainer): void {
  const imageProblem = container.image?.problem();
  check(imageProblem === undefined, scope, `${prop}.image`, container.image?.reference, imageProblem ?? '');
  checkResources(scope, `${prop}.resources`, container.resources);
  for (const [key, value] of Object.entries(container.env ?? {})) {
    checkEnvName(scope, `${prop}.env.${key}`, key);
    checkNoSecretLiteral(scope, `${prop}.env.${key}`, key, value);
  }
  const paths = new Set(['/tmp']);
  for (const mount of container.mounts ?? []) {
    checkAbsolutePath(scope, `${prop}.mounts.${mount.volume}.mountPath`, mount.mountPath);
    check(!paths.has(mount.mountPath), scope, `${prop}.mounts.${mount.volume}.mountPath`, mount.mountPath, 'must be unique in the container and not /tmp');
    paths.add(mount.mountPath);
  }
}

/** The workload's own ServiceAccount, without an API token unless asked for. */
export function addServiceAccount(scope: Construct, settings: WorkloadSettings, props: WorkloadProps): k8s.KubeServiceAccount {
  const annotations = { ...settings.metadata.annotations, ...props.serviceAccountAnnotations };
  return new k8s.KubeServiceAccount(scope, 'ServiceAccount', {
    metadata: { ...settings.metadata, annotations: Object.keys(annotations).length > 0 ? annotations : undefined },
    automountServiceAccountToken: props.mountServiceAccountToken ?? false,
  });
}

/** The workload's config as a content-hashed ConfigMap, when it has one: its `envFrom` and, when mounted, its volume. */
export function addConfig(scope: Construct, settings: WorkloadSettings, props: WorkloadProps): { configMap?: k8s.KubeConfigMap; envFrom?: k8s.EnvFromSource; volume?: OwnVolume } {
  return props.config !== undefined ? addAppConfig(scope, settings.metadata, props.config, props.configMountPath) : {};
}

/** What differs between the pods of the workload kinds. */
export type PodOptions = Pick<HardenedPodTemplateProps, 'serviceAccountName' | 'ports' | 'probes' | 'ownVolumes' | 'reservedVolumeNames' | 'restartPolicy'>
& { readonly envFrom?: k8s.EnvFromSource; readonly hostSpread?: HardenedPodTemplateProps['placement']['hostSpread'];
  readonly zoneSpread?: HardenedPodTemplateProps['placement']['zoneSpread']; readonly spreadMatchLabelKeys?: string[] };

/** The hardened pod of a workload, with the env and volumes of its props added. */
export function newPod(scope: IConstruct, settings: WorkloadSettings, props: WorkloadProps, options: PodOptions): HardenedPodTemplate {
  const pod = new HardenedPodTemplate(scope, {
    namespace: settings.namespace,
    labels: settings.podLabels,
    selectorLabels: settings.selectorLabels,
    serviceAccountName: options.serviceAccountName,
    mountServiceAccountToken: props.mountServiceAccountToken ?? false,
    containerName: settings.name,
    image: props.image,
    command: props.command,
    args: props.args,
    ports: options.ports,
    resources: settings.resources,
    probes: options.probes,
    envFrom: options.envFrom && [options.envFrom],
    envFromKeys: props.config !== undefined ? Object.keys(props.config) : undefined,
    preStop: props.preStop?.render('http'),
    initContainers: props.initContainers,
    sidecars: props.sidecars,
    restartPolicy: options.restartPolicy,
    runAsUser: settings.runAsUser,
    runAsGroup: settings.runAsGroup,
    placement: {
      nodePool: props.nodePool,
      priorityClassName: props.priorityClassName,
      hostSpread: options.hostSpread,
      zoneSpread: options.zoneSpread,
      spreadMatchLabelKeys: options.spreadMatchLabelKeys,
    },
    imagePullSecrets: props.imagePullSecrets,
    annotations: { ...props.logs?.podAnnotations([settings.name], props.logFormat ?? LogFormat.TEXT), ...props.podAnnotations },
    terminationGracePeriod: settings.terminationGracePeriod,
    tmpSize: props.tmpSize ?? Size.mebibytes(256),
    ownVolumes: options.ownVolumes,
    reservedVolumeNames: options.reservedVolumeNames,
  });
  for (const credentials of props.imagePullSecrets ?? []) {
    scope.node.addDependency(credentials);
  }
  if (props.logs !== undefined) {
    Prerequisite.declare(scope, ...props.logs.prerequisites(props.logFormat ?? LogFormat.TEXT));
  }
  for (const [name, value] of Object.entries(props.env ?? {})) {
    pod.addEnv(name, EnvValue.literal(value));
  }
  for (const volume of props.volumes ?? []) {
    pod.addVolume(volume);
  }
  return pod;
}

/** The workload's NetworkPolicy: nothing in or out but the cluster DNS of `props.dns`, until peers are added. */
export function addNetworkPolicy(scope: Construct, settings: WorkloadSettings, props: WorkloadProps): NetworkPolicyRules {
  const policy = new NetworkPolicyRules(scope, 'NetworkPolicy', {
    name: settings.name,
    namespace: settings.namespace,
    podSelector: settings.selectorLabels,
    labels: settings.metadata.labels,
    dns: props.dns ?? ClusterDns.kubeDns(),
    egressEngine: props.egressEngine,
  });
  for (const [key, value] of Object.entries(settings.metadata.annotations ?? {})) {
    policy.resource.metadata.addAnnotation(key, value);
  }
  return policy;
}
