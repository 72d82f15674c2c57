import { IConstruct } from 'constructs';
import { check, checkArgument } from './errors';

/** Metadata type of a prerequisite recorded on a construct node. */
const PREREQUISITE_METADATA = 'cdk8s-golden-path:prerequisite';

/** What a prerequisite asks of the cluster, and so the section of the prerequisites file it is listed in. */
export enum PrerequisiteKind {
  /** The Kubernetes versions the manifests and the operators they target run on. */
  KUBERNETES = 'kubernetes',
  /** An operator or controller, installed with its CustomResourceDefinitions. */
  OPERATOR = 'operator',
  /** A cluster-scoped object the manifests name: a ClusterSecretStore, ClusterIssuer, StorageClass, PriorityClass, GatewayClass, ... */
  CLUSTER_OBJECT = 'cluster-object',
  /** A namespaced object the manifests read but do not produce: an existing Gateway, a TLS Secret managed elsewhere, ... */
  OBJECT = 'object',
  /** A setting of a controller the manifests rely on: the labels Prometheus selects, a cert-manager flag, ... */
  CONTROLLER_SETTING = 'controller-setting',
  /** A key that must exist in a secret store's backend before the ExternalSecrets that read it can sync. */
  SECRET_STORE_KEY = 'secret-store-key',
  /** A DNS name that must point at the cluster's entry: made by hand, or by ExternalDNS from the manifests. */
  DNS_RECORD = 'dns-record',
  /** A fact about the cluster's network the NetworkPolicies depend on (where the API server answers, ...). */
  NETWORK = 'network',
  /** A cloud identity (an IAM role, a Google service account, a managed identity) that trusts a ServiceAccount of the manifests. */
  CLOUD_IDENTITY = 'cloud-identity',
  /** What an identity provider people sign in with must have: a client, its redirect URIs, the claims of its tokens. */
  IDENTITY_PROVIDER = 'identity-provider',
}

/** Options of {@link Operator.of}. */
export interface OperatorProps {
  /** Name of the operator, e.g. `CloudNativePG`. */
  readonly name: string;
  /** The version the manifests are written for, e.g. `1.30`. */
  readonly version: string;
  /** The CustomResourceDefinitions the manifests use, by name (`clusters.postgresql.cnpg.io`). @default - none */
  readonly crds?: string[];
  /**
   * The API versions of those CRDs the manifests are written in (`postgresql.cnpg.io/v1`): the installed CRDs
   * must serve them, so an upgrade of the operator that stops serving one must wait for manifests in the new version.
   * @default - not stated
   */
  readonly apiVersions?: string[];
  /** Where the operator's pods usually run, which the NetworkPolicies may name. @default - not stated */
  readonly namespace?: string;
  /** The Kubernetes versions its project supports, as it states them. @default - not stated */
  readonly kubernetesVersions?: string;
  /** Where its installation is documented. @default - no link */
  readonly docs?: string;
}

/**
 * An operator or controller the manifests need in the cluster, at the version they are written
 * for, with its CRDs. The ones this library targets are static members; `Operator.of` names another.
 */
export class Operator {
  /** CloudNativePG: PostgreSQL `Cluster`, `Pooler`, `ScheduledBackup`, `Backup`. */
  public static readonly CLOUDNATIVE_PG = new Operator({
    name: 'CloudNativePG',
    version: '1.30',
    crds: ['clusters.postgresql.cnpg.io', 'poolers.postgresql.cnpg.io', 'scheduledbackups.postgresql.cnpg.io', 'backups.postgresql.cnpg.io'],
    apiVersions: ['postgresql.cnpg.io/v1'],
    namespace: 'cnpg-system',
    kubernetesVersions: '1.34 to 1.36',
    docs: 'https://cloudnative-pg.io/documentation/1.30/installation_upgrade/',
  });

  /** The Barman Cloud plugin of CloudNativePG: WAL archive and base backups to an object store. Installed in the operator's namespace. */
  public static readonly BARMAN_CLOUD_PLUGIN = new Operator({
    name: 'Barman Cloud plugin for CloudNativePG',
    version: '0.14',
    crds: ['objectstores.barmancloud.cnpg.io'],
    apiVersions: ['barmancloud.cnpg.io/v1'],
    namespace: 'cnpg-system',
    kubernetesVersions: '1.29 or later: its sidecar is a native sidecar (an init container with restartPolicy Always)',
    docs: 'https://cloudnative-pg.io/plugin-barman-cloud/docs/installation/',
  });

  /** External Secrets Operator (`external-secrets.io/v1`). */
  public static readonly EXTERNAL_SECRETS = new Operator({
    name: 'External Secrets Operator',
    version: '2.9',
    crds: ['externalsecrets.external-secrets.io', 'secretstores.external-secrets.io', 'clustersecretstores.external-secrets.io'],
    apiVersions: ['external-secrets.io/v1'],
    namespace: 'external-secrets',
    kubernetesVersions: '1.36 (the only version its 2.9 test suite runs on)',
    docs: 'https://external-secrets.io/latest/introduction/getting-started/',
  });

  /**
   * The generators of the External Secrets Operator (`generators.external-secrets.io/v1alpha1`): `Password` makes a
   * random password that an ExternalSecret writes into a Secret. Their CRDs come with the operator's Helm chart.
   */
  public static readonly EXTERNAL_SECRETS_GENERATORS = new Operator({
    name: 'External Secrets Operator generators',
    version: '2.9',
    crds: ['passwords.generators.external-secrets.io'],
    namespace: 'external-secrets',
    kubernetesVersions: '1.36 (the only version its 2.9 test suite runs on)',
    docs: 'https://external-secrets.io/latest/api/generator/password/',
  });

  /**
   * The Redis Operator of OT-CONTAINER-KIT: `Redis` (standalone), `RedisReplication` and `RedisSentinel`
   * (`redis.redis.opstreelabs.in/v1beta2`). Its project states no Kubernetes versions; v0.26.0 builds on client-go 0.29.
   */
  public static readonly REDIS_OPERATOR = new Operator({
    name: 'Redis Operator (OT-CONTAINER-KIT)',
    version: '0.26',
    crds: ['redis.redis.redis.opstreelabs.in', 'redisreplications.redis.redis.opstreelabs.in', 'redissentinels.redis.redis.opstreelabs.in'],
    namespace: 'ot-operators',
    kubernetesVersions: 'not stated by the project (v0.26.0 builds on client-go 0.29)',
    docs: 'https://redis-operator.opstree.dev/docs/installation/',
  });

  /** Sealed Secrets controller (`bitnami.com/v1alpha1`). */
  public static readonly SEALED_SECRETS = new Operator({
    name: 'Sealed Secrets',
    version: '0.36',
    crds: ['sealedsecrets.bitnami.com'],
    apiVersions: ['bitnami.com/v1alpha1'],
    namespace: 'kube-system',
    docs: 'https://github.com/bitnami-labs/sealed-secrets#installation',
  });

  /** cert-manager: `Certificate`, `Issuer`, `ClusterIssuer`. */
  public static readonly CERT_MANAGER = new Operator({
    name: 'cert-manager',
    version: '1.21',
    crds: ['certificates.cert-manager.io', 'issuers.cert-manager.io', 'clusterissuers.cert-manager.io'],
    apiVersions: ['cert-manager.io/v1'],
    namespace: 'cert-manager',
    kubernetesVersions: '1.33 to 1.36',
    docs: 'https://cert-manager.io/docs/installation/',
  });

  /** prometheus-operator, as kube-prometheus-stack installs it: `ServiceMonitor`, `PodMonitor`, `PrometheusRule`. */
  public static readonly PROMETHEUS_OPERATOR = new Operator({
    name: 'prometheus-operator (kube-prometheus-stack 88)',
    version: '0.93',
    crds: ['servicemonitors.monitoring.coreos.com', 'podmonitors.monitoring.coreos.com', 'prometheusrules.monitoring.coreos.com'],
    apiVersions: ['monitoring.coreos.com/v1'],
    namespace: 'monitoring',
    kubernetesVersions: '1.25 or later',
    docs: 'https://github.com/prometheus-community/helm-charts/tree/main/charts/kube-prometheus-stack',
  });

  /** Gateway API, standard channel: `Gateway`, `HTTPRoute`, and an implementation that serves them. */
  public static readonly GATEWAY_API = new Operator({
    name: 'Gateway API (standard channel) and an implementation',
    version: '1.6',
    crds: ['gateways.gateway.networking.k8s.io', 'httproutes.gateway.networking.k8s.io', 'gatewayclasses.gateway.networking.k8s.io'],
    apiVersions: ['gateway.networking.k8s.io/v1'],
    docs: 'https://gateway-api.sigs.k8s.io/guides/#installing-gateway-api',
  });

  /**
   * Cilium as the cluster's network-policy engine: it enforces NetworkPolicies and `CiliumNetworkPolicy`
   * (egress to hosts by DNS name with `toFQDNs`). Its v1.18 compatibility page lists Kubernetes 1.30 to 1.33
   * as e2e tested, and leaves newer versions to Kubernetes' own compatibility.
   */
  public static readonly CILIUM = new Operator({
    name: 'Cilium',
    version: '1.18',
    crds: ['ciliumnetworkpolicies.cilium.io'],
    namespace: 'kube-system',
    kubernetesVersions: '1.30 to 1.33 e2e tested (Cilium 1.18\'s Kubernetes compatibility page); newer versions are not listed there',
    docs: 'https://docs.cilium.io/en/v1.18/gettingstarted/k8s-install-default/',
  });

  /**
   * ExternalDNS: creates the DNS records of the hosts the Ingresses and HTTPRoutes name, pointing at their load
   * balancer or Gateway. 0.22 reads its annotations under `external-dns.kubernetes.io/` (the `alpha` prefix only with
   * `--annotation-prefix`). No CRD: the `ingress` and `gateway-httproute` sources read core and Gateway API objects.
   */
  public static readonly EXTERNAL_DNS = new Operator({
    name: 'ExternalDNS',
    version: '0.22',
    namespace: 'external-dns',
    docs: 'https://kubernetes-sigs.github.io/external-dns/v0.22.0/',
  });

  /**
   * The HAProxy Kubernetes Ingress Controller (haproxytech): serves the Ingresses of `IngressController.haproxy()`,
   * whose annotations (`haproxy.org/...`) were read against its v3.2 sources (pkg/annotations). No CRD is used.
   */
  public static readonly HAPROXY_INGRESS = new Operator({
    name: 'HAProxy Kubernetes Ingress Controller (haproxytech)',
    version: '3.2',
    namespace: 'haproxy-controller',
    docs: 'https://github.com/haproxytech/kubernetes-ingress/blob/master/documentation/annotations.md',
  });

  /** An operator not in this list. */
  public static of(props: OperatorProps): Operator {
    return new Operator(props);
  }

  /** Name of the operator. */
  public readonly name: string;
  /** The version the manifests are written for. */
  public readonly version: string;
  /** The CRDs the manifests use. */
  public readonly crds: readonly string[];
  /** The API versions of the CRDs the manifests are written in. */
  public readonly apiVersions: readonly string[];
  /** Where the operator's pods usually run. */
  public readonly namespace?: string;
  /** The Kubernetes versions its project supports. */
  public readonly kubernetesVersions?: string;
  /** Where its installation is documented. */
  public readonly docs?: string;

  private constructor(props: OperatorProps) {
    this.name = props?.name;
    this.version = props?.version;
    this.crds = Array.isArray(props?.crds) ? [...props.crds] : props?.crds ?? [];
    this.apiVersions = Array.isArray(props?.apiVersions) ? [...props.apiVersions] : props?.apiVersions ?? [];
    this.namespace = props?.namespace;
    this.kubernetesVersions = props?.kubernetesVersions;
    this.docs = props?.docs;
  }
}

/**
 * Something the cluster must provide before the manifests work: an operator, a cluster-scoped
 * object, a controller setting, a key in a secret store, a DNS record. Constructs declare what they
 * rely on ({@link Prerequisite.declare}); each stage writes the list beside its manifests
 * (`PREREQUISITES.md`), and the guardrails accept a name an object reads when a prerequisite declares it.
 */
export class Prerequisite {
  /**
   * The Kubernetes versions the cluster must run, from `min` to `max` (minor versions, e.g. `1.34`).
   * Two declarations of different ranges are both listed: the cluster must satisfy each.
   */
  public static kubernetesVersions(min: string, max: string, reason: string): Prerequisite {
    return new Prerequisite(PrerequisiteKind.KUBERNETES, `kubernetes:${min}-${max}`, `Kubernetes ${min} to ${max}`, reason, { min, max });
  }

  /** `operator` installed, at its version, with its CRDs. */
  public static operator(operator: Operator, reason: string): Prerequisite {
    const of = operator instanceof Operator ? operator : Operator.of(undefined as unknown as OperatorProps);
    return new Prerequisite(PrerequisiteKind.OPERATOR, `operator:${of.name}`, `${of.name} ${of.version}`, reason, {
      name: of.name,
      version: of.version,
      crds: [...of.crds],
      ...of.apiVersions.length > 0 ? { apiVersions: [...of.apiVersions] } : {},
      ...of.namespace !== undefined ? { namespace: of.namespace } : {},
      ...of.kubernetesVersions !== undefined ? { kubernetesVersions: of.kubernetesVersions } : {},
      ...of.docs !== undefined ? { docs: of.docs } : {},
    });
  }

  /** The cluster-scoped object `kind` `name` exists (a ClusterSecretStore, ClusterIssuer, StorageClass, ...). */
  public static clusterObject(kind: string, name: string, reason: string): Prerequisite {
    return new Prerequisite(PrerequisiteKind.CLUSTER_OBJECT, `${kind}/${name}`, `${kind} ${name}`, reason, { kind, name });
  }

  /** The namespaced object `kind` `namespace/name` exists, produced outside these manifests. */
  public static object(kind: string, namespace: string, name: string, reason: string): Prerequisite {
    return new Prerequisite(PrerequisiteKind.OBJECT, `${kind}/${namespace}/${name}`, `${kind} ${namespace}/${name}`, reason, { kind, namespace, name });
  }

  /** `component` is configured with `setting` (e.g. Prometheus selects `release: kube-prometheus-stack`). */
  public static controllerSetting(component: string, setting: string, reason: string): Prerequisite {
    return new Prerequisite(PrerequisiteKind.CONTROLLER_SETTING, `${component}:${setting}`, `${component}: ${setting}`, reason, { component, setting });
  }

  /** The key `key` (and its `property`, for structured secrets) exists in the backend of the secret store `storeKind` `storeName`. */
  public static secretStoreKey(storeKind: string, storeName: string, key: string, reason: string, property?: string): Prerequisite {
    const where = property !== undefined ? `${key} (property ${property})` : key;
    return new Prerequisite(PrerequisiteKind.SECRET_STORE_KEY, `${storeKind}/${storeName}:${key}:${property ?? ''}`, `${storeKind} ${storeName}: ${where}`,
      reason, { storeKind, storeName, key, ...property !== undefined ? { property } : {} });
  }

  /**
   * The DNS name `host` resolves to `target` (the cluster's entry: its load balancer or gateway address): a record
   * made by hand, or by `createdBy` (ExternalDNS) from the object that routes the host.
   */
  public static dnsRecord(host: string, target: string, reason: string, createdBy?: string): Prerequisite {
    return new Prerequisite(PrerequisiteKind.DNS_RECORD, `dns:${host}`, `${host} -> ${target}${createdBy !== undefined ? ` (${createdBy} creates it)` : ''}`, reason,
      { host, target, ...createdBy !== undefined ? { createdBy } : {} });
  }

  /** A fact about the cluster's network, e.g. `the API server endpoints are in 10.0.0.0/20, port 443`. */
  public static network(fact: string, reason: string): Prerequisite {
    return new Prerequisite(PrerequisiteKind.NETWORK, `network:${fact}`, fact, reason, { fact });
  }

  /**
   * The cloud identity `identity` of `provider` (an IAM role ARN, a Google service account, an Azure
   * client id) exists and trusts the ServiceAccount `namespace/serviceAccount` (IRSA, GKE or Azure workload identity).
   */
  public static cloudIdentity(provider: string, identity: string, namespace: string, serviceAccount: string, reason: string): Prerequisite {
    return new Prerequisite(PrerequisiteKind.CLOUD_IDENTITY, `identity:${provider}:${identity}:${namespace}/${serviceAccount}`,
      `${provider} ${identity} trusts ServiceAccount ${namespace}/${serviceAccount}`, reason, { provider, identity, namespace, serviceAccount });
  }

  /**
   * The identity provider whose issuer is `issuer` (an OpenID Connect issuer URL) has `requirement`: a client with a
   * redirect URI, a claim in its tokens, ...
   */
  public static identityProvider(issuer: string, requirement: string, reason: string): Prerequisite {
    return new Prerequisite(PrerequisiteKind.IDENTITY_PROVIDER, `idp:${issuer}:${requirement}`, `${issuer}: ${requirement}`, reason, { issuer, requirement });
  }

  /**
   * Declares that `scope` relies on `prerequisites`. The one place constructs (and users, for objects
   * they write by hand) record what the cluster must provide; the stage's prerequisites file and the
   * guardrails read the declarations back with {@link Prerequisite.declaredIn}.
   */
  public static declare(scope: IConstruct, ...prerequisites: Prerequisite[]): void {
    checkArgument(typeof scope?.node?.addMetadata === 'function', 'Prerequisite.declare', 'scope', scope, 'must be a construct: the one that relies on the prerequisites');
    prerequisites.forEach((prerequisite, i) => {
      check(prerequisite instanceof Prerequisite, scope, `prerequisites[${i}]`, prerequisite,
        'must be a Prerequisite (Prerequisite.operator, clusterObject, object, controllerSetting, secretStoreKey, dnsRecord, network, cloudIdentity or kubernetesVersions)');
      prerequisite.check(scope, `prerequisites[${i}]`);
    });
    for (const prerequisite of prerequisites) {
      scope.node.addMetadata(PREREQUISITE_METADATA, prerequisite);
    }
  }

  /** Every prerequisite declared at or below `root`, once per key, in tree order, with the paths that declared it. */
  public static declaredIn(root: IConstruct): DeclaredPrerequisite[] {
    const byKey = new Map<string, { prerequisite: Prerequisite; requiredBy: string[] }>();
    for (const construct of root.node.findAll()) {
      for (const entry of construct.node.metadata) {
        if (entry.type !== PREREQUISITE_METADATA) {
          continue;
        }
        const prerequisite = entry.data as Prerequisite;
        const declared = byKey.get(prerequisite.key);
        if (declared === undefined) {
          byKey.set(prerequisite.key, { prerequisite, requiredBy: [construct.node.path] });
        } else if (declared.requiredBy[declared.requiredBy.length - 1] !== construct.node.path) {
          // Each construct is visited once, so a path repeats only as the last one: no scan of the list, which
          // for a fact every workload declares (the cluster DNS) grows with the app.
          declared.requiredBy.push(construct.node.path);
        }
      }
    }
    return [...byKey.values()];
  }

  private constructor(
    /** What it asks of the cluster. */
    public readonly kind: PrerequisiteKind,
    /** Identifies the prerequisite: two constructs that need the same thing declare it once. */
    public readonly key: string,
    /** The prerequisite in one line, e.g. `ClusterIssuer letsencrypt-prod`. */
    public readonly title: string,
    /** Why the manifests need it. */
    public readonly reason: string,
    /** Its fields, for machines (the JSON file). */
    public readonly details: Readonly<Record<string, string | readonly string[]>>,
  ) {}

  /**
   * Checks the prerequisite, declared on `scope` as `prop`: text in every field (it is written to the
   * prerequisites file), versions of the form `1.34` in order, CRD names of the form `<plural>.<group>`,
   * an http(s) link to the docs.
   */
  private check(scope: IConstruct, prop: string): void {
    check(typeof this.reason === 'string' && this.reason.trim() !== '', scope, `${prop}.reason`, this.reason,
      'must say why the manifests need it: the prerequisites file states it');
    for (const [field, value] of Object.entries(this.details)) {
      const texts = Array.isArray(value) ? value : [value];
      check(Array.isArray(texts) && texts.every((t) => typeof t === 'string' && t.trim() !== ''), scope, `${prop}.${field}`, value,
        'must be text: the prerequisites file states it');
    }
    if (this.kind === PrerequisiteKind.KUBERNETES) {
      const [min, max] = [this.details.min, this.details.max].map((v) => (/^1\.[0-9]{1,3}$/.test(v as string) ? Number((v as string).slice(2)) : NaN));
      check(!Number.isNaN(min), scope, `${prop}.min`, this.details.min, 'must be a Kubernetes minor version such as \'1.34\'');
      check(!Number.isNaN(max) && max >= min, scope, `${prop}.max`, this.details.max,
        `must be a Kubernetes minor version such as '1.36', not before the oldest ('${this.details.min}')`);
    }
    for (const crd of this.kind === PrerequisiteKind.OPERATOR ? this.details.crds as readonly string[] : []) {
      check(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(crd), scope, `${prop}.crds`, crd, 'must be the name of a CustomResourceDefinition: <plural>.<group>');
    }
    const docs = this.details.docs;
    check(docs === undefined || /^https?:\/\/\S+$/.test(docs as string), scope, `${prop}.docs`, docs, 'must be an http or https link');
  }
}

/** A prerequisite with the construct paths that declared it. */
export interface DeclaredPrerequisite {
  /** The prerequisite (the first declaration of its key). */
  readonly prerequisite: Prerequisite;
  /** Construct paths of every declaration, in tree order. */
  readonly requiredBy: readonly string[];
}
