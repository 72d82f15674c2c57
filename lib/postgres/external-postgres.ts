import { Construct } from 'constructs';
import { check } from '../core/errors';
import { Kind, checkProps } from '../core/kinds';
import { nameFromId } from '../core/names';
import { checkDnsLabel, checkPort } from '../core/validate';
import { NETWORK_PEER_KIND, checkNetworkPeer } from '../network/_checks';
import { checkDomainNames } from '../network/domain-name';
import { NetworkPeer } from '../network/network-peer';
import { ISecretProducer, SECRET_PRODUCER_KIND, checkSecretProducer } from '../workload/secret-producer';
import { IWorkload, WORKLOAD_KIND } from '../workload/workload';
import { POSTGRES_PORT, SECRET_KEY } from './_cnpg';
import { bindConnection } from './_connection';
import { ACCEPTED_SSL_MODES, IPostgresDatabase, PostgresRootCertificate, PostgresSslMode } from './postgres-database';

/** Where an {@link ExternalPostgres} keeps the application credentials. */
export interface ExternalPostgresCredentials {
  /** The Secret with the user name and password: a `SecretsBinding` in the namespace of the apps that connect. */
  readonly secret: ISecretProducer;
  /** Key of the user name. @default 'username' */
  readonly usernameKey?: string;
  /** Key of the password. @default 'password' */
  readonly passwordKey?: string;
}

/** Props of an {@link ExternalPostgres}. */
export interface ExternalPostgresProps {
  /** Host name of the managed database (e.g. the RDS or Cloud SQL endpoint). */
  readonly host: string;
  /** Name of the application database. */
  readonly databaseName: string;
  /** The application credentials. */
  readonly credentials: ExternalPostgresCredentials;
  /**
   * Where the database answers, for the apps' egress: its subnets (`NetworkPeer.ipBlock('10.0.32.0/20')`),
   * or its host by name (`NetworkPeer.domain(host)`), which the connecting app's `egressEngine` renders.
   */
  readonly endpoint: NetworkPeer;
  /** Name of the database, used in mount names. @default - the construct id in kebab-case */
  readonly name?: string;
  /** Port of the database. @default 5432 */
  readonly port?: number;
  /** How apps check the server; REQUIRE or stronger. @default PostgresSslMode.VERIFY_FULL */
  readonly sslMode?: PostgresSslMode;
  /** The CA that signed the server certificate (e.g. the provider's bundle); VERIFY_CA and VERIFY_FULL need it. @default - none */
  readonly rootCertificate?: PostgresRootCertificate;
}

/**
 * A managed PostgreSQL (RDS, Cloud SQL, Azure Database, ...) the platform does not run: no cluster,
 * only the connection. `app.connectTo(db)` gives the app libpq settings with TLS enforced (`sslmode`
 * require or stronger), the credentials of a Secret as read-only files under
 * `/var/run/secrets/postgres/<name>/` (`username` and `password`, named by `PGUSER_FILE` and
 * `PGPASSWORD_FILE`), and opens the egress path to the database.
 */
export class ExternalPostgres extends Construct implements IPostgresDatabase {
  /** Name of the database, used in mount names. */
  public readonly name: string;
  /** Host apps connect to. */
  public readonly host: string;
  /** Port apps connect to. */
  public readonly port: number;
  /** Name of the application database. */
  public readonly databaseName: string;
  /** Secret holding the application credentials. */
  public readonly credentialsSecretName: string;
  /** TLS mode apps connect with. */
  public readonly sslMode: PostgresSslMode;

  private readonly props: ExternalPostgresProps;

  public constructor(scope: Construct, id: string, props: ExternalPostgresProps) {
    super(scope, id);
    checkProps(this, props, {
      host: Kind.STRING,
      databaseName: Kind.STRING,
      credentials: Kind.object('an ExternalPostgresCredentials object (secret, and optionally usernameKey and passwordKey)', {
        secret: SECRET_PRODUCER_KIND,
        usernameKey: Kind.STRING.optional(),
        passwordKey: Kind.STRING.optional(),
      }),
      endpoint: NETWORK_PEER_KIND,
      name: Kind.STRING.optional(),
      port: Kind.NUMBER.optional(),
      sslMode: Kind.oneOf(PostgresSslMode, 'a PostgresSslMode').optional(),
      rootCertificate: Kind.instance(PostgresRootCertificate,
        'a PostgresRootCertificate (PostgresRootCertificate.fromSecret, fromConfigMap or existingConfigMap)').optional(),
    }, 'ExternalPostgresProps');
    this.props = props;
    this.name = props.name ?? nameFromId(id);
    this.host = props.host;
    this.port = props.port ?? POSTGRES_PORT;
    this.databaseName = props.databaseName;
    this.credentialsSecretName = props.credentials.secret.name;
    this.sslMode = props.sslMode ?? PostgresSslMode.VERIFY_FULL;

    checkDnsLabel(this, 'name', this.name, 50);
    check(isHost(this.host), this, 'host', this.host, 'must be a DNS name or an IPv4 address');
    checkPort(this, 'port', this.port);
    if (props.endpoint.domains !== undefined) {
      checkDomainNames(this, 'endpoint', props.endpoint.domains);
    }
    check(this.databaseName.length > 0 && this.databaseName.length <= 63 && !/[\s"]/.test(this.databaseName), this, 'databaseName', this.databaseName,
      'must be a database name of 1 to 63 characters without spaces or quotes');
    check(ACCEPTED_SSL_MODES.includes(this.sslMode), this, 'sslMode', this.sslMode,
      `must be one of ${ACCEPTED_SSL_MODES.join(', ')}: a managed database is reached over networks the platform does not control`);
    check(this.sslMode === PostgresSslMode.REQUIRE || props.rootCertificate !== undefined, this, 'rootCertificate', undefined,
      `is required with sslMode '${this.sslMode}': the client checks the server certificate against it`);
    for (const [prop, key] of Object.entries(this.credentialKeys())) {
      check(SECRET_KEY.test(key), this, `credentials.${prop}`, key, 'must be a Secret key: letters, digits, \'-\', \'_\' and \'.\'');
    }
    checkSecretProducer(this, 'credentials', props.credentials.secret, undefined, this.credentialKeys(), 'a pod');
    props.rootCertificate?.check(this, 'rootCertificate');
    checkNetworkPeer(this, 'endpoint', props.endpoint);
  }

  /**
   * Gives `workload` its connection and opens the egress path from its pods to the database, and nothing
   * else. The credentials Secret (and a CA certificate's Secret or ConfigMap) must be in the workload's namespace.
   */
  public grantConnection(workload: IWorkload): void {
    WORKLOAD_KIND.check(this, 'grantConnection', workload);
    const secret = this.props.credentials.secret;
    checkSecretProducer(this, 'credentials', secret, workload.namespace, {}, `the app ${workload.node.path}`);
    this.props.rootCertificate?.resolveFor(this, workload.namespace);
    workload.allowTo(this.props.endpoint, [{ port: this.port }]);
    bindConnection(workload, {
      name: this.name,
      host: this.host,
      port: this.port,
      database: this.databaseName,
      credentials: { secretName: secret.name, ...this.credentialKeys() },
      sslMode: this.sslMode,
      rootCertificate: this.props.rootCertificate,
    });
    workload.node.addDependency(secret);
  }

  private credentialKeys(): { usernameKey: string; passwordKey: string } {
    return { usernameKey: this.props.credentials.usernameKey ?? 'username', passwordKey: this.props.credentials.passwordKey ?? 'password' };
  }
}

function isHost(value: string): boolean {
  const ipv4 = /^(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){3}$/;
  return ipv4.test(value) || (/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(value) && value.length <= 253);
}
