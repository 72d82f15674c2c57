import { Duration } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { check } from '../core/errors';
import { Kind } from '../core/kinds';
import { durationSeconds } from '../core/quantities';
import { checkUrlPath } from '../core/validate';
import { IMAGE_KIND, Image } from './image';
import { ContainerResources, RESOURCES_KIND } from './resources';

/** A volume of the pod, mounted into an init container or a sidecar. */
export interface ContainerMount {
  /**
   * Name of a volume of the pod: one the workload mounts itself (`config`, `data`, a volume claim),
   * one of `volumes`, or one a binding adds (`SecretsBinding.bindTo`, `connectTo` a database).
   */
  readonly volume: string;
  /** Where it is mounted in this container. */
  readonly mountPath: string;
  /** Whether the mount is read-only. @default true */
  readonly readOnly?: boolean;
}

/**
 * A container that runs beside the workload's own, as an init container or a native sidecar,
 * hardened like it: the workload's non-root user and group, seccomp `RuntimeDefault`, no
 * capabilities or privilege escalation, a read-only root filesystem with the pod's writable `/tmp`,
 * and requests and limits of its own.
 *
 * The environment variables and volumes that bindings add (`connectTo`, `SecretsBinding.bindTo`)
 * go to the workload's own container only; a container that needs one of their volumes mounts it by
 * name (`mounts`).
 */
export interface WorkloadContainer {
  /** Name, unique in the pod (a DNS label). */
  readonly name: string;
  /** Container image, pinned to a version tag or a digest. @default - the workload's image */
  readonly image?: Image;
  /** Entrypoint override. @default - the image's entrypoint */
  readonly command?: string[];
  /** Arguments. @default - the image's arguments */
  readonly args?: string[];
  /** Literal environment variables; a credential comes as a file, through `mounts`. @default - none */
  readonly env?: Record<string, string>;
  /** Requests and limits: the scheduler and the namespace's quota count them like the workload's own. */
  readonly resources: ContainerResources;
  /** Volumes of the pod it mounts, besides `/tmp`. @default - only `/tmp` */
  readonly mounts?: ContainerMount[];
}

/**
 * What the kubelet runs in the workload's container before it sends SIGTERM, inside the
 * termination grace period: typically a pause that lets endpoints, kube-proxy and load balancers stop
 * sending new requests before the app stops accepting them.
 * @see https://kubernetes.io/docs/concepts/containers/container-lifecycle-hooks/
 */
export class PreStop {
  /**
   * Waits `duration` by running `sleep <seconds>` in the container, so the image must have a `sleep`
   * binary (busybox, coreutils; distroless images have none: use `exec` with the app's own command).
   * The API's `sleep` action (`lifecycle.preStop.sleep`) is not used: it is not in the Kubernetes 1.28
   * API the manifests are validated against (kubernetes `LifecycleHandler` has `exec`, `httpGet` and
   * `tcpSocket` in 1.28, `sleep` from 1.29).
   */
  public static sleep(duration: Duration): PreStop {
    const seconds = Kind.DURATION.accepts(duration) ? durationSeconds(duration) : NaN;
    return new PreStop({ kind: 'exec', command: ['sleep', `${seconds}`] }, duration);
  }

  /** Runs `command` in the container; the hook fails, and is logged as an event, when it exits non-zero. */
  public static exec(command: string[]): PreStop {
    return new PreStop({ kind: 'exec', command: Array.isArray(command) ? [...command] : command });
  }

  /** Sends `GET path` to the workload's main port (`http`), e.g. an endpoint that starts a graceful drain. */
  public static httpGet(path: string): PreStop {
    return new PreStop({ kind: 'http', path });
  }

  private constructor(
    private readonly handler: { kind: 'exec'; command: string[] } | { kind: 'http'; path: string },
    /** How long the hook holds the shutdown, when it is a sleep. */
    public readonly sleep?: Duration,
  ) {}

  /** Whether the hook calls the workload's main port. */
  public get needsPort(): boolean {
    return this.handler.kind === 'http';
  }

  /** The handler as the container's `lifecycle.preStop` receives it, calling `portName` for an HTTP hook. */
  public render(portName: string): k8s.LifecycleHandler {
    return this.handler.kind === 'http'
      ? { httpGet: { path: this.handler.path, port: k8s.IntOrString.fromString(portName), scheme: 'HTTP' } }
      : { exec: { command: this.handler.command } };
  }

  /**
   * Checks the hook of `scope` against its termination grace period: a whole number of seconds of
   * sleep shorter than the grace period, a command, a URL path, and a port to call.
   * @internal
   */
  public check(scope: IConstruct, terminationGracePeriod: Duration, servesHttp: boolean): void {
    if (this.sleep !== undefined) {
      Kind.DURATION.check(scope, 'preStop', this.sleep);
      const seconds = durationSeconds(this.sleep);
      check(Number.isInteger(seconds) && seconds >= 1, scope, 'preStop', `sleep ${seconds}`, 'must sleep a whole number of seconds, at least 1');
      check(durationSeconds(terminationGracePeriod) > seconds, scope, 'terminationGracePeriod', durationSeconds(terminationGracePeriod),
        `must be longer than the preStop sleep (${seconds} s): the kubelet counts the hook inside the grace period, and the app needs time after SIGTERM`);
    }
    if (this.handler.kind === 'exec') {
      Kind.array(Kind.STRING).check(scope, 'preStop.command', this.handler.command);
      check(this.handler.command.length > 0 && this.handler.command[0] !== '', scope, 'preStop', this.handler.command, 'must run a command');
    } else {
      checkUrlPath(scope, 'preStop.path', this.handler.path);
      check(servesHttp, scope, 'preStop', `GET ${this.handler.path}`, 'needs a port to call: this workload serves none');
    }
  }
}

/**
 * A {@link WorkloadContainer}, as a prop's kind.
 * @internal
 */
export const CONTAINER_KIND = Kind.object('a WorkloadContainer (name, resources, and optionally image, command, args, env and mounts)', {
  name: Kind.STRING,
  image: IMAGE_KIND.optional(),
  command: Kind.array(Kind.STRING).optional(),
  args: Kind.array(Kind.STRING).optional(),
  env: Kind.record(Kind.SECRET_STRING).optional(),
  resources: RESOURCES_KIND,
  mounts: Kind.array(Kind.object('a ContainerMount (volume, mountPath, readOnly)', {
    volume: Kind.STRING,
    mountPath: Kind.STRING,
    readOnly: Kind.BOOLEAN.optional(),
  })).optional(),
});

/**
 * A {@link PreStop}, as a prop's kind.
 * @internal
 */
export const PRE_STOP_KIND = Kind.instance(PreStop, 'a PreStop (PreStop.sleep, PreStop.exec or PreStop.httpGet)');
