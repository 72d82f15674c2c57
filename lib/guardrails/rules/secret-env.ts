import { WORKLOAD_KINDS } from '../objects';
import { GuardrailRule, RuleLevel, RuleSource } from '../rule';
import { containerName } from './util';

/**
 * Secrets reach containers as mounted files. A warning, not an error: `SecretMount.env` stays available
 * for images that read their credentials from the environment only, and the checkers this comes from
 * recommend rather than require it (CIS 5.4.1 "prefer", kube-linter's check is opt-in).
 */
export const SECRET_ENV_RULE: GuardrailRule = {
  id: 'secret-env',
  rule: 'containers should read Secrets as mounted files, not as environment variables',
  reason: 'environment variables leak into crash dumps, child processes and /proc/<pid>/environ, '
    + 'and keep the old value after a rotation until the pod restarts',
  fix: 'mount the Secret as a read-only volume (SecretMount.files) and let the app read the file',
  sources: [RuleSource.CIS_5, RuleSource.CHECKOV, RuleSource.KUBE_LINTER, RuleSource.of('Monokle common practices')],
  level: RuleLevel.WARNING,
  kinds: WORKLOAD_KINDS,
  check: (o) => o.containers.flatMap((c) => [
    ...((c.spec.env ?? []) as any[])
      .filter((e) => e.valueFrom?.secretKeyRef !== undefined)
      .map((e) => `${containerName(c)} reads key '${e.valueFrom.secretKeyRef.key}' of Secret '${e.valueFrom.secretKeyRef.name}' into env ${e.name}`),
    ...((c.spec.envFrom ?? []) as any[])
      .filter((e) => e.secretRef !== undefined)
      .map((e) => `${containerName(c)} loads every key of Secret '${e.secretRef.name}' into its environment (envFrom)`),
  ]),
};
