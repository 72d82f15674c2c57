import { IConstruct } from 'constructs';
import { Operator, Prerequisite } from '../core/prerequisites';
import { NetworkPeer } from '../network/network-peer';
import { ObjectStoreLocation } from './object-store';
import { PostgresStorage } from './storage';

// Internal: what a HaPostgres needs from the cluster. Not exported from the package.

/** The oldest and newest Kubernetes minor versions CloudNativePG 1.30 supports. */
export const SUPPORTED_KUBERNETES = { min: '1.34', max: '1.36' };

/** What a database's prerequisites depend on. */
export interface ClusterNeeds {
  /** Name and namespace of the Cluster, whose ServiceAccount (named after it) cloud identities trust. */
  readonly name: string;
  readonly namespace: string;
  /** The volumes of each instance. */
  readonly storage: PostgresStorage;
  /** Where the API server answers. */
  readonly kubernetesApi: { readonly peer: NetworkPeer; readonly port: number };
  /** The operator's pods. */
  readonly operator: NetworkPeer;
  /** The object stores the instances archive to and recover from. */
  readonly objectStores: readonly ObjectStoreLocation[];
}

/**
 * Declares on `scope` what the cluster must provide for the database to run: the operator (and the
 * backup plugin), the Kubernetes versions the operator supports, the StorageClass, where the API server
 * and the operator are, and the cloud identities its backups authenticate as.
 */
export function declareClusterPrerequisites(scope: IConstruct, needs: ClusterNeeds): void {
  const { storage, kubernetesApi, objectStores } = needs;
  Prerequisite.declare(scope,
    Prerequisite.operator(Operator.CLOUDNATIVE_PG, 'runs the PostgreSQL Cluster, its instances, Pooler and backups'),
    Prerequisite.kubernetesVersions(SUPPORTED_KUBERNETES.min, SUPPORTED_KUBERNETES.max,
      'CloudNativePG 1.30 supports Kubernetes 1.34 to 1.36; the Barman Cloud plugin\'s sidecar is a native sidecar (an init container with restartPolicy Always, on by default from 1.29)'),
    storage.storageClassName !== undefined
      ? Prerequisite.clusterObject('StorageClass', storage.storageClassName, 'provisions the data and WAL volumes of the instances')
      : Prerequisite.clusterObject('StorageClass', '(the default StorageClass)', 'provisions the data and WAL volumes of the instances: one StorageClass is annotated storageclass.kubernetes.io/is-default-class=true'),
    Prerequisite.network(`the Kubernetes API server endpoints are ${kubernetesApi.peer.description}, port ${kubernetesApi.port}`,
      'the instances and poolers reach the API there: a NetworkPolicy sees the endpoints (kubectl get endpointslices -l kubernetes.io/service-name=kubernetes), not the Service'),
    Prerequisite.network(`the CloudNativePG operator runs as ${needs.operator.description}`,
      'the NetworkPolicy admits it, and only it, to the status port (8000) and PostgreSQL (5432) of the instances'));
  if (objectStores.length > 0) {
    Prerequisite.declare(scope, Prerequisite.operator(Operator.BARMAN_CLOUD_PLUGIN, 'archives the WAL and takes base backups, and recovers, through the ObjectStores'));
  }
  for (const location of objectStores) {
    const identity = location.credentials.identity;
    if (identity === undefined) {
      continue;
    }
    Prerequisite.declare(scope, Prerequisite.cloudIdentity(identity.provider, identity.id, needs.namespace, needs.name,
      `the backup sidecar reaches ${location.destinationPath} as it: ${identity.trust}`));
    if (identity.webhook !== undefined) {
      Prerequisite.declare(scope, Prerequisite.controllerSetting(identity.webhook,
        `injects the federated token into pods labelled ${Object.entries(identity.podLabels).map(([k, v]) => `${k}=${v}`).join(', ')}`,
        'the instance pods carry the label (the Cluster\'s inheritedMetadata), and the backup sidecar reads the token'));
    }
  }
}
