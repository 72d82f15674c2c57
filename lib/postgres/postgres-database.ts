import { k8s } from 'cdk8s-plus-28';
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


/** Where a client finds the CA certificate that signed the database server's certificate. */
export class PostgresRootCertificate {
  /** `key` of the ConfigMap `name`, e.g. a cloud provider's public CA bundle. */
  public static fromConfigMap(name: string, key: string): PostgresRootCertificate {
    return new PostgresRootCertificate(name, key, (items) => ({ configMap: { name, items, defaultMode: 0o444 } }));
  }

  /** `key` of the Secret `name`; only that key is mounted. */
  public static fromSecret(name: string, key: string): PostgresRootCertificate {
    return new PostgresRootCertificate(name, key, (items) => ({ secret: { secretName: name, items, defaultMode: 0o444 } }));
  }

  private constructor(
    /** Name of the ConfigMap or Secret. */
    public readonly name: string,
    /** Key of the certificate in it. */
    public readonly key: string,
    private readonly source: (items: k8s.KeyToPath[]) => Omit<k8s.Volume, 'name'>,
  ) {}

  /** The volume source that mounts the certificate as `ca.crt`. */
  public volumeSource(): Omit<k8s.Volume, 'name'> {
    return this.source([{ key: this.key, path: 'ca.crt' }]);
  }
}
