import { Duration, Size } from 'cdk8s';
import { MetricsOptions } from '../monitoring/app-metrics';
import { LogCollection, LogFormat } from '../monitoring/log-collection';
import { ClusterDns } from '../network/cluster-dns';
import { EgressEngine } from '../network/egress-engine';
import { NetworkPeer } from '../network/network-peer';
import { AutoscalingOptions, DisruptionBudgetOptions } from './availability';
import { PreStop, WorkloadContainer } from './container';
import { Image } from './image';
import { NodePool, SpreadPolicy } from './placement';
import { Probe } from './probe';
import { IRegistryCredentials } from './registry-credentials';
import { ContainerResources } from './resources';
import { SessionAffinity } from './service-options';
import { WorkloadPort, WorkloadVolume } from './workload';

/**
 * What every workload kind of the library takes (`ProductionApp`, `StatefulApp`, `OneOffJob`,
 * `ScheduledJob`): its identity and labels, its container, the pod around it and where it runs.
 */
export interface WorkloadProps {
  /** Container image, pinned to a version tag or a digest. */
  readonly image: Image;
  /** Name of every object of the workload (DNS label). @default - the construct id in kebab-case */
  readonly name?: string;
  /** Namespace of every object. @default - the namespace of the chart */
  readonly namespace?: string;
  /** Role in the architecture (`app.kubernetes.io/component`), e.g. `api` or `worker`. @default - no component label */
  readonly component?: string;
  /** The application this is part of (`app.kubernetes.io/part-of`). @default - no part-of label */
  readonly partOf?: string;
  /**
   * Labels of every object of the workload and of its pods, e.g. `{ team: 'payments' }`. The
   * recommended labels (`app.kubernetes.io/*`, which include the selector) come from `name`,
   * `component` and `partOf`, and keys of the `kubernetes.io` and `k8s.io` prefixes are Kubernetes'.
   * @default - the recommended labels only
   */
  readonly labels?: Record<string, string>;
  /** Annotations of every object of the workload (not of its pods: see `podAnnotations`). @default - none */
  readonly annotations?: Record<string, string>;
  /** Labels of the pods only, on top of `labels`, e.g. for a log collector or a mesh. @default - none */
  readonly podLabels?: Record<string, string>;
  /** Annotations of the pods; changing one rolls the pods. @default - none */
  readonly podAnnotations?: Record<string, string>;
  /** Entrypoint override. @default - the image's entrypoint */
  readonly command?: string[];
  /** Arguments. @default - the image's arguments */
  readonly args?: string[];
  /** Literal environment variables. Credentials come through a secret binding instead. @default - none */
  readonly env?: Record<string, string>;
  /**
   * Configuration, as a ConfigMap whose name carries a hash of its content and that the pods
   * read as environment variables: a change in content rolls the pods, and a rollback gets the old config.
   * @default - no ConfigMap
   */
  readonly config?: Record<string, string>;
  /** Also mount the config as files under this path. @default - environment variables only */
  readonly configMountPath?: string;
  /**
   * Requests and limits.
   * @default - cpu 250m/1, memory 256Mi/512Mi, ephemeral storage 256Mi/1Gi (request/limit)
   */
  readonly resources?: ContainerResources;
  /**
   * Containers that run to completion, in order, before the workload's own starts (after the sidecars
   * have started), e.g. to fetch or render files into an emptyDir volume.
   * @default - none
   */
  readonly initContainers?: WorkloadContainer[];
  /**
   * Native sidecars: init containers with `restartPolicy: Always`, started in order before the init
   * containers and the workload's container, restarted when they exit, and stopped after it (so a
   * Job still completes). Kubernetes 1.29 or later (beta, on by default; GA in 1.33); on 1.28 the API
   * server drops the field unless the `SidecarContainers` feature gate is on.
   * @see https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/
   * @default - none
   */
  readonly sidecars?: WorkloadContainer[];
  /** A hook the kubelet runs in the workload's container before SIGTERM, e.g. a pause while endpoints drain. @default - none */
  readonly preStop?: PreStop;
  /** User id of the container processes (at least 10000, outside the host's user range). @default 10001 */
  readonly runAsUser?: number;
  /** Group id of the container processes and of mounted volumes (`fsGroup`, at least 10000). @default 10001 */
  readonly runAsGroup?: number;
  /** Mount a Kubernetes API token into the pods. @default false */
  readonly mountServiceAccountToken?: boolean;
  /** Annotations of the ServiceAccount, e.g. for cloud workload identity. @default - none */
  readonly serviceAccountAnnotations?: Record<string, string>;
  /** Where the pods resolve names: the NetworkPolicy admits DNS to it. Give the namespace baseline's value. @default ClusterDns.kubeDns() */
  readonly dns?: ClusterDns;
  /** What renders egress to hosts by name (`connectTo(externalService)`): the stage's engine. @default - a rule to a host by name fails */
  readonly egressEngine?: EgressEngine;
  /**
   * Registry credentials the kubelet pulls the images with, on the pod spec: `RegistryCredentials` in the
   * workload's namespace, e.g. the stage's one for its private registry.
   * @default - none: the images are pulled anonymously (or with the node's own credentials)
   */
  readonly imagePullSecrets?: IRegistryCredentials[];
  /** The stage's log collector: the workload declares it, and its pods carry what the collector reads about `logFormat`. @default - no collector declared */
  readonly logs?: LogCollection;
  /** What the workload's container writes to standard output: with `LogFormat.JSON`, the collector parses it into fields. @default LogFormat.TEXT */
  readonly logFormat?: LogFormat;
  /** Node pool the pods run on. @default - any node */
  readonly nodePool?: NodePool;
  /** PriorityClass of the pods. @default - the cluster's default priority */
  readonly priorityClassName?: string;
  /** Additional volumes. @default - none */
  readonly volumes?: WorkloadVolume[];
  /** Size limit of the writable `/tmp` (the root filesystem is read-only), shared by the pod's containers. @default Size.mebibytes(256) */
  readonly tmpSize?: Size;
  /** Time the workload has to shut down after SIGTERM, preStop hook included. @default Duration.seconds(30) */
  readonly terminationGracePeriod?: Duration;
}

/** What a workload that serves on a port takes besides {@link WorkloadProps}: `ProductionApp` and `StatefulApp`. */
export interface ServingProps extends WorkloadProps {
  /** Container port the workload serves on (named `http`). @default 8080 */
  readonly port?: number;
  /** Port of the Service in front of the pods. @default 80 */
  readonly servicePort?: number;
  /**
   * More named ports the container serves, each also a port of the Service (same number) and open to
   * the peers the workload admits (`allowFrom`), e.g. `{ name: 'grpc', port: 9000 }`.
   * @default - the `http` port (and the metrics port) only
   */
  readonly additionalPorts?: WorkloadPort[];
  /** Whether the Service keeps a client's connections on one pod. @default SessionAffinity.none() */
  readonly sessionAffinity?: SessionAffinity;
  /** Replicas; with autoscaling, the minimum. @default 3 */
  readonly replicas?: number;
  /** Horizontal pod autoscaling. @default - see the workload kind */
  readonly autoscaling?: AutoscalingOptions;
  /** PodDisruptionBudget. @default - a PodDisruptionBudget with maxUnavailable 1 when `replicas` is at least 2 */
  readonly disruptionBudget?: DisruptionBudgetOptions;
  /** Readiness probe: is the pod ready for traffic. @default Probe.http('/ready') */
  readonly readiness?: Probe;
  /** Liveness probe: must the container be restarted; distinct from readiness. @default Probe.http('/health') */
  readonly liveness?: Probe;
  /** Startup probe: holds the other probes back until the workload has started. @default - the liveness check, every 5s, for up to 150s */
  readonly startup?: Probe;
  /** Prometheus metrics: a ServiceMonitor, alerts and a dashboard, labelled for the Prometheus that scrapes them, and a network path for its pods. @default - no metrics */
  readonly metrics?: MetricsOptions;
  /** Peers allowed to connect to the workload's ports. @default - nobody (add with `allowFrom`, `connectTo` or an ingress) */
  readonly allowFrom?: NetworkPeer[];
  /** How replicas are spread over hosts. @default SpreadPolicy.PREFERRED */
  readonly hostSpread?: SpreadPolicy;
  /** How replicas are spread over zones. @default SpreadPolicy.PREFERRED */
  readonly zoneSpread?: SpreadPolicy;
}
