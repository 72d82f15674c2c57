import { Construct } from 'constructs';
import { Kind, Kinds, checkProps } from '../core/kinds';
import { NETWORK_PORT_KIND } from '../network/_checks';
import { checkDomainNames, checkDomainPorts } from '../network/domain-name';
import { NetworkPeer, NetworkPort, Protocol } from '../network/network-peer';
import { IConnectable, IWorkload, WORKLOAD_KIND } from './workload';

/**
 * The annotation on a Secret's producer (an ExternalSecret or SealedSecret) that names the hosts its
 * credentials are for, as `host:port/PROTOCOL` separated by spaces; the guardrails check that every
 * workload mounting the Secret can reach them.
 * @internal
 */
export const CREDENTIALS_FOR_ANNOTATION = 'cdk8s-golden-path/credentials-for';

/** Props of an {@link ExternalService}. */
export interface ExternalServiceProps {
  /**
   * Host names the service answers on: lowercase DNS names (`api.anthropic.com`), or `*.` and a name
   * (`*.s3.eu-west-1.amazonaws.com`), which matches exactly one label; no scheme, path, port or trailing dot.
   */
  readonly hosts: string[];
  /** Ports the service answers on (at most 40). @default - 443/TCP (HTTPS) */
  readonly ports?: NetworkPort[];
}

const EXTERNAL_SERVICE_KINDS: Kinds<ExternalServiceProps> = {
  hosts: Kind.array(Kind.STRING),
  ports: Kind.array(NETWORK_PORT_KIND).optional(),
};

/**
 * A service outside the cluster that workloads reach by host name: an API such as `api.anthropic.com`,
 * a package registry, a managed database or cache. `app.connectTo(service)` opens egress from the app's
 * pods to its hosts and ports, and nothing else, as the app's `EgressEngine` renders it (Cilium
 * `toFQDNs`, or the portable fallback). A `SecretsBinding` that holds credentials for it says so
 * (`credentialsFor`), and the `credentials-egress` guardrail warns about a workload that mounts them
 * but cannot reach it. Creates no object of its own.
 */
export class ExternalService extends Construct implements IConnectable {
  /** Host names the service answers on. */
  public readonly hosts: readonly string[];
  /** Ports the service answers on. */
  public readonly ports: readonly NetworkPort[];
  /** The service's hosts as an egress peer. */
  public readonly peer: NetworkPeer;

  public constructor(scope: Construct, id: string, props: ExternalServiceProps) {
    super(scope, id);
    checkProps(this, props, EXTERNAL_SERVICE_KINDS, 'ExternalServiceProps');
    checkDomainNames(this, 'hosts', props.hosts);
    this.ports = props.ports ?? [{ port: 443, protocol: Protocol.TCP }];
    checkDomainPorts(this, 'ports', this.ports);
    this.hosts = [...props.hosts];
    this.peer = NetworkPeer.domain(props.hosts[0], ...props.hosts.slice(1));
  }

  /** Every host and port of the service, as `host:port/PROTOCOL`. */
  public get endpoints(): string[] {
    return this.hosts.flatMap((host) => this.ports.map((p) => `${host}:${p.port}/${p.protocol ?? Protocol.TCP}`));
  }

  /** Lets `workload` reach the service's hosts on its ports, and nothing else. */
  public grantConnection(workload: IWorkload): void {
    WORKLOAD_KIND.check(this, 'grantConnection', workload);
    workload.allowTo(this.peer, this.ports);
  }
}
