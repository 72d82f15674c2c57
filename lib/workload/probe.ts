import { Duration } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { check } from '../core/errors';
import { Kind } from '../core/kinds';
import { checkWholeSeconds } from '../core/quantities';
import { INT32_MAX, checkHttpPath, checkInteger } from '../core/validate';

/** Timing of a probe. */
export interface ProbeOptions {
  /** Wait before the first check. @default - no delay (a startup probe guards slow starts) */
  readonly initialDelay?: Duration;
  /** Time between checks. @default Duration.seconds(10) */
  readonly period?: Duration;
  /** Time a check may take. @default Duration.seconds(3) */
  readonly timeout?: Duration;
  /** Consecutive failures before the probe fails. @default 3 */
  readonly failureThreshold?: number;
}

/**
 * How the kubelet checks a container: an HTTP GET, a TCP connect or a command.
 * @see https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/
 */
export class Probe {
  /** An HTTP GET of `path` on the container's main port; 2xx and 3xx pass. */
  public static http(path: string, options: ProbeOptions = {}): Probe {
    return new Probe({ kind: 'http', path }, options);
  }

  /** A TCP connect to the container's main port. */
  public static tcp(options: ProbeOptions = {}): Probe {
    return new Probe({ kind: 'tcp' }, options);
  }

  /** A command run in the container; exit code 0 passes. */
  public static exec(command: string[], options: ProbeOptions = {}): Probe {
    return new Probe({ kind: 'exec', command: Array.isArray(command) ? [...command] : command }, options);
  }

  private constructor(
    private readonly handler: { kind: 'http'; path: string } | { kind: 'tcp' } | { kind: 'exec'; command: string[] },
    /** The timing of the probe. */
    public readonly options: ProbeOptions,
  ) {}

  /** The HTTP path, when this is an HTTP probe. */
  public get path(): string | undefined {
    return this.handler.kind === 'http' ? this.handler.path : undefined;
  }

  /** The same check with other timing. */
  public withOptions(options: ProbeOptions): Probe {
    return new Probe(this.handler, { ...this.options, ...options });
  }

  /**
   * Checks the probe given to `scope` as `prop` (`readiness`, `liveness`, `startup`): an absolute HTTP
   * path, a command, and timing the API server keeps as written. It reads a period, timeout or
   * failure threshold of 0 as unset and puts its default in place (kubernetes `SetDefaults_Probe`:
   * period 10 s, timeout 1 s, failure threshold 3), so 0 is refused rather than silently replaced.
   * @internal
   */
  public check(scope: IConstruct, prop: string): void {
    if (this.handler.kind === 'http') {
      checkHttpPath(scope, `${prop}.path`, this.handler.path);
    } else if (this.handler.kind === 'exec') {
      Kind.array(Kind.STRING).check(scope, `${prop}.command`, this.handler.command);
      check(this.handler.command.length > 0 && this.handler.command[0] !== '', scope, `${prop}.command`, this.handler.command,
        'must run a command: an empty one fails every check, and the kubelet restarts the container or keeps it out of the Service for ever');
    }
    Kind.object('a ProbeOptions object', {
      initialDelay: Kind.DURATION.optional(),
      period: Kind.DURATION.optional(),
      timeout: Kind.DURATION.optional(),
      failureThreshold: Kind.NUMBER.optional(),
    }).check(scope, `${prop}.options`, this.options);
    const { initialDelay, period, timeout, failureThreshold } = this.options;
    if (initialDelay !== undefined) {
      checkWholeSeconds(scope, `${prop}.initialDelay`, initialDelay, 0, INT32_MAX);
    }
    if (period !== undefined) {
      checkWholeSeconds(scope, `${prop}.period`, period, 1, INT32_MAX);
    }
    if (timeout !== undefined) {
      checkWholeSeconds(scope, `${prop}.timeout`, timeout, 1, INT32_MAX);
    }
    if (failureThreshold !== undefined) {
      checkInteger(scope, `${prop}.failureThreshold`, failureThreshold, 1, INT32_MAX);
    }
  }

  /** The probe as the container spec receives it, checking `portName`. */
  public render(portName: string): k8s.Probe {
    const o = this.options;
    return {
      ...this.renderHandler(portName),
      initialDelaySeconds: o.initialDelay?.toSeconds(),
      periodSeconds: (o.period ?? Duration.seconds(10)).toSeconds(),
      timeoutSeconds: (o.timeout ?? Duration.seconds(3)).toSeconds(),
      failureThreshold: o.failureThreshold ?? 3,
      successThreshold: 1,
    };
  }

  private renderHandler(portName: string): k8s.Probe {
    switch (this.handler.kind) {
      case 'http':
        return { httpGet: { path: this.handler.path, port: k8s.IntOrString.fromString(portName), scheme: 'HTTP' } };
      case 'tcp':
        return { tcpSocket: { port: k8s.IntOrString.fromString(portName) } };
      case 'exec':
        return { exec: { command: this.handler.command } };
    }
  }
}

/**
 * A {@link Probe}, as a prop's kind.
 * @internal
 */
export const PROBE_KIND = Kind.instance(Probe, 'a Probe (Probe.http, Probe.tcp or Probe.exec)');
