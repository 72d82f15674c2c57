import { IConstruct } from 'constructs';
import { check } from '../core/errors';
import { Kind, Kinds } from '../core/kinds';
import { checkInteger } from '../core/validate';
import { EnvValue } from '../workload/env-value';
import { IWorkload } from '../workload/workload';
import { CeleryConnectionOptions, RedisSentinelEndpoint } from './redis-connection';

// Internal: the settings every Redis construct hands to the workloads that connect. Not exported from the package.

/** Where a connected workload finds the password, one folder per Redis. */
const PASSWORD_MOUNT_ROOT = '/var/run/secrets/redis';
/** Where a connected workload finds the CA that signed a managed Redis's certificate. */
const CA_MOUNT_ROOT = '/etc/ssl/redis';
/** Owner read only; with the pod's fsGroup the kubelet adds group read, as for every Secret volume. */
const PASSWORD_FILE_MODE = 0o400;

/** What a Redis hands to a workload that connects to it. */
export interface RedisClientSettings {
  /** Name of the Redis, which names its folders and volumes in the pod. */
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
  readonly sentinel?: RedisSentinelEndpoint;
  /** The Secret and key of the password. */
  readonly password: { readonly secretName: string; readonly key: string };
  /** The Secret and key of the CA certificate the server's certificate is checked against. */
  readonly caCertificate?: { readonly secretName: string; readonly key: string };
}

/** The databases of a Celery connection, resolved. */
export interface CeleryDatabases {
  readonly broker: number;
  readonly result: number;
}

/**
 * Checks the databases of a Celery connection and resolves their defaults: Redis has databases 0 to 15 unless
 * configured otherwise, and the results must not share the queue's database.
 */
export function celeryDatabases(scope: IConstruct, options: CeleryConnectionOptions = {}): CeleryDatabases {
  Kind.object('a CeleryConnectionOptions object', {
    brokerDatabase: Kind.NUMBER.optional(),
    resultDatabase: Kind.NUMBER.optional(),
  } satisfies Kinds<CeleryConnectionOptions>).check(scope, 'celery', options);
  const broker = options.brokerDatabase ?? 0;
  const result = options.resultDatabase ?? 1;
  checkInteger(scope, 'celery.brokerDatabase', broker, 0, 15);
  checkInteger(scope, 'celery.resultDatabase', result, 0, 15);
  check(broker !== result, scope, 'celery.resultDatabase', result, 'must differ from the broker\'s database: Celery would read its results among the queued tasks');
  return { broker, result };
}

/**
 * The connection settings as environment variables, without any credential, and the password as a read-only
 * file (environment variables leak into crash dumps, child processes and `/proc/<pid>/environ`). With
 * `celery`, also `CELERY_BROKER_URL` and `CELERY_RESULT_BACKEND`, which Celery reads from the environment before
 * its own settings (celery v5.6.2 celery/app/utils.py Settings.broker_url and result_backend).
 */
export function bindRedisConnection(workload: IWorkload, settings: RedisClientSettings, celery?: CeleryDatabases): void {
  const passwordPath = `${PASSWORD_MOUNT_ROOT}/${settings.name}`;
  const scheme = settings.tls ? 'rediss' : 'redis';
  const caPath = settings.caCertificate !== undefined ? `${CA_MOUNT_ROOT}/${settings.name}/ca.crt` : undefined;
  const url = (database: number) => `${scheme}://${settings.host}:${settings.port}/${database}${tlsQuery(settings.tls, caPath)}`;
  workload.addEnv('REDIS_HOST', EnvValue.literal(settings.host));
  workload.addEnv('REDIS_PORT', EnvValue.literal(String(settings.port)));
  workload.addEnv('REDIS_TLS', EnvValue.literal(String(settings.tls)));
  workload.addEnv('REDIS_URL', EnvValue.literal(url(0)));
  workload.addEnv('REDIS_PASSWORD_FILE', EnvValue.literal(`${passwordPath}/password`));
  if (settings.sentinel !== undefined) {
    workload.addEnv('REDIS_SENTINEL_HOSTS', EnvValue.literal(`${settings.sentinel.host}:${settings.sentinel.port}`));
    workload.addEnv('REDIS_SENTINEL_MASTER', EnvValue.literal(settings.sentinel.masterName));
  }
  if (caPath !== undefined) {
    workload.addEnv('REDIS_TLS_CA_FILE', EnvValue.literal(caPath));
  }
  if (celery !== undefined) {
    // kombu's sentinel transport and Celery's SentinelBackend take `sentinel://host:port/db` and the master name from
    // the transport options (kombu v5.6.2 kombu/transport/redis.py SentinelChannel; celery/backends/redis.py).
    const sentinel = settings.sentinel;
    const celeryUrl = (database: number) => sentinel !== undefined ? `sentinel://${sentinel.host}:${sentinel.port}/${database}` : url(database);
    workload.addEnv('CELERY_BROKER_URL', EnvValue.literal(celeryUrl(celery.broker)));
    workload.addEnv('CELERY_RESULT_BACKEND', EnvValue.literal(celeryUrl(celery.result)));
  }
  workload.addVolume({
    name: `${settings.name}-password`,
    mountPath: passwordPath,
    readOnly: true,
    source: { secret: { secretName: settings.password.secretName, defaultMode: PASSWORD_FILE_MODE, items: [{ key: settings.password.key, path: 'password' }] } },
  });
  if (settings.caCertificate !== undefined) {
    workload.addVolume({
      name: `${settings.name}-redis-ca`,
      mountPath: `${CA_MOUNT_ROOT}/${settings.name}`,
      readOnly: true,
      source: { secret: { secretName: settings.caCertificate.secretName, defaultMode: 0o444, items: [{ key: settings.caCertificate.key, path: 'ca.crt' }] } },
    });
  }
}

/**
 * The query of a `rediss://` URL: Celery refuses one without `ssl_cert_reqs` (celery docs, configuration.rst
 * broker_use_ssl and redis_backend_use_ssl), and `required` checks the server's certificate, against the mounted CA
 * when there is one.
 */
function tlsQuery(tls: boolean, caPath: string | undefined): string {
  if (!tls) {
    return '';
  }
  return `?ssl_cert_reqs=required${caPath !== undefined ? `&ssl_ca_certs=${encodeURIComponent(caPath)}` : ''}`;
}
