import { Construct, IConstruct } from 'constructs';
import {
  ExternalSecret, ExternalSecretSpecDataFromSourceRefGeneratorRefKind, ExternalSecretSpecRefreshPolicy, ExternalSecretSpecTargetCreationPolicy,
} from '../../imports/external-secrets.io';
import { Password } from '../../imports/generators.external-secrets.io';
import { Kind } from '../core/kinds';
import { Operator, Prerequisite } from '../core/prerequisites';
import { keepOnPrune } from '../core/protection';
import { checkInteger, checkSecretKey } from '../core/validate';
import { ISecretProducer, SECRET_PRODUCER_KIND, checkSecretProducer } from '../workload/secret-producer';

/** Options of {@link RedisPassword.generated}. */
export interface GeneratedPasswordOptions {
  /** Characters of the password: letters and digits only. @default 32 */
  readonly length?: number;
}

/** The Secret that holds a Redis password, as the objects that read it name it. */
export interface PasswordSecret {
  /** Name of the Secret. */
  readonly name: string;
  /** Key of the password in it. */
  readonly key: string;
}

/** What a password source needs from the Redis it protects. */
interface PasswordOwner {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
}

const GENERATED_KEY = 'password';
const GENERATOR_API_VERSION = 'generators.external-secrets.io/v1alpha1';

/**
 * Where the password of a Redis comes from. The operator never makes one: it reads the Secret named in
 * `kubernetesConfig.redisSecret` (redis-operator v0.26.0 api/common/v1beta2/common_types.go ExistingPasswordSecret),
 * and the manifests must produce that Secret, never hold its value.
 */
export class RedisPassword {
  /**
   * A random password the External Secrets Operator generates in the cluster once (its `Password` generator and an
   * ExternalSecret with `refreshPolicy: CreatedOnce`), into the Secret `<name>-password` (key `password`): no
   * store and no key to provision. Letters and digits only: the operator writes it into redis.conf unquoted and
   * clients into URLs. Should the Secret be deleted, the operator generates a new one: restart the Redis pods.
   * @see https://external-secrets.io/latest/api/generator/password/
   */
  public static generated(options: GeneratedPasswordOptions = {}): RedisPassword {
    return new RedisPassword(undefined, GENERATED_KEY, options.length ?? 32);
  }

  /**
   * The password at `key` of the Secret a `SecretsBinding` produces from the stage's secret store, in the
   * namespace of the Redis. Use letters and digits: the operator writes it into redis.conf unquoted.
   */
  public static fromSecret(secret: ISecretProducer, key = GENERATED_KEY): RedisPassword {
    return new RedisPassword(secret, key, undefined);
  }

  private constructor(
    private readonly secret: ISecretProducer | undefined,
    /** Key of the password in its Secret. */
    public readonly key: string,
    private readonly length: number | undefined,
  ) {}

  /**
   * Checks the source, given to `scope` as `password`, for a Redis in `namespace`.
   * @internal
   */
  public check(scope: IConstruct, namespace: string): void {
    if (this.secret !== undefined) {
      SECRET_PRODUCER_KIND.check(scope, 'password.secret', this.secret);
      Kind.STRING.check(scope, 'password.key', this.key);
      checkSecretKey(scope, 'password.key', this.key);
      checkSecretProducer(scope, 'password', this.secret, namespace, { key: this.key }, 'the operator and the Redis pods');
    } else {
      Kind.NUMBER.check(scope, 'password.length', this.length);
      checkInteger(scope, 'password.length', this.length ?? 0, 16, 128);
    }
  }

  /**
   * The Secret the Redis objects read: the given one, or one generated beside `owner` (its generator and
   * ExternalSecret are children of `scope`). `keep` keeps them when the manifests are pruned, for a Redis whose
   * data is kept.
   * @internal
   */
  public bind(scope: Construct, owner: PasswordOwner, keep: boolean): PasswordSecret {
    if (this.secret !== undefined) {
      if (keep) {
        this.secret.keepOnPrune();
      }
      return { name: this.secret.name, key: this.key };
    }
    const name = `${owner.name}-password`;
    const metadata = { name, namespace: owner.namespace, labels: owner.labels };
    const generator = new Password(scope, 'PasswordGenerator', {
      metadata,
      spec: { length: this.length ?? 32, symbols: 0, noUpper: false, allowRepeat: true },
    });
    const externalSecret = new ExternalSecret(scope, 'Password', {
      metadata,
      spec: {
        // Generated once: the default refresh (Periodic, every hour) would replace the password under running clients.
        refreshPolicy: ExternalSecretSpecRefreshPolicy.CREATED_ONCE,
        target: { name, creationPolicy: ExternalSecretSpecTargetCreationPolicy.OWNER },
        dataFrom: [{
          sourceRef: { generatorRef: { apiVersion: GENERATOR_API_VERSION, kind: ExternalSecretSpecDataFromSourceRefGeneratorRefKind.PASSWORD, name } },
        }],
      },
    });
    if (keep) {
      keepOnPrune(generator);
      keepOnPrune(externalSecret);
    }
    Prerequisite.declare(scope,
      Prerequisite.operator(Operator.EXTERNAL_SECRETS, 'generates the Redis password into a Secret through the ExternalSecret'),
      Prerequisite.operator(Operator.EXTERNAL_SECRETS_GENERATORS, 'the Password generator the ExternalSecret reads the Redis password from'));
    return { name, key: GENERATED_KEY };
  }
}
