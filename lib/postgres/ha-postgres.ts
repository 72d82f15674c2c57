import { Duration, Size, SizeRoundingBehavior } from 'cdk8s';
import { Cpu, k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  ObjectStore, ObjectStoreSpecConfiguration, ObjectStoreSpecConfigurationDataCompression, ObjectStoreSpecConfigurationWalCompression,
  ObjectStoreSpecInstanceSidecarConfigurationResourcesLimits, ObjectStoreSpecInstanceSidecarConfigurationResourcesRequests,
} from '../../imports/barmancloud.cnpg.io';
import { PodMonitor, PodMonitorSpecPodMetricsEndpointsScheme, PrometheusRule } from '../../imports/monitoring.coreos.com';
import {
  Cluster, ClusterSpec, ClusterSpecPostgresqlSynchronous, ClusterSpecPostgresqlSynchronousDataDurability, ClusterSpecPostgresqlSynchronousMethod,
  ClusterSpecPrimaryUpdateMethod, ClusterSpecPrimaryUpdateStrategy, ClusterSpecResourcesLimits, ClusterSpecResourcesRequests, Pooler,
  PoolerSpecPgbouncerPoolMode, PoolerSpecTemplateSpecContainersResourcesLimits, PoolerSpecTemplateSpecContainersResourcesRequests, PoolerSpecType,
  ScheduledBackup, ScheduledBackupSpecBackupOwnerReference, ScheduledBackupSpecMethod, ScheduledBackupSpecTarget,
} from '../../imports/postgresql.cnpg.io';
import { check } from '../core/errors';
import { recordException } from '../core/exceptions';
import { NAMESPACE_NAME_LABEL, recommendedLabels } from '../core/labels';
import { nameFromId, resolveNamespace } from '../core/names';
import { checkDnsLabel, checkDnsSubdomain, checkInteger, checkLabels, checkPort } from '../core/validate';
import { Alert, AlertSeverity, checkRunbookBaseUrl, renderAlerts } from '../monitoring/alerting';
import { DNS_PORTS, NetworkPeer, NetworkPolicyRules } from '../network/network-peer';
import { EnvValue } from '../workload/env-value';
import { Image } from '../workload/image';
import { NodePool, SpreadPolicy } from '../workload/placement';
import { ContainerResources, checkResources, cpuQuantity, sizeQuantity } from '../workload/resources';
import { IConnectable, IWorkload } from '../workload/workload';

/** The port PostgreSQL and PgBouncer listen on. */
export const POSTGRES_PORT = 5432;
/** The instance manager's status port, which the operator and the other instances query. */
const STATUS_PORT = 8000;
/** The instance metrics exporter. @see https://cloudnative-pg.io/documentation/current/monitoring/ */
const METRICS_PORT = 9187;
/** The PgBouncer metrics exporter. */
const POOLER_METRICS_PORT = 9127;
/** The Barman Cloud plugin, as the Cluster, ScheduledBackup and external clusters name it. */
const BARMAN_CLOUD_PLUGIN = 'barman-cloud.cloudnative-pg.io';
/** Labels the operator puts on the pods of a cluster. @see https://cloudnative-pg.io/documentation/current/labels_annotations/ */
const CLUSTER_LABEL = 'cnpg.io/cluster';
const POD_ROLE_LABEL = 'cnpg.io/podRole';
const POOLER_NAME_LABEL = 'cnpg.io/poolerName';
/** Where a connected app finds the CA that signed the database's server certificate. */
const CA_MOUNT_ROOT = '/etc/postgresql';
/** Where a connected app finds the database credentials, one folder per database. */
const CREDENTIALS_MOUNT_ROOT = '/var/run/secrets/postgres';
/** Owner read only; with the pod's fsGroup the kubelet adds group read, as for every Secret volume. */
const CREDENTIALS_FILE_MODE = 0o400;
/** Roles the operator manages itself; the application owner must be another one. */
const RESERVED_ROLES = new Set(['postgres', 'streaming_replica', 'cnpg_pooler_pgbouncer']);
const POSTGRES_IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;
const PARAMETER_NAME = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)?$/;
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;
const BARMAN_SERVER_NAME = /^[A-Za-z0-9][-A-Za-z0-9_.]*$/;
const IAM_ROLE_ARN = /^arn:aws[a-z-]*:iam::[0-9]{12}:role\/[\w+=,.@/-]+$/;

/**
 * The annotation that records, on the Cluster, why it runs without backups.
 * Reviewers and policy engines find deliberate exceptions by it.
 */
export const BACKUPS_SUPPRESSED_ANNOTATION = 'cdk8s-golden-path/backups-suppressed';

/** The guardrails that a Cluster without backups violates, and that `PostgresBackup.none({ reason })` accepts for it. */
const BACKUP_RULE_IDS = ['postgres-wal-archive', 'postgres-scheduled-backup'];

/** How far a commit must travel before PostgreSQL reports it committed. */
export enum DataDurability {
  /** A commit waits for the synchronous standbys; with too few of them, writes stop rather than risk data loss (RPO 0). */
  REQUIRED = 'required',
  /** A commit waits for the synchronous standbys that are healthy; with none, writes go on unreplicated. */
  PREFERRED = 'preferred',
}

/** How PostgreSQL picks the standbys a commit waits for. */
export enum SynchronousMethod {
  /** Quorum commit (`ANY n`): any `n` standbys acknowledge. The operator can then fail over only to a standby that has every commit. */
  QUORUM = 'any',
  /** Priority commit (`FIRST n`): the first `n` healthy standbys in a fixed order acknowledge. */
  PRIORITY = 'first',
}

/** Options of {@link PostgresReplication.synchronous}. */
export interface SynchronousReplicationOptions {
  /** Standbys that acknowledge each commit. @default 1 */
  readonly standbys?: number;
  /** What happens when fewer standbys are available. @default DataDurability.REQUIRED */
  readonly durability?: DataDurability;
  /** How the acknowledging standbys are chosen. @default SynchronousMethod.QUORUM */
  readonly method?: SynchronousMethod;
}

/**
 * How the standbys follow the primary.
 * @see https://cloudnative-pg.io/documentation/current/replication/#synchronous-replication
 */
export class PostgresReplication {
  /** Commits wait for `standbys` standbys to write them: a failover loses no committed transaction. */
  public static synchronous(options: SynchronousReplicationOptions = {}): PostgresReplication {
    return new PostgresReplication(true, options.standbys ?? 1, options.durability ?? DataDurability.REQUIRED, options.method ?? SynchronousMethod.QUORUM);
  }

  /** Standbys stream the WAL without holding commits back: a failover may lose the last commits. */
  public static asynchronous(): PostgresReplication {
    return new PostgresReplication(false, 0, DataDurability.PREFERRED, SynchronousMethod.QUORUM);
  }

  private constructor(
    /** Whether commits wait for standbys. */
    public readonly isSynchronous: boolean,
    /** Standbys that acknowledge each commit. */
    public readonly standbys: number,
    /** What happens when fewer standbys are available. */
    public readonly durability: DataDurability,
    /** How the acknowledging standbys are chosen. */
    public readonly method: SynchronousMethod,
  ) {}
}

/** Storage of each PostgreSQL instance. */
export interface PostgresStorage {
  /** Capacity of each instance's data volume (PGDATA). */
  readonly size: Size;
  /**
   * StorageClass of the data and WAL volumes. Prefer one with `reclaimPolicy: Retain` and volume
   * expansion, so that deleting the Cluster does not delete the data and volumes can grow in place.
   * @default - the cluster's default StorageClass
   */
  readonly storageClassName?: string;
  /**
   * Capacity of each instance's separate WAL volume: a burst of writes or a lagging standby then
   * fills the WAL volume, never the data volume.
   * @default - a quarter of `size`, and at least 2Gi
   */
  readonly walSize?: Size;
}

/** When base backups are taken. */
export class BackupSchedule {
  /** Every day at `hour`:`minute`, in the operator's time zone (UTC unless configured otherwise). */
  public static daily(hour = 2, minute = 0): BackupSchedule {
    return new BackupSchedule(`0 ${minute} ${hour} * * *`, Number.isInteger(hour) && hour >= 0 && hour <= 23 && Number.isInteger(minute) && minute >= 0 && minute <= 59
      ? undefined : 'must be a time of day: an hour from 0 to 23 and a minute from 0 to 59');
  }

  /**
   * A cron expression with six fields, seconds first (`0 30 1 * * *` is 01:30:00 every day), or a
   * descriptor such as `@daily`. CloudNativePG rejects the five-field form crontab uses.
   * @see https://pkg.go.dev/github.com/robfig/cron#hdr-CRON_Expression_Format
   */
  public static cron(expression: string): BackupSchedule {
    const fields = expression.trim().split(/\s+/);
    const valid = /^@(yearly|annually|monthly|weekly|daily|midnight|hourly)$/.test(expression)
      || (fields.length === 6 && fields.every((f) => /^[0-9A-Za-z*?/,-]+$/.test(f)));
    return new BackupSchedule(expression, valid ? undefined
      : 'must be a cron expression with six fields, seconds first (e.g. \'0 0 2 * * *\'), or a descriptor such as \'@daily\'');
  }

  private constructor(
    /** The schedule as the ScheduledBackup receives it. */
    public readonly expression: string,
    private readonly problemText: string | undefined,
  ) {}

  /** Why this schedule cannot be used, or `undefined` when it can. */
  public problem(): string | undefined {
    return this.problemText;
  }
}

/** Keys of an S3 credentials Secret. */
export interface S3CredentialsOptions {
  /** The Secret, in the database's namespace, that holds the access key. */
  readonly secretName: string;
  /** Key of the access key id. @default 'ACCESS_KEY_ID' */
  readonly accessKeyIdKey?: string;
  /** Key of the secret access key. @default 'ACCESS_SECRET_KEY' */
  readonly secretAccessKeyKey?: string;
  /** Key of the region, for stores that need one. @default - no region */
  readonly regionKey?: string;
}

/**
 * How the backup sidecar authenticates to the object store. Credentials always come from a Secret
 * (created by a secrets binding, never in plain text here) or from the cloud's workload identity.
 * @see https://cloudnative-pg.io/plugin-barman-cloud/docs/object_stores/
 */
export class ObjectStoreCredentials {
  /** An access key pair in a Secret, for AWS S3 and S3-compatible stores. */
  public static s3(options: S3CredentialsOptions): ObjectStoreCredentials {
    const accessKeyIdKey = options.accessKeyIdKey ?? 'ACCESS_KEY_ID';
    const secretAccessKeyKey = options.secretAccessKeyKey ?? 'ACCESS_SECRET_KEY';
    const ref = (key: string) => ({ name: options.secretName, key });
    return new ObjectStoreCredentials('S3', 's3://', {
      s3Credentials: {
        accessKeyId: ref(accessKeyIdKey),
        secretAccessKey: ref(secretAccessKeyKey),
        region: options.regionKey !== undefined ? ref(options.regionKey) : undefined,
      },
    }, options.secretName, { accessKeyIdKey, secretAccessKeyKey, ...(options.regionKey !== undefined ? { regionKey: options.regionKey } : {}) });
  }

  /** The IAM role `roleArn`, assumed through EKS workload identity (IRSA) by the cluster's ServiceAccount. */
  public static awsIamRole(roleArn: string): ObjectStoreCredentials {
    return new ObjectStoreCredentials('S3', 's3://', { s3Credentials: { inheritFromIamRole: true } }, undefined, {}, roleArn);
  }

  /** A Google Cloud service-account key (JSON) under `key` in a Secret. */
  public static googleCloud(secretName: string, key = 'credentials.json'): ObjectStoreCredentials {
    return new ObjectStoreCredentials('Google Cloud Storage', 'gs://',
      { googleCredentials: { applicationCredentials: { name: secretName, key } } }, secretName, { key });
  }

  /** An Azure storage account name and key in a Secret. */
  public static azure(secretName: string, storageAccountKey = 'AZURE_STORAGE_ACCOUNT', storageKeyKey = 'AZURE_STORAGE_KEY'): ObjectStoreCredentials {
    return new ObjectStoreCredentials('Azure Blob Storage', 'https://', {
      azureCredentials: {
        storageAccount: { name: secretName, key: storageAccountKey },
        storageKey: { name: secretName, key: storageKeyKey },
      },
    }, secretName, { storageAccountKey, storageKeyKey });
  }

  private constructor(
    /** The storage service, for messages. */
    public readonly provider: string,
    /** How destination paths on this service start. */
    public readonly destinationScheme: string,
    /** The credentials part of the ObjectStore configuration. */
    public readonly configuration: Partial<ObjectStoreSpecConfiguration>,
    /** The Secret the credentials come from, when they come from one. */
    public readonly secretName: string | undefined,
    /** Keys read from the Secret, by the option that named them. */
    public readonly secretKeys: Readonly<Record<string, string>>,
    /** The IAM role assumed through workload identity, when one is. */
    public readonly roleArn?: string,
  ) {}

  /** Annotations the cluster's ServiceAccount needs for workload identity. */
  public get serviceAccountAnnotations(): Record<string, string> {
    return this.roleArn !== undefined ? { 'eks.amazonaws.com/role-arn': this.roleArn } : {};
  }
}

/** Where an object store is and how to reach it. */
export interface ObjectStoreLocation {
  /** Bucket and path: `s3://bucket/path`, `gs://bucket/path` or `https://<account>.blob.core.windows.net/<container>/path`. */
  readonly destinationPath: string;
  /** How the backup sidecar authenticates. */
  readonly credentials: ObjectStoreCredentials;
  /** Endpoint of an S3-compatible store (MinIO, Ceph, ...), over HTTPS. @default - the provider's public endpoint */
  readonly endpointUrl?: string;
  /**
   * Where the object store answers, for the NetworkPolicy of the database pods.
   * @default - any address outside the private ranges (10/8, 172.16/12, 192.168/16), as public cloud stores have no fixed addresses
   */
  readonly endpoint?: NetworkPeer;
  /** Port of the object store. @default 443 */
  readonly endpointPort?: number;
}

/** Options of {@link PostgresBackup.toObjectStore}. */
export interface ObjectStoreBackupOptions extends ObjectStoreLocation {
  /** How long base backups and the WAL needed to restore them are kept. @default Duration.days(30) */
  readonly retention?: Duration;
  /** When base backups are taken. @default BackupSchedule.daily(2, 0) */
  readonly schedule?: BackupSchedule;
  /** Age of the newest base backup above which the `PostgresBackupTooOld` alert fires. @default Duration.hours(26), a daily schedule with slack */
  readonly maxAge?: Duration;
  /**
   * Folder of this cluster's backups in the store. Give a recovered cluster a new one, so that it
   * never archives over the backups it came from.
   * @default - the cluster name
   */
  readonly serverName?: string;
}

/**
 * Continuous WAL archiving plus scheduled base backups, or an explicit decision to go without.
 * @see https://cloudnative-pg.io/plugin-barman-cloud/docs/usage/
 */
export class PostgresBackup {
  /** Archive the WAL continuously and take base backups on a schedule, through the Barman Cloud plugin. */
  public static toObjectStore(options: ObjectStoreBackupOptions): PostgresBackup {
    return new PostgresBackup(options, undefined);
  }

  /**
   * No backups, for `reason`, which is recorded on the Cluster (annotation `cdk8s-golden-path/backups-suppressed`)
   * and as the exception that the backup guardrails (`postgres-wal-archive`, `postgres-scheduled-backup`) accept.
   */
  public static none(options: { readonly reason: string }): PostgresBackup {
    return new PostgresBackup(undefined, options.reason);
  }

  private constructor(
    /** Where backups go, when they are taken. */
    public readonly objectStore: ObjectStoreBackupOptions | undefined,
    /** Why there are no backups, when there are none. */
    public readonly suppressionReason: string | undefined,
  ) {}
}

/** Options of {@link PostgresRecovery.fromObjectStore}. */
export interface ObjectStoreRecoveryOptions extends ObjectStoreLocation {
  /** Folder of the source cluster's backups in the store: its `serverName`, by default its cluster name. */
  readonly serverName: string;
  /** Recover up to this moment (point-in-time recovery). @default - the end of the archived WAL */
  readonly targetTime?: Date;
}

/**
 * Where a new cluster gets its data: recovery from another cluster's backups instead of an empty `initdb`.
 * @see https://cloudnative-pg.io/plugin-barman-cloud/docs/usage/#restoring-a-cluster
 */
export class PostgresRecovery {
  /** The newest base backup before `targetTime` in the object store, replayed with the archived WAL. */
  public static fromObjectStore(options: ObjectStoreRecoveryOptions): PostgresRecovery {
    return new PostgresRecovery(options);
  }

  private constructor(
    /** The object store and backup folder the data comes from. */
    public readonly source: ObjectStoreRecoveryOptions,
  ) {}
}

/** How PgBouncer hands server connections to clients. */
export enum PgBouncerPoolMode {
  /** A client keeps its server connection for the session: everything PostgreSQL offers works. */
  SESSION = 'session',
  /** A client holds a server connection for one transaction: more clients per connection, but no session state (SET, advisory locks, ...). */
  TRANSACTION = 'transaction',
}

/** A PgBouncer connection pooler in front of the primary. */
export interface PostgresPoolerOptions {
  /** PgBouncer pods; at least 2 in production (guardrail `postgres-pooler-ha`) so that a node drain never takes the pooler down. @default 2 */
  readonly instances?: number;
  /** How server connections are shared. @default PgBouncerPoolMode.SESSION */
  readonly poolMode?: PgBouncerPoolMode;
  /**
   * PgBouncer settings, e.g. `{ max_client_conn: '1000', default_pool_size: '20' }`.
   * @see https://cloudnative-pg.io/documentation/current/connection_pooling/#pgbouncer-configuration-options
   * @default - PgBouncer's defaults
   */
  readonly parameters?: Record<string, string>;
  /** Requests and limits of the PgBouncer container. @default - cpu 100m/500m, memory 64Mi/128Mi, ephemeral storage 64Mi/256Mi (request/limit) */
  readonly resources?: ContainerResources;
}

/** Prometheus scraping and alerting of the database. */
export interface PostgresMonitoringOptions {
  /** Whether a PodMonitor and a PrometheusRule are created. @default true */
  readonly enabled?: boolean;
  /** Who scrapes: the NetworkPolicy admits them to the metrics ports. @default NetworkPeer.namespace('monitoring') */
  readonly scraper?: NetworkPeer;
  /** Scrape interval. @default Duration.seconds(30) */
  readonly interval?: Duration;
  /** Replay lag of a standby above which `PostgresReplicationLagging` fires. @default Duration.seconds(30) */
  readonly maxReplicationLag?: Duration;
  /** Percentage of a data or WAL volume in use above which `PostgresStorageNearlyFull` fires. @default 80 */
  readonly storageUsagePercent?: number;
  /**
   * Base URL of the runbooks: every alert links to `<base>/<alert name in lowercase>`,
   * e.g. `https://runbooks.example.com/platform/postgresprimarymissing`.
   * @default - no runbook links
   */
  readonly runbookBaseUrl?: string;
}

/**
 * Where the Kubernetes API server answers, as a NetworkPolicy sees it: the `kubernetes` Service is
 * translated to its endpoints before policies apply, so the peer is the endpoints' addresses.
 */
export interface KubernetesApiEndpoint {
  /**
   * The API server endpoints, e.g. `NetworkPeer.ipBlock('10.0.0.0/16')` for the VPC subnets of a managed
   * control plane, or the control-plane nodes' CIDR on kubeadm (see `kubectl get endpoints kubernetes`).
   */
  readonly peer: NetworkPeer;
  /** Port the endpoints listen on: 443 on EKS, GKE and AKS, 6443 on kubeadm and kind. @default 443 */
  readonly port?: number;
}

/** Props of a {@link HaPostgres}. */
export interface HaPostgresProps {
  /**
   * Where the instances and poolers reach the Kubernetes API: their instance manager watches the
   * Cluster, reads Secrets and holds the primary Lease through it.
   */
  readonly kubernetesApi: KubernetesApiEndpoint;
  /** Storage of each instance. */
  readonly storage: PostgresStorage;
  /** Name of the Cluster and prefix of everything the operator creates for it. @default - the construct id in kebab-case */
  readonly name?: string;
  /** Namespace of every object. @default - the namespace of the chart */
  readonly namespace?: string;
  /** The application this is part of (`app.kubernetes.io/part-of`). @default - no part-of label */
  readonly partOf?: string;
  /** PostgreSQL instances: one primary and standbys. Production needs at least 3 (guardrail `postgres-ha`). @default 3 */
  readonly instances?: number;
  /**
   * How the standbys follow the primary.
   * @default - synchronous quorum commit to 1 standby with DataDurability.REQUIRED when there are standbys
   */
  readonly replication?: PostgresReplication;
  /**
   * WAL archiving and base backups, or `PostgresBackup.none({ reason })` to go without on purpose: the reason is
   * recorded on the Cluster and accepted by the backup guardrails, which fail a production synth otherwise.
   */
  readonly backup: PostgresBackup;
  /** Start from another cluster's backups instead of an empty database. @default - a new, empty database */
  readonly recovery?: PostgresRecovery;
  /** The application database, created at bootstrap. @default 'app' */
  readonly databaseName?: string;
  /** Owner of the application database; its credentials land in the operator-managed Secret `<name>-app`. @default - the database name */
  readonly owner?: string;
  /** PostgreSQL container image (operand), pinned. @default Image.pinned('ghcr.io/cloudnative-pg/postgresql', '18.4-minimal-trixie') */
  readonly image?: Image;
  /** Requests and limits of each instance. @default - cpu 500m/2, memory 1Gi/1Gi, ephemeral storage 256Mi/1Gi (request/limit) */
  readonly resources?: ContainerResources;
  /**
   * PostgreSQL settings, on top of the defaults: `shared_buffers` a quarter of the memory request,
   * `effective_cache_size` three quarters of the memory limit, `max_slot_wal_keep_size` half the WAL volume.
   * @default - the defaults alone
   */
  readonly parameters?: Record<string, string>;
  /** A PgBouncer pooler; connected apps then go through it. @default - apps connect to the primary directly */
  readonly pooler?: PostgresPoolerOptions;
  /** Prometheus scraping and alerts. @default - a PodMonitor and alerts, scraped from the `monitoring` namespace */
  readonly monitoring?: PostgresMonitoringOptions;
  /**
   * The CloudNativePG operator's pods: the NetworkPolicy admits them to the status and PostgreSQL ports.
   * @default NetworkPeer.podsInNamespaces({ 'app.kubernetes.io/name': 'cloudnative-pg' }, { 'kubernetes.io/metadata.name': 'cnpg-system' })
   */
  readonly operator?: NetworkPeer;
  /** Node pool the instances and poolers run on. @default - any node */
  readonly nodePool?: NodePool;
  /** How instances are spread over zones; hosts are always distinct (required anti-affinity). @default SpreadPolicy.PREFERRED */
  readonly zoneSpread?: SpreadPolicy;
}

const DEFAULT_IMAGE = Image.pinned('ghcr.io/cloudnative-pg/postgresql', '18.4-minimal-trixie');
const DEFAULT_RESOURCES: ContainerResources = {
  cpu: { request: Cpu.millis(500), limit: Cpu.units(2) },
  memory: { request: Size.gibibytes(1), limit: Size.gibibytes(1) },
  ephemeralStorage: { request: Size.mebibytes(256), limit: Size.gibibytes(1) },
};
const DEFAULT_POOLER_RESOURCES: ContainerResources = {
  cpu: { request: Cpu.millis(100), limit: Cpu.millis(500) },
  memory: { request: Size.mebibytes(64), limit: Size.mebibytes(128) },
  ephemeralStorage: { request: Size.mebibytes(64), limit: Size.mebibytes(256) },
};
/** The backup sidecar compresses and uploads; it needs little CPU but room for barman-cloud's buffers. */
const SIDECAR_RESOURCES: ContainerResources = {
  cpu: { request: Cpu.millis(100), limit: Cpu.units(1) },
  memory: { request: Size.mebibytes(128), limit: Size.mebibytes(512) },
  ephemeralStorage: { request: Size.mebibytes(64), limit: Size.mebibytes(512) },
};
const MIN_DATA_SIZE = Size.gibibytes(1);
const MIN_WAL_SIZE = Size.gibibytes(2);
const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];

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

const ACCEPTED_SSL_MODES = [PostgresSslMode.REQUIRE, PostgresSslMode.VERIFY_CA, PostgresSslMode.VERIFY_FULL];

/**
 * PostgreSQL that survives a node loss and loses no committed data: a CloudNativePG `Cluster` with
 * synchronous standbys on distinct hosts, a separate WAL volume, TLS only, no superuser access,
 * continuous WAL archiving and scheduled base backups through the Barman Cloud plugin, an optional
 * PgBouncer pooler, a PodMonitor and alerts, and NetworkPolicies that open exactly the paths the
 * operator, the instances, the scraper and the connected apps use.
 *
 * `app.connectTo(db)` gives the app libpq settings (`PGHOST`, `PGUSER`, ..., `PGSSLMODE=verify-full`
 * with the cluster CA), the password of the operator's Secret as a read-only file, and the network
 * path to the database.
 *
 * @see https://cloudnative-pg.io/documentation/current/
 */
export class HaPostgres extends Construct implements IPostgresDatabase {
  /** Name of the Cluster. */
  public readonly name: string;
  /** Namespace of every object. */
  public readonly namespace: string;
  /** PostgreSQL instances. */
  public readonly instances: number;
  /** Host apps connect to: the pooler's Service, or the read-write Service of the primary. */
  public readonly host: string;
  /** Port apps connect to. */
  public readonly port: number = POSTGRES_PORT;
  /** Name of the application database. */
  public readonly databaseName: string;
  /** Owner of the application database. */
  public readonly owner: string;
  /** The operator-managed Secret with the owner's credentials (`username`, `password`, `dbname`, `uri`, ...). */
  public readonly credentialsSecretName: string;
  /** The operator-managed Secret whose `ca.crt` signed the server certificate. */
  public readonly caSecretName: string;
  /** TLS mode apps connect with: the host name is checked against the cluster CA's certificate. */
  public readonly sslMode: PostgresSslMode = PostgresSslMode.VERIFY_FULL;
  /** The instance pods as a NetworkPolicy peer. */
  public readonly peer: NetworkPeer;
  /** The Cluster. */
  public readonly cluster: Cluster;
  /** The NetworkPolicy of the instance pods (and of the operator's jobs for them). */
  public readonly networkPolicy: NetworkPolicyRules;
  /** The ObjectStore backups go to, when backups are on. */
  public readonly objectStore?: ObjectStore;
  /** The ScheduledBackup, when backups are on. */
  public readonly scheduledBackup?: ScheduledBackup;
  /** The ObjectStore recovery reads from, when recovering. */
  public readonly recoveryObjectStore?: ObjectStore;
  /** The Pooler, when one is declared. */
  public readonly pooler?: Pooler;
  /** The NetworkPolicy of the PgBouncer pods, when a pooler is declared. */
  public readonly poolerNetworkPolicy?: NetworkPolicyRules;
  /** The PodMonitor of the instances, when monitoring is on. */
  public readonly podMonitor?: PodMonitor;
  /** The alerts, when monitoring is on. */
  public readonly alerts?: PrometheusRule;

  private readonly poolerPeer?: NetworkPeer;

  public constructor(scope: Construct, id: string, props: HaPostgresProps) {
    super(scope, id);

    this.name = props.name ?? nameFromId(id);
    this.namespace = resolveNamespace(this, 'HaPostgres', props.namespace);
    this.instances = props.instances ?? 3;
    this.databaseName = props.databaseName ?? 'app';
    this.owner = props.owner ?? this.databaseName;
    this.credentialsSecretName = `${this.name}-app`;
    this.caSecretName = `${this.name}-ca`;
    const replication = props.replication ?? (this.instances > 1 ? PostgresReplication.synchronous() : PostgresReplication.asynchronous());
    const backup = props.backup;
    const archive = backup?.objectStore;
    const recovery = props.recovery?.source;
    const image = props.image ?? DEFAULT_IMAGE;
    const resources = props.resources ?? DEFAULT_RESOURCES;
    const walSize = props.storage.walSize ?? largest(MIN_WAL_SIZE, Size.kibibytes(Math.ceil(kib(props.storage.size) / 4)));
    const monitoring = props.monitoring ?? {};
    const monitoringEnabled = monitoring.enabled ?? true;
    const scraper = monitoring.scraper ?? NetworkPeer.namespace('monitoring');
    const scrapeInterval = `${(monitoring.interval ?? Duration.seconds(30)).toSeconds()}s`;
    const apiPort = props.kubernetesApi.port ?? 443;
    const poolerName = `${this.name}-pooler`;
    const poolerInstances = props.pooler?.instances ?? 2;

    checkDnsLabel(this, 'name', this.name, 50);
    if (props.partOf !== undefined) {
      checkLabels(this, 'partOf', { 'app.kubernetes.io/part-of': props.partOf });
    }
    const imageProblem = image.problem();
    check(imageProblem === undefined, this, 'image', image.reference, imageProblem ?? '');
    checkInteger(this, 'instances', this.instances, 1);
    this.checkReplication(replication);
    check(kib(props.storage.size) >= kib(MIN_DATA_SIZE), this, 'storage.size', sizeQuantity(props.storage.size), 'must be at least 1Gi');
    check(kib(walSize) >= kib(MIN_WAL_SIZE), this, 'storage.walSize', sizeQuantity(walSize),
      'must be at least 2Gi: the WAL volume holds max_wal_size (1GB) between checkpoints plus the WAL kept for standbys');
    if (props.storage.storageClassName !== undefined) {
      checkDnsSubdomain(this, 'storage.storageClassName', props.storage.storageClassName);
    }
    checkResources(this, 'resources', resources);
    checkIdentifier(this, 'databaseName', this.databaseName);
    checkIdentifier(this, 'owner', this.owner);
    check(!RESERVED_ROLES.has(this.owner), this, 'owner', this.owner,
      `must not be one of the roles the operator manages (${[...RESERVED_ROLES].join(', ')})`);
    for (const key of Object.keys(props.parameters ?? {})) {
      check(PARAMETER_NAME.test(key), this, `parameters.${key}`, key, 'must be a PostgreSQL setting name: lowercase letters, digits and \'_\', with an optional \'.\' prefix');
    }
    checkPort(this, 'kubernetesApi.port', apiPort);
    check(backup !== undefined, this, 'backup', undefined,
      'is required: WAL archiving and base backups are what recovers data after a lost volume or a bad migration; '
      + 'declare PostgresBackup.none({ reason }) to go without on purpose');
    if (backup.suppressionReason !== undefined) {
      check(backup.suppressionReason.trim() !== '', this, 'backup.reason', backup.suppressionReason,
        'must explain why the database runs without backups: the reason is recorded on the Cluster');
    }
    if (archive) {
      this.checkObjectStore('backup', archive);
      this.checkBackupPolicy(archive);
    }
    if (recovery) {
      this.checkObjectStore('recovery', recovery);
      check(BARMAN_SERVER_NAME.test(recovery.serverName), this, 'recovery.serverName', recovery.serverName,
        'must be the folder name of the source cluster\'s backups: letters, digits, \'-\', \'_\' and \'.\'');
      if (recovery.targetTime !== undefined) {
        check(!Number.isNaN(recovery.targetTime.getTime()), this, 'recovery.targetTime', String(recovery.targetTime), 'must be a valid date');
      }
      if (archive && archive.destinationPath === recovery.destinationPath) {
        check((archive.serverName ?? this.name) !== recovery.serverName, this, 'backup.serverName', archive.serverName ?? this.name,
          `must differ from 'recovery.serverName' when both use ${archive.destinationPath}: a recovered cluster must not archive over the backups it was restored from`);
      }
    }
    if (props.pooler) {
      checkInteger(this, 'pooler.instances', poolerInstances, 1);
      checkResources(this, 'pooler.resources', props.pooler.resources ?? DEFAULT_POOLER_RESOURCES);
    }
    if (monitoring.storageUsagePercent !== undefined) {
      checkInteger(this, 'monitoring.storageUsagePercent', monitoring.storageUsagePercent, 1, 99);
    }
    if (monitoring.runbookBaseUrl !== undefined) {
      checkRunbookBaseUrl(this, 'monitoring.runbookBaseUrl', monitoring.runbookBaseUrl);
    }

    const labels = recommendedLabels({ name: this.name, instance: this.name, version: image.tag, component: 'database', partOf: props.partOf });
    const metadata = { name: this.name, namespace: this.namespace, labels };
    const instanceLabels = { [CLUSTER_LABEL]: this.name, [POD_ROLE_LABEL]: 'instance' };
    this.peer = NetworkPeer.pods(instanceLabels, this.namespace);
    this.host = `${props.pooler ? poolerName : `${this.name}-rw`}.${this.namespace}.svc`;

    if (archive) {
      this.objectStore = this.newObjectStore('ObjectStore', { ...metadata, name: this.name }, archive, retentionDays(archive.retention ?? Duration.days(30)));
    }
    if (recovery) {
      this.recoveryObjectStore = this.newObjectStore('RecoveryObjectStore', { ...metadata, name: `${this.name}-recovery` }, recovery, undefined);
    }
    const serviceAccountAnnotations = {
      ...archive?.credentials.serviceAccountAnnotations,
      ...recovery?.credentials.serviceAccountAnnotations,
    };

    const spec: ClusterSpec = {
      instances: this.instances,
      imageName: image.reference,
      enableSuperuserAccess: false,
      // With one instance, a PodDisruptionBudget on the primary would block every node drain.
      enablePdb: this.instances > 1,
      primaryUpdateStrategy: ClusterSpecPrimaryUpdateStrategy.UNSUPERVISED,
      primaryUpdateMethod: this.instances > 1 ? ClusterSpecPrimaryUpdateMethod.SWITCHOVER : ClusterSpecPrimaryUpdateMethod.RESTART,
      bootstrap: recovery
        ? {
          recovery: {
            source: 'origin',
            database: this.databaseName,
            owner: this.owner,
            recoveryTarget: recovery.targetTime ? { targetTime: recovery.targetTime.toISOString() } : undefined,
          },
        }
        : { initdb: { database: this.databaseName, owner: this.owner, dataChecksums: true } },
      externalClusters: recovery && this.recoveryObjectStore
        ? [{ name: 'origin', plugin: { name: BARMAN_CLOUD_PLUGIN, parameters: { barmanObjectName: this.recoveryObjectStore.name, serverName: recovery.serverName } } }]
        : undefined,
      plugins: archive && this.objectStore
        ? [{
          name: BARMAN_CLOUD_PLUGIN,
          isWalArchiver: true,
          parameters: { barmanObjectName: this.objectStore.name, ...(archive.serverName ? { serverName: archive.serverName } : {}) },
        }]
        : undefined,
      storage: { size: sizeQuantity(props.storage.size), storageClass: props.storage.storageClassName },
      walStorage: { size: sizeQuantity(walSize), storageClass: props.storage.storageClassName },
      resources: crdResources(resources, ClusterSpecResourcesRequests.fromString, ClusterSpecResourcesLimits.fromString),
      postgresql: {
        parameters: { ...defaultParameters(resources, walSize), ...props.parameters },
        // Client connections without TLS are refused; the operator and metrics use the local socket.
        pgHba: ['hostnossl all all all reject'],
        synchronous: renderSynchronous(replication),
      },
      affinity: {
        enablePodAntiAffinity: true,
        podAntiAffinityType: 'required',
        topologyKey: 'kubernetes.io/hostname',
        nodeSelector: props.nodePool?.nodeSelector,
        tolerations: props.nodePool && props.nodePool.tolerations.length > 0 ? props.nodePool.tolerations : undefined,
      },
      topologySpreadConstraints: [{
        maxSkew: 1,
        topologyKey: 'topology.kubernetes.io/zone',
        whenUnsatisfiable: (props.zoneSpread ?? SpreadPolicy.PREFERRED) === SpreadPolicy.REQUIRED ? 'DoNotSchedule' : 'ScheduleAnyway',
        labelSelector: { matchLabels: instanceLabels },
      }],
      certificates: props.pooler ? { serverAltDnsNames: serviceNames(poolerName, this.namespace) } : undefined,
      serviceAccountTemplate: Object.keys(serviceAccountAnnotations).length > 0 ? { metadata: { annotations: serviceAccountAnnotations } } : undefined,
    };
    this.cluster = new Cluster(this, 'Resource', {
      metadata: {
        ...metadata,
        annotations: backup.suppressionReason !== undefined ? { [BACKUPS_SUPPRESSED_ANNOTATION]: backup.suppressionReason } : undefined,
      },
      spec,
    });
    if (backup.suppressionReason !== undefined) {
      for (const ruleId of BACKUP_RULE_IDS) {
        recordException(this.cluster, ruleId, backup.suppressionReason);
      }
    }

    if (archive && this.objectStore) {
      this.scheduledBackup = new ScheduledBackup(this, 'ScheduledBackup', {
        metadata,
        spec: {
          cluster: { name: this.name },
          schedule: (archive.schedule ?? BackupSchedule.daily()).expression,
          method: ScheduledBackupSpecMethod.PLUGIN,
          pluginConfiguration: { name: BARMAN_CLOUD_PLUGIN },
          immediate: true,
          target: ScheduledBackupSpecTarget.PREFER_HYPHEN_STANDBY,
          backupOwnerReference: ScheduledBackupSpecBackupOwnerReference.SELF,
        },
      });
    }

    // Instances and the operator's jobs for them (initdb, join, recovery) share the cluster label with the
    // cluster's PgBouncer pods, which have a policy of their own.
    this.networkPolicy = new NetworkPolicyRules(this, 'NetworkPolicy', {
      name: this.name,
      namespace: this.namespace,
      labels,
      podSelector: { [CLUSTER_LABEL]: this.name },
      podSelectorExpressions: [{ key: POD_ROLE_LABEL, operator: 'NotIn', values: ['pooler'] }],
    });
    const clusterPods = NetworkPeer.pods({ [CLUSTER_LABEL]: this.name }, this.namespace);
    this.networkPolicy.allowIngress(clusterPods, [{ port: POSTGRES_PORT }]);
    this.networkPolicy.allowIngress(this.peer, [{ port: STATUS_PORT }]);
    this.networkPolicy.allowIngress(props.operator ?? NetworkPeer.podsInNamespaces(
      { 'app.kubernetes.io/name': 'cloudnative-pg' }, { [NAMESPACE_NAME_LABEL]: 'cnpg-system' }), [{ port: STATUS_PORT }, { port: POSTGRES_PORT }]);
    this.networkPolicy.allowEgress(this.peer, [{ port: POSTGRES_PORT }, { port: STATUS_PORT }]);
    this.networkPolicy.allowEgress(NetworkPeer.clusterDns(), DNS_PORTS);
    this.networkPolicy.allowEgress(props.kubernetesApi.peer, [{ port: apiPort }]);
    for (const location of [archive, recovery]) {
      if (location) {
        this.networkPolicy.allowEgress(location.endpoint ?? NetworkPeer.ipBlock('0.0.0.0/0', PRIVATE_RANGES), [{ port: location.endpointPort ?? 443 }]);
      }
    }

    if (props.pooler) {
      const poolerLabels = { [POOLER_NAME_LABEL]: poolerName };
      this.poolerPeer = NetworkPeer.pods(poolerLabels, this.namespace);
      const poolerResources = props.pooler.resources ?? DEFAULT_POOLER_RESOURCES;
      const poolerMetadata = { ...metadata, name: poolerName, labels: { ...labels, 'app.kubernetes.io/component': 'pooler' } };
      const hostTerm = { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: poolerLabels } };
      this.pooler = new Pooler(this, 'Pooler', {
        metadata: poolerMetadata,
        spec: {
          cluster: { name: this.name },
          instances: poolerInstances,
          type: PoolerSpecType.RW,
          pgbouncer: {
            poolMode: props.pooler.poolMode === PgBouncerPoolMode.TRANSACTION ? PoolerSpecPgbouncerPoolMode.TRANSACTION : PoolerSpecPgbouncerPoolMode.SESSION,
            parameters: props.pooler.parameters,
          },
          template: {
            metadata: { labels: poolerLabels },
            spec: {
              // The operator fills in the rest of its pgbouncer container; only the resources are ours.
              containers: [{
                name: 'pgbouncer',
                resources: crdResources(poolerResources, PoolerSpecTemplateSpecContainersResourcesRequests.fromString,
                  PoolerSpecTemplateSpecContainersResourcesLimits.fromString),
              }],
              nodeSelector: props.nodePool?.nodeSelector,
              tolerations: props.nodePool && props.nodePool.tolerations.length > 0 ? props.nodePool.tolerations : undefined,
              affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: hostTerm }] } },
              topologySpreadConstraints: [{
                maxSkew: 1,
                topologyKey: 'topology.kubernetes.io/zone',
                whenUnsatisfiable: 'ScheduleAnyway',
                labelSelector: { matchLabels: poolerLabels },
              }],
            },
          },
        },
      });
      if (poolerInstances > 1) {
        new k8s.KubePodDisruptionBudget(this, 'PoolerDisruptionBudget', {
          metadata: poolerMetadata,
          spec: {
            maxUnavailable: k8s.IntOrString.fromNumber(1),
            selector: { matchLabels: poolerLabels },
            unhealthyPodEvictionPolicy: 'AlwaysAllow',
          },
        });
      }
      this.poolerNetworkPolicy = new NetworkPolicyRules(this, 'PoolerNetworkPolicy', {
        name: poolerName,
        namespace: this.namespace,
        labels: poolerMetadata.labels,
        podSelector: poolerLabels,
      });
      // The cluster's ingress rule for its own pods on 5432 already admits the pooler, which carries the cluster label.
      this.poolerNetworkPolicy.allowEgress(this.peer, [{ port: POSTGRES_PORT }]);
      this.poolerNetworkPolicy.allowEgress(NetworkPeer.clusterDns(), DNS_PORTS);
      this.poolerNetworkPolicy.allowEgress(props.kubernetesApi.peer, [{ port: apiPort }]);
      if (monitoringEnabled) {
        new PodMonitor(this, 'PoolerPodMonitor', { metadata: poolerMetadata, spec: podMonitorSpec(poolerLabels, this.namespace, scrapeInterval) });
        this.poolerNetworkPolicy.allowIngress(scraper, [{ port: POOLER_METRICS_PORT }]);
      }
    }

    if (monitoringEnabled) {
      this.podMonitor = new PodMonitor(this, 'PodMonitor', { metadata, spec: podMonitorSpec(instanceLabels, this.namespace, scrapeInterval) });
      this.networkPolicy.allowIngress(scraper, [{ port: METRICS_PORT }]);
      this.alerts = new PrometheusRule(this, 'Alerts', {
        metadata,
        spec: {
          groups: [{
            name: `${this.namespace}.${this.name}.postgres`,
            rules: renderAlerts(alertRules({
              cluster: this.name,
              namespace: this.namespace,
              instances: this.instances,
              replication,
              backupMaxAge: archive ? archive.maxAge ?? Duration.hours(26) : undefined,
              maxReplicationLag: monitoring.maxReplicationLag ?? Duration.seconds(30),
              storageUsagePercent: monitoring.storageUsagePercent ?? 80,
            }), monitoring.runbookBaseUrl, { cnpg_cluster: this.name }),
          }],
        },
      });
    }
  }

  /**
   * Gives `workload` its connection and opens exactly its path: its pods to the pooler (and the pooler to the
   * instances), or its pods to the instances, on 5432. The workload gets libpq settings: `PGHOST`, `PGPORT`,
   * `PGDATABASE`, `PGUSER` (the owner), and `PGSSLMODE=verify-full` with `PGSSLROOTCERT`, the cluster CA's
   * certificate mounted from `<name>-ca` (the key stays out of the pod). The `username` and `password`
   * of the operator's Secret `<name>-app` are mounted as read-only files under
   * `/var/run/secrets/postgres/<name>/`, and `PGPASSWORD_FILE` names the password file: the app reads
   * it and passes the password when it connects (libpq does not read `PGPASSWORD_FILE` itself).
   */
  public grantConnection(workload: IWorkload): void {
    check(workload.namespace === this.namespace, workload, 'connectTo', this.node.path,
      `must be in the database's namespace '${this.namespace}': the credentials Secret the operator writes is namespaced`);
    if (this.poolerNetworkPolicy && this.poolerPeer) {
      this.poolerNetworkPolicy.allowIngress(workload.peer, [{ port: POSTGRES_PORT }]);
      workload.allowTo(this.poolerPeer, [{ port: POSTGRES_PORT }]);
    } else {
      this.networkPolicy.allowIngress(workload.peer, [{ port: POSTGRES_PORT }]);
      workload.allowTo(this.peer, [{ port: POSTGRES_PORT }]);
    }
    bindConnection(workload, {
      name: this.name,
      host: this.host,
      port: this.port,
      database: this.databaseName,
      // The operator creates the owner under this name: it is known at synth and is no secret.
      user: this.owner,
      credentials: { secretName: this.credentialsSecretName, usernameKey: 'username', passwordKey: 'password' },
      sslMode: this.sslMode,
      rootCertificate: PostgresRootCertificate.fromSecret(this.caSecretName, 'ca.crt'),
    });
  }

  private checkReplication(replication: PostgresReplication): void {
    if (!replication.isSynchronous) {
      return;
    }
    checkInteger(this, 'replication.standbys', replication.standbys, 1);
    check(replication.standbys < this.instances, this, 'replication.standbys', replication.standbys,
      `must be less than 'instances' (${this.instances}): commits wait for that many standbys besides the primary`);
  }

  private checkObjectStore(prop: string, location: ObjectStoreLocation): void {
    const credentials = location.credentials;
    check(location.destinationPath.startsWith(credentials.destinationScheme) && location.destinationPath.length > credentials.destinationScheme.length,
      this, `${prop}.destinationPath`, location.destinationPath, `must start with ${credentials.destinationScheme} for ${credentials.provider} credentials`);
    if (location.endpointUrl !== undefined) {
      check(/^https:\/\/[^\s/]+/.test(location.endpointUrl), this, `${prop}.endpointUrl`, location.endpointUrl,
        'must be an https:// URL: backups carry every row of the database');
    }
    if (credentials.secretName !== undefined) {
      checkDnsSubdomain(this, `${prop}.credentials.secretName`, credentials.secretName);
    }
    for (const [option, key] of Object.entries(credentials.secretKeys)) {
      check(SECRET_KEY.test(key), this, `${prop}.credentials.${option}`, key, 'must be a Secret key: letters, digits, \'-\', \'_\' and \'.\'');
    }
    if (credentials.roleArn !== undefined) {
      check(IAM_ROLE_ARN.test(credentials.roleArn), this, `${prop}.credentials.roleArn`, credentials.roleArn,
        'must be an IAM role ARN: arn:aws:iam::<account id>:role/<name>');
    }
    if (location.endpointPort !== undefined) {
      checkPort(this, `${prop}.endpointPort`, location.endpointPort);
    }
  }

  private checkBackupPolicy(archive: ObjectStoreBackupOptions): void {
    const retention = archive.retention ?? Duration.days(30);
    const days = retention.toSeconds() / 86400;
    check(Number.isInteger(days) && days >= 1, this, 'backup.retention', `${retention.toSeconds()}s`,
      'must be a whole number of days, at least 1: the plugin keeps backups by days, weeks or months');
    const schedule = archive.schedule ?? BackupSchedule.daily();
    const scheduleProblem = schedule.problem();
    check(scheduleProblem === undefined, this, 'backup.schedule', schedule.expression, scheduleProblem ?? '');
    if (archive.maxAge !== undefined) {
      check(archive.maxAge.toSeconds() >= 3600, this, 'backup.maxAge', `${archive.maxAge.toSeconds()}s`, 'must be at least one hour');
    }
    if (archive.serverName !== undefined) {
      check(BARMAN_SERVER_NAME.test(archive.serverName), this, 'backup.serverName', archive.serverName,
        'must be a folder name: letters, digits, \'-\', \'_\' and \'.\'');
    }
  }

  private newObjectStore(id: string, metadata: { name: string; namespace: string; labels: Record<string, string> }, location: ObjectStoreLocation,
    retention: string | undefined): ObjectStore {
    return new ObjectStore(this, id, {
      metadata,
      spec: {
        retentionPolicy: retention,
        configuration: {
          ...location.credentials.configuration,
          destinationPath: location.destinationPath,
          endpointUrl: location.endpointUrl,
          wal: { compression: ObjectStoreSpecConfigurationWalCompression.GZIP, maxParallel: 2 },
          data: { compression: ObjectStoreSpecConfigurationDataCompression.GZIP, jobs: 2 },
        },
        instanceSidecarConfiguration: {
          resources: crdResources(SIDECAR_RESOURCES, ObjectStoreSpecInstanceSidecarConfigurationResourcesRequests.fromString,
            ObjectStoreSpecInstanceSidecarConfigurationResourcesLimits.fromString),
        },
      },
    });
  }
}

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

/** Where an {@link ExternalPostgres} keeps the application credentials. */
export interface ExternalPostgresCredentials {
  /** The Secret, in the namespace of the apps that connect, holding the credentials (e.g. written by a secrets binding). */
  readonly secretName: string;
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
  /** Where the database answers, for the apps' NetworkPolicy, e.g. `NetworkPeer.ipBlock('10.0.32.0/20')` for its subnets. */
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
    this.props = props;
    this.name = props.name ?? nameFromId(id);
    this.host = props.host;
    this.port = props.port ?? POSTGRES_PORT;
    this.databaseName = props.databaseName;
    this.credentialsSecretName = props.credentials.secretName;
    this.sslMode = props.sslMode ?? PostgresSslMode.VERIFY_FULL;

    checkDnsLabel(this, 'name', this.name, 50);
    check(isHost(this.host), this, 'host', this.host, 'must be a DNS name or an IPv4 address');
    checkPort(this, 'port', this.port);
    check(this.databaseName.length > 0 && this.databaseName.length <= 63 && !/[\s"]/.test(this.databaseName), this, 'databaseName', this.databaseName,
      'must be a database name of 1 to 63 characters without spaces or quotes');
    check(ACCEPTED_SSL_MODES.includes(this.sslMode), this, 'sslMode', this.sslMode,
      `must be one of ${ACCEPTED_SSL_MODES.join(', ')}: a managed database is reached over networks the platform does not control`);
    check(this.sslMode === PostgresSslMode.REQUIRE || props.rootCertificate !== undefined, this, 'rootCertificate', undefined,
      `is required with sslMode '${this.sslMode}': the client checks the server certificate against it`);
    checkDnsSubdomain(this, 'credentials.secretName', props.credentials.secretName);
    for (const [prop, key] of [['usernameKey', props.credentials.usernameKey], ['passwordKey', props.credentials.passwordKey]] as const) {
      if (key !== undefined) {
        check(SECRET_KEY.test(key), this, `credentials.${prop}`, key, 'must be a Secret key: letters, digits, \'-\', \'_\' and \'.\'');
      }
    }
    if (props.rootCertificate) {
      checkDnsSubdomain(this, 'rootCertificate.name', props.rootCertificate.name);
      check(SECRET_KEY.test(props.rootCertificate.key), this, 'rootCertificate.key', props.rootCertificate.key,
        'must be a key: letters, digits, \'-\', \'_\' and \'.\'');
    }
  }

  /** Gives `workload` its connection and opens the egress path from its pods to the database, and nothing else. */
  public grantConnection(workload: IWorkload): void {
    workload.allowTo(this.props.endpoint, [{ port: this.port }]);
    bindConnection(workload, {
      name: this.name,
      host: this.host,
      port: this.port,
      database: this.databaseName,
      credentials: {
        secretName: this.credentialsSecretName,
        usernameKey: this.props.credentials.usernameKey ?? 'username',
        passwordKey: this.props.credentials.passwordKey ?? 'password',
      },
      sslMode: this.sslMode,
      rootCertificate: this.props.rootCertificate,
    });
  }
}

interface Connection {
  /** Name of the database, which names its volumes and its credentials folder. */
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly database: string;
  /** The user, when it is known at synth; otherwise the app reads it from the credentials folder. */
  readonly user?: string;
  readonly credentials: { readonly secretName: string; readonly usernameKey: string; readonly passwordKey: string };
  readonly sslMode: PostgresSslMode;
  readonly rootCertificate?: PostgresRootCertificate;
}

/**
 * The libpq environment every PostgreSQL driver reads, so that apps need no connection string, and
 * the credentials as read-only files, never as environment variables (which leak into crash dumps,
 * child processes and `/proc/<pid>/environ`).
 *
 * The user name and password are mounted as `username` and `password` under
 * `/var/run/secrets/postgres/<name>/`, and `PGPASSWORD_FILE` (and `PGUSER_FILE` when the user is not
 * known at synth) points at them. libpq does not read these variables: the app reads the file and
 * passes the password when it connects, at each new connection so that a rotated password is
 * picked up. libpq's own `PGPASSFILE` cannot be used: the kubelet gives Secret volume files to the
 * pod's fsGroup with group read, and libpq ignores a password file that the group can read.
 */
function bindConnection(workload: IWorkload, connection: Connection): void {
  const credentialsPath = `${CREDENTIALS_MOUNT_ROOT}/${connection.name}`;
  const { secretName, usernameKey, passwordKey } = connection.credentials;
  workload.addEnv('PGHOST', EnvValue.literal(connection.host));
  workload.addEnv('PGPORT', EnvValue.literal(String(connection.port)));
  workload.addEnv('PGDATABASE', EnvValue.literal(connection.database));
  if (connection.user !== undefined) {
    workload.addEnv('PGUSER', EnvValue.literal(connection.user));
  } else {
    workload.addEnv('PGUSER_FILE', EnvValue.literal(`${credentialsPath}/username`));
  }
  workload.addEnv('PGPASSWORD_FILE', EnvValue.literal(`${credentialsPath}/password`));
  workload.addEnv('PGSSLMODE', EnvValue.literal(connection.sslMode));
  workload.addVolume({
    name: `${connection.name}-credentials`,
    mountPath: credentialsPath,
    readOnly: true,
    source: {
      secret: {
        secretName,
        defaultMode: CREDENTIALS_FILE_MODE,
        items: [{ key: usernameKey, path: 'username' }, { key: passwordKey, path: 'password' }],
      },
    },
  });
  if (connection.rootCertificate) {
    const volumeName = `${connection.name}-ca`;
    const mountPath = `${CA_MOUNT_ROOT}/${volumeName}`;
    workload.addVolume({ name: volumeName, mountPath, source: connection.rootCertificate.volumeSource() });
    workload.addEnv('PGSSLROOTCERT', EnvValue.literal(`${mountPath}/ca.crt`));
  }
}

interface AlertContext {
  readonly cluster: string;
  readonly namespace: string;
  readonly instances: number;
  readonly replication: PostgresReplication;
  readonly backupMaxAge?: Duration;
  readonly maxReplicationLag: Duration;
  readonly storageUsagePercent: number;
}

/**
 * Alerts on the metrics CloudNativePG's exporter, the Barman Cloud plugin and the kubelet expose.
 * Instance series are selected by pod name (`<cluster>-<serial>`), volumes by PVC name (`<cluster>-<serial>[-wal]`).
 */
function alertRules(ctx: AlertContext): Alert[] {
  const pods = `namespace="${ctx.namespace}", pod=~"${ctx.cluster}-[0-9]+"`;
  const volumes = `namespace="${ctx.namespace}", persistentvolumeclaim=~"${ctx.cluster}-[0-9]+(-wal)?"`;
  const where = `${ctx.namespace}/${ctx.cluster}`;
  const alerts: Alert[] = [
    {
      name: 'PostgresInstanceDown',
      expr: `(count(cnpg_collector_up{${pods}} == 1) or vector(0)) < ${ctx.instances}`,
      for: Duration.minutes(5),
      severity: ctx.instances > 1 ? AlertSeverity.WARNING : AlertSeverity.CRITICAL,
      summary: `PostgreSQL ${where}: an instance is down`,
      description: `Only {{ $value }} of ${ctx.instances} instances of ${where} report PostgreSQL up; the cluster has less redundancy than declared.`,
    },
    {
      name: 'PostgresPrimaryMissing',
      expr: `(count(cnpg_pg_replication_in_recovery{${pods}} == 0) or vector(0)) == 0`,
      for: Duration.minutes(2),
      severity: AlertSeverity.CRITICAL,
      summary: `PostgreSQL ${where} has no primary`,
      description: `No instance of ${where} accepts writes: the database is down for the apps, or a failover is stuck.`,
    },
    {
      name: 'PostgresStorageNearlyFull',
      expr: `max by (persistentvolumeclaim) (kubelet_volume_stats_used_bytes{${volumes}}`
        + ` / kubelet_volume_stats_capacity_bytes{${volumes}}) * 100 > ${ctx.storageUsagePercent}`,
      for: Duration.minutes(10),
      severity: AlertSeverity.WARNING,
      summary: `PostgreSQL ${where}: volume {{ $labels.persistentvolumeclaim }} is nearly full`,
      description: `Volume {{ $labels.persistentvolumeclaim }} is {{ $value | humanize }}% full (threshold ${ctx.storageUsagePercent}%). `
        + 'PostgreSQL stops when the data or WAL volume is full; grow the volume (storage.size / storage.walSize).',
    },
  ];
  if (ctx.instances > 1) {
    alerts.push({
      name: 'PostgresReplicationLagging',
      expr: `max by (pod) (cnpg_pg_replication_lag{${pods}}) > ${ctx.maxReplicationLag.toSeconds()}`,
      for: Duration.minutes(5),
      severity: AlertSeverity.WARNING,
      summary: `PostgreSQL ${where}: standby {{ $labels.pod }} is lagging`,
      description: `Standby {{ $labels.pod }} replays the WAL {{ $value }}s behind the primary (threshold ${ctx.maxReplicationLag.toSeconds()}s); `
        + 'a failover to it would take longer.',
    });
  }
  if (ctx.replication.isSynchronous) {
    const blocking = ctx.replication.durability === DataDurability.REQUIRED;
    alerts.push({
      name: 'PostgresSynchronousStandbysMissing',
      expr: `max(cnpg_collector_sync_replicas{${pods}, value="observed"}) < max(cnpg_collector_sync_replicas{${pods}, value="expected"})`,
      for: Duration.minutes(5),
      severity: blocking ? AlertSeverity.CRITICAL : AlertSeverity.WARNING,
      summary: `PostgreSQL ${where}: fewer synchronous standbys than required`,
      description: `Fewer than ${ctx.replication.standbys} synchronous standbys are streaming: commits on ${where} `
        + (blocking ? 'wait, and writes stop until a standby returns.' : 'are not replicated until a standby returns.'),
    });
  }
  if (ctx.backupMaxAge) {
    alerts.push({
      name: 'PostgresWalArchivingFailing',
      expr: `max(cnpg_pg_stat_archiver_last_failed_time{${pods}} - cnpg_pg_stat_archiver_last_archived_time{${pods}}) > 0`,
      for: Duration.minutes(5),
      severity: AlertSeverity.CRITICAL,
      summary: `PostgreSQL ${where}: WAL archiving is failing`,
      description: `The primary of ${where} fails to archive WAL to the object store: `
        + 'point-in-time recovery has a gap and pg_wal grows until the WAL volume is full.',
    }, {
      name: 'PostgresBackupTooOld',
      expr: `time() - max(barman_cloud_cloudnative_pg_io_last_available_backup_timestamp{${pods}}) > ${ctx.backupMaxAge.toSeconds()}`,
      for: Duration.minutes(10),
      severity: AlertSeverity.WARNING,
      summary: `PostgreSQL ${where}: the newest base backup is too old`,
      description: `The newest base backup of ${where} is {{ $value | humanizeDuration }} old (threshold ${ctx.backupMaxAge.toSeconds() / 3600}h); `
        + 'check the ScheduledBackup and the Backup objects.',
    });
  }
  return alerts;
}

function podMonitorSpec(podLabels: Record<string, string>, namespace: string, interval: string) {
  return {
    selector: { matchLabels: podLabels },
    namespaceSelector: { matchNames: [namespace] },
    podMetricsEndpoints: [{ port: 'metrics', interval, scheme: PodMonitorSpecPodMetricsEndpointsScheme.HTTP }],
  };
}

function renderSynchronous(replication: PostgresReplication): ClusterSpecPostgresqlSynchronous | undefined {
  if (!replication.isSynchronous) {
    return undefined;
  }
  const quorum = replication.method === SynchronousMethod.QUORUM;
  return {
    method: quorum ? ClusterSpecPostgresqlSynchronousMethod.ANY : ClusterSpecPostgresqlSynchronousMethod.FIRST,
    number: replication.standbys,
    dataDurability: replication.durability === DataDurability.REQUIRED
      ? ClusterSpecPostgresqlSynchronousDataDurability.REQUIRED : ClusterSpecPostgresqlSynchronousDataDurability.PREFERRED,
    // With quorum commit and required durability, the operator promotes only a standby known to hold every commit.
    failoverQuorum: quorum && replication.durability === DataDurability.REQUIRED ? true : undefined,
  };
}

function defaultParameters(resources: ContainerResources, walSize: Size): Record<string, string> {
  const mib = (size: Size) => Math.floor(kib(size) / 1024);
  return {
    shared_buffers: `${Math.max(32, Math.floor(mib(resources.memory.request) / 4))}MB`,
    effective_cache_size: `${Math.max(64, Math.floor(mib(resources.memory.limit) * 3 / 4))}MB`,
    // A standby that stays away must not fill the WAL volume of the primary; it re-clones instead.
    max_slot_wal_keep_size: `${Math.floor(mib(walSize) / 2)}MB`,
  };
}

/** Requests and limits in the quantity classes of an imported CRD binding. */
function crdResources<R, L>(resources: ContainerResources, request: (quantity: string) => R, limit: (quantity: string) => L) {
  const quantities = <T>(pick: 'request' | 'limit', make: (quantity: string) => T): Record<string, T> => ({
    'cpu': make(cpuQuantity(resources.cpu[pick])),
    'memory': make(sizeQuantity(resources.memory[pick])),
    'ephemeral-storage': make(sizeQuantity(resources.ephemeralStorage[pick])),
  });
  return { requests: quantities('request', request), limits: quantities('limit', limit) };
}

function serviceNames(service: string, namespace: string): string[] {
  return [service, `${service}.${namespace}`, `${service}.${namespace}.svc`, `${service}.${namespace}.svc.cluster.local`];
}

function retentionDays(retention: Duration): string {
  return `${retention.toSeconds() / 86400}d`;
}

function checkIdentifier(scope: Construct, prop: string, value: string): void {
  check(POSTGRES_IDENTIFIER.test(value), scope, prop, value,
    'must be a PostgreSQL identifier of at most 63 characters: lowercase letters, digits and \'_\', not starting with a digit');
}

function isHost(value: string): boolean {
  const ipv4 = /^(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){3}$/;
  return ipv4.test(value) || (/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(value) && value.length <= 253);
}

function kib(size: Size): number {
  return size.toKibibytes({ rounding: SizeRoundingBehavior.NONE });
}

function largest(a: Size, b: Size): Size {
  return kib(a) >= kib(b) ? a : b;
}
