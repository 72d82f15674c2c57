import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { check } from '../core/errors';
import { Kind } from '../core/kinds';
import { Prerequisite } from '../core/prerequisites';
import { checkDnsSubdomain } from '../core/validate';
import { ISecretProducer, SECRET_PRODUCER_KIND, checkSecretProducer } from '../workload/secret-producer';
import { IConnectable } from '../workload/workload';

/**
 * The connection a database hands to the apps that connect to it.
 * Implemented by {@link HaPostgres} (operator-managed) and {@link ExternalPostgres} (managed service).
 */
export interface IPostgresDatabase extends IConnectable {
  /** Host name apps connect to. */
  readonly host: string;
  /** Port apps connect to. */
  readonly port: number;
  /** Name of the application database. */
  readonly databaseName: string;
  /** Secret holding the application credentials. */
  readonly credentialsSecretName: string;
  /** TLS mode apps connect with. */
  readonly sslMode: PostgresSslMode;
}

/**
 * libpq's `sslmode`: how much a client checks the server. Only REQUIRE and stronger are accepted.
 * @see https://www.postgresql.org/docs/current/libpq-ssl.html#LIBPQ-SSL-PROTECTION
 */
export enum PostgresSslMode {
  /** No TLS. Refused. */
  DISABLE = 'disable',
  /** TLS only if the server insists. Refused. */
  ALLOW = 'allow',
  /** TLS if the server offers it, silently plain text otherwise. Refused. */
  PREFER = 'prefer',
  /** Always TLS, without checking who the server is. */
  REQUIRE = 'require',
  /** Always TLS, with a server certificate signed by the given CA. */
  VERIFY_CA = 'verify-ca',
  /** Always TLS, with a server certificate signed by the given CA and issued for the host name. */
  VERIFY_FULL = 'verify-full',
}

/**
 * The TLS modes a client may connect with.
 * @internal
 */
export const ACCEPTED_SSL_MODES = [PostgresSslMode.REQUIRE, PostgresSslMode.VERIFY_CA, PostgresSslMode.VERIFY_FULL];


/**
 * Where a client finds the CA certificate that signed the database server's certificate: an object of
 * the manifests, or a ConfigMap produced outside them (declared as a prerequisite), never a bare
 * Secret name that nothing produces.
 */
export class PostgresRootCertificate {
  /** `key` of the Secret a `SecretsBinding` of the manifests produces, in the namespace of the apps that connect; only that key is mounted. */
  public static fromSecret(secret: ISecretProducer, key: string): PostgresRootCertificate {
    return new PostgresRootCertificate(secret?.name, key, (items) => ({ secret: { secretName: secret.name, items, defaultMode: 0o444 } }),
      (scope, namespace) => checkSecretProducer(scope, 'rootCertificate', secret, namespace, { key }, 'a pod'),
      (scope, prop) => SECRET_PRODUCER_KIND.check(scope, `${prop}.secret`, secret));
  }

  /**
   * `key` of a ConfigMap of the manifests (e.g. a cloud provider's public CA bundle, which is no secret),
   * in the namespace of the apps that connect.
   */
  public static fromConfigMap(configMap: ApiObject, key: string): PostgresRootCertificate {
    return new PostgresRootCertificate(configMap?.name, key, (items) => ({ configMap: { name: configMap.name, items, defaultMode: 0o444 } }),
      (scope, namespace) => {
        check(configMap.kind === 'ConfigMap', scope, 'rootCertificate', `${configMap.kind} ${configMap.name}`, 'must be a ConfigMap');
        check(configMap.metadata.namespace === namespace, scope, 'rootCertificate', configMap.name,
          `must be a ConfigMap in namespace '${namespace}', where the pods that connect mount it, not '${configMap.metadata.namespace}'`);
        const rendered = configMap.toJson();
        const keys = Object.keys({ ...rendered.data, ...rendered.binaryData });
        check(keys.includes(key), scope, 'rootCertificate.key', key, `is not a key of ConfigMap '${configMap.name}' (${keys.join(', ')})`);
      },
      (scope, prop) => Kind.instance(ApiObject, 'an ApiObject (a ConfigMap of the manifests)').check(scope, `${prop}.configMap`, configMap));
  }

  /**
   * `key` of the ConfigMap `name` that something outside the manifests writes into the namespace of the
   * apps that connect (e.g. a trust-manager `Bundle`). The database construct declares it as a prerequisite.
   */
  public static existingConfigMap(name: string, key: string): PostgresRootCertificate {
    return new PostgresRootCertificate(name, key, (items) => ({ configMap: { name, items, defaultMode: 0o444 } }),
      (scope, namespace) => Prerequisite.declare(scope, Prerequisite.object('ConfigMap', namespace, name,
        `holds the CA certificate (key ${key}) that signed the database server's certificate; the pods that connect mount it`)),
      (scope, prop) => checkDnsSubdomain(scope, `${prop}.name`, name));
  }

  /**
   * `key` of the Secret `name` an operator writes for the database (CloudNativePG's `<cluster>-ca`).
   * @internal
   */
  public static ofOperator(name: string, key: string): PostgresRootCertificate {
    return new PostgresRootCertificate(name, key, (items) => ({ secret: { secretName: name, items, defaultMode: 0o444 } }), () => undefined, () => undefined);
  }

  private constructor(
    /** Name of the ConfigMap or Secret. */
    public readonly name: string,
    /** Key of the certificate in it. */
    public readonly key: string,
    private readonly source: (items: k8s.KeyToPath[]) => Omit<k8s.Volume, 'name'>,
    private readonly resolveIn: (scope: IConstruct, namespace: string) => void,
    private readonly checkSource: (scope: IConstruct, prop: string) => void,
  ) {}

  /**
   * Checks the certificate given to `scope` as `prop`: the object it comes from, and its key.
   * @internal
   */
  public check(scope: IConstruct, prop: string): void {
    this.checkSource(scope, prop);
    check(typeof this.key === 'string' && /^[-._a-zA-Z0-9]+$/.test(this.key), scope, `${prop}.key`, this.key,
      'must be a key: letters, digits, \'-\', \'_\' and \'.\'');
  }

  /** The volume source that mounts the certificate as `ca.crt`. */
  public volumeSource(): Omit<k8s.Volume, 'name'> {
    return this.source([{ key: this.key, path: 'ca.crt' }]);
  }

  /**
   * Checks that pods in `namespace` can mount the certificate, and declares on `scope` what the cluster
   * must provide for it.
   * @internal
   */
  public resolveFor(scope: IConstruct, namespace: string): void {
    this.resolveIn(scope, namespace);
  }
}
