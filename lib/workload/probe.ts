import { Duration } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';

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
    return new Probe({ kind: 'exec', command: [...command] }, options);
  }

  private constructor(
    private readonly check: { kind: 'http'; path: string } | { kind: 'tcp' } | { kind: 'exec'; command: string[] },
    /** The timing of the probe. */
    public readonly options: ProbeOptions,
  ) {}

  /** The HTTP path, when this is an HTTP probe. */
  public get path(): string | undefined {
    return this.check.kind === 'http' ? this.check.path : undefined;
  }

  /** The same check with other timing. */
  public withOptions(options: ProbeOptions): Probe {
    return new Probe(this.check, { ...this.options, ...options });
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
    switch (this.check.kind) {
      case 'http':
        return { httpGet: { path: this.check.path, port: k8s.IntOrString.fromString(portName), scheme: 'HTTP' } };
      case 'tcp':
        return { tcpSocket: { port: k8s.IntOrString.fromString(portName) } };
      case 'exec':
        return { exec: { command: this.check.command } };
    }
  }
}
