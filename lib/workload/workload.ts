import { k8s } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { Kind } from '../core/kinds';
import { NetworkPeer, NetworkPort, Protocol } from '../network/network-peer';
import { EnvValue } from './env-value';

/** A named port a workload's containers serve on. */
export interface WorkloadPort {
  /** Name of the container port (IANA service name), e.g. `http`. */
  readonly name: string;
  /** Port number in the container. */
  readonly port: number;
  /** Transport protocol. @default Protocol.TCP */
  readonly protocol?: Protocol;
}

/** A volume mounted into a workload's containers. */
export interface WorkloadVolume {
  /** Volume name, unique in the pod. */
  readonly name: string;
  /** Where it is mounted. */
  readonly mountPath: string;
  /** Whether the mount is read-only. @default true */
  readonly readOnly?: boolean;
  /** The volume source (`emptyDir`, `configMap`, `secret`, `projected`, `csi`, ...). `hostPath` is refused. */
  readonly source: Omit<k8s.Volume, 'name'>;
}

/**
 * What every workload kind offers to the constructs that serve it (a database, a secret, a route,
 * another workload): its pods' identity and network rules, and the settings they receive.
 * `ProductionApp` is one; a Job, a CronJob, a stateful app or a worker written by hand can be another,
 * and every binding in this library takes the contract, never a concrete class.
 */
export interface IWorkload extends IConstruct {
  /** Name of the workload's objects. */
  readonly name: string;
  /** Namespace of the workload's objects. */
  readonly namespace: string;
  /** Labels that select the workload's pods. */
  readonly selectorLabels: Record<string, string>;
  /** The workload's pods as a NetworkPolicy peer. */
  readonly peer: NetworkPeer;
  /** The ports the workload serves other workloads on; empty for a workload that serves nothing. */
  readonly ports: readonly WorkloadPort[];
  /** Lets `peer` connect to the workload's pods on `ports` (by default the ports it serves). */
  allowFrom(peer: NetworkPeer, ports?: readonly NetworkPort[]): void;
  /** Lets the workload's pods connect to `peer` on `ports`. */
  allowTo(peer: NetworkPeer, ports: readonly NetworkPort[]): void;
  /** Adds an environment variable to the workload's containers; names are unique. */
  addEnv(name: string, value: EnvValue): void;
  /** Mounts a volume into the workload's containers; names and mount paths are unique. */
  addVolume(volume: WorkloadVolume): void;
  /** Sets an annotation on the pod template; changing its value rolls the pods. */
  addPodAnnotation(key: string, value: string): void;
  /** Connects the workload to `target`, which opens the network path and hands over its settings. */
  connectTo(target: IConnectable): void;
}

/**
 * Something a workload can connect to: another workload, a database, a cache. The target opens
 * the network path on its side and the workload's, and hands over connection settings.
 */
export interface IConnectable {
  /** Grants `workload` access to this target. */
  grantConnection(workload: IWorkload): void;
}

/**
 * An {@link IWorkload}, as an argument's kind.
 * @internal
 */
export const WORKLOAD_KIND = Kind.shape('a workload (IWorkload: a ProductionApp, StatefulApp, OneOffJob, ScheduledJob or one of your own)',
  ['node', 'name', 'namespace', 'peer', 'ports', 'allowFrom', 'allowTo', 'addEnv', 'addVolume', 'addPodAnnotation']);
