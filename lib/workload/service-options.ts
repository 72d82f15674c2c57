import { Duration } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { check } from '../core/errors';
import { Kind } from '../core/kinds';
import { durationSeconds } from '../core/quantities';
import { checkPort, checkPortName } from '../core/validate';
import { Protocol } from '../network/network-peer';
import { WorkloadPort } from './workload';

/** Most seconds `sessionAffinityConfig.clientIP.timeoutSeconds` accepts (kubernetes `ValidateService`: 0 < timeout <= 86400). */
const MAX_AFFINITY_SECONDS = 86400;

/**
 * Whether the Service sends a client's connections to the same pod. kube-proxy applies it to
 * traffic through the Service's ClusterIP, seen from the client's pod IP: an ingress controller that
 * sends requests to the pods' endpoints itself (ingress-nginx does, unless `service-upstream` is
 * set) bypasses it, and one that goes through the ClusterIP is a handful of client IPs. Stickiness
 * for browser traffic is a cookie at the ingress; this is for clients inside the cluster.
 * @see https://kubernetes.io/docs/reference/networking/virtual-ips/#session-affinity
 */
export class SessionAffinity {
  /** Each connection may go to any ready pod (the Kubernetes default). */
  public static none(): SessionAffinity {
    return new SessionAffinity(undefined);
  }

  /**
   * Connections from one client IP go to the same pod until it has been idle for `timeout` (the AI-Shell
   * guide uses one hour).
   */
  public static clientIp(timeout: Duration = Duration.hours(3)): SessionAffinity {
    return new SessionAffinity(timeout);
  }

  private constructor(
    /** How long an idle client stays with its pod, for ClientIP affinity. */
    public readonly timeout: Duration | undefined,
  ) {}

  /** The Service spec fields of this affinity (none for `none()`, so that the Service keeps the API default). */
  public render(): Pick<k8s.ServiceSpec, 'sessionAffinity' | 'sessionAffinityConfig'> {
    return this.timeout === undefined ? {} : {
      sessionAffinity: 'ClientIP',
      sessionAffinityConfig: { clientIp: { timeoutSeconds: durationSeconds(this.timeout) } },
    };
  }

  /** Why the API server would refuse this affinity, or `undefined` when it accepts it. */
  public problem(): string | undefined {
    if (this.timeout === undefined) {
      return undefined;
    }
    const seconds = Kind.DURATION.accepts(this.timeout) ? durationSeconds(this.timeout) : NaN;
    return Number.isInteger(seconds) && seconds >= 1 && seconds <= MAX_AFFINITY_SECONDS
      ? undefined
      : `must keep a client for a whole number of seconds from 1 to ${MAX_AFFINITY_SECONDS} (one day)`;
  }
}

/**
 * Checks the named ports of a pod's container: valid names and numbers, each name and each
 * number (per protocol) once, as the API server requires of a container's ports and a Service's.
 * @internal
 */
export function checkPorts(scope: IConstruct, prop: string, ports: readonly WorkloadPort[]): void {
  const names = new Set<string>();
  const numbers = new Set<string>();
  for (const port of ports) {
    checkPortName(scope, `${prop}.name`, port.name);
    checkPort(scope, `${prop}.${port.name}.port`, port.port);
    check(!names.has(port.name), scope, `${prop}.name`, port.name, 'must be unique among the ports of the pod (http and metrics included)');
    const key = `${port.port}/${port.protocol ?? Protocol.TCP}`;
    check(!numbers.has(key), scope, `${prop}.${port.name}.port`, port.port, `must be unique among the ports of the pod (${key} is taken)`);
    names.add(port.name);
    numbers.add(key);
  }
}

/**
 * A {@link SessionAffinity}, as a prop's kind.
 * @internal
 */
export const SESSION_AFFINITY_KIND = Kind.instance(SessionAffinity, 'a SessionAffinity (SessionAffinity.none or SessionAffinity.clientIp)');
