import { Size } from 'cdk8s';
import { Cpu, k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { check } from '../core/errors';
import { Kind, checkProps } from '../core/kinds';
import { NAMESPACE_NAME_LABEL } from '../core/labels';
import { clusterScoped } from '../core/names';
import { keepOnPrune } from '../core/protection';
import { checkCpu, checkSize, cpuMillis, cpuQuantity, kib, sizeQuantity } from '../core/quantities';
import { INT32_MAX, checkInteger, checkLabels, checkNamespaceName } from '../core/validate';
import { CLUSTER_DNS_KIND, ClusterDns, checkClusterDns } from '../network/cluster-dns';
import { NetworkPolicyRules, PolicyType } from '../network/network-policy-rules';
import { ContainerResources, RESOURCES_KIND, checkResources, resourceQuantities } from '../workload/resources';

/** Totals a namespace may not exceed (a ResourceQuota). */
export interface NamespaceQuota {
  /** Sum of CPU requests. */
  readonly requestsCpu: Cpu;
  /** Sum of memory requests. */
  readonly requestsMemory: Size;
  /** Sum of CPU limits. */
  readonly limitsCpu: Cpu;
  /** Sum of memory limits. */
  readonly limitsMemory: Size;
  /** Sum of ephemeral storage requests. @default - twice the memory requests */
  readonly requestsEphemeralStorage?: Size;
  /** Number of PersistentVolumeClaims. @default 10 */
  readonly persistentVolumeClaims?: number;
  /** Number of pods. @default 100 */
  readonly pods?: number;
  /** Services of type LoadBalancer; traffic should enter through the ingress. @default 0 */
  readonly loadBalancers?: number;
  /** Services of type NodePort. @default 0 */
  readonly nodePorts?: number;
}

/** Props of a {@link NamespaceBaseline}. */
export interface NamespaceBaselineProps {
  /** Name of the namespace. */
  readonly name: string;
  /** Resource totals of the namespace. */
  readonly quota: NamespaceQuota;
  /**
   * Requests and limits given to a container that declares none (a LimitRange), so that a
   * hand-written pod still fits the quota.
   * @default - cpu 100m/500m, memory 128Mi/256Mi, ephemeral storage 128Mi/1Gi (request/limit)
   */
  readonly containerDefaults?: ContainerResources;
  /**
   * Where the namespace's pods resolve names: every pod may reach it on 53/UDP and 53/TCP. Give the
   * workloads of the namespace the same value, for their own NetworkPolicies.
   * @default ClusterDns.kubeDns() - the kube-dns pods in kube-system
   */
  readonly dns?: ClusterDns;
  /** Additional labels of the namespace. @default - none */
  readonly labels?: Record<string, string>;
}

/**
 * Namespaces that belong to the cluster: Kubernetes creates `default`, `kube-system`, `kube-public` and
 * `kube-node-lease`, and reserves the `kube-` prefix for them. A baseline would put default-deny and
 * Pod Security restricted on the cluster's own components.
 */
const SYSTEM_NAMESPACE = /^(default|kube-.*)$/;
/** Labels the baseline sets on the Namespace, which `labels` must not override or shadow. */
const RESERVED_LABEL_PREFIXES = ['pod-security.kubernetes.io/', NAMESPACE_NAME_LABEL];

const DEFAULT_CONTAINER: ContainerResources = {
  cpu: { request: Cpu.millis(100), limit: Cpu.millis(500) },
  memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) },
  ephemeralStorage: { request: Size.mebibytes(128), limit: Size.gibibytes(1) },
};

/**
 * A namespace ready for production workloads: Pod Security `restricted` enforced (and audited and
 * warned), a ResourceQuota, a LimitRange with container defaults, a default-deny NetworkPolicy for
 * all traffic, and one exception every pod needs: DNS. The Namespace carries the Argo CD and Flux
 * annotations that keep it when the manifests are pruned or their Application is deleted: deleting
 * it deletes every object in it, the database's volumes included.
 */
export class NamespaceBaseline extends Construct {
  /** Name of the namespace. */
  public readonly name: string;
  /** The Namespace. */
  public readonly namespace: k8s.KubeNamespace;
  /** The ResourceQuota. */
  public readonly quota: k8s.KubeResourceQuota;
  /** The LimitRange. */
  public readonly limitRange: k8s.KubeLimitRange;
  /** The NetworkPolicy that denies all ingress and egress. */
  public readonly defaultDeny: k8s.KubeNetworkPolicy;
  /** The NetworkPolicy that lets every pod resolve names. */
  public readonly allowDns: NetworkPolicyRules;
  /** Where the namespace's pods resolve names. */
  public readonly dns: ClusterDns;

  public constructor(scope: Construct, id: string, props: NamespaceBaselineProps) {
    super(scope, id);
    checkProps(this, props, {
      name: Kind.STRING,
      quota: Kind.object('a NamespaceQuota object', {
        requestsCpu: Kind.CPU,
        requestsMemory: Kind.SIZE,
        limitsCpu: Kind.CPU,
        limitsMemory: Kind.SIZE,
        requestsEphemeralStorage: Kind.SIZE.optional(),
        persistentVolumeClaims: Kind.NUMBER.optional(),
        pods: Kind.NUMBER.optional(),
        loadBalancers: Kind.NUMBER.optional(),
        nodePorts: Kind.NUMBER.optional(),
      }),
      containerDefaults: RESOURCES_KIND.optional(),
      dns: CLUSTER_DNS_KIND.optional(),
      labels: Kind.record(Kind.STRING).optional(),
    }, 'NamespaceBaselineProps');
    this.name = props.name;
    this.dns = props.dns ?? ClusterDns.kubeDns();
    const defaults = props.containerDefaults ?? DEFAULT_CONTAINER;
    const quota = props.quota;

    checkNamespaceName(this, 'name', this.name);
    check(!SYSTEM_NAMESPACE.test(this.name), this, 'name', this.name,
      'must not be a namespace of the cluster (default, or kube-*): the baseline would put default-deny and Pod Security restricted on its components');
    checkLabels(this, 'labels', props.labels ?? {});
    for (const key of Object.keys(props.labels ?? {})) {
      check(!RESERVED_LABEL_PREFIXES.some((prefix) => key.startsWith(prefix)), this, `labels.${key}`, key,
        'is set by the baseline (Pod Security restricted) or by the API server (the namespace name): it cannot be changed');
    }
    checkResources(this, 'containerDefaults', defaults);
    checkClusterDns(this, 'dns', this.dns);
    checkQuota(this, quota, defaults);

    const labels = { 'app.kubernetes.io/managed-by': 'cdk8s', ...props.labels };
    const metadata = { name: 'baseline', namespace: this.name, labels };

    this.namespace = new k8s.KubeNamespace(this, 'Resource', {
      metadata: {
        name: this.name,
        labels: {
          ...labels,
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/audit': 'restricted',
          'pod-security.kubernetes.io/warn': 'restricted',
        },
      },
    });
    clusterScoped(this.namespace);
    // Deleting the Namespace deletes everything in it, the database's volumes included.
    keepOnPrune(this.namespace);

    this.quota = new k8s.KubeResourceQuota(this, 'Quota', {
      metadata,
      spec: {
        hard: {
          'requests.cpu': k8s.Quantity.fromString(cpuQuantity(quota.requestsCpu)),
          'requests.memory': k8s.Quantity.fromString(sizeQuantity(quota.requestsMemory)),
          'limits.cpu': k8s.Quantity.fromString(cpuQuantity(quota.limitsCpu)),
          'limits.memory': k8s.Quantity.fromString(sizeQuantity(quota.limitsMemory)),
          'requests.ephemeral-storage': k8s.Quantity.fromString(sizeQuantity(ephemeralStorageQuota(quota))),
          'persistentvolumeclaims': k8s.Quantity.fromNumber(quota.persistentVolumeClaims ?? 10),
          'pods': k8s.Quantity.fromNumber(quota.pods ?? 100),
          'services.loadbalancers': k8s.Quantity.fromNumber(quota.loadBalancers ?? 0),
          'services.nodeports': k8s.Quantity.fromNumber(quota.nodePorts ?? 0),
        },
      },
    });

    this.limitRange = new k8s.KubeLimitRange(this, 'LimitRange', {
      metadata,
      spec: {
        limits: [{
          type: 'Container',
          defaultRequest: resourceQuantities(defaults, 'request', k8s.Quantity.fromString),
          default: resourceQuantities(defaults, 'limit', k8s.Quantity.fromString),
        }],
      },
    });

    this.defaultDeny = new k8s.KubeNetworkPolicy(this, 'DefaultDeny', {
      metadata: { ...metadata, name: 'default-deny' },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });

    this.allowDns = new NetworkPolicyRules(this, 'AllowDns', {
      name: 'allow-dns',
      namespace: this.name,
      podSelector: {},
      labels,
      policyTypes: [PolicyType.EGRESS],
    });
    this.dns.allowFrom(this.allowDns);

    for (const child of [this.quota, this.limitRange, this.defaultDeny, this.allowDns]) {
      child.node.addDependency(this.namespace);
    }
  }
}

/**
 * Checks the quota of a baseline whose LimitRange gives every container `defaults`: quantities
 * Kubernetes writes, totals above zero (the LimitRange gives every container a request, so a zero
 * total admits no pod) that a defaulted container fits, requests within limits, and object counts.
 */
function checkQuota(scope: Construct, quota: NamespaceQuota, defaults: ContainerResources): void {
  checkCpu(scope, 'quota.requestsCpu', quota.requestsCpu, 1);
  checkCpu(scope, 'quota.limitsCpu', quota.limitsCpu, 1);
  checkSize(scope, 'quota.requestsMemory', quota.requestsMemory, 1);
  checkSize(scope, 'quota.limitsMemory', quota.limitsMemory, 1);
  if (quota.requestsEphemeralStorage !== undefined) {
    checkSize(scope, 'quota.requestsEphemeralStorage', quota.requestsEphemeralStorage, 1);
  }
  check(cpuMillis(quota.requestsCpu) <= cpuMillis(quota.limitsCpu), scope, 'quota.requestsCpu', cpuQuantity(quota.requestsCpu),
    `must not exceed 'quota.limitsCpu' (${cpuQuantity(quota.limitsCpu)})`);
  check(kib(quota.requestsMemory) <= kib(quota.limitsMemory), scope, 'quota.requestsMemory', sizeQuantity(quota.requestsMemory),
    `must not exceed 'quota.limitsMemory' (${sizeQuantity(quota.limitsMemory)})`);
  const fits: Array<[string, number, number, string, string]> = [
    ['requestsCpu', cpuMillis(quota.requestsCpu), cpuMillis(defaults.cpu.request), cpuQuantity(quota.requestsCpu), `cpu.request ${cpuQuantity(defaults.cpu.request)}`],
    ['limitsCpu', cpuMillis(quota.limitsCpu), cpuMillis(defaults.cpu.limit), cpuQuantity(quota.limitsCpu), `cpu.limit ${cpuQuantity(defaults.cpu.limit)}`],
    ['requestsMemory', kib(quota.requestsMemory), kib(defaults.memory.request), sizeQuantity(quota.requestsMemory), `memory.request ${sizeQuantity(defaults.memory.request)}`],
    ['limitsMemory', kib(quota.limitsMemory), kib(defaults.memory.limit), sizeQuantity(quota.limitsMemory), `memory.limit ${sizeQuantity(defaults.memory.limit)}`],
    ['requestsEphemeralStorage', kib(ephemeralStorageQuota(quota)), kib(defaults.ephemeralStorage.request), sizeQuantity(ephemeralStorageQuota(quota)),
      `ephemeralStorage.request ${sizeQuantity(defaults.ephemeralStorage.request)}`],
  ];
  for (const [prop, total, container, text, given] of fits) {
    check(total >= container, scope, `quota.${prop}`, text,
      `must hold at least one container of 'containerDefaults' (${given}): a pod the LimitRange fills in would not fit the quota`);
  }
  checkInteger(scope, 'quota.persistentVolumeClaims', quota.persistentVolumeClaims ?? 10, 0, INT32_MAX);
  checkInteger(scope, 'quota.pods', quota.pods ?? 100, 1, INT32_MAX);
  checkInteger(scope, 'quota.loadBalancers', quota.loadBalancers ?? 0, 0, INT32_MAX);
  checkInteger(scope, 'quota.nodePorts', quota.nodePorts ?? 0, 0, INT32_MAX);
}

/** The ephemeral storage requests the quota allows: as given, else twice the memory requests. */
function ephemeralStorageQuota(quota: NamespaceQuota): Size {
  return quota.requestsEphemeralStorage ?? Size.kibibytes(2 * kib(quota.requestsMemory));
}
