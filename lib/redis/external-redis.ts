import { Construct } from 'constructs';
import { Kind, checkProps } from '../core/kinds';
import { nameFromId } from '../core/names';
import { checkDnsLabel, checkHostname, checkPort, checkSecretKey } from '../core/validate';
import { NETWORK_PEER_KIND, checkNetworkPeer } from '../network/_checks';
import { checkDomainNames } from '../network/domain-name';
import { NetworkPeer } from '../network/network-peer';
import { ISecretProducer, SECRET_PRODUCER_KIND, checkSecretProducer } from '../workload/secret-producer';
import { IConnectable, IWorkload } from '../workload/workload';
import { CeleryDatabases, bindRedisConnection, celeryDatabases } from './_connection';
import { REDIS_PORT } from './_operator';
import { CeleryConnectionOptions, IRedis } from './redis-connection';

/** A Secret value a managed Redis's clients read: a key of a Secret the manifests produce. */
export interface RedisSecretKey {
  /** The Secret: a `SecretsBinding` in the namespace of the apps that connect. */
  readonly secret: ISecretProducer;
  /** The key in it. */
  readonly key: string;
}

const SECRET_KEY_KIND = (description: string) => Kind.object(description, { secret: SECRET_PRODUCER_KIND, key: Kind.STRING });

/** Props of an {@link ExternalRedis}. */
export interface ExternalRedisProps {
  /** Host name of the managed Redis's primary endpoint (ElastiCache, Memorystore, Azure Cache for Redis). */
  readonly host: string;
  /** The auth token (password) clients send, e.g. `{ secret: binding, key: 'auth-token' }`. */
  readonly authToken: RedisSecretKey;
  /**
   * Where the Redis answers, for the apps' egress: its host by name (`NetworkPeer.domain(host)`), which the connecting
   * app's `egressEngine` renders, or its subnets (`NetworkPeer.ipBlock('10.0.48.0/20')`).
   */
  readonly endpoint: NetworkPeer;
  /** Name of the Redis, used in mount and volume names. @default - the construct id in kebab-case */
  readonly name?: string;
  /** Port of the TLS endpoint. @default 6379 (ElastiCache and Memorystore; Azure Cache for Redis uses 6380) */
  readonly port?: number;
  /**
   * The CA that signed the server certificate, when it is not one the clients' system trust store holds: Memorystore's
   * server CA, a private CA. ElastiCache and Azure Cache present certificates of public CAs.
   * @default - the system trust store of the app's image
   */
  readonly caCertificate?: RedisSecretKey;
}

/**
 * A managed Redis the platform does not run, reached over TLS only (`rediss://`): `app.connectTo(redis)` gives the
 * app `REDIS_HOST`, `REDIS_PORT`, `REDIS_TLS=true` and `REDIS_URL` (`rediss://host:port/0?ssl_cert_reqs=required`,
 * no password), the auth token as the read-only file `/var/run/secrets/redis/<name>/password` (`REDIS_PASSWORD_FILE`),
 * and opens the egress path to the endpoint on its port, and nothing else. `app.connectTo(redis.celery())` adds
 * `CELERY_BROKER_URL` and `CELERY_RESULT_BACKEND`, as the Aileron guide's managed Redis has them, without the token.
 */
export class ExternalRedis extends Construct implements IRedis {
  /** Name of the Redis, used in mount names. */
  public readonly name: string;
  /** Host apps connect to. */
  public readonly host: string;
  /** Port of the TLS endpoint. */
  public readonly port: number;
  /** Always true: a managed Redis is reached over networks the platform does not control. */
  public readonly tls = true;

  private readonly props: ExternalRedisProps;

  public constructor(scope: Construct, id: string, props: ExternalRedisProps) {
    super(scope, id);
    checkProps(this, props, {
      host: Kind.STRING,
      authToken: SECRET_KEY_KIND('a RedisSecretKey object (secret and key)'),
      endpoint: NETWORK_PEER_KIND,
      name: Kind.STRING.optional(),
      port: Kind.NUMBER.optional(),
      caCertificate: SECRET_KEY_KIND('a RedisSecretKey object (secret and key)').optional(),
    }, 'ExternalRedisProps');
    this.props = props;
    this.name = props.name ?? nameFromId(id);
    this.host = props.host;
    this.port = props.port ?? REDIS_PORT;

    checkDnsLabel(this, 'name', this.name, 50);
    checkHostname(this, 'host', this.host);
    checkPort(this, 'port', this.port);
    checkNetworkPeer(this, 'endpoint', props.endpoint);
    if (props.endpoint.domains !== undefined) {
      checkDomainNames(this, 'endpoint', props.endpoint.domains);
    }
    checkSecretKey(this, 'authToken.key', props.authToken.key);
    checkSecretProducer(this, 'authToken', props.authToken.secret, undefined, { key: props.authToken.key }, 'a pod');
    if (props.caCertificate !== undefined) {
      checkSecretKey(this, 'caCertificate.key', props.caCertificate.key);
      checkSecretProducer(this, 'caCertificate', props.caCertificate.secret, undefined, { key: props.caCertificate.key }, 'a pod');
    }
  }

  /**
   * Gives `workload` its connection and opens the egress path from its pods to the endpoint. The auth token's Secret
   * (and the CA's) must be in the workload's namespace.
   */
  public grantConnection(workload: IWorkload): void {
    this.connect(workload, undefined);
  }

  /**
   * The connection of a Celery app: what `grantConnection` gives, plus `CELERY_BROKER_URL` and `CELERY_RESULT_BACKEND`
   * (`rediss://host:port/<db>?ssl_cert_reqs=required`, and `ssl_ca_certs` with a CA). The app sets Celery's
   * `broker_password` and `redis_password` to the file's content: Celery keeps them when the URL has no password.
   */
  public celery(options: CeleryConnectionOptions = {}): IConnectable {
    const databases = celeryDatabases(this, options);
    return { grantConnection: (workload) => this.connect(workload, databases) };
  }

  private connect(workload: IWorkload, celery: CeleryDatabases | undefined): void {
    const { authToken, caCertificate } = this.props;
    checkSecretProducer(this, 'authToken', authToken.secret, workload.namespace, {}, `the app ${workload.node.path}`);
    if (caCertificate !== undefined) {
      checkSecretProducer(this, 'caCertificate', caCertificate.secret, workload.namespace, {}, `the app ${workload.node.path}`);
    }
    workload.allowTo(this.props.endpoint, [{ port: this.port }]);
    bindRedisConnection(workload, {
      name: this.name,
      host: this.host,
      port: this.port,
      tls: this.tls,
      password: { secretName: authToken.secret.name, key: authToken.key },
      caCertificate: caCertificate !== undefined ? { secretName: caCertificate.secret.name, key: caCertificate.key } : undefined,
    }, celery);
    workload.node.addDependency(authToken.secret);
  }
}
