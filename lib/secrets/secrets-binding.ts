import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { SealedSecret } from '../../imports/bitnami.com';
import {
  ExternalSecret,
  ExternalSecretSpec,
  ExternalSecretSpecSecretStoreRefKind,
  ExternalSecretSpecTargetCreationPolicy,
  ExternalSecretSpecTargetTemplateMergePolicy,
  SecretStore as SecretStoreResource,
  SecretStoreSpecProvider,
  SecretStoreSpecProviderAwsService,
  SecretStoreSpecProviderVaultVersion,
} from '../../imports/external-secrets.io';
import { check } from '../core/errors';
import { shortHash } from '../core/hashing';
import { recommendedLabels } from '../core/labels';
import { checkNoSecretLiteral } from '../core/leaks';
import { nameFromId, resolveNamespace } from '../core/names';
import { checkAbsolutePath, checkDnsLabel, checkDnsSubdomain, checkSecretKey } from '../core/validate';
import { EnvValue } from '../workload/env-value';
import { IWorkload } from '../workload/workload';

/** Kind of an External Secrets Operator store. */
export enum SecretStoreKind {
  /** A `SecretStore`: serves ExternalSecrets of its own namespace only. */
  SECRET_STORE = 'SecretStore',
  /** A `ClusterSecretStore`: cluster-wide, run by the platform team, serves the namespaces it admits. */
  CLUSTER_SECRET_STORE = 'ClusterSecretStore',
}

/**
 * A store the External Secrets Operator reads from, by name.
 * @see https://external-secrets.io/latest/api/secretstore/
 */
export class SecretStoreRef {
  /** The `SecretStore` called `name` in the binding's namespace. */
  public static namespaced(name: string): SecretStoreRef {
    return new SecretStoreRef(name, SecretStoreKind.SECRET_STORE);
  }

  /** The `ClusterSecretStore` called `name`. */
  public static cluster(name: string): SecretStoreRef {
    return new SecretStoreRef(name, SecretStoreKind.CLUSTER_SECRET_STORE);
  }

  private constructor(
    /** Name of the store. */
    public readonly name: string,
    /** Kind of the store. */
    public readonly kind: SecretStoreKind,
  ) {}
}

/** A secret in the store's backend (AWS Secrets Manager, Vault, ...). */
export interface RemoteSecretRef {
  /** Name or path of the secret in the backend, e.g. `aishell/production/jwt-secret`. */
  readonly key: string;
  /** Property of a structured (JSON) secret to read. @default - the whole value */
  readonly property?: string;
  /** Version of the secret. @default - the current version */
  readonly version?: string;
}

/** A structured (JSON) secret whose properties all become keys of the Secret (`dataFrom[].extract`). */
export interface SecretExtraction {
  /** The structured secret. */
  readonly from: RemoteSecretRef;
  /**
   * The properties it provides that workloads may bind. The operator copies every property, but
   * only these can be checked at synth, so only these can be bound.
   */
  readonly keys: string[];
}

/** Who owns the Secret the operator writes. `None` is not offered: a binding always needs a Secret. */
export enum CreationPolicy {
  /** The ExternalSecret creates and owns the Secret; deleting it deletes the Secret. */
  OWNER = 'Owner',
  /** The ExternalSecret creates the Secret and leaves it behind when deleted. */
  ORPHAN = 'Orphan',
  /** The Secret exists already (created by someone else); the keys are merged into it. */
  MERGE = 'Merge',
  /** The keys are merged into the Secret, which is created when missing. */
  CREATE_OR_MERGE = 'CreateOrMerge',
}

/** How a template's keys combine with the fetched keys. */
export enum TemplateMergePolicy {
  /** The Secret holds the template's keys only. */
  REPLACE = 'Replace',
  /** The Secret holds the fetched keys and the template's keys. */
  MERGE = 'Merge',
}

/**
 * The shape of the Secret the operator writes (`target.template`, engine v2).
 * @see https://external-secrets.io/latest/guides/templating/
 */
export interface SecretTemplate {
  /** Type of the Secret, e.g. `kubernetes.io/dockerconfigjson`. @default 'Opaque' */
  readonly type?: string;
  /** Keys of the Secret as Go templates over the fetched keys, e.g. `{ url: 'postgres://app:{{ .password }}@db/app' }`. @default - the fetched keys as they are */
  readonly data?: Record<string, string>;
  /** How the template's keys combine with the fetched keys. @default TemplateMergePolicy.REPLACE */
  readonly mergePolicy?: TemplateMergePolicy;
}

/** An `ExternalSecret`: the External Secrets Operator copies secrets from a store into a Secret. */
export interface ExternalSecretOptions {
  /** The store to read from. */
  readonly store: SecretStoreRef;
  /** Keys of the Secret, each read from one remote secret (`data[].remoteRef`). @default - none; `dataFrom` must map keys then */
  readonly data?: Record<string, RemoteSecretRef>;
  /** Structured secrets whose properties become keys (`dataFrom[].extract`). @default - none */
  readonly dataFrom?: SecretExtraction[];
  /**
   * How often the operator re-reads the store. A rotated value reaches mounted files without a
   * restart; env vars see it at the next rollout (the pods roll only when the binding itself changes).
   * @default Duration.hours(1)
   */
  readonly refreshInterval?: Duration;
  /** The shape of the Secret. @default - an Opaque Secret with the fetched keys */
  readonly template?: SecretTemplate;
  /** Who owns the Secret. @default CreationPolicy.OWNER */
  readonly creationPolicy?: CreationPolicy;
}

/** Which name and namespace a SealedSecret's ciphertext is bound to (chosen when sealing with `kubeseal --scope`). */
export enum SealingScope {
  /** Only this name in this namespace can decrypt it (`kubeseal --scope strict`). */
  STRICT = 'strict',
  /** Any name in this namespace (`kubeseal --scope namespace-wide`). */
  NAMESPACE_WIDE = 'namespace-wide',
  /** Any name in any namespace (`kubeseal --scope cluster-wide`). */
  CLUSTER_WIDE = 'cluster-wide',
}

/**
 * A `SealedSecret`: values encrypted with the cluster's Sealed Secrets key, safe to commit.
 * @see https://github.com/bitnami-labs/sealed-secrets#usage
 */
export interface SealedSecretOptions {
  /** Keys of the Secret and their ciphertext, as `kubeseal --raw` or `kubeseal -o yaml` prints it. */
  readonly encryptedData: Record<string, string>;
  /** The scope the values were sealed with. @default SealingScope.STRICT */
  readonly scope?: SealingScope;
  /** Type of the Secret. @default 'Opaque' */
  readonly type?: string;
}

/** What a {@link SecretSource} created for a binding. */
export interface BoundSecretSource {
  /** The keys the Secret will hold. */
  readonly keys: readonly string[];
  /** The object that produces the Secret, whose spec decides the Secret's content. */
  readonly resource: ExternalSecret | SealedSecret;
  /** The spec, hashed into the pods' annotation so that a change rolls them. */
  readonly spec: unknown;
}

/** Where the values of a {@link SecretsBinding} come from. */
export class SecretSource {
  /** An `ExternalSecret` (`external-secrets.io/v1`) reading from a SecretStore or ClusterSecretStore. */
  public static externalSecret(options: ExternalSecretOptions): SecretSource {
    return new SecretSource((binding) => bindExternalSecret(binding, options));
  }

  /** A `SealedSecret` (`bitnami.com/v1alpha1`) from values sealed with `kubeseal`. */
  public static sealed(options: SealedSecretOptions): SecretSource {
    return new SecretSource((binding) => bindSealedSecret(binding, options));
  }

  /**
   * Development only: placeholder values served by the External Secrets Operator's `fake` provider,
   * so that a development cluster runs without a secret backend. The values are written into the
   * manifests: never put a real credential here. The `no-placeholder-secrets` guardrail fails a
   * production synth with one.
   * @see https://external-secrets.io/latest/provider/fake/
   */
  public static devPlaceholders(values: Record<string, string>): SecretSource {
    return new SecretSource((binding) => bindPlaceholders(binding, values));
  }

  private constructor(private readonly binder: (binding: SecretsBinding) => BoundSecretSource) {}

  /** Validates the source and creates the objects that produce the Secret of `binding`. */
  public bind(binding: SecretsBinding): BoundSecretSource {
    return this.binder(binding);
  }
}

/** How a workload reads a bound Secret. */
export class SecretMount {
  /**
   * One read-only file per key under `mountPath`, with mode 0400. The kubelet gives the files to
   * group `fsGroup` and adds group read (0440), so the pod's non-root user, whose group is the
   * fsGroup in a ProductionApp, reads them and nobody else does. Files follow a rotated value
   * within a minute or so, without a restart.
   */
  public static files(mountPath: string, options: SecretFilesOptions = {}): SecretMount {
    return new SecretMount(mountPath, options.keys, []);
  }

  /** One environment variable per key, named like the key. Values are read at container start. */
  public static env(keys: string[]): SecretMount {
    return new SecretMount(undefined, keys, keys.map((key) => [key, key]));
  }

  /** Environment variables named differently from the keys: `{ DATABASE_PASSWORD: 'password' }`. */
  public static envAs(variables: Record<string, string>): SecretMount {
    return new SecretMount(undefined, Object.values(variables), Object.entries(variables));
  }

  private constructor(
    /** Where the files are mounted, when mounted as files. */
    public readonly mountPath: string | undefined,
    /** The keys read, or `undefined` for every key of the Secret. */
    public readonly keys: readonly string[] | undefined,
    /** Environment variables and the keys they read. */
    public readonly variables: ReadonlyArray<readonly [string, string]>,
  ) {}
}

/** Options of {@link SecretMount.files}. */
export interface SecretFilesOptions {
  /** The keys to mount, each as a file named like the key. @default - every key of the Secret */
  readonly keys?: string[];
}

/** Props of a {@link SecretsBinding}. */
export interface SecretsBindingProps {
  /** Where the values come from. */
  readonly source: SecretSource;
  /** Name of the Secret and of the object that produces it (DNS label). @default - the construct id in kebab-case */
  readonly name?: string;
  /** Namespace of the Secret; only pods of this namespace can read it. @default - the namespace of the chart */
  readonly namespace?: string;
  /** The application this is part of (`app.kubernetes.io/part-of`). @default - no part-of label */
  readonly partOf?: string;
}

/** Mode of secret files: read for the owner; the kubelet adds group read for the pod's fsGroup. */
const FILE_MODE = 0o400;
/** Annotation prefix of the pod template's per-binding checksums. */
const CHECKSUM_ANNOTATION = 'secrets.cdk8s-golden-path';
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/**
 * Shortest kubeseal output: 2 length bytes, a 2048-bit RSA-OAEP session key (256 bytes) and the
 * AES-GCM tag (16 bytes), base64-encoded. Anything shorter was not sealed.
 */
const MIN_SEALED_LENGTH = 368;
const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const GCP_PROJECT = /^[a-z][-a-z0-9]{4,28}[a-z0-9]$/;

/**
 * Secrets that never sit in git, bound into workloads: a Secret produced in the cluster by the
 * External Secrets Operator or Sealed Secrets, mounted into a workload (a `ProductionApp`, or any
 * {@link IWorkload}) as files or environment variables with `bindTo`. Keys a workload asks for that the source does not provide
 * fail at synth, and pods roll when the binding changes.
 */
export class SecretsBinding extends Construct {
  /** Name of the Secret. */
  public readonly name: string;
  /** Namespace of the Secret. */
  public readonly namespace: string;
  /** The keys the Secret holds. */
  public readonly keys: readonly string[];
  /** The ExternalSecret or SealedSecret that produces the Secret. */
  public readonly resource: ExternalSecret | SealedSecret;
  /** Labels of the binding's objects. */
  public readonly labels: Record<string, string>;

  private readonly checksum: string;

  public constructor(scope: Construct, id: string, props: SecretsBindingProps) {
    super(scope, id);

    this.name = props.name ?? nameFromId(id);
    checkDnsLabel(this, 'name', this.name);
    this.namespace = resolveNamespace(this, 'SecretsBinding', props.namespace, 'a Secret belongs to the namespace of the pods that read it');
    this.labels = recommendedLabels({ name: this.name, instance: this.name, component: 'secrets', partOf: props.partOf });

    const bound = props.source.bind(this);
    this.keys = bound.keys;
    this.resource = bound.resource;
    this.checksum = shortHash(JSON.stringify(bound.spec), 16);
  }

  /**
   * Mounts the Secret into `workload` as `mount` says, annotates its pods with a checksum of the
   * binding so that they roll when it changes, and orders the binding before the workload in the manifests.
   */
  public bindTo(workload: IWorkload, mount: SecretMount): void {
    check(workload.namespace === this.namespace, this, 'bindTo.app', workload.node.path,
      `must run in namespace '${this.namespace}': pods read Secrets of their own namespace only`);
    for (const key of mount.keys ?? []) {
      check(this.keys.includes(key), this, 'bindTo.mount.keys', key,
        `is not a key the source provides (${this.keys.join(', ')}): map it in the source or drop it from the mount`);
    }
    if (mount.mountPath !== undefined) {
      checkAbsolutePath(this, 'bindTo.mount.mountPath', mount.mountPath);
      workload.addVolume({
        name: this.name,
        mountPath: mount.mountPath,
        readOnly: true,
        source: {
          secret: {
            secretName: this.name,
            defaultMode: FILE_MODE,
            items: mount.keys?.map((key) => ({ key, path: key })),
          },
        },
      });
    }
    for (const [variable, key] of mount.variables) {
      workload.addEnv(variable, EnvValue.fromSecret(this.name, key));
    }
    workload.addPodAnnotation(`${CHECKSUM_ANNOTATION}/${this.name}`, this.checksum);
    workload.node.addDependency(this);
  }
}

/** A provider a {@link SecretStore} connects to. */
export class SecretStoreProvider {
  /**
   * AWS Secrets Manager in `region`. The operator authenticates as `serviceAccountName` (IRSA or
   * EKS Pod Identity on that ServiceAccount), else with its own identity.
   * @see https://external-secrets.io/latest/provider/aws-secrets-manager/
   */
  public static awsSecretsManager(options: AwsSecretsManagerOptions): SecretStoreProvider {
    return new SecretStoreProvider((store) => {
      check(AWS_REGION.test(options.region), store, 'provider.region', options.region, 'must be an AWS region such as eu-west-1');
      if (options.serviceAccountName !== undefined) {
        checkDnsSubdomain(store, 'provider.serviceAccountName', options.serviceAccountName);
      }
      if (options.role !== undefined) {
        check(options.role.startsWith('arn:'), store, 'provider.role', options.role, 'must be the ARN of an IAM role');
      }
      return {
        aws: {
          service: SecretStoreSpecProviderAwsService.SECRETS_MANAGER,
          region: options.region,
          role: options.role,
          auth: options.serviceAccountName !== undefined
            ? { jwt: { serviceAccountRef: { name: options.serviceAccountName } } }
            : undefined,
        },
      };
    });
  }

  /**
   * A HashiCorp Vault (or OpenBao) KV v2 engine, with Kubernetes authentication.
   * @see https://external-secrets.io/latest/provider/hashicorp-vault/
   */
  public static vault(options: VaultOptions): SecretStoreProvider {
    return new SecretStoreProvider((store) => {
      check(/^https:\/\/[^/\s]+/.test(options.server), store, 'provider.server', options.server,
        'must be an https:// URL: the Vault token and the secrets cross the network');
      check(options.path.length > 0 && !options.path.startsWith('/'), store, 'provider.path', options.path,
        'must be the mount path of a KV v2 engine, without a leading \'/\'');
      check(options.role.length > 0, store, 'provider.role', options.role, 'must name the Vault role bound to the ServiceAccount');
      if (options.serviceAccountName !== undefined) {
        checkDnsSubdomain(store, 'provider.serviceAccountName', options.serviceAccountName);
      }
      return {
        vault: {
          server: options.server,
          path: options.path,
          version: SecretStoreSpecProviderVaultVersion.V2,
          auth: {
            kubernetes: {
              mountPath: options.authMountPath ?? 'kubernetes',
              role: options.role,
              serviceAccountRef: options.serviceAccountName !== undefined ? { name: options.serviceAccountName } : undefined,
            },
          },
        },
      };
    });
  }

  /**
   * Google Secret Manager of `projectId`, with GKE Workload Identity.
   * @see https://external-secrets.io/latest/provider/google-secrets-manager/
   */
  public static gcpSecretManager(options: GcpSecretManagerOptions): SecretStoreProvider {
    return new SecretStoreProvider((store) => {
      check(GCP_PROJECT.test(options.projectId), store, 'provider.projectId', options.projectId,
        'must be a Google Cloud project id: 6 to 30 lowercase letters, digits and \'-\', starting with a letter');
      if (options.serviceAccountName !== undefined) {
        checkDnsSubdomain(store, 'provider.serviceAccountName', options.serviceAccountName);
      }
      return {
        gcpsm: {
          projectId: options.projectId,
          auth: options.serviceAccountName !== undefined
            ? { workloadIdentity: { serviceAccountRef: { name: options.serviceAccountName } } }
            : undefined,
        },
      };
    });
  }

  private constructor(private readonly renderer: (store: SecretStore) => SecretStoreSpecProvider) {}

  /** Validates the provider against `store` and renders it. */
  public render(store: SecretStore): SecretStoreSpecProvider {
    return this.renderer(store);
  }
}

/** Options of {@link SecretStoreProvider.awsSecretsManager}. */
export interface AwsSecretsManagerOptions {
  /** AWS region of the secrets, e.g. `eu-west-1`. */
  readonly region: string;
  /** IAM role to assume after authenticating. @default - no role assumed */
  readonly role?: string;
  /** ServiceAccount (in the store's namespace) whose IRSA identity reads the secrets. @default - the operator's own identity */
  readonly serviceAccountName?: string;
}

/** Options of {@link SecretStoreProvider.vault}. */
export interface VaultOptions {
  /** Address of the Vault server, `https://...`. */
  readonly server: string;
  /** Mount path of the KV v2 engine, e.g. `secret`. */
  readonly path: string;
  /** Vault role of the Kubernetes auth method. */
  readonly role: string;
  /** Mount path of the Kubernetes auth method. @default 'kubernetes' */
  readonly authMountPath?: string;
  /** ServiceAccount (in the store's namespace) that logs in to Vault. @default - the operator's own ServiceAccount */
  readonly serviceAccountName?: string;
}

/** Options of {@link SecretStoreProvider.gcpSecretManager}. */
export interface GcpSecretManagerOptions {
  /** Google Cloud project that holds the secrets. */
  readonly projectId: string;
  /** ServiceAccount (in the store's namespace) bound to a Google service account by Workload Identity. @default - the operator's own identity */
  readonly serviceAccountName?: string;
}

/** Props of a {@link SecretStore}. */
export interface SecretStoreProps {
  /** The backend the store reads from. */
  readonly provider: SecretStoreProvider;
  /** Name of the store (DNS subdomain). @default - the construct id in kebab-case */
  readonly name?: string;
  /** Namespace of the store; it serves ExternalSecrets of this namespace only. @default - the namespace of the chart */
  readonly namespace?: string;
}

/**
 * A namespaced External Secrets `SecretStore` for one of the common providers. Cluster-wide stores
 * belong to the platform team's cluster setup; reference one with {@link SecretStoreRef.cluster}.
 * @see https://external-secrets.io/latest/api/secretstore/
 */
export class SecretStore extends Construct {
  /** Name of the store. */
  public readonly name: string;
  /** Namespace of the store. */
  public readonly namespace: string;
  /** The store, for {@link ExternalSecretOptions.store}. */
  public readonly ref: SecretStoreRef;
  /** The SecretStore object. */
  public readonly resource: SecretStoreResource;

  public constructor(scope: Construct, id: string, props: SecretStoreProps) {
    super(scope, id);
    this.name = props.name ?? nameFromId(id);
    checkDnsSubdomain(this, 'name', this.name);
    this.namespace = resolveNamespace(this, 'SecretStore', props.namespace, 'a SecretStore is namespaced');
    const provider = props.provider.render(this);

    this.ref = SecretStoreRef.namespaced(this.name);
    this.resource = new SecretStoreResource(this, 'Resource', {
      metadata: { name: this.name, namespace: this.namespace },
      spec: { provider },
    });
  }
}

function bindExternalSecret(binding: SecretsBinding, options: ExternalSecretOptions): BoundSecretSource {
  const data = Object.entries(options.data ?? {});
  const extractions = options.dataFrom ?? [];
  const refresh = options.refreshInterval ?? Duration.hours(1);
  const template = options.template;
  const mergePolicy = template?.mergePolicy ?? TemplateMergePolicy.REPLACE;

  checkDnsSubdomain(binding, 'source.store.name', options.store.name);
  check(data.length > 0 || extractions.length > 0, binding, 'source.data', options.data,
    'must map at least one key, in \'data\' or \'dataFrom\'');
  const fetched: string[] = [];
  for (const [key, ref] of data) {
    checkSecretKey(binding, `source.data.${key}`, key);
    checkRemoteRef(binding, `source.data.${key}.key`, ref);
    fetched.push(key);
  }
  extractions.forEach((extraction, i) => {
    checkRemoteRef(binding, `source.dataFrom[${i}].from.key`, extraction.from);
    check(extraction.keys.length > 0, binding, `source.dataFrom[${i}].keys`, extraction.keys,
      'must list the properties workloads may bind: they cannot be known at synth otherwise');
    for (const key of extraction.keys) {
      checkSecretKey(binding, `source.dataFrom[${i}].keys`, key);
      check(!fetched.includes(key), binding, `source.dataFrom[${i}].keys`, key, 'is mapped twice: each key has one source');
      fetched.push(key);
    }
  });
  check(Number.isInteger(refresh.toSeconds()) && refresh.toSeconds() >= 60, binding, 'source.refreshInterval', `${refresh.toSeconds()}s`,
    'must be a whole number of seconds, at least one minute: shorter intervals spend the backend\'s API quota');
  const templateKeys = Object.keys(template?.data ?? {});
  for (const [key, value] of Object.entries(template?.data ?? {})) {
    checkSecretKey(binding, `source.template.data.${key}`, key);
    if (!value.includes('{{')) {
      checkNoSecretLiteral(binding, `source.template.data.${key}`, key, value);
    }
  }
  const keys = templateKeys.length === 0 || mergePolicy === TemplateMergePolicy.MERGE
    ? [...new Set([...fetched, ...templateKeys])]
    : templateKeys;

  const spec: ExternalSecretSpec = {
    secretStoreRef: {
      name: options.store.name,
      kind: options.store.kind === SecretStoreKind.CLUSTER_SECRET_STORE
        ? ExternalSecretSpecSecretStoreRefKind.CLUSTER_SECRET_STORE
        : ExternalSecretSpecSecretStoreRefKind.SECRET_STORE,
    },
    refreshInterval: goDuration(refresh.toSeconds()),
    target: {
      name: binding.name,
      creationPolicy: creationPolicyOf(options.creationPolicy ?? CreationPolicy.OWNER),
      template: template !== undefined
        ? {
          type: template.type ?? 'Opaque',
          data: template.data,
          mergePolicy: mergePolicy === TemplateMergePolicy.MERGE
            ? ExternalSecretSpecTargetTemplateMergePolicy.MERGE
            : ExternalSecretSpecTargetTemplateMergePolicy.REPLACE,
        }
        : undefined,
    },
    data: data.length > 0
      ? data.map(([secretKey, ref]) => ({ secretKey, remoteRef: { key: ref.key, property: ref.property, version: ref.version } }))
      : undefined,
    dataFrom: extractions.length > 0
      ? extractions.map(({ from }) => ({ extract: { key: from.key, property: from.property, version: from.version } }))
      : undefined,
  };
  const resource = new ExternalSecret(binding, 'Resource', {
    metadata: { name: binding.name, namespace: binding.namespace, labels: binding.labels },
    spec,
  });
  return { keys, resource, spec };
}

function bindSealedSecret(binding: SecretsBinding, options: SealedSecretOptions): BoundSecretSource {
  const entries = Object.entries(options.encryptedData);
  const scope = options.scope ?? SealingScope.STRICT;
  check(entries.length > 0, binding, 'source.encryptedData', options.encryptedData, 'must hold at least one key');
  for (const [key, ciphertext] of entries) {
    checkSecretKey(binding, `source.encryptedData.${key}`, key);
    check(BASE64.test(ciphertext) && ciphertext.length % 4 === 0 && ciphertext.length >= MIN_SEALED_LENGTH, binding,
      `source.encryptedData.${key}`, '<redacted>',
      `must be kubeseal output: base64 ciphertext of at least ${MIN_SEALED_LENGTH} characters; a shorter value was not sealed and would be committed in the clear`);
  }

  const annotations = scope === SealingScope.STRICT ? undefined : { [`sealedsecrets.bitnami.com/${scope}`]: 'true' };
  const spec = {
    encryptedData: Object.fromEntries(entries),
    template: {
      type: options.type ?? 'Opaque',
      metadata: { labels: binding.labels },
    },
  };
  const resource = new SealedSecret(binding, 'Resource', {
    metadata: { name: binding.name, namespace: binding.namespace, labels: binding.labels, annotations },
    spec,
  });
  return { keys: entries.map(([key]) => key), resource, spec };
}

function bindPlaceholders(binding: SecretsBinding, values: Record<string, string>): BoundSecretSource {
  const entries = Object.entries(values).sort(([a], [b]) => a.localeCompare(b));
  check(entries.length > 0, binding, 'source.values', values, 'must hold at least one key');
  for (const [key] of entries) {
    checkSecretKey(binding, `source.values.${key}`, key);
  }

  const store = new SecretStoreResource(binding, 'Store', {
    metadata: { name: `${binding.name}-placeholders`, namespace: binding.namespace, labels: binding.labels },
    spec: { provider: { fake: { data: entries.map(([key, value]) => ({ key, value })) } } },
  });
  const spec: ExternalSecretSpec = {
    secretStoreRef: { name: store.name, kind: ExternalSecretSpecSecretStoreRefKind.SECRET_STORE },
    refreshInterval: goDuration(Duration.hours(1).toSeconds()),
    target: { name: binding.name, creationPolicy: ExternalSecretSpecTargetCreationPolicy.OWNER },
    data: entries.map(([key]) => ({ secretKey: key, remoteRef: { key } })),
  };
  const resource = new ExternalSecret(binding, 'Resource', {
    metadata: { name: binding.name, namespace: binding.namespace, labels: binding.labels },
    spec,
  });
  return { keys: entries.map(([key]) => key), resource, spec: { spec, values: Object.fromEntries(entries) } };
}

function checkRemoteRef(binding: SecretsBinding, prop: string, ref: RemoteSecretRef): void {
  check(ref.key.trim().length > 0, binding, prop, ref.key, 'must name a secret of the store\'s backend');
}

function creationPolicyOf(policy: CreationPolicy): ExternalSecretSpecTargetCreationPolicy {
  switch (policy) {
    case CreationPolicy.ORPHAN: return ExternalSecretSpecTargetCreationPolicy.ORPHAN;
    case CreationPolicy.MERGE: return ExternalSecretSpecTargetCreationPolicy.MERGE;
    case CreationPolicy.CREATE_OR_MERGE: return ExternalSecretSpecTargetCreationPolicy.CREATE_OR_MERGE;
    default: return ExternalSecretSpecTargetCreationPolicy.OWNER;
  }
}

/** Seconds as a Go duration, the format of the operator's intervals: 3600 gives `1h`, 5400 gives `1h30m`. */
function goDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${h > 0 ? `${h}h` : ''}${m > 0 ? `${m}m` : ''}${s > 0 ? `${s}s` : ''}`;
}

