import { GuardrailRule } from '../rule';
import { ACCESS_RULES } from './access';
import { AVAILABILITY_RULES } from './availability';
import { EGRESS_RULES } from './egress';
import { BACKUP_RULES } from './backups';
import { JOB_AND_STATEFULSET_RULES } from './jobs-and-statefulsets';
import { NETWORK_RULES } from './network';
import { POD_SECURITY_RULES } from './pod-security';
import { POSTGRES_RULES } from './postgres';
import { PROTECTION_RULES } from './protection';
import { QUOTA_RULES } from './quota';
import { REDIS_RULES } from './redis';
import { REFERENCE_RULES } from './references';
import { SECRET_ENV_RULE } from './secret-env';
import { SECRET_RULES } from './secrets';
import { WORKLOAD_RULES } from './workload';

/** Every built-in guardrail, in the order the docs and reports list them. */
export const BUILTIN_RULES: readonly GuardrailRule[] = [
  ...POD_SECURITY_RULES,
  ...WORKLOAD_RULES,
  ...JOB_AND_STATEFULSET_RULES,
  ...AVAILABILITY_RULES,
  ...NETWORK_RULES,
  ...EGRESS_RULES,
  ...SECRET_RULES,
  SECRET_ENV_RULE,
  ...ACCESS_RULES,
  ...REFERENCE_RULES,
  ...POSTGRES_RULES,
  ...REDIS_RULES,
  ...QUOTA_RULES,
  ...PROTECTION_RULES,
  ...BACKUP_RULES,
];
