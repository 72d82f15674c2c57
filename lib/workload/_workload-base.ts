import { Construct } from 'constructs';
import { check } from '../core/errors';
import { Kind } from '../core/kinds';
import { checkNetworkPeer, checkNetworkPorts } from '../network/_checks';
import { NetworkPeer, NetworkPort } from '../network/network-peer';
import { NetworkPolicyRules } from '../network/network-policy-rules';
import { HardenedPodTemplate } from './_pod-template';
import { EnvValue } from './env-value';
import { IConnectable, IWorkload, WorkloadPort, WorkloadVolume } from './workload';

// Internal: not exported from the package.

/**
 * The workload contract implemented once: what other constructs add to a workload after
 * construction goes to its {@link HardenedPodTemplate} (environment, volumes, pod annotations) or
 * its {@link NetworkPolicyRules}. A workload kind (ProductionApp, StatefulApp, OneOffJob, ScheduledJob)
 * extends it, creates the two in its constructor, and adds its controller object.
 */
export abstract class WorkloadBase extends Construct implements IWorkload {
  public abstract readonly name: string;
  public abstract readonly namespace: string;
  public abstract readonly selectorLabels: Record<string, string>;
  public abstract readonly peer: NetworkPeer;
  public abstract readonly ports: readonly WorkloadPort[];
  /** The NetworkPolicy of the pods. */
  public abstract readonly networkPolicy: NetworkPolicyRules;
  /** The pod template of the workload's controller object. */
  protected abstract readonly pod: HardenedPodTemplate;

  /**
   * Lets `peer` connect to the pods on `ports` (by default the ports the workload serves). A workload
   * that serves nothing (a job) needs `ports`: a NetworkPolicy rule without ports admits every port.
   */
  public allowFrom(peer: NetworkPeer, ports: readonly NetworkPort[] = this.ports.map((p) => ({ port: p.port, protocol: p.protocol }))): void {
    checkNetworkPeer(this, 'allowFrom', peer);
    check(peer.domains === undefined, this, 'allowFrom', peer.description,
      'must be pods, namespaces or addresses: a host by name (NetworkPeer.domain) is a destination of egress only, with allowTo');
    check(!Array.isArray(ports) || ports.length > 0, this, 'allowFrom', peer.key,
      'needs ports: this workload serves none, and a NetworkPolicy rule without ports would admit every port');
    checkNetworkPorts(this, 'allowFrom.ports', ports);
    this.networkPolicy.allowIngress(peer, ports);
  }

  /** Lets the pods connect to `peer` on `ports`. */
  public allowTo(peer: NetworkPeer, ports: readonly NetworkPort[]): void {
    checkNetworkPeer(this, 'allowTo', peer);
    checkNetworkPorts(this, 'allowTo.ports', ports);
    this.networkPolicy.allowEgress(peer, ports);
  }

  /**
   * Connects the workload to `target`: the target opens the network path on both sides and passes
   * whatever settings and credentials the workload needs.
   */
  public connectTo(target: IConnectable): void {
    Kind.shape('something to connect to (IConnectable: a ProductionApp, a StatefulApp, a HaPostgres, an ExternalPostgres, ...)', ['grantConnection'])
      .check(this, 'connectTo', target);
    target.grantConnection(this);
  }

  /** Adds an environment variable to the container; names are unique, and a literal must not hold a credential. */
  public addEnv(name: string, value: EnvValue): void {
    this.pod.addEnv(name, value);
  }

  /** Mounts a volume into the container; names and mount paths are unique, `hostPath` is refused. */
  public addVolume(volume: WorkloadVolume): void {
    this.pod.addVolume(volume);
  }

  /** Sets an annotation on the pod template; changing its value rolls the pods. */
  public addPodAnnotation(key: string, value: string): void {
    this.pod.addAnnotation(key, value);
  }
}
