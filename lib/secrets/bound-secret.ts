import { Construct } from 'constructs';
import { SealedSecret } from '../../imports/bitnami.com';
import { ExternalSecret } from '../../imports/external-secrets.io';

/**
 * The construct a {@link SecretSource} creates its objects in, and whose name, namespace and labels
 * they take: a `SecretsBinding`.
 */
export type SecretBindingScope = Construct & {
  /** Name of the Secret and of the object that produces it. */
  readonly name: string;
  /** Namespace of the Secret. */
  readonly namespace: string;
  /** Labels of the objects. */
  readonly labels: Record<string, string>;
};

/** What a {@link SecretSource} created for a binding. */
export interface BoundSecretSource {
  /** The keys the Secret will hold. */
  readonly keys: readonly string[];
  /** The object that produces the Secret, whose spec decides the Secret's content. */
  readonly resource: ExternalSecret | SealedSecret;
  /** The spec, hashed into the pods' annotation so that a change rolls them. */
  readonly spec: unknown;
}
