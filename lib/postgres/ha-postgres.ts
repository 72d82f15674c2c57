import { Duration, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ObjectStore } from '../../imports/barmancloud.cnpg.io';
import { PodMonitor, PrometheusRule } from '../../imports/monitoring.coreos.com';
import { Backup, Cluster, Pooler, ScheduledBackup } from '../../imports/postgresql.cnpg.io';
import { check } from '../core/errors';
import { recordException } from '../core/exceptions';
import { recommendedLabels } from '../core/labels';
import { nameFromId, resolveNamespace } from '../core/names';
import { keepOnPrune } from '../core/protection';
import { Kinds, checkProps } from '../core/kinds';
import { INT32_MAX, checkDnsLabel, checkInteger, checkLabels, checkPort } from '../core/validate';
import { LogCollection, LogFormat } from '../monitoring/log-collection';
import { Prometheus } from '../monitoring/prometheus';
import { checkNetworkPeer } from '../network/_checks';
import { ClusterDns, checkClusterDns } from '../network/cluster-dns';
import { EgressEngine } from '../network/egress-engine';
import { NetworkPeer } from '../network/network-peer';
import { NetworkPolicyRules } from '../network/network-policy-rules';
import { Image } from '../workload/image';
import { NodePool, SpreadPolicy } from '../workload/placement';
import { IRegistryCredentials, checkRegistryCredentials } from '../workload/registry-credentials';
import { ContainerResources, checkResources } from '../workload/resources';
import { IWorkload, WORKLOAD_KIND } from '../workload/workload';
import { OPERATOR_PODS, addClusterNetworkPolicy, clusterSpec } from './_cluster';
import { HA_POSTGRES_KINDS, checkDatabaseSettings, checkMonitoring } from './_ha-postgres-checks';
import { declareClusterPrerequisites } from './_prerequisites';
import { CLUSTER_LABEL, POD_ROLE_LABEL, POSTGRES_PORT } from './_cnpg';
import { bindConnection } from './_connection';
import {
  BACKUPS_SUPPRESSED_ANNOTATION, BACKUP_RULE_IDS, ObjectStoreBackupOptions, PostgresBackup, addPreUpgradeBackup, addScheduledBackup, checkBackup,
  retentionPolicy,
} from './backup';
import { ObjectStoreLocation, addObjectStore } from './object-store';
import { PostgresPoolerOptions, addPooler, checkPooler } from './pooler';
import { IPostgresDatabase, PostgresRootCertificate, PostgresSslMode } from './postgres-database';
import { PostgresMonitoringOptions, addPostgresMonitoring } from './postgres-monitoring';
import { ObjectStoreRecoveryOptions, PostgresRecovery, checkRecovery } from './recovery';
import { PostgresReplication, checkReplication } from './replication';
import { PostgresStorage, resolveStorage } from './storage';

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
  /** Prometheus scraping and alerts. @default - a PodMonitor and alerts for the Prometheus of `Prometheus.kubePrometheusStack()` */
  readonly monitoring?: PostgresMonitoringOptions;
  /** Where the instances and poolers resolve names: their NetworkPolicies admit DNS to it. Give the namespace baseline's value. @default ClusterDns.kubeDns() */
  readonly dns?: ClusterDns;
  /** What renders the instances' egress to hosts by name (an object store's endpoint by name): the stage's engine. @default - an endpoint by name fails */
  readonly egressEngine?: EgressEngine;
  /**
   * The CloudNativePG operator's pods: the NetworkPolicy admits them to the status and PostgreSQL ports.
   * @default NetworkPeer.podsInNamespaces({ 'app.kubernetes.io/name': 'cloudnative-pg' }, { 'kubernetes.io/metadata.name': 'cnpg-system' })
   */
  readonly operator?: NetworkPeer;
  /**
   * Registry credentials of the instance and PgBouncer pods (`RegistryCredentials` in the database's namespace), for
   * operand images in a private registry or a mirror; kept on prune, as the Cluster is. @default - none: anonymous pulls
   */
  readonly imagePullSecrets?: IRegistryCredentials[];
  /** The stage's log collector: CloudNativePG writes JSON, so the instance and PgBouncer pods carry its JSON parser. @default - none declared */
  readonly logs?: LogCollection;
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

/** The props of a {@link HaPostgres} with their defaults resolved. */
interface Settings {
  readonly replication: PostgresReplication;
  readonly image: Image;
  readonly resources: ContainerResources;
  readonly walSize: Size;
  readonly archive?: ObjectStoreBackupOptions;
  readonly recovery?: ObjectStoreRecoveryOptions;
  readonly labels: Record<string, string>;
  readonly instanceLabels: Record<string, string>;
}

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
  /** The Backup taken before each upgrade, when backups are on and `backup.beforeUpgrade` is not false. */
  public readonly preUpgradeBackup?: Backup;
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
  /** The workloads connected to the database: its pre-upgrade backup is named after the migrations among them. */
  private readonly clients: IWorkload[] = [];

  public constructor(scope: Construct, id: string, props: HaPostgresProps) {
    super(scope, id);
    checkProps(this, props, HA_POSTGRES_KINDS satisfies Kinds<HaPostgresProps>, 'HaPostgresProps');

    this.name = props.name ?? nameFromId(id);
    this.namespace = resolveNamespace(this, 'HaPostgres', props.namespace);
    this.instances = props.instances ?? 3;
    this.databaseName = props.databaseName ?? 'app';
    this.owner = props.owner ?? this.databaseName;
    this.credentialsSecretName = `${this.name}-app`;
    this.caSecretName = `${this.name}-ca`;
    const settings = this.resolve(props);
    const { archive, recovery, labels } = settings;
    const metadata = { name: this.name, namespace: this.namespace, labels };
    const monitoring = props.monitoring ?? {};
    const monitoringEnabled = monitoring.enabled ?? true;
    const prometheus = monitoring.prometheus ?? Prometheus.kubePrometheusStack();
    const dns = props.dns ?? ClusterDns.kubeDns();
    const scrapeInterval = `${(monitoring.interval ?? Duration.seconds(30)).toSeconds()}s`;
    const kubernetesApi = { peer: props.kubernetesApi.peer, port: props.kubernetesApi.port ?? 443 };
    const poolerName = `${this.name}-pooler`;
    this.peer = NetworkPeer.pods(settings.instanceLabels, this.namespace);
    this.host = `${props.pooler ? poolerName : `${this.name}-rw`}.${this.namespace}.svc`;

    this.objectStore = archive ? addObjectStore(this, 'ObjectStore', metadata, archive, retentionPolicy(archive)) : undefined;
    this.recoveryObjectStore = recovery
      ? addObjectStore(this, 'RecoveryObjectStore', { ...metadata, name: `${this.name}-recovery` }, recovery, undefined)
      : undefined;
    const reason = props.backup.suppressionReason;
    this.cluster = new Cluster(this, 'Resource', {
      metadata: { ...metadata, annotations: reason !== undefined ? { [BACKUPS_SUPPRESSED_ANNOTATION]: reason } : undefined },
      spec: clusterSpec({
        name: this.name,
        namespace: this.namespace,
        instances: this.instances,
        databaseName: this.databaseName,
        owner: this.owner,
        imageName: settings.image.reference,
        storage: { ...props.storage, walSize: settings.walSize },
        resources: settings.resources,
        parameters: props.parameters,
        replication: settings.replication,
        instanceLabels: settings.instanceLabels,
        nodePool: props.nodePool,
        zoneSpread: props.zoneSpread ?? SpreadPolicy.PREFERRED,
        archive: archive && this.objectStore ? { options: archive, objectStore: this.objectStore.name } : undefined,
        recovery: recovery && this.recoveryObjectStore ? { options: recovery, objectStore: this.recoveryObjectStore.name } : undefined,
        poolerService: props.pooler ? poolerName : undefined,
        imagePullSecrets: props.imagePullSecrets,
        podAnnotations: props.logs?.podAnnotations(['postgres'], LogFormat.JSON) ?? {},
      }),
    });
    if (reason !== undefined) {
      BACKUP_RULE_IDS.forEach((ruleId) => recordException(this.cluster, ruleId, reason));
    }
    this.scheduledBackup = archive ? addScheduledBackup(this, 'ScheduledBackup', metadata, this.name, archive) : undefined;
    this.preUpgradeBackup = archive && (archive.beforeUpgrade ?? true)
      ? addPreUpgradeBackup(this, 'PreUpgradeBackup', metadata, this.cluster, this.clients) : undefined;

    const objectStores = [archive, recovery].filter((location): location is ObjectStoreLocation => location !== undefined);
    const operator = props.operator ?? OPERATOR_PODS;
    this.networkPolicy = addClusterNetworkPolicy(this, {
      name: this.name, namespace: this.namespace, labels, instances: this.peer, operator, kubernetesApi, objectStores, dns, egressEngine: props.egressEngine,
    });
    // The Cluster owns the volumes; the ObjectStore and its credentials serve the WAL archive of a kept Cluster.
    [this.cluster, this.objectStore].forEach((object) => object && keepOnPrune(object));
    archive?.credentials.secret?.producer.keepOnPrune();
    props.imagePullSecrets?.forEach((credentials) => { credentials.keepOnPrune(); this.node.addDependency(credentials); });
    declareClusterPrerequisites(this, { name: this.name, namespace: this.namespace, storage: props.storage, kubernetesApi, operator, objectStores, logs: props.logs });

    if (props.pooler) {
      const pooler = addPooler(this, props.pooler, {
        cluster: this.name,
        metadata: { ...metadata, name: poolerName, labels: { ...labels, 'app.kubernetes.io/component': 'pooler' } },
        instances: this.peer,
        kubernetesApi,
        egressEngine: props.egressEngine,
        nodePool: props.nodePool,
        dns,
        imagePullSecrets: props.imagePullSecrets,
        podAnnotations: props.logs?.podAnnotations(['pgbouncer'], LogFormat.JSON) ?? {},
        monitoring: monitoringEnabled ? { prometheus, interval: scrapeInterval } : undefined,
      });
      this.pooler = pooler.pooler;
      this.poolerNetworkPolicy = pooler.networkPolicy;
      this.poolerPeer = pooler.peer;
    }

    if (monitoringEnabled) {
      const watched = addPostgresMonitoring(this, monitoring, {
        prometheus,
        networkPolicy: this.networkPolicy,
        metadata,
        instanceLabels: settings.instanceLabels,
        interval: scrapeInterval,
        instances: this.instances,
        replication: settings.replication,
        backupMaxAge: archive ? archive.maxAge ?? Duration.hours(26) : undefined,
      });
      this.podMonitor = watched.podMonitor;
      this.alerts = watched.alerts;
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
    WORKLOAD_KIND.check(this, 'grantConnection', workload);
    check(workload.namespace === this.namespace, workload, 'connectTo', this.node.path,
      `must be in the database's namespace '${this.namespace}': the credentials Secret the operator writes is namespaced`);
    this.clients.push(workload);
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
      rootCertificate: PostgresRootCertificate.ofOperator(this.caSecretName, 'ca.crt'),
    });
  }

  /** Resolves the defaults of `props` that the objects share, and checks every prop before any object is created. */
  private resolve(props: HaPostgresProps): Settings {
    const replication = props.replication ?? (this.instances > 1 ? PostgresReplication.synchronous() : PostgresReplication.asynchronous());
    const image = props.image ?? DEFAULT_IMAGE;
    const resources = props.resources ?? DEFAULT_RESOURCES;
    const apiPort = props.kubernetesApi.port ?? 443;
    const monitoring = props.monitoring ?? {};

    checkDnsLabel(this, 'name', this.name, 50);
    if (props.partOf !== undefined) {
      checkLabels(this, 'partOf', { 'app.kubernetes.io/part-of': props.partOf });
    }
    const imageProblem = image.problem();
    check(imageProblem === undefined, this, 'image', image.reference, imageProblem ?? '');
    checkInteger(this, 'instances', this.instances, 1, INT32_MAX);
    checkReplication(this, replication, this.instances);
    const walSize = resolveStorage(this, props.storage);
    checkResources(this, 'resources', resources);
    checkDatabaseSettings(this, this.databaseName, this.owner, props.parameters ?? {});
    checkPort(this, 'kubernetesApi.port', apiPort);
    checkNetworkPeer(this, 'kubernetesApi.peer', props.kubernetesApi.peer);
    if (props.operator !== undefined) {
      checkNetworkPeer(this, 'operator', props.operator);
    }
    props.nodePool?.check(this, 'nodePool');
    check(props.backup !== undefined, this, 'backup', undefined,
      'is required: WAL archiving and base backups are what recovers data after a lost volume or a bad migration; '
      + 'declare PostgresBackup.none({ reason }) to go without on purpose');
    checkBackup(this, props.backup, this.namespace);
    const archive = props.backup.objectStore;
    const recovery = props.recovery?.source;
    if (recovery) {
      checkRecovery(this, recovery, archive, this.name, this.namespace);
    }
    if (props.pooler) {
      checkPooler(this, props.pooler);
    }
    checkMonitoring(this, monitoring);
    if (props.dns !== undefined) {
      checkClusterDns(this, 'dns', props.dns);
    }
    checkRegistryCredentials(this, 'imagePullSecrets', props.imagePullSecrets ?? [], this.namespace);
    props.logs?.check(this, 'logs', ['postgres', 'pgbouncer'], LogFormat.JSON);
    return {
      replication,
      image,
      resources,
      walSize,
      archive,
      recovery,
      labels: recommendedLabels({ name: this.name, instance: this.name, version: image.tag, component: 'database', partOf: props.partOf }),
      instanceLabels: { [CLUSTER_LABEL]: this.name, [POD_ROLE_LABEL]: 'instance' },
    };
  }
}
