import { Cpu } from 'cdk8s-plus-28';
import { Size } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import {
  ObjectStore, ObjectStoreSpecConfiguration, ObjectStoreSpecConfigurationDataCompression, ObjectStoreSpecConfigurationWalCompression,
  ObjectStoreSpecInstanceSidecarConfigurationResourcesLimits, ObjectStoreSpecInstanceSidecarConfigurationResourcesRequests,
} from '../../imports/barmancloud.cnpg.io';
import { checkAwsRegion, checkAzureClientId, checkGoogleServiceAccount, checkIamRoleArn } from '../core/cloud-ids';
import { check } from '../core/errors';
import { Kind, Kinds } from '../core/kinds';
import { checkPort } from '../core/validate';
import { NETWORK_PEER_KIND, checkNetworkPeer } from '../network/_checks';
import { NetworkPeer } from '../network/network-peer';
import { ContainerResources, renderResources } from '../workload/resources';
import { ISecretProducer, checkSecretProducer } from '../workload/secret-producer';
import { SECRET_KEY } from './_cnpg';

/** Options of {@link ObjectStoreCredentials.s3}: an access key pair in a Secret the manifests produce. */
export interface S3CredentialsOptions {
  /** The Secret that holds the access key: a `SecretsBinding` in the database's namespace, holding every key named here. */
  readonly secret: ISecretProducer;
  /** Key of the access key id. @default 'ACCESS_KEY_ID' */
  readonly accessKeyIdKey?: string;
  /** Key of the secret access key. @default 'ACCESS_SECRET_KEY' */
  readonly secretAccessKeyKey?: string;
  /** Key of the region, for stores that need one. @default - no region */
  readonly regionKey?: string;
}

/** Options of {@link ObjectStoreCredentials.googleCloud}: a service-account key in a Secret the manifests produce. */
export interface GoogleCloudCredentialsOptions {
  /** The Secret that holds the key: a `SecretsBinding` in the database's namespace. */
  readonly secret: ISecretProducer;
  /** Key of the service-account key (JSON). @default 'credentials.json' */
  readonly key?: string;
}

/** Options of {@link ObjectStoreCredentials.azure}: a storage account name and key in a Secret the manifests produce. */
export interface AzureCredentialsOptions {
  /** The Secret that holds them: a `SecretsBinding` in the database's namespace. */
  readonly secret: ISecretProducer;
  /** Key of the storage account name. @default 'AZURE_STORAGE_ACCOUNT' */
  readonly storageAccountKey?: string;
  /** Key of the storage account key. @default 'AZURE_STORAGE_KEY' */
  readonly storageKeyKey?: string;
}

/** A cloud identity the Cluster's ServiceAccount assumes: what the ServiceAccount and the pods carry, and what the cloud must grant. */
export interface CloudIdentity {
  /** The provider's name for the identity, in the prerequisites file, e.g. `AWS IAM role`. */
  readonly provider: string;
  /** The identity: a role ARN, a Google service account, an Azure client id. */
  readonly id: string;
  /** Annotations of the Cluster's ServiceAccount (`serviceAccountTemplate`). */
  readonly serviceAccountAnnotations: Readonly<Record<string, string>>;
  /** Labels of the instance pods (`inheritedMetadata`), for identity webhooks that select pods by label. */
  readonly podLabels: Readonly<Record<string, string>>;
  /** How the identity trusts the ServiceAccount, in words. */
  readonly trust: string;
  /** Where the pods fetch the identity's tokens besides the object store, when elsewhere. */
  readonly tokenEndpoints: ReadonlyArray<{ readonly peer: NetworkPeer; readonly port: number }>;
  /** The admission webhook that hands the pods their token, when one must run in the cluster. */
  readonly webhook?: string;
}

/**
 * How the backup sidecar authenticates to the object store: with keys in a Secret that a
 * `SecretsBinding` of the manifests produces (never a Secret name, which nothing would produce), or
 * with the cloud's workload identity through the Cluster's ServiceAccount.
 * @see https://cloudnative-pg.io/plugin-barman-cloud/docs/object_stores/
 */
export class ObjectStoreCredentials {
  /** An access key pair in a Secret, for AWS S3 and S3-compatible stores. */
  public static s3(options: S3CredentialsOptions): ObjectStoreCredentials {
    const keys: Record<string, string> = {
      accessKeyIdKey: options?.accessKeyIdKey ?? 'ACCESS_KEY_ID',
      secretAccessKeyKey: options?.secretAccessKeyKey ?? 'ACCESS_SECRET_KEY',
      ...options?.regionKey !== undefined ? { regionKey: options.regionKey } : {},
    };
    const ref = (key: string) => ({ name: options?.secret?.name, key });
    return new ObjectStoreCredentials('S3', 's3://', {
      s3Credentials: {
        accessKeyId: ref(keys.accessKeyIdKey),
        secretAccessKey: ref(keys.secretAccessKeyKey),
        region: options?.regionKey !== undefined ? ref(options.regionKey) : undefined,
      },
    }, { producer: options?.secret as ISecretProducer, keys });
  }

  /**
   * The IAM role `roleArn`, assumed through EKS IAM roles for service accounts (IRSA): the Cluster's
   * ServiceAccount carries `eks.amazonaws.com/role-arn`, and the role must trust it.
   * @see https://docs.aws.amazon.com/eks/latest/userguide/iam-roles-for-service-accounts.html
   */
  public static awsIamRole(roleArn: string): ObjectStoreCredentials {
    return new ObjectStoreCredentials('S3', 's3://', { s3Credentials: { inheritFromIamRole: true } }, undefined, {
      provider: 'AWS IAM role',
      id: roleArn,
      serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': roleArn },
      podLabels: {},
      trust: 'its trust policy admits the ServiceAccount through the cluster\'s OIDC provider (IRSA), and it may write the bucket',
      // AWS STS answers on public addresses, port 443: the default object store peer allows it, and so does the one
      // derived from the bucket's region, which names the regional STS endpoint.
      tokenEndpoints: [],
    }, (scope, prop) => checkIamRoleArn(scope, `${prop}.roleArn`, roleArn));
  }

  /** A Google Cloud service-account key (JSON) in a Secret. */
  public static googleCloud(options: GoogleCloudCredentialsOptions): ObjectStoreCredentials {
    const key = options?.key ?? 'credentials.json';
    return new ObjectStoreCredentials('Google Cloud Storage', 'gs://',
      { googleCredentials: { applicationCredentials: { name: options?.secret?.name, key } } }, { producer: options?.secret as ISecretProducer, keys: { key } });
  }

  /**
   * The Google service account `serviceAccount` (`name@project.iam.gserviceaccount.com`), assumed through
   * GKE Workload Identity: the Cluster's ServiceAccount carries `iam.gke.io/gcp-service-account`, and the
   * Google service account grants it `roles/iam.workloadIdentityUser`.
   * @see https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity
   */
  public static gkeWorkloadIdentity(serviceAccount: string): ObjectStoreCredentials {
    return new ObjectStoreCredentials('Google Cloud Storage', 'gs://', { googleCredentials: { gkeEnvironment: true } }, undefined, {
      provider: 'Google service account',
      id: serviceAccount,
      serviceAccountAnnotations: { 'iam.gke.io/gcp-service-account': serviceAccount },
      podLabels: {},
      trust: 'it grants the ServiceAccount roles/iam.workloadIdentityUser (GKE Workload Identity), and it may write the bucket',
      // The GKE metadata server, which hands out the tokens, answers on the node at the metadata address, over HTTP.
      tokenEndpoints: [{ peer: NetworkPeer.ipBlock('169.254.169.254/32'), port: 80 }],
    }, (scope, prop) => checkGoogleServiceAccount(scope, `${prop}.serviceAccount`, serviceAccount));
  }

  /** An Azure storage account name and key in a Secret. */
  public static azure(options: AzureCredentialsOptions): ObjectStoreCredentials {
    const keys = { storageAccountKey: options?.storageAccountKey ?? 'AZURE_STORAGE_ACCOUNT', storageKeyKey: options?.storageKeyKey ?? 'AZURE_STORAGE_KEY' };
    return new ObjectStoreCredentials('Azure Blob Storage', 'https://', {
      azureCredentials: {
        storageAccount: { name: options?.secret?.name, key: keys.storageAccountKey },
        storageKey: { name: options?.secret?.name, key: keys.storageKeyKey },
      },
    }, { producer: options?.secret as ISecretProducer, keys });
  }

  /**
   * The Microsoft Entra application or managed identity `clientId`, assumed through Azure Workload
   * Identity (`inheritFromAzureAD`): the Cluster's ServiceAccount carries `azure.workload.identity/client-id`,
   * the instance pods the label `azure.workload.identity/use: "true"` that the identity webhook selects
   * by, and the identity has a federated credential for the ServiceAccount.
   * @see https://azure.github.io/azure-workload-identity/docs/
   */
  public static azureWorkloadIdentity(clientId: string): ObjectStoreCredentials {
    return new ObjectStoreCredentials('Azure Blob Storage', 'https://', { azureCredentials: { inheritFromAzureAd: true } }, undefined, {
      provider: 'Azure managed identity (client id)',
      id: clientId,
      serviceAccountAnnotations: { 'azure.workload.identity/client-id': clientId },
      podLabels: { 'azure.workload.identity/use': 'true' },
      trust: 'it has a federated credential for the ServiceAccount (Azure Workload Identity, whose webhook runs in the cluster), and it may write the container',
      // Microsoft Entra ID answers on public addresses, port 443, as the default object store peer allows.
      tokenEndpoints: [],
      webhook: 'Azure Workload Identity webhook (the AKS add-on or the azure-workload-identity chart)',
    }, (scope, prop) => checkAzureClientId(scope, `${prop}.clientId`, clientId));
  }

  private constructor(
    /** The storage service, for messages. */
    public readonly provider: string,
    /** How destination paths on this service start. */
    public readonly destinationScheme: string,
    /** The credentials part of the ObjectStore configuration. */
    public readonly configuration: Partial<ObjectStoreSpecConfiguration>,
    /** The Secret the credentials come from, and the keys read from it by the option that named them, when they come from one. */
    public readonly secret: { readonly producer: ISecretProducer; readonly keys: Readonly<Record<string, string>> } | undefined,
    /** The cloud identity the Cluster's ServiceAccount assumes, when credentials come from one. */
    public readonly identity?: CloudIdentity,
    private readonly checkIdentity?: (scope: IConstruct, prop: string) => void,
  ) {}

  /**
   * Checks the credentials given to `scope` as `prop`, for a database in `namespace`: a Secret in that
   * namespace holding every key named, or a well-formed identity.
   * @internal
   */
  public check(scope: IConstruct, prop: string, namespace: string): void {
    if (this.secret !== undefined) {
      for (const [option, key] of Object.entries(this.secret.keys)) {
        check(typeof key === 'string' && SECRET_KEY.test(key), scope, `${prop}.${option}`, key, 'must be a Secret key: letters, digits, \'-\', \'_\' and \'.\'');
      }
      checkSecretProducer(scope, prop, this.secret.producer, namespace, this.secret.keys, 'the backup plugin');
    }
    this.checkIdentity?.(scope, prop);
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
   * AWS region of the S3 bucket, e.g. `eu-west-1`: the backup sidecar's `AWS_DEFAULT_REGION`, so that
   * barman-cloud (botocore) addresses the bucket at its regional endpoint, and the host the database's
   * egress names when `endpoint` is not given. Without a region botocore starts at the global endpoint
   * (`<bucket>.s3.amazonaws.com`) and follows S3's redirect to the bucket's region.
   * @default - the region of the credentials' `regionKey`, or none
   */
  readonly region?: string;
  /**
   * Where the object store answers, for the egress of the database pods, e.g.
   * `NetworkPeer.domain('backups.s3.eu-west-1.amazonaws.com')` (reached by name through the database's
   * `egressEngine`) or an address block. With an IAM role, name the STS endpoint too.
   * @default - with an S3 `region` and no `endpointUrl`, the host botocore addresses, by name:
   * `<bucket>.s3.<region>.amazonaws.com` (virtual-hosted; a bucket name with dots is addressed path-style at
   * `s3.<region>.amazonaws.com`), and `sts.<region>.amazonaws.com` with an IAM role; otherwise every address
   * outside the private ranges (10/8, 172.16/12, 192.168/16), which guardrail `network-egress-open` fails in production
   */
  readonly endpoint?: NetworkPeer;
  /** Port of the object store. @default 443 */
  readonly endpointPort?: number;
}

/** A bucket name botocore addresses virtual-hosted over HTTPS: one DNS label of 3 to 63 characters, not an address (`aws.isVirtualHostableS3Bucket`). */
const VIRTUAL_HOSTABLE_BUCKET = /^[a-z0-9]([-a-z0-9]{1,61}[a-z0-9])$/;
const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];
/** The backup sidecar compresses and uploads; it needs little CPU but room for barman-cloud's buffers. */
const SIDECAR_RESOURCES: ContainerResources = {
  cpu: { request: Cpu.millis(100), limit: Cpu.units(1) },
  memory: { request: Size.mebibytes(128), limit: Size.mebibytes(512) },
  ephemeralStorage: { request: Size.mebibytes(64), limit: Size.mebibytes(512) },
};

/**
 * Checks where an object store is (`prop` is `backup` or `recovery`) and the credentials that reach it
 * from a database in `namespace`.
 * @internal
 */
export function checkObjectStore(scope: IConstruct, prop: string, location: ObjectStoreLocation, namespace: string): void {
  const credentials = location.credentials;
  OBJECT_STORE_CREDENTIALS_KIND.check(scope, `${prop}.credentials`, credentials);
  Kind.STRING.check(scope, `${prop}.destinationPath`, location.destinationPath);
  check(location.destinationPath.startsWith(credentials.destinationScheme) && location.destinationPath.length > credentials.destinationScheme.length,
    scope, `${prop}.destinationPath`, location.destinationPath, `must start with ${credentials.destinationScheme} for ${credentials.provider} credentials`);
  if (location.endpointUrl !== undefined) {
    check(/^https:\/\/[^\s/]+/.test(location.endpointUrl), scope, `${prop}.endpointUrl`, location.endpointUrl,
      'must be an https:// URL: backups carry every row of the database');
  }
  credentials.check(scope, `${prop}.credentials`, namespace);
  if (location.region !== undefined) {
    check(credentials.destinationScheme === 's3://', scope, `${prop}.region`, location.region, `is an AWS region: ${credentials.provider} credentials take none`);
    checkAwsRegion(scope, `${prop}.region`, location.region);
    check(credentials.secret?.keys.regionKey === undefined, scope, `${prop}.region`, location.region,
      'must not be given with \'credentials.regionKey\': the backup sidecar reads one region, and the Secret\'s would win');
  }
  if (location.endpointPort !== undefined) {
    checkPort(scope, `${prop}.endpointPort`, location.endpointPort);
  }
  if (location.endpoint !== undefined) {
    checkNetworkPeer(scope, `${prop}.endpoint`, location.endpoint);
  }
}

/**
 * {@link ObjectStoreCredentials}, as a prop's kind.
 * @internal
 */
export const OBJECT_STORE_CREDENTIALS_KIND = Kind.instance(ObjectStoreCredentials,
  'an ObjectStoreCredentials (ObjectStoreCredentials.s3, awsIamRole, googleCloud, gkeWorkloadIdentity, azure or azureWorkloadIdentity)');

/**
 * The kinds of the props of an {@link ObjectStoreLocation}, which backups and recovery share.
 * @internal
 */
export const OBJECT_STORE_LOCATION_KINDS: Kinds<ObjectStoreLocation> = {
  destinationPath: Kind.STRING,
  credentials: OBJECT_STORE_CREDENTIALS_KIND,
  endpointUrl: Kind.STRING.optional(),
  region: Kind.STRING.optional(),
  endpoint: NETWORK_PEER_KIND.optional(),
  endpointPort: Kind.NUMBER.optional(),
};


/**
 * The Barman Cloud plugin's ObjectStore for `location`, keeping backups for `retention` (e.g. `30d`) when given.
 * @internal
 */
export function addObjectStore(scope: Construct, id: string, metadata: { name: string; namespace: string; labels: Record<string, string> },
  location: ObjectStoreLocation, retention: string | undefined): ObjectStore {
  return new ObjectStore(scope, id, {
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
        // The plugin passes this environment to its sidecar, whose barman-cloud commands inherit it.
        env: location.region !== undefined ? [{ name: 'AWS_DEFAULT_REGION', value: location.region }] : undefined,
        resources: renderResources(SIDECAR_RESOURCES, ObjectStoreSpecInstanceSidecarConfigurationResourcesRequests.fromString,
          ObjectStoreSpecInstanceSidecarConfigurationResourcesLimits.fromString),
      },
    },
  });
}

/**
 * Where the database pods reach the object store: its declared endpoint, else the hosts botocore addresses
 * for an S3 bucket in a known region, else any address outside the private ranges.
 * @internal
 */
export function objectStorePeer(location: ObjectStoreLocation): NetworkPeer {
  if (location.endpoint !== undefined) {
    return location.endpoint;
  }
  const region = location.region;
  if (region === undefined || location.endpointUrl !== undefined || location.credentials.destinationScheme !== 's3://') {
    return NetworkPeer.ipBlock('0.0.0.0/0', PRIVATE_RANGES);
  }
  // botocore's S3 endpoint rules: virtual-hosted for a bucket that is one DNS label, path-style otherwise; the
  // global host for us-east-1 (s3_us_east_1_regional_endpoint 'legacy', its default); STS regional by default.
  const bucket = location.destinationPath.slice('s3://'.length).split('/')[0];
  const suffix = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  const s3 = region === 'us-east-1' ? `s3.${suffix}` : `s3.${region}.${suffix}`;
  const hosts = [VIRTUAL_HOSTABLE_BUCKET.test(bucket) ? `${bucket}.${s3}` : s3];
  if (location.credentials.identity !== undefined) {
    hosts.push(`sts.${region}.${suffix}`);
  }
  return NetworkPeer.domain(hosts[0], ...hosts.slice(1));
}
