import { IConstruct } from 'constructs';
import { check } from '../core/errors';
import { Kind } from '../core/kinds';

/**
 * A Secret the manifests produce (a `SecretsBinding`: an ExternalSecret or a SealedSecret), as the
 * constructs that read a Secret take it: operator credentials (the database's backups), a managed
 * database's password, a CA certificate. Taking the producer instead of a Secret name means the Secret
 * a construct reads exists in the same manifests, in the reader's namespace, with the keys it reads.
 */
export interface ISecretProducer extends IConstruct {
  /** Name of the Secret. */
  readonly name: string;
  /** Namespace of the Secret: only pods and operators of this namespace read it. */
  readonly namespace: string;
  /** The keys the Secret holds. */
  readonly keys: readonly string[];
  /**
   * Keeps the objects that produce the Secret when the manifests are pruned or their Application is
   * deleted, because something that is kept (a database) reads it.
   */
  keepOnPrune(): void;
}

/**
 * Checks that `secret`, given to `scope` as `<prefix>.secret`, produces its Secret in `namespace` (when
 * given), where `reader` reads it, and that the Secret holds each key of `keys` (by the option
 * `<prefix>.<option>` that names it).
 * @internal
 */
export function checkSecretProducer(scope: IConstruct, prefix: string, secret: ISecretProducer, namespace: string | undefined,
  keys: Readonly<Record<string, string>>, reader: string): void {
  SECRET_PRODUCER_KIND.check(scope, `${prefix}.secret`, secret);
  check(namespace === undefined || secret.namespace === namespace, scope, `${prefix}.secret`, secret.node.path,
    `must produce its Secret in namespace '${namespace}', not '${secret.namespace}': ${reader} reads Secrets of its own namespace only`);
  for (const [option, key] of Object.entries(keys)) {
    check(secret.keys.includes(key), scope, `${prefix}.${option}`, key,
      `is not a key of Secret '${secret.name}' (${secret.keys.join(', ')}): map it in the SecretsBinding's source`);
  }
}

/**
 * An {@link ISecretProducer}, as a prop's kind.
 * @internal
 */
export const SECRET_PRODUCER_KIND = Kind.shape('a SecretsBinding (an ISecretProducer: name, namespace, keys and keepOnPrune)',
  ['node', 'name', 'namespace', 'keys', 'keepOnPrune']);
