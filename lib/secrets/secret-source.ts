import { BoundSecretSource, SecretBindingScope } from './bound-secret';
import { ExternalSecretOptions, bindExternalSecret, bindPlaceholders } from './external-secret';
import { SealedSecretOptions, bindSealedSecret } from './sealed-secret';

/** Where the values of a `SecretsBinding` come from. */
export class SecretSource {
  /** An `ExternalSecret` (`external-secrets.io/v1`) reading from a SecretStore or ClusterSecretStore. */
  public static externalSecret(options: ExternalSecretOptions): SecretSource {
    return new SecretSource((binding) => bindExternalSecret(binding, options));
  }

  /** A `SealedSecret` (`bitnami.com/v1alpha1`) from values sealed with `kubeseal`. */
  public static sealed(options: SealedSecretOptions): SecretSource {
    return new SecretSource((binding) => bindSealedSecret(binding, options));
  }

  /**
   * Development only: placeholder values served by the External Secrets Operator's `fake` provider,
   * so that a development cluster runs without a secret backend. The values are written into the
   * manifests: never put a real credential here. The `no-placeholder-secrets` guardrail fails a
   * production synth with one.
   * @see https://external-secrets.io/latest/provider/fake/
   */
  public static devPlaceholders(values: Record<string, string>): SecretSource {
    return new SecretSource((binding) => bindPlaceholders(binding, values));
  }

  private constructor(private readonly binder: (binding: SecretBindingScope) => BoundSecretSource) {}

  /** Validates the source and creates the objects that produce the Secret of `binding`. */
  public bind(binding: SecretBindingScope): BoundSecretSource {
    return this.binder(binding);
  }
}
