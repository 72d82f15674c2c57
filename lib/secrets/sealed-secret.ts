import { SealedSecret } from '../../imports/bitnami.com';
import { check } from '../core/errors';
import { Kind } from '../core/kinds';
import { Operator, Prerequisite } from '../core/prerequisites';
import { checkNotBlank, checkSecretKey } from '../core/validate';
import { BoundSecretSource, SecretBindingScope } from './bound-secret';

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/**
 * Shortest kubeseal output: 2 length bytes, a 2048-bit RSA-OAEP session key (256 bytes) and the
 * AES-GCM tag (16 bytes), base64-encoded. Anything shorter was not sealed.
 */
const MIN_SEALED_LENGTH = 368;

/** Which name and namespace a SealedSecret's ciphertext is bound to (chosen when sealing with `kubeseal --scope`). */
export enum SealingScope {
  /** Only this name in this namespace can decrypt it (`kubeseal --scope strict`). */
  STRICT = 'strict',
  /** Any name in this namespace (`kubeseal --scope namespace-wide`). */
  NAMESPACE_WIDE = 'namespace-wide',
  /** Any name in any namespace (`kubeseal --scope cluster-wide`). */
  CLUSTER_WIDE = 'cluster-wide',
}

/**
 * A `SealedSecret`: values encrypted with the cluster's Sealed Secrets key, safe to commit.
 * @see https://github.com/bitnami-labs/sealed-secrets#usage
 */
export interface SealedSecretOptions {
  /** Keys of the Secret and their ciphertext, as `kubeseal --raw` or `kubeseal -o yaml` prints it. */
  readonly encryptedData: Record<string, string>;
  /** The scope the values were sealed with. @default SealingScope.STRICT */
  readonly scope?: SealingScope;
  /** Type of the Secret. @default 'Opaque' */
  readonly type?: string;
}

/**
 * Checks `options` (keys, and values that are kubeseal output) and creates the SealedSecret of `binding`.
 * @internal
 */
export function bindSealedSecret(binding: SecretBindingScope, options: SealedSecretOptions): BoundSecretSource {
  Kind.object('a SealedSecretOptions object (encryptedData, and optionally scope and type)', {
    encryptedData: Kind.record(Kind.SECRET_STRING),
    scope: Kind.oneOf(SealingScope, 'a SealingScope').optional(),
    type: Kind.STRING.optional(),
  }).check(binding, 'source', options);
  if (options.type !== undefined) {
    checkNotBlank(binding, 'source.type', options.type, 'the type of the Secret (Opaque, kubernetes.io/dockerconfigjson, ...)');
  }
  const entries = Object.entries(options.encryptedData);
  const scope = options.scope ?? SealingScope.STRICT;
  check(entries.length > 0, binding, 'source.encryptedData', options.encryptedData, 'must hold at least one key');
  for (const [key, ciphertext] of entries) {
    checkSecretKey(binding, `source.encryptedData.${key}`, key);
    check(BASE64.test(ciphertext) && ciphertext.length % 4 === 0 && ciphertext.length >= MIN_SEALED_LENGTH, binding,
      `source.encryptedData.${key}`, '<redacted>',
      `must be kubeseal output: base64 ciphertext of at least ${MIN_SEALED_LENGTH} characters; a shorter value was not sealed and would be committed in the clear`);
  }

  const annotations = scope === SealingScope.STRICT ? undefined : { [`sealedsecrets.bitnami.com/${scope}`]: 'true' };
  const spec = {
    encryptedData: Object.fromEntries(entries),
    template: {
      type: options.type ?? 'Opaque',
      metadata: { labels: binding.labels },
    },
  };
  const resource = new SealedSecret(binding, 'Resource', {
    metadata: { name: binding.name, namespace: binding.namespace, labels: binding.labels, annotations },
    spec,
  });
  Prerequisite.declare(binding,
    Prerequisite.operator(Operator.SEALED_SECRETS, 'unseals the SealedSecrets into Secrets'),
    Prerequisite.controllerSetting('Sealed Secrets controller', 'holds the private key whose certificate sealed the values (kubeseal --fetch-cert of this cluster)',
      `only that key decrypts SealedSecret ${binding.namespace}/${binding.name}`));
  return { keys: entries.map(([key]) => key), resource, spec };
}
