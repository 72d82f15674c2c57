/** Kinds without a namespace: the core ones, and those the operators this library targets define. */
const CLUSTER_SCOPED = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'StorageClass', 'PriorityClass', 'RuntimeClass', 'IngressClass', 'CSIDriver', 'CSINode',
  'CustomResourceDefinition', 'APIService', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration',
  'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'VolumeAttachment', 'CertificateSigningRequest',
  'FlowSchema', 'PriorityLevelConfiguration', 'GatewayClass',
]);

/** Whether objects of `kind` have no namespace. */
export function isClusterScoped(kind: string): boolean {
  // ClusterRole, ClusterIssuer, ClusterSecretStore, ClusterImageCatalog, ... are cluster-scoped; CloudNativePG's `Cluster` is not.
  return CLUSTER_SCOPED.has(kind) || (kind.startsWith('Cluster') && kind !== 'Cluster');
}

/** The API group of `apiVersion`: `apps` for `apps/v1`, `''` (the core group) for `v1`. */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

/**
 * What identifies an object in a cluster: its API group, kind, namespace and name. Two objects with
 * the same identity are one object: applying both, the second replaces the first.
 */
export interface ObjectIdentity {
  /** API group, `''` for the core group. */
  readonly group: string;
  /** Kind. */
  readonly kind: string;
  /** Namespace; none for a cluster-scoped kind. */
  readonly namespace?: string;
  /** Name. */
  readonly name: string;
}

/** The identity of `kind` `name` in `namespace`, without a namespace when the kind is cluster-scoped. */
export function identityOf(group: string, kind: string, namespace: string | undefined, name: string): ObjectIdentity {
  return { group, kind, name, ...namespace !== undefined && !isClusterScoped(kind) ? { namespace } : {} };
}

/** A map key for `identity`. */
export function identityKey(identity: ObjectIdentity): string {
  return `${identity.group}/${identity.kind}/${identity.namespace ?? ''}/${identity.name}`;
}

/** A map key for `identity` without its group, as prerequisites name objects: by kind, namespace and name. */
export function declarationKey(identity: { readonly kind: string; readonly namespace?: string; readonly name: string }): string {
  return `${identity.kind}/${identity.namespace ?? ''}/${identity.name}`;
}

/** `Secret aishell/db-app`, or `ClusterIssuer letsencrypt` for a cluster-scoped object. */
export function describeIdentity(identity: ObjectIdentity): string {
  return `${identity.kind} ${identity.namespace !== undefined ? `${identity.namespace}/` : ''}${identity.name}`;
}
