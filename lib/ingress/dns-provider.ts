import { IConstruct } from 'constructs';
import { ClusterIssuerSpecAcmeSolversDns01 } from '../../imports/cert-manager.io';
import {
  checkAwsRegion, checkAzureClientId, checkAzureSubscriptionId, checkGoogleCloudProject, checkGoogleServiceAccount, checkIamRoleArn,
} from '../core/cloud-ids';
import { check } from '../core/errors';
import { Kind } from '../core/kinds';
import { Prerequisite } from '../core/prerequisites';
import { checkDnsLabel, checkHostname, checkNotBlank } from '../core/validate';
import { ISecretProducer, SECRET_PRODUCER_KIND, checkSecretProducer } from '../workload/secret-producer';

/** An access key pair for Route 53 in a Secret the manifests produce. */
export interface Route53AccessKey {
  /** The Secret: a `SecretsBinding` in cert-manager's cluster resource namespace. */
  readonly secret: ISecretProducer;
  /** Key of the access key id. @default 'ACCESS_KEY_ID' */
  readonly accessKeyIdKey?: string;
  /** Key of the secret access key. @default 'SECRET_ACCESS_KEY' */
  readonly secretAccessKeyKey?: string;
}

/** Options of {@link DnsProvider.route53}: an access key in a Secret, or the IAM role of cert-manager's ServiceAccount. */
export interface Route53Options {
  /** The hosted zone of the TXT records, which spares cert-manager a `route53:ListHostedZonesByName` lookup. @default - cert-manager looks the zone up */
  readonly hostedZoneId?: string;
  /** The AWS region of the credentials' scope. @default - the region of cert-manager's environment (IRSA sets AWS_REGION) */
  readonly region?: string;
  /** An access key pair in a Secret. @default - none: set `iamRoleArn` */
  readonly accessKey?: Route53AccessKey;
  /**
   * The IAM role cert-manager's own ServiceAccount assumes through IRSA (`eks.amazonaws.com/role-arn`): the solver uses
   * cert-manager's ambient credentials, which a ClusterIssuer may use by default (`--cluster-issuer-ambient-credentials`).
   * @default - none: set `accessKey`
   */
  readonly iamRoleArn?: string;
}

/** A key of a Secret the manifests produce, for a DNS provider's API token or key. */
export interface DnsProviderSecret {
  /** The Secret: a `SecretsBinding` in cert-manager's cluster resource namespace. */
  readonly secret: ISecretProducer;
  /** Key of the value. @default - the provider's usual key: see each provider */
  readonly key?: string;
}

/** Options of {@link DnsProvider.cloudDns}: a service-account key in a Secret, or GKE Workload Identity. */
export interface CloudDnsOptions {
  /** The Google Cloud project of the zones. */
  readonly project: string;
  /** The Cloud DNS zone of the TXT records. @default - cert-manager chooses the zone */
  readonly hostedZoneName?: string;
  /** A service-account key (JSON) in a Secret, by default under key `key.json`. @default - none: set `googleServiceAccount` */
  readonly serviceAccountKey?: DnsProviderSecret;
  /** The Google service account cert-manager's ServiceAccount is bound to through GKE Workload Identity. @default - none: set `serviceAccountKey` */
  readonly googleServiceAccount?: string;
}

/** Options of {@link DnsProvider.cloudflare}. */
export interface CloudflareOptions {
  /** An API token with `Zone:DNS:Edit` on the zones, in a Secret, by default under key `api-token`. */
  readonly apiToken: DnsProviderSecret;
}

/** A Microsoft Entra service principal's client secret, for {@link AzureDnsOptions.servicePrincipal}. */
export interface AzureServicePrincipal {
  /** Client id of the service principal. */
  readonly clientId: string;
  /** Tenant id of the service principal. */
  readonly tenantId: string;
  /** The client secret, in a Secret, by default under key `client-secret`. */
  readonly clientSecret: DnsProviderSecret;
}

/** Options of {@link DnsProvider.azureDns}: a service principal, or the managed identity of cert-manager's ServiceAccount. */
export interface AzureDnsOptions {
  /** The Azure subscription of the zones. */
  readonly subscriptionId: string;
  /** The resource group of the zones. */
  readonly resourceGroupName: string;
  /** The DNS zone of the TXT records. @default - cert-manager chooses the zone */
  readonly hostedZoneName?: string;
  /** A service principal and its client secret. @default - none: set `managedIdentityClientId` */
  readonly servicePrincipal?: AzureServicePrincipal;
  /** The managed identity cert-manager's ServiceAccount federates with (Azure Workload Identity), by client id. @default - none: set `servicePrincipal` */
  readonly managedIdentityClientId?: string;
}

/** A cloud identity that cert-manager's ServiceAccount assumes, and how. */
interface CertManagerIdentity {
  readonly provider: string;
  readonly id: string;
  readonly setting: string;
  readonly check: (scope: IConstruct, prop: string) => void;
}

/** A provider's options, read once they are checked: the solver, its credentials and what it checks of its other options. */
interface ProviderSettings {
  /** The solver's `dns01` field. */
  readonly dns01: ClusterIssuerSpecAcmeSolversDns01;
  /** The Secret of the credentials (by the option that holds it), and the keys read from it by the option that named them. */
  readonly secret?: { readonly option: string; readonly producer: ISecretProducer; readonly keys: Readonly<Record<string, string>> };
  /** The cloud identity of cert-manager's ServiceAccount, when the credentials are ambient. */
  readonly identity?: CertManagerIdentity;
  /** The credentials options, of which exactly one must be set. */
  readonly credentials: readonly unknown[];
  /** The names of those options, for the error. */
  readonly credentialsOptions: string;
  /** Checks the options besides the credentials. */
  readonly checkOptions?: (scope: IConstruct, prop: string) => void;
}

/** The ServiceAccount of cert-manager's controller, as its Helm release `cert-manager` names it. */
const CERT_MANAGER_SERVICE_ACCOUNT = 'cert-manager';
/** An Azure resource group name: 1 to 90 letters, digits, '_', '-', '.', '(' and ')', not ending with '.' (Azure's naming rules for Microsoft.Resources). */
const AZURE_RESOURCE_GROUP = /^[-\p{L}\p{N}_.()]{0,89}[-\p{L}\p{N}_()]$/u;

const PROVIDER_SECRET_KIND = Kind.object<DnsProviderSecret>('a DnsProviderSecret object (secret, and optionally key)', {
  secret: SECRET_PRODUCER_KIND,
  key: Kind.STRING.optional(),
});
const ROUTE53_KIND = Kind.object<Route53Options>('a Route53Options object (accessKey or iamRoleArn, and optionally hostedZoneId and region)', {
  hostedZoneId: Kind.STRING.optional(),
  region: Kind.STRING.optional(),
  accessKey: Kind.object<Route53AccessKey>('a Route53AccessKey object (secret, and optionally accessKeyIdKey and secretAccessKeyKey)', {
    secret: SECRET_PRODUCER_KIND,
    accessKeyIdKey: Kind.STRING.optional(),
    secretAccessKeyKey: Kind.STRING.optional(),
  }).optional(),
  iamRoleArn: Kind.STRING.optional(),
});
const CLOUD_DNS_KIND = Kind.object<CloudDnsOptions>('a CloudDnsOptions object (project, serviceAccountKey or googleServiceAccount, and optionally hostedZoneName)', {
  project: Kind.STRING,
  hostedZoneName: Kind.STRING.optional(),
  serviceAccountKey: PROVIDER_SECRET_KIND.optional(),
  googleServiceAccount: Kind.STRING.optional(),
});
const CLOUDFLARE_KIND = Kind.object<CloudflareOptions>('a CloudflareOptions object (apiToken)', { apiToken: PROVIDER_SECRET_KIND });
const AZURE_DNS_KIND = Kind.object<AzureDnsOptions>(
  'an AzureDnsOptions object (subscriptionId, resourceGroupName, servicePrincipal or managedIdentityClientId, and optionally hostedZoneName)', {
    subscriptionId: Kind.STRING,
    resourceGroupName: Kind.STRING,
    hostedZoneName: Kind.STRING.optional(),
    servicePrincipal: Kind.object<AzureServicePrincipal>('an AzureServicePrincipal object (clientId, tenantId, clientSecret)', {
      clientId: Kind.STRING,
      tenantId: Kind.STRING,
      clientSecret: PROVIDER_SECRET_KIND,
    }).optional(),
    managedIdentityClientId: Kind.STRING.optional(),
  });

/**
 * Where an ACME DNS-01 solver writes its `_acme-challenge` TXT records: a DNS provider's API, with credentials from a
 * Secret the manifests produce (a `SecretsBinding` in cert-manager's cluster resource namespace, where a ClusterIssuer
 * reads its Secrets) or from the cloud identity of cert-manager's own ServiceAccount.
 * @see https://cert-manager.io/docs/configuration/acme/dns01/
 */
export class DnsProvider {
  /**
   * Amazon Route 53, with an access key pair or cert-manager's IAM role (IRSA).
   * @see https://cert-manager.io/docs/configuration/acme/dns01/route53/
   */
  public static route53(options: Route53Options): DnsProvider {
    return new DnsProvider('Route 53', options, ROUTE53_KIND, () => {
      const { accessKey, iamRoleArn } = options;
      const idKey = accessKey?.accessKeyIdKey ?? 'ACCESS_KEY_ID';
      const secretKey = accessKey?.secretAccessKeyKey ?? 'SECRET_ACCESS_KEY';
      return {
        dns01: {
          route53: {
            hostedZoneId: options.hostedZoneId,
            region: options.region,
            accessKeyIdSecretRef: accessKey && { name: accessKey.secret.name, key: idKey },
            secretAccessKeySecretRef: accessKey && { name: accessKey.secret.name, key: secretKey },
          },
        },
        secret: accessKey && { option: 'accessKey', producer: accessKey.secret, keys: { 'accessKey.accessKeyIdKey': idKey, 'accessKey.secretAccessKeyKey': secretKey } },
        identity: iamRoleArn === undefined ? undefined : {
          provider: 'AWS IAM role',
          id: iamRoleArn,
          setting: `its ServiceAccount carries eks.amazonaws.com/role-arn: ${iamRoleArn} (Helm chart: serviceAccount.annotations)`,
          check: (scope, prop) => checkIamRoleArn(scope, `${prop}.iamRoleArn`, iamRoleArn),
        },
        credentials: [accessKey, iamRoleArn],
        credentialsOptions: 'accessKey or iamRoleArn',
        checkOptions: (scope, prop) => {
          if (options.hostedZoneId !== undefined) {
            checkNotBlank(scope, `${prop}.hostedZoneId`, options.hostedZoneId, 'the id of the hosted zone');
          }
          if (options.region !== undefined) {
            checkAwsRegion(scope, `${prop}.region`, options.region);
          }
        },
      };
    });
  }

  /**
   * Google Cloud DNS, with a service-account key or GKE Workload Identity.
   * @see https://cert-manager.io/docs/configuration/acme/dns01/google/
   */
  public static cloudDns(options: CloudDnsOptions): DnsProvider {
    return new DnsProvider('Cloud DNS', options, CLOUD_DNS_KIND, () => {
      const { serviceAccountKey, googleServiceAccount } = options;
      const key = serviceAccountKey?.key ?? 'key.json';
      return {
        dns01: {
          cloudDns: {
            project: options.project,
            hostedZoneName: options.hostedZoneName,
            serviceAccountSecretRef: serviceAccountKey && { name: serviceAccountKey.secret.name, key },
          },
        },
        secret: serviceAccountKey && { option: 'serviceAccountKey', producer: serviceAccountKey.secret, keys: { 'serviceAccountKey.key': key } },
        identity: googleServiceAccount === undefined ? undefined : {
          provider: 'Google service account',
          id: googleServiceAccount,
          setting: `its ServiceAccount carries iam.gke.io/gcp-service-account: ${googleServiceAccount} (Helm chart: serviceAccount.annotations)`,
          check: (scope, prop) => checkGoogleServiceAccount(scope, `${prop}.googleServiceAccount`, googleServiceAccount),
        },
        credentials: [serviceAccountKey, googleServiceAccount],
        credentialsOptions: 'serviceAccountKey or googleServiceAccount',
        checkOptions: (scope, prop) => {
          checkGoogleCloudProject(scope, `${prop}.project`, options.project);
          if (options.hostedZoneName !== undefined) {
            // The name of a Cloud DNS managed zone (not its DNS name): a letter, then lowercase letters, digits and '-', at most 63.
            checkDnsLabel(scope, `${prop}.hostedZoneName`, options.hostedZoneName);
          }
        },
      };
    });
  }

  /**
   * Cloudflare, with an API token (cert-manager has no ambient credentials for it).
   * @see https://cert-manager.io/docs/configuration/acme/dns01/cloudflare/
   */
  public static cloudflare(options: CloudflareOptions): DnsProvider {
    return new DnsProvider('Cloudflare', options, CLOUDFLARE_KIND, () => {
      const key = options.apiToken.key ?? 'api-token';
      return {
        dns01: { cloudflare: { apiTokenSecretRef: { name: options.apiToken.secret.name, key } } },
        secret: { option: 'apiToken', producer: options.apiToken.secret, keys: { 'apiToken.key': key } },
        credentials: [options.apiToken],
        credentialsOptions: 'apiToken',
      };
    });
  }

  /**
   * Azure DNS, with a service principal or the managed identity of cert-manager (Azure Workload Identity).
   * @see https://cert-manager.io/docs/configuration/acme/dns01/azuredns/
   */
  public static azureDns(options: AzureDnsOptions): DnsProvider {
    return new DnsProvider('Azure DNS', options, AZURE_DNS_KIND, () => {
      const { servicePrincipal, managedIdentityClientId } = options;
      const key = servicePrincipal?.clientSecret.key ?? 'client-secret';
      return {
        dns01: {
          azureDns: {
            subscriptionId: options.subscriptionId,
            resourceGroupName: options.resourceGroupName,
            hostedZoneName: options.hostedZoneName,
            clientId: servicePrincipal?.clientId,
            tenantId: servicePrincipal?.tenantId,
            clientSecretSecretRef: servicePrincipal && { name: servicePrincipal.clientSecret.secret.name, key },
            managedIdentity: managedIdentityClientId !== undefined ? { clientId: managedIdentityClientId } : undefined,
          },
        },
        secret: servicePrincipal && {
          option: 'servicePrincipal.clientSecret', producer: servicePrincipal.clientSecret.secret, keys: { 'servicePrincipal.clientSecret.key': key },
        },
        identity: managedIdentityClientId === undefined ? undefined : {
          provider: 'Azure managed identity (client id)',
          id: managedIdentityClientId,
          setting: `its pods are labelled azure.workload.identity/use: "true" and its ServiceAccount carries azure.workload.identity/client-id: ${managedIdentityClientId} (Helm chart: podLabels, serviceAccount.annotations), with the Azure Workload Identity webhook in the cluster`,
          check: (scope, prop) => checkAzureClientId(scope, `${prop}.managedIdentityClientId`, managedIdentityClientId),
        },
        credentials: [servicePrincipal, managedIdentityClientId],
        credentialsOptions: 'servicePrincipal or managedIdentityClientId',
        checkOptions: (scope, prop) => {
          checkAzureSubscriptionId(scope, `${prop}.subscriptionId`, options.subscriptionId);
          check(AZURE_RESOURCE_GROUP.test(options.resourceGroupName), scope, `${prop}.resourceGroupName`, options.resourceGroupName,
            'must be the name of the resource group of the zones: 1 to 90 letters, digits, \'_\', \'-\', \'.\', \'(\' and \')\', not ending with \'.\'');
          if (options.hostedZoneName !== undefined) {
            checkHostname(scope, `${prop}.hostedZoneName`, options.hostedZoneName);
          }
          if (servicePrincipal !== undefined) {
            checkAzureClientId(scope, `${prop}.servicePrincipal.clientId`, servicePrincipal.clientId);
            checkAzureClientId(scope, `${prop}.servicePrincipal.tenantId`, servicePrincipal.tenantId);
          }
        },
      };
    });
  }

  private settings?: ProviderSettings;

  private constructor(
    /** The DNS service, for messages and the prerequisites file. */
    public readonly name: string,
    /** The options as given: a factory never throws, and the construct that receives the provider checks them. */
    private readonly options: unknown,
    private readonly optionsKind: Kind,
    /** Reads the options, once they are checked. */
    private readonly settingsOf: () => ProviderSettings,
  ) {}

  /** The options, read. */
  private get resolved(): ProviderSettings {
    this.settings ??= this.settingsOf();
    return this.settings;
  }

  /**
   * Checks the provider given to `scope` as `prop` for a ClusterIssuer whose Secrets cert-manager reads in `namespace`.
   * @internal
   */
  public check(scope: IConstruct, prop: string, namespace: string): void {
    this.optionsKind.check(scope, prop, this.options);
    const { credentials, credentialsOptions, checkOptions, identity, secret } = this.resolved;
    const given = credentials.filter((c) => c !== undefined).length;
    check(given === 1, scope, prop, this.name, `needs exactly one of ${credentialsOptions}: where its credentials come from`);
    checkOptions?.(scope, prop);
    identity?.check(scope, prop);
    if (secret !== undefined) {
      check(secret.producer.namespace === namespace, scope, `${prop}.${secret.option}.secret`, secret.producer.node.path,
        `must produce its Secret in cert-manager's cluster resource namespace '${namespace}', not '${secret.producer.namespace}': `
        + 'a ClusterIssuer reads the Secrets of its solvers there (--cluster-resource-namespace, which the Helm chart sets to its own namespace)');
      checkSecretProducer(scope, prop, secret.producer, undefined, secret.keys, 'cert-manager');
    }
  }

  /**
   * The solver's `dns01` field.
   * @internal
   */
  public render(): ClusterIssuerSpecAcmeSolversDns01 {
    return this.resolved.dns01;
  }

  /**
   * What the solver needs from the cluster when cert-manager runs in `namespace`: the cloud identity of its ServiceAccount.
   * @internal
   */
  public prerequisites(namespace: string, zones: readonly string[]): Prerequisite[] {
    const identity = this.resolved.identity;
    if (identity === undefined) {
      return [];
    }
    return [
      Prerequisite.cloudIdentity(identity.provider, identity.id, namespace, CERT_MANAGER_SERVICE_ACCOUNT,
        `cert-manager writes the DNS-01 TXT records of ${zones.join(', ')} in ${this.name} as it: it trusts the ServiceAccount, and may change those zones' records`),
      Prerequisite.controllerSetting('cert-manager', identity.setting,
        'the ClusterIssuer\'s DNS-01 solver uses cert-manager\'s ambient credentials (--cluster-issuer-ambient-credentials, on by default)'),
    ];
  }
}
