import { IConnectable } from '../workload/workload';

/** Where clients ask the Sentinels which node is the master. */
export interface RedisSentinelEndpoint {
  /** Host of the Sentinels' Service. */
  readonly host: string;
  /** Port of the Sentinels. */
  readonly port: number;
  /** Name of the master group the Sentinels watch. */
  readonly masterName: string;
}

/** Options of {@link IRedis.celery}. */
export interface CeleryConnectionOptions {
  /** Database of the task queue (`CELERY_BROKER_URL`). @default 0 */
  readonly brokerDatabase?: number;
  /** Database of the task results (`CELERY_RESULT_BACKEND`); another than the broker's. @default 1 */
  readonly resultDatabase?: number;
}

/**
 * A Redis apps connect to: in the cluster ({@link HaRedis}) or managed ({@link ExternalRedis}).
 *
 * `app.connectTo(redis)` sets `REDIS_HOST`, `REDIS_PORT`, `REDIS_TLS` and `REDIS_URL` (no password in it),
 * `REDIS_SENTINEL_HOSTS` and `REDIS_SENTINEL_MASTER` when clients should ask Sentinel for the master, and
 * `REDIS_PASSWORD_FILE`, the password mounted as a read-only file; it opens exactly the ports on both sides.
 * `app.connectTo(redis.celery())` sets `CELERY_BROKER_URL` and `CELERY_RESULT_BACKEND` too, again without the
 * password: the app reads the file into Celery's `broker_password` and `redis_password` (and, with Sentinel, into
 * `sentinel_kwargs`), which Celery combines with URLs that carry none.
 */
export interface IRedis extends IConnectable {
  /** Name of the Redis, which names its credentials folder in the pods that connect. */
  readonly name: string;
  /** Host of the master, for clients that do not speak Sentinel. */
  readonly host: string;
  /** Port of the master. */
  readonly port: number;
  /** Whether clients connect over TLS (`rediss://`). */
  readonly tls: boolean;
  /** Where clients ask the Sentinels for the master, when Sentinels watch it. */
  readonly sentinel?: RedisSentinelEndpoint;
  /** The connection of a Celery app: the Redis settings plus `CELERY_BROKER_URL` and `CELERY_RESULT_BACKEND`. */
  celery(options?: CeleryConnectionOptions): IConnectable;
}
