import { Size } from 'cdk8s';
import { Construct } from 'constructs';
import {
  ClusterSpec, ClusterSpecPrimaryUpdateMethod, ClusterSpecPrimaryUpdateStrategy, ClusterSpecResourcesLimits, ClusterSpecResourcesRequests,
} from '../../imports/postgresql.cnpg.io';
import { NAMESPACE_NAME_LABEL } from '../core/labels';
import { kib, sizeQuantity } from '../core/quantities';
import { ClusterDns } from '../network/cluster-dns';
import { EgressEngine } from '../network/egress-engine';
import { NetworkPeer } from '../network/network-peer';
import { NetworkPolicyRules } from '../network/network-policy-rules';
import { NodePool, SpreadPolicy, nodePoolPlacement, zoneSpread } from '../workload/placement';
import { IRegistryCredentials, imagePullSecretsOf } from '../workload/registry-credentials';
import { ContainerResources, renderResources } from '../workload/resources';
import { BARMAN_CLOUD_PLUGIN, CLUSTER_LABEL, POD_ROLE_LABEL, POSTGRES_PORT, STATUS_PORT } from './_cnpg';
import { ObjectStoreBackupOptions } from './backup';
import { ObjectStoreLocation, objectStorePeer } from './object-store';
import { ObjectStoreRecoveryOptions } from './recovery';
import { PostgresReplication, renderSynchronous } from './replication';

// Internal: the CloudNativePG Cluster of a HaPostgres and the network paths of its instances. Not exported from the package.

/** Everything the Cluster spec is made of, resolved. */
export interface ClusterSettings {
  /** Name of the Cluster. */
  readonly name: string;
  /** Namespace of the Cluster. */
  readonly namespace: string;
  /** PostgreSQL instances. */
  readonly instances: number;
  /** The application database, and its owner. */
  readonly databaseName: string;
  readonly owner: string;
  /** The operand image. */
  readonly imageName: string;
  /** The data and WAL volumes of each instance. */
  readonly storage: { readonly size: Size; readonly walSize: Size; readonly storageClassName?: string };
  /** Requests and limits of each instance. */
  readonly resources: ContainerResources;
  /** PostgreSQL settings on top of the defaults. */
  readonly parameters?: Record<string, string>;
  /** How the standbys follow the primary. */
  readonly replication: PostgresReplication;
  /** Labels of the instance pods. */
  readonly instanceLabels: Record<string, string>;
  /** Node pool of the instances. */
  readonly nodePool?: NodePool;
  /** How the instances are spread over zones. */
  readonly zoneSpread: SpreadPolicy;
  /** Where WAL and base backups go, through the ObjectStore named `objectStore`. */
  readonly archive?: { readonly options: ObjectStoreBackupOptions; readonly objectStore: string };
  /** Where the data comes from, through the ObjectStore named `objectStore`. */
  readonly recovery?: { readonly options: ObjectStoreRecoveryOptions; readonly objectStore: string };
  /** The pooler's Service, which the server certificate must name too. */
  readonly poolerService?: string;
  /** Registry credentials of the instance pods, which the operator puts on the Cluster's ServiceAccount. */
  readonly imagePullSecrets?: readonly IRegistryCredentials[];
  /** Annotations of the instance pods (a log collector's), which the operator copies from `inheritedMetadata`. */
  readonly podAnnotations: Record<string, string>;
}

/**
 * The Cluster: TLS only, no superuser, required anti-affinity on hosts and spread over zones, a
 * separate WAL volume, switchover before updating the primary, and the backup plugin.
 */
export function clusterSpec(settings: ClusterSettings): ClusterSpec {
  const { archive, recovery, resources } = settings;
  const walSize = settings.storage.walSize;
  const identities = [archive?.options.credentials.identity, recovery?.options.credentials.identity];
  const serviceAccountAnnotations = Object.assign({}, ...identities.map((identity) => identity?.serviceAccountAnnotations));
  const podLabels = Object.assign({}, ...identities.map((identity) => identity?.podLabels));
  const placement = nodePoolPlacement(settings.nodePool);
  return {
    instances: settings.instances,
    imageName: settings.imageName,
    enableSuperuserAccess: false,
    // With one instance, a PodDisruptionBudget on the primary would block every node drain.
    enablePdb: settings.instances > 1,
    primaryUpdateStrategy: ClusterSpecPrimaryUpdateStrategy.UNSUPERVISED,
    primaryUpdateMethod: settings.instances > 1 ? ClusterSpecPrimaryUpdateMethod.SWITCHOVER : ClusterSpecPrimaryUpdateMethod.RESTART,
    bootstrap: recovery
      ? {
        recovery: {
          source: 'origin',
          database: settings.databaseName,
          owner: settings.owner,
          recoveryTarget: recovery.options.targetTime ? { targetTime: recovery.options.targetTime.toISOString() } : undefined,
        },
      }
      : { initdb: { database: settings.databaseName, owner: settings.owner, dataChecksums: true } },
    externalClusters: recovery
      ? [{ name: 'origin', plugin: { name: BARMAN_CLOUD_PLUGIN, parameters: { barmanObjectName: recovery.objectStore, serverName: recovery.options.serverName } } }]
      : undefined,
    plugins: archive
      ? [{
        name: BARMAN_CLOUD_PLUGIN,
        isWalArchiver: true,
        parameters: { barmanObjectName: archive.objectStore, ...(archive.options.serverName ? { serverName: archive.options.serverName } : {}) },
      }]
      : undefined,
    storage: { size: sizeQuantity(settings.storage.size), storageClass: settings.storage.storageClassName },
    walStorage: { size: sizeQuantity(walSize), storageClass: settings.storage.storageClassName },
    resources: renderResources(resources, ClusterSpecResourcesRequests.fromString, ClusterSpecResourcesLimits.fromString),
    postgresql: {
      parameters: { ...defaultParameters(resources, walSize), ...settings.parameters },
      // Client connections without TLS are refused; the operator and metrics use the local socket.
      pgHba: ['hostnossl all all all reject'],
      synchronous: renderSynchronous(settings.replication),
    },
    // The operator renders the anti-affinity on hosts itself: required, no two instances on one node.
    affinity: {
      enablePodAntiAffinity: true,
      podAntiAffinityType: 'required',
      topologyKey: 'kubernetes.io/hostname',
      nodeSelector: placement.nodeSelector,
      tolerations: placement.tolerations,
    },
    topologySpreadConstraints: [zoneSpread(settings.instanceLabels, settings.zoneSpread)],
    certificates: settings.poolerService !== undefined ? { serverAltDnsNames: serviceNames(settings.poolerService, settings.namespace) } : undefined,
    serviceAccountTemplate: Object.keys(serviceAccountAnnotations).length > 0 ? { metadata: { annotations: serviceAccountAnnotations } } : undefined,
    // The operator copies this metadata to the instance pods (and the Cluster's other objects): identity webhooks select by
    // the labels, log collectors read the annotations.
    inheritedMetadata: Object.keys(podLabels).length > 0 || Object.keys(settings.podAnnotations).length > 0
      ? { labels: nonEmpty(podLabels), annotations: nonEmpty(settings.podAnnotations) }
      : undefined,
    imagePullSecrets: imagePullSecretsOf(settings.imagePullSecrets),
  };
}

/**
 * The operator's pods as its release manifest and Helm chart label them (`app.kubernetes.io/name: cloudnative-pg`),
 * in the namespace its documentation installs it in.
 */
export const OPERATOR_PODS = NetworkPeer.podsInNamespaces({ 'app.kubernetes.io/name': 'cloudnative-pg' }, { [NAMESPACE_NAME_LABEL]: 'cnpg-system' });

/** What the instances' NetworkPolicy opens. */
export interface ClusterNetwork {
  /** Name of the Cluster, and of the NetworkPolicy. */
  readonly name: string;
  /** Namespace of the Cluster. */
  readonly namespace: string;
  /** Labels of the NetworkPolicy. */
  readonly labels: Record<string, string>;
  /** The instance pods. */
  readonly instances: NetworkPeer;
  /** The CloudNativePG operator's pods. */
  readonly operator: NetworkPeer;
  /** Where the Kubernetes API server answers. */
  readonly kubernetesApi: { readonly peer: NetworkPeer; readonly port: number };
  /** The object stores the instances archive to and recover from. */
  readonly objectStores: readonly ObjectStoreLocation[];
  /** Where the instances resolve names. */
  readonly dns: ClusterDns;
  /** What renders egress to hosts by name (an object store reached by name). */
  readonly egressEngine?: EgressEngine;
}

/**
 * The NetworkPolicy of the instances and the operator's jobs for them (initdb, join, recovery),
 * which share the cluster label with the cluster's PgBouncer pods; those have a policy of their own.
 * It opens DNS, replication between the cluster's pods, the status port to the instances and the operator,
 * the API server and the object stores (by name through `egressEngine` when their endpoint is a host name).
 */
export function addClusterNetworkPolicy(scope: Construct, network: ClusterNetwork): NetworkPolicyRules {
  const policy = new NetworkPolicyRules(scope, 'NetworkPolicy', {
    name: network.name,
    namespace: network.namespace,
    labels: network.labels,
    podSelector: { [CLUSTER_LABEL]: network.name },
    podSelectorExpressions: [{ key: POD_ROLE_LABEL, operator: 'NotIn', values: ['pooler'] }],
    dns: network.dns,
    egressEngine: network.egressEngine,
  });
  const clusterPods = NetworkPeer.pods({ [CLUSTER_LABEL]: network.name }, network.namespace);
  policy.allowIngress(clusterPods, [{ port: POSTGRES_PORT }]);
  policy.allowIngress(network.instances, [{ port: STATUS_PORT }]);
  policy.allowIngress(network.operator, [{ port: STATUS_PORT }, { port: POSTGRES_PORT }]);
  policy.allowEgress(network.instances, [{ port: POSTGRES_PORT }, { port: STATUS_PORT }]);
  policy.allowKubernetesApi(network.kubernetesApi.peer, network.kubernetesApi.port);
  for (const location of network.objectStores) {
    policy.allowEgress(objectStorePeer(location), [{ port: location.endpointPort ?? 443 }]);
    for (const endpoint of location.credentials.identity?.tokenEndpoints ?? []) {
      policy.allowEgress(endpoint.peer, [{ port: endpoint.port }]);
    }
  }
  return policy;
}

function defaultParameters(resources: ContainerResources, walSize: Size): Record<string, string> {
  const mib = (size: Size) => Math.floor(kib(size) / 1024);
  return {
    shared_buffers: `${Math.max(32, Math.floor(mib(resources.memory.request) / 4))}MB`,
    effective_cache_size: `${Math.max(64, Math.floor(mib(resources.memory.limit) * 3 / 4))}MB`,
    // A standby that stays away must not fill the WAL volume of the primary; it re-clones instead.
    max_slot_wal_keep_size: `${Math.floor(mib(walSize) / 2)}MB`,
  };
}

function nonEmpty(record: Record<string, string>): Record<string, string> | undefined {
  return Object.keys(record).length > 0 ? record : undefined;
}

function serviceNames(service: string, namespace: string): string[] {
  return [service, `${service}.${namespace}`, `${service}.${namespace}.svc`, `${service}.${namespace}.svc.cluster.local`];
}
