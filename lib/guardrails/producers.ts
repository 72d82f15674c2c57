import { ObjectIdentity, groupOf, identityOf } from './identity';

/** An object that an operator (or Kubernetes) creates from an object of the app. */
export interface DerivedObject {
  /** The object created. */
  readonly identity: ObjectIdentity;
  /** Who creates it and why, e.g. `CloudNativePG: the application user's credentials`. */
  readonly through: string;
  /** Whether the operator merges into the object, which others may write too, instead of owning it. */
  readonly merges: boolean;
}

/** The object an operator makes from an object of the app: its namespace and name, and what it reads them from. */
interface Source {
  readonly manifest: any;
  readonly spec: any;
  readonly namespace?: string;
  readonly name: string;
}

type Producer = (source: Source) => DerivedObject[];

function derived(group: string, kind: string, source: Source, name: string, through: string, merges = false): DerivedObject {
  return { identity: identityOf(group, kind, source.namespace, name), through, merges };
}

const CERT_MANAGER_ISSUER_ANNOTATIONS = ['cert-manager.io/cluster-issuer', 'cert-manager.io/issuer'];

/** Whether cert-manager's ingress-shim or gateway-shim issues certificates for the object (it carries an issuer annotation). */
function shimmed(source: Source): boolean {
  const annotations = source.manifest.metadata?.annotations ?? {};
  return CERT_MANAGER_ISSUER_ANNOTATIONS.some((key) => annotations[key] !== undefined);
}

/** A Certificate and its Secret per TLS secret name, as cert-manager's ingress-shim and gateway-shim create them. */
function shimCertificates(source: Source, secretNames: string[], shim: string): DerivedObject[] {
  return secretNames.flatMap((name) => [
    derived('cert-manager.io', 'Certificate', source, name, `cert-manager's ${shim} (issuer annotation)`),
    derived('', 'Secret', source, name, `cert-manager's ${shim} (issuer annotation)`),
  ]);
}

const CNPG = 'CloudNativePG 1.30';

/** The Barman Cloud plugin's name in a Cluster's `spec.plugins`. */
export const BARMAN_CLOUD_PLUGIN = 'barman-cloud.cloudnative-pg.io';

/**
 * What the CloudNativePG 1.30 operator creates for a Cluster, with the names it gives them
 * (cloudnative-pg v1.30.0: api/v1/cluster_types.go suffixes, api/v1/cluster_funcs.go Get*Name,
 * internal/controller/cluster_create.go). A Secret the Cluster names itself (`bootstrap.initdb.secret`,
 * `certificates.serverTLSSecret`, ...) is the user's, not the operator's: it is a reference.
 */
function cnpgCluster(source: Source): DerivedObject[] {
  const { spec, name } = source;
  const bootstrap = spec.bootstrap ?? {};
  const certificates = spec.certificates ?? {};
  const disabled: string[] = spec.managed?.services?.disabledDefaultServices ?? [];
  const secret = (suffix: string, what: string) => derived('', 'Secret', source, `${name}${suffix}`, `${CNPG}: ${what}`);
  const userSecret = [bootstrap.initdb, bootstrap.recovery, bootstrap.pg_basebackup].some((b) => b?.secret?.name !== undefined);
  return [
    // ShouldCreateApplicationSecret: unless the bootstrap names its own Secret.
    ...userSecret ? [] : [secret('-app', 'the application user\'s credentials')],
    ...spec.enableSuperuserAccess === true && spec.superuserSecret?.name === undefined ? [secret('-superuser', 'the superuser\'s credentials')] : [],
    ...certificates.serverCASecret === undefined || certificates.clientCASecret === undefined ? [secret('-ca', 'the cluster\'s CA')] : [],
    ...certificates.serverTLSSecret === undefined ? [secret('-server', 'the server certificate')] : [],
    ...certificates.replicationTLSSecret === undefined ? [secret('-replication', 'the replication client certificate')] : [],
    ...[['rw', '-rw'], ['r', '-r'], ['ro', '-ro']].filter(([type]) => !disabled.includes(type))
      .map(([, suffix]) => derived('', 'Service', source, `${name}${suffix}`, `${CNPG}: a default Service`)),
    ...((spec.managed?.services?.additional ?? []) as any[]).filter((s) => s.serviceTemplate?.metadata?.name !== undefined)
      .map((s) => derived('', 'Service', source, s.serviceTemplate.metadata.name, `${CNPG}: an additional managed Service`)),
    // GetServiceAccountName: spec.serviceAccountName names an existing one instead.
    ...spec.serviceAccountName === undefined ? [derived('', 'ServiceAccount', source, name, `${CNPG}: the instances' ServiceAccount`)] : [],
    derived('rbac.authorization.k8s.io', 'Role', source, name, `${CNPG}: the instances' Role`),
    derived('rbac.authorization.k8s.io', 'RoleBinding', source, name, `${CNPG}: the instances' RoleBinding`),
    // pkg/specs/poddisruptionbudget.go: the primary's always, the replicas' from 3 instances.
    ...spec.enablePDB === false ? [] : [
      derived('policy', 'PodDisruptionBudget', source, `${name}-primary`, `${CNPG}: the primary's PodDisruptionBudget`),
      ...(spec.instances ?? 1) >= 3 ? [derived('policy', 'PodDisruptionBudget', source, name, `${CNPG}: the replicas' PodDisruptionBudget`)] : [],
    ],
    // plugin-barman-cloud v0.14.0 internal/cnpgi/operator/specs/role.go (GetRBACName).
    ...((spec.plugins ?? []) as any[]).some((p) => p.name === BARMAN_CLOUD_PLUGIN) ? [
      derived('rbac.authorization.k8s.io', 'Role', source, `${name}-barman-cloud`, 'the Barman Cloud plugin: access to its ObjectStores'),
      derived('rbac.authorization.k8s.io', 'RoleBinding', source, `${name}-barman-cloud`, 'the Barman Cloud plugin: access to its ObjectStores'),
    ] : [],
  ];
}

/**
 * What CloudNativePG creates for a Pooler: a Deployment, Service, ServiceAccount, Role and RoleBinding
 * named after it (pkg/specs/pgbouncer/deployments.go, services.go, rbac.go), and, for the automated
 * integration (no authQuery of its own), the client certificate Secret `<cluster>-pooler`, which every
 * Pooler of the cluster shares (api/v1/pooler_funcs.go GetAuthQuerySecretName).
 */
function cnpgPooler(source: Source): DerivedObject[] {
  const { spec, name } = source;
  const pgbouncer = spec.pgbouncer ?? {};
  const automated = pgbouncer.authQuerySecret === undefined && pgbouncer.authQuery === undefined;
  return [
    derived('apps', 'Deployment', source, name, `${CNPG}: the pooler's pods`),
    derived('', 'Service', source, name, `${CNPG}: the pooler's Service`),
    ...spec.serviceAccountName === undefined ? [derived('', 'ServiceAccount', source, name, `${CNPG}: the pooler's ServiceAccount`)] : [],
    derived('rbac.authorization.k8s.io', 'Role', source, name, `${CNPG}: the pooler's Role`),
    derived('rbac.authorization.k8s.io', 'RoleBinding', source, name, `${CNPG}: the pooler's RoleBinding`),
    ...automated && spec.cluster?.name !== undefined
      ? [derived('', 'Secret', source, `${spec.cluster.name}-pooler`, `${CNPG}: the poolers' client certificate`, true)] : [],
  ];
}

const REDIS_OPERATOR = 'Redis Operator 0.26';

/** A StatefulSet's claims of one template, as the StatefulSet controller names them: `<template>-<statefulset>-<ordinal>`. */
function claims(source: Source, template: string, statefulSet: string, replicas: number, through: string): DerivedObject[] {
  return Array.from({ length: replicas }, (_, ordinal) => derived('', 'PersistentVolumeClaim', source, `${template}-${statefulSet}-${ordinal}`, through));
}

/**
 * What the Redis Operator v0.26.0 creates for a `Redis` (standalone) or a `RedisReplication` named `<name>`
 * (internal/k8sutils/redis-standalone.go CreateStandaloneService, redis-replication.go CreateReplicationService,
 * statefulset.go, poddisruption.go; the embedded Sentinel in internal/controller/redisreplication/redisreplication_sentinel.go):
 * the StatefulSet `<name>` with a claim `<name>-<name>-<ordinal>` per node when the storage has a claim template,
 * the Services `<name>`, `<name>-headless`, `<name>-additional` (a standalone's unless turned off), `<name>-master`
 * and `<name>-replica` (replication), `<name>-metrics` with the exporter, the PodDisruptionBudget
 * `<name>-replication` when `pdb.enabled`, and for embedded Sentinels the StatefulSet `<name>-s` and Service `<name>-s-hl`.
 */
function redisNodes(source: Source, replication: boolean): DerivedObject[] {
  const { spec, name } = source;
  const service = (suffix: string, what: string) => derived('', 'Service', source, `${name}${suffix}`, `${REDIS_OPERATOR}: ${what}`);
  const nodes: number = replication ? spec.clusterSize ?? 1 : 1;
  const additional = replication || spec.kubernetesConfig?.service?.additional?.enabled !== false;
  return [
    derived('apps', 'StatefulSet', source, name, `${REDIS_OPERATOR}: the Redis nodes`),
    service('', 'the client Service'),
    service('-headless', 'the governing Service'),
    ...additional ? [service('-additional', 'the additional Service')] : [],
    ...replication ? [service('-master', 'the master\'s Service'), service('-replica', 'the replicas\' Service')] : [],
    ...spec.redisExporter?.enabled === true ? [service('-metrics', 'the exporters\' Service')] : [],
    ...replication && spec.pdb?.enabled === true
      ? [derived('policy', 'PodDisruptionBudget', source, `${name}-replication`, `${REDIS_OPERATOR}: spec.pdb`)] : [],
    ...spec.storage?.volumeClaimTemplate?.spec !== undefined ? claims(source, name, name, nodes, `${REDIS_OPERATOR}: spec.storage.volumeClaimTemplate`) : [],
    ...replication && (spec.sentinel?.size ?? 0) > 0 ? [
      derived('apps', 'StatefulSet', source, `${name}-s`, `${REDIS_OPERATOR}: the embedded Sentinels`),
      derived('', 'Service', source, `${name}-s-hl`, `${REDIS_OPERATOR}: the embedded Sentinels' Service`),
    ] : [],
  ];
}

/**
 * What the Redis Operator v0.26.0 creates for a `RedisSentinel` named `<name>` (internal/k8sutils/redis-sentinel.go,
 * poddisruption.go): the StatefulSet `<name>-sentinel`, the Services `<name>-sentinel`, `-sentinel-headless`,
 * `-sentinel-additional` and `-sentinel-metrics` with the exporter, the PodDisruptionBudget `<name>-sentinel` when `pdb.enabled`.
 */
function redisSentinel(source: Source): DerivedObject[] {
  const { spec } = source;
  const name = `${source.name}-sentinel`;
  const service = (suffix: string, what: string) => derived('', 'Service', source, `${name}${suffix}`, `${REDIS_OPERATOR}: ${what}`);
  return [
    derived('apps', 'StatefulSet', source, name, `${REDIS_OPERATOR}: the Sentinels`),
    service('', 'the Sentinels\' client Service'),
    service('-headless', 'the Sentinels\' governing Service'),
    service('-additional', 'the Sentinels\' additional Service'),
    ...spec.redisExporter?.enabled === true ? [service('-metrics', 'the Sentinel exporters\' Service')] : [],
    ...spec.pdb?.enabled === true ? [derived('policy', 'PodDisruptionBudget', source, name, `${REDIS_OPERATOR}: spec.pdb`)] : [],
  ];
}

/**
 * What operators (and Kubernetes) create from objects of an app, by `group/Kind`: the table the
 * guardrails read to know that a name an object reads will exist, and that two objects do not create
 * the same one. A kind added to the library adds its row here.
 */
export const PRODUCERS: Readonly<Record<string, Producer>> = {
  // external-secrets v2.9.0 apis/externalsecrets/v1/externalsecret_types.go: target.name defaults to the
  // ExternalSecret's name; Owner and Orphan create the Secret, CreateOrMerge creates it or merges into it,
  // Merge and None create nothing (Merge needs the Secret to exist: a reference). target.manifest makes
  // another kind than a Secret.
  'external-secrets.io/ExternalSecret': (source) => {
    const target = source.spec.target ?? {};
    const policy = target.creationPolicy ?? 'Owner';
    if (policy === 'Merge' || policy === 'None') {
      return [];
    }
    const kind = target.manifest?.kind ?? 'Secret';
    const group = target.manifest !== undefined ? groupOf(target.manifest.apiVersion ?? 'v1') : '';
    return [derived(group, kind, source, target.name ?? source.name, `External Secrets: spec.target (creationPolicy ${policy})`, policy === 'CreateOrMerge')];
  },
  // The Sealed Secrets controller unseals into a Secret of the same name and namespace.
  'bitnami.com/SealedSecret': (source) => [derived('', 'Secret', source, source.name, 'the Sealed Secrets controller')],
  // cert-manager writes the issued certificate and key to spec.secretName.
  'cert-manager.io/Certificate': (source) => source.spec.secretName !== undefined
    ? [derived('', 'Secret', source, source.spec.secretName, 'cert-manager: spec.secretName')] : [],
  'networking.k8s.io/Ingress': (source) => shimmed(source)
    ? shimCertificates(source, ((source.spec.tls ?? []) as any[]).map((t) => t.secretName).filter((n) => n !== undefined), 'ingress-shim') : [],
  'gateway.networking.k8s.io/Gateway': (source) => shimmed(source)
    ? shimCertificates(source, ((source.spec.listeners ?? []) as any[]).flatMap((l) => (l.tls?.certificateRefs ?? []) as any[])
      .filter((ref) => (ref.kind ?? 'Secret') === 'Secret' && ref.namespace === undefined).map((ref) => ref.name), 'gateway-shim') : [],
  'postgresql.cnpg.io/Cluster': cnpgCluster,
  'postgresql.cnpg.io/Pooler': cnpgPooler,
  'redis.redis.opstreelabs.in/Redis': (source) => redisNodes(source, false),
  'redis.redis.opstreelabs.in/RedisReplication': (source) => redisNodes(source, true),
  'redis.redis.opstreelabs.in/RedisSentinel': redisSentinel,
  // The StatefulSet controller names each claim `<template>-<statefulset>-<ordinal>`.
  'apps/StatefulSet': (source) => ((source.spec.volumeClaimTemplates ?? []) as any[]).flatMap((template) =>
    claims(source, template.metadata?.name, source.name, source.spec.replicas ?? 1, 'the StatefulSet controller: a volumeClaimTemplate')),
};

/** The objects operators create from `manifest`, an object of the app. */
export function derivedObjects(manifest: any): DerivedObject[] {
  const producer = PRODUCERS[`${groupOf(manifest.apiVersion ?? '')}/${manifest.kind}`];
  if (producer === undefined) {
    return [];
  }
  return producer({ manifest, spec: manifest.spec ?? {}, namespace: manifest.metadata?.namespace, name: manifest.metadata?.name ?? '' });
}
