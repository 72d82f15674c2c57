import { Size } from 'cdk8s';
import { RedisReplicationSpecKubernetesConfigResourcesLimits } from '../../imports/redis.redis.opstreelabs.in';
import { sizeQuantity } from '../core/quantities';
import { Image } from '../workload/image';
import { NodePool, SpreadPolicy, hostAntiAffinity, nodePoolPlacement, zoneSpread } from '../workload/placement';
import { ContainerResources, renderResources } from '../workload/resources';
import { RUN_AS } from './_operator';

// Internal: the pod fields the library sets on the operator's custom resources. Not exported from the package.
//
// The operator renders its StatefulSets from these fields (redis-operator v0.26.0 internal/k8sutils/statefulset.go):
// `podSecurityContext` goes to the pod, `securityContext` to the Redis or Sentinel container,
// `redisExporter.securityContext` to the exporter, and `initContainer.securityContext` to the `init-config` init
// container that the GenerateConfigInInitContainer feature gate adds (generateInitContainerDef), also when
// `initContainer.enabled` is false. Every container then meets Pod Security `restricted`.

/**
 * A quantity of the generated bindings: their quantity classes differ in name only (`{ value }`), so one
 * factory serves every field.
 */
export const quantity = (text: string) => RedisReplicationSpecKubernetesConfigResourcesLimits.fromString(text);

/** A container's requests and limits, as the CRs take them. */
export function resources(value: ContainerResources) {
  return renderResources(value, quantity, quantity);
}

/**
 * The pod: non-root with uid and gid 10001, volumes writable through the group (fsGroup), seccomp RuntimeDefault.
 * The images run as any uid: quay.io/opstree/redis and redis-sentinel install their binaries with mode 755
 * (`make install`) and keep their writable paths group-writable (OT-CONTAINER-KIT/redis Dockerfile,
 * Dockerfile.sentinel); with the feature gate the config is written to an emptyDir and `/data` is the claim,
 * which fsGroup makes writable; the exporter image is a static binary on `scratch` (Dockerfile.exporter) that runs
 * as root unless told otherwise; the init-config image is distroless.
 */
export function podSecurityContext() {
  return {
    runAsNonRoot: true,
    runAsUser: RUN_AS,
    runAsGroup: RUN_AS,
    fsGroup: RUN_AS,
    fsGroupChangePolicy: 'OnRootMismatch',
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** Every container: Pod Security `restricted`, and a read-only root filesystem. */
export function containerSecurityContext() {
  return {
    runAsNonRoot: true,
    runAsUser: RUN_AS,
    runAsGroup: RUN_AS,
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/**
 * What a read-only root filesystem leaves writable: `/tmp`, and `/var/run`, where the generated redis.conf and
 * sentinel.conf put their pid files (internal/agent/bootstrap/redis/config.go `pidfile /var/run/redis.pid`,
 * sentinel/config.go `pidfile /var/run/redis-sentinel.pid`). The operator mounts them into the Redis or Sentinel
 * container and the exporter (`storage.volumeMount` or `volumeMount`). `data` adds `/data` for a node without a
 * claim: its generated config sets no `dir`, so Redis writes its snapshots (on by default) to its working directory,
 * the image's `/data` (OT-CONTAINER-KIT/redis Dockerfile `WORKDIR /data`), and refuses writes when a snapshot fails
 * (`stop-writes-on-bgsave-error`, on by default).
 */
export function writableVolumes(data?: Size) {
  const volume = (name: string, size: Size) => ({ name, emptyDir: { sizeLimit: quantity(sizeQuantity(size)) } });
  return {
    volume: [volume('tmp', Size.mebibytes(64)), volume('run', Size.mebibytes(1)), ...data !== undefined ? [volume('data', data)] : []],
    mountPath: [
      { name: 'tmp', mountPath: '/tmp' }, { name: 'run', mountPath: '/var/run' },
      ...data !== undefined ? [{ name: 'data', mountPath: '/data' }] : [],
    ],
  };
}

/**
 * Readiness is the operator's own check (`redis-cli ping` answers PONG; statefulset.go getProbeInfo, which fills
 * a probe given without a handler); liveness also accepts `LOADING`, so that a node replaying a large append-only
 * file is not restarted before it is done. `portVariable` is the env var the operator gives the container its
 * port in: `REDIS_PORT` or `SENTINEL_PORT`.
 */
export function probes(portVariable: 'REDIS_PORT' | 'SENTINEL_PORT') {
  const ping = `RESP="$(redis-cli -h 127.0.0.1 -p "\${${portVariable}}" -a "\${REDIS_PASSWORD}" ping 2>/dev/null)"`;
  return {
    readinessProbe: { periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
    livenessProbe: {
      exec: { command: ['sh', '-c', `${ping}; [ "$RESP" = PONG ] || [ "\${RESP#LOADING}" != "$RESP" ]`] },
      initialDelaySeconds: 15,
      periodSeconds: 15,
      timeoutSeconds: 5,
      failureThreshold: 6,
    },
  };
}

/**
 * The user init container, off: the CRD requires an image, and its `securityContext` is the only way to give the
 * operator's `init-config` container one (redis-operator v0.26.0 statefulset.go generateInitContainerDef; issue #1823).
 */
export function initContainer(image: Image) {
  return { enabled: false, image: image.reference, securityContext: containerSecurityContext() };
}

/** The redis_exporter sidecar: it reads the password from the same Secret as the server (getExporterEnvironmentVariables). */
export function exporter(image: Image, value: ContainerResources) {
  return { enabled: true, image: image.reference, imagePullPolicy: 'IfNotPresent', resources: resources(value), securityContext: containerSecurityContext() };
}

/** The fields of `kubernetesConfig`: image, requests and limits, the password Secret, the registry credentials. */
export interface KubernetesConfig {
  readonly image: Image;
  readonly resources: ContainerResources;
  readonly passwordSecret: { readonly name: string; readonly key: string };
  /** The rendered `imagePullSecrets`, unset without registry credentials. */
  readonly imagePullSecrets?: Array<{ name: string }>;
}

export function kubernetesConfig(config: KubernetesConfig) {
  return {
    image: config.image.reference,
    imagePullPolicy: 'IfNotPresent',
    resources: resources(config.resources),
    redisSecret: { name: config.passwordSecret.name, key: config.passwordSecret.key },
    imagePullSecrets: config.imagePullSecrets,
  };
}

/** Pods of one StatefulSet on distinct hosts (required) and spread over zones, on the node pool. */
export function placement(selector: Record<string, string>, nodePool: NodePool | undefined, spread: SpreadPolicy) {
  return {
    affinity: { podAntiAffinity: hostAntiAffinity(selector, SpreadPolicy.REQUIRED) },
    topologySpreadConstraints: [zoneSpread(selector, spread)],
    ...nodePoolPlacement(nodePool),
  };
}
