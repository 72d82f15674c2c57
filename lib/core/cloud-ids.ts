import { IConstruct } from 'constructs';
import { check } from './errors';

// The identities of the clouds' workload identity federations, as a ServiceAccount names them, and the names of the
// clouds' regions, projects and subscriptions: one check each, for every construct that names one.

const IAM_ROLE_ARN = /^arn:aws[a-z-]*:iam::[0-9]{12}:role\/[\w+=,.@/-]+$/;
const GOOGLE_SERVICE_ACCOUNT = /^[a-z][-a-z0-9]{4,28}[a-z0-9]@[a-z][-a-z0-9]{4,28}[a-z0-9]\.iam\.gserviceaccount\.com$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** An AWS region: `eu-west-1`, `us-gov-west-1`, `cn-north-1`. */
const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$/;
/** A Google Cloud project id: 6 to 30 lowercase letters, digits and '-', starting with a letter, not ending with '-'. */
const GOOGLE_CLOUD_PROJECT = /^[a-z][-a-z0-9]{4,28}[a-z0-9]$/;

/** An AWS IAM role ARN, which IRSA puts in `eks.amazonaws.com/role-arn`. */
export function checkIamRoleArn(scope: IConstruct, prop: string, value: string): void {
  check(typeof value === 'string' && IAM_ROLE_ARN.test(value), scope, prop, value, 'must be an IAM role ARN: arn:aws:iam::<account id>:role/<name>');
}

/** A Google service account, which GKE Workload Identity puts in `iam.gke.io/gcp-service-account`. */
export function checkGoogleServiceAccount(scope: IConstruct, prop: string, value: string): void {
  check(typeof value === 'string' && GOOGLE_SERVICE_ACCOUNT.test(value), scope, prop, value, 'must be a Google service account: <name>@<project>.iam.gserviceaccount.com');
}

/** The client id of a Microsoft Entra application or managed identity, which Azure Workload Identity puts in `azure.workload.identity/client-id`. */
export function checkAzureClientId(scope: IConstruct, prop: string, value: string): void {
  check(typeof value === 'string' && UUID.test(value), scope, prop, value, 'must be the client id of the identity: a UUID');
}

/** The id of an Azure subscription: a UUID. */
export function checkAzureSubscriptionId(scope: IConstruct, prop: string, value: string): void {
  check(typeof value === 'string' && UUID.test(value), scope, prop, value, 'must be the id of an Azure subscription: a UUID');
}

/** An AWS region, as AWS SDKs and the services' endpoints name it. */
export function checkAwsRegion(scope: IConstruct, prop: string, value: string): void {
  check(typeof value === 'string' && AWS_REGION.test(value), scope, prop, value, 'must be an AWS region such as \'eu-west-1\'');
}

/** A Google Cloud project id (not its name or number). */
export function checkGoogleCloudProject(scope: IConstruct, prop: string, value: string): void {
  check(typeof value === 'string' && GOOGLE_CLOUD_PROJECT.test(value), scope, prop, value,
    'must be a Google Cloud project id: 6 to 30 lowercase letters, digits and \'-\', starting with a letter');
}
