import { IConstruct } from 'constructs';
import { check } from '../core/errors';
import { Kind } from '../core/kinds';

/**
 * Credentials of a private container registry: a `kubernetes.io/dockerconfigjson` Secret the manifests produce
 * (`RegistryCredentials`), which every pod of the namespace names in `imagePullSecrets`. The constructs whose pods
 * the library renders put it on the pod spec; the ones whose operator runs the pods hand it to the operator's field
 * (CloudNativePG `Cluster.spec.imagePullSecrets` and `Pooler.spec.template.spec.imagePullSecrets`, the Redis
 * operator's `kubernetesConfig.imagePullSecrets`). Taking the object instead of a Secret name means the Secret the
 * kubelet reads exists in the same manifests, in the pods' namespace.
 */
export interface IRegistryCredentials extends IConstruct {
  /** Name of the Secret. */
  readonly name: string;
  /** Namespace of the Secret: only pods of this namespace pull with it. */
  readonly namespace: string;
  /** The registry host the credentials are for, as image references name it (`registry.example.com`, `registry.example.com:5000`). */
  readonly registry: string;
  /** Keeps the objects that produce the Secret when the manifests are pruned, because something kept (a database) pulls with it. */
  keepOnPrune(): void;
}

/**
 * Checks the registry credentials given to `scope` as `prop`: each produced in `namespace`, where the pods that
 * pull with it run, and each Secret named once.
 * @internal
 */
export function checkRegistryCredentials(scope: IConstruct, prop: string, credentials: readonly IRegistryCredentials[], namespace: string): void {
  const names = new Set<string>();
  for (const credential of credentials) {
    check(credential.namespace === namespace, scope, prop, credential.node.path,
      `must produce its Secret in namespace '${namespace}', not '${credential.namespace}': the kubelet reads image pull secrets of the pod's namespace only`);
    check(!names.has(credential.name), scope, prop, credential.name, 'names the same Secret twice');
    names.add(credential.name);
  }
}

/**
 * The `imagePullSecrets` field of a pod spec (or of an operator's resource) for `credentials`, unset when there are none.
 * @internal
 */
export function imagePullSecretsOf(credentials: readonly IRegistryCredentials[] | undefined): Array<{ name: string }> | undefined {
  return credentials !== undefined && credentials.length > 0 ? credentials.map((c) => ({ name: c.name })) : undefined;
}

/**
 * An {@link IRegistryCredentials}, as a prop's kind.
 * @internal
 */
export const REGISTRY_CREDENTIALS_KIND = Kind.shape('registry credentials (IRegistryCredentials: a RegistryCredentials)', ['name', 'namespace', 'registry', 'node']);
