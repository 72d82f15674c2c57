import { Construct, IConstruct } from 'constructs';
import {
  SecretStore as SecretStoreResource, SecretStoreSpecProvider, SecretStoreSpecProviderAwsService, SecretStoreSpecProviderVaultVersion,
} from '../../imports/external-secrets.io';
import { checkAwsRegion, checkGoogleCloudProject } from '../core/cloud-ids';
import { check } from '../core/errors';
import { Kind, checkProps } from '../core/kinds';
import { nameFromId, resolveNamespace } from '../core/names';
import { Operator, Prerequisite } from '../core/prerequisites';
import { checkDnsSubdomain } from '../core/validate';

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

  /**
   * The store `store` declares in the manifests.
   * @internal
   */
  public static declaredBy(store: IConstruct & { readonly name: string }): SecretStoreRef {
    return new SecretStoreRef(store.name, SecretStoreKind.SECRET_STORE, store);
  }

  private constructor(
    /** Name of the store. */
    public readonly name: string,
    /** Kind of the store. */
    public readonly kind: SecretStoreKind,
    /** The construct that declares the store in the manifests, when one does. */
    public readonly declaredIn?: IConstruct,
  ) {}

  /**
   * What the cluster must provide for ExternalSecrets in `namespace` to read this store: nothing when
   * the manifests declare it, otherwise the store itself.
   * @internal
   */
  public prerequisites(namespace: string): Prerequisite[] {
    if (this.declaredIn !== undefined) {
      return [];
    }
    const reason = 'the ExternalSecrets read their values through it';
    return [this.kind === SecretStoreKind.CLUSTER_SECRET_STORE
      ? Prerequisite.clusterObject(this.kind, this.name, `${reason}; it admits namespace ${namespace}`)
      : Prerequisite.object(this.kind, namespace, this.name, reason)];
  }

  /**
   * How the prerequisites file names the store whose backend holds a key.
   * @internal
   */
  public qualifiedName(namespace: string): string {
    return this.kind === SecretStoreKind.CLUSTER_SECRET_STORE ? this.name : `${namespace}/${this.name}`;
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
      Kind.object('an AwsSecretsManagerOptions object (region, and optionally role and serviceAccountName)', {
        region: Kind.STRING,
        role: Kind.STRING.optional(),
        serviceAccountName: Kind.STRING.optional(),
      }).check(store, 'provider', options);
      checkAwsRegion(store, 'provider.region', options.region);
      if (options.serviceAccountName !== undefined) {
        useServiceAccount(store, options.serviceAccountName);
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
      Kind.object('a VaultOptions object (server, path, role, and optionally authMountPath and serviceAccountName)', {
        server: Kind.STRING,
        path: Kind.STRING,
        role: Kind.STRING,
        authMountPath: Kind.STRING.optional(),
        serviceAccountName: Kind.STRING.optional(),
      }).check(store, 'provider', options);
      check(/^https:\/\/[^/\s]+/.test(options.server), store, 'provider.server', options.server,
        'must be an https:// URL: the Vault token and the secrets cross the network');
      check(options.path.length > 0 && !options.path.startsWith('/'), store, 'provider.path', options.path,
        'must be the mount path of a KV v2 engine, without a leading \'/\'');
      check(options.role.length > 0, store, 'provider.role', options.role, 'must name the Vault role bound to the ServiceAccount');
      if (options.authMountPath !== undefined) {
        check(options.authMountPath.length > 0 && !options.authMountPath.startsWith('/'), store, 'provider.authMountPath', options.authMountPath,
          'must be the mount path of the Kubernetes auth method, without a leading \'/\'');
      }
      if (options.serviceAccountName !== undefined) {
        useServiceAccount(store, options.serviceAccountName);
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
      Kind.object('a GcpSecretManagerOptions object (projectId, and optionally serviceAccountName)', {
        projectId: Kind.STRING,
        serviceAccountName: Kind.STRING.optional(),
      }).check(store, 'provider', options);
      checkGoogleCloudProject(store, 'provider.projectId', options.projectId);
      if (options.serviceAccountName !== undefined) {
        useServiceAccount(store, options.serviceAccountName);
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

/** Checks the ServiceAccount a store authenticates as, and declares it: the manifests do not create it. */
function useServiceAccount(store: SecretStore, serviceAccountName: string): void {
  checkDnsSubdomain(store, 'provider.serviceAccountName', serviceAccountName);
  Prerequisite.declare(store, Prerequisite.object('ServiceAccount', store.namespace, serviceAccountName,
    'the SecretStore authenticates to its backend as this ServiceAccount (its cloud identity or Vault role)'));
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
    checkProps(this, props, {
      provider: Kind.instance(SecretStoreProvider, 'a SecretStoreProvider (SecretStoreProvider.awsSecretsManager, vault or gcpSecretManager)'),
      name: Kind.STRING.optional(),
      namespace: Kind.STRING.optional(),
    }, 'SecretStoreProps');
    this.name = props.name ?? nameFromId(id);
    checkDnsSubdomain(this, 'name', this.name);
    this.namespace = resolveNamespace(this, 'SecretStore', props.namespace, 'a SecretStore is namespaced');
    const provider = props.provider.render(this);

    this.ref = SecretStoreRef.declaredBy(this);
    this.resource = new SecretStoreResource(this, 'Resource', {
      metadata: { name: this.name, namespace: this.namespace },
      spec: { provider },
    });
    Prerequisite.declare(this, Prerequisite.operator(Operator.EXTERNAL_SECRETS, 'serves the SecretStore'));
  }
}
