import { IConstruct } from 'constructs';
import { check } from './errors';

// The identities of the clouds' workload identity federations, as a ServiceAccount names them: one check each, for
// every construct whose pods (or whose operator's pods) assume one.

const IAM_ROLE_ARN = /^arn:aws[a-z-]*:iam::[0-9]{12}:role\/[\w+=,.@/-]+$/;
const GOOGLE_SERVICE_ACCOUNT = /^[a-z][-a-z0-9]{4,28}[a-z0-9]@[a-z][-a-z0-9]{4,28}[a-z0-9]\.iam\.gserviceaccount\.com$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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
