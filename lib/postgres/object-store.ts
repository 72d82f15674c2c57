import { Cpu } from 'cdk8s-plus-28';
import { Size } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import {
  ObjectStore, ObjectStoreSpecConfiguration, ObjectStoreSpecConfigurationDataCompression, ObjectStoreSpecConfigurationWalCompression,
  ObjectStoreSpecInstanceSidecarConfigurationResourcesLimits, ObjectStoreSpecInstanceSidecarConfigurationResourcesRequests,
} from '../../imports/barmancloud.cnpg.io';
import { check } from '../core/errors';
import { checkDnsSubdomain, checkPort } from '../core/validate';
import { NetworkPeer } from '../network/network-peer';
import { ContainerResources, renderResources } from '../workload/resources';
import { SECRET_KEY } from './_cnpg';

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

const IAM_ROLE_ARN = /^arn:aws[a-z-]*:iam::[0-9]{12}:role\/[\w+=,.@/-]+$/;
const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];
/** The backup sidecar compresses and uploads; it needs little CPU but room for barman-cloud's buffers. */
const SIDECAR_RESOURCES: ContainerResources = {
  cpu: { request: Cpu.millis(100), limit: Cpu.units(1) },
  memory: { request: Size.mebibytes(128), limit: Size.mebibytes(512) },
  ephemeralStorage: { request: Size.mebibytes(64), limit: Size.mebibytes(512) },
};

/**
 * Checks where an object store is (`prop` is `backup` or `recovery`) and the credentials that reach it.
 * @internal
 */
export function checkObjectStore(scope: IConstruct, prop: string, location: ObjectStoreLocation): void {
  const credentials = location.credentials;
  check(location.destinationPath.startsWith(credentials.destinationScheme) && location.destinationPath.length > credentials.destinationScheme.length,
    scope, `${prop}.destinationPath`, location.destinationPath, `must start with ${credentials.destinationScheme} for ${credentials.provider} credentials`);
  if (location.endpointUrl !== undefined) {
    check(/^https:\/\/[^\s/]+/.test(location.endpointUrl), scope, `${prop}.endpointUrl`, location.endpointUrl,
      'must be an https:// URL: backups carry every row of the database');
  }
  if (credentials.secretName !== undefined) {
    checkDnsSubdomain(scope, `${prop}.credentials.secretName`, credentials.secretName);
  }
  for (const [option, key] of Object.entries(credentials.secretKeys)) {
    check(SECRET_KEY.test(key), scope, `${prop}.credentials.${option}`, key, 'must be a Secret key: letters, digits, \'-\', \'_\' and \'.\'');
  }
  if (credentials.roleArn !== undefined) {
    check(IAM_ROLE_ARN.test(credentials.roleArn), scope, `${prop}.credentials.roleArn`, credentials.roleArn,
      'must be an IAM role ARN: arn:aws:iam::<account id>:role/<name>');
  }
  if (location.endpointPort !== undefined) {
    checkPort(scope, `${prop}.endpointPort`, location.endpointPort);
  }
}

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
        resources: renderResources(SIDECAR_RESOURCES, ObjectStoreSpecInstanceSidecarConfigurationResourcesRequests.fromString,
          ObjectStoreSpecInstanceSidecarConfigurationResourcesLimits.fromString),
      },
    },
  });
}

/**
 * Where the database pods reach the object store: its declared endpoint, else any address outside the private ranges.
 * @internal
 */
export function objectStorePeer(location: ObjectStoreLocation): NetworkPeer {
  return location.endpoint ?? NetworkPeer.ipBlock('0.0.0.0/0', PRIVATE_RANGES);
}
