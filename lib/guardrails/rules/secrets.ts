import { secretLiteralProblem } from '../../core/leaks';
import { GuardrailObject, WORKLOAD_KINDS } from '../objects';
import { GuardrailRule, RuleLevel, RuleSource } from '../rule';

const INSECURE_SSLMODE = /\bsslmode=(disable|allow|prefer)\b/;

/** Literal values of `object`: container env values and ConfigMap data, each with where it is. */
function literals(object: GuardrailObject): Array<{ where: string; name: string; value: string }> {
  if (object.kind === 'ConfigMap') {
    return Object.entries(object.manifest.data ?? {}).map(([name, value]) => ({ where: `key '${name}'`, name, value: String(value) }));
  }
  return object.containers.flatMap((c) => ((c.spec.env ?? []) as any[])
    .filter((e) => typeof e.value === 'string')
    .map((e) => ({ where: `env ${e.name} of container '${c.spec.name}'`, name: e.name, value: e.value })));
}

/** Credentials stay out of manifests, and database connections are encrypted. */
export const SECRET_RULES: readonly GuardrailRule[] = [
  {
    id: 'no-plaintext-secret',
    rule: 'manifests must not contain Secret objects with data',
    reason: 'a Secret\'s data is only base64-encoded: the manifest in git is the credential',
    fix: 'deliver the secret with an ExternalSecret or a SealedSecret (SecretsBinding) and reference it by name',
    sources: [RuleSource.SEED_CHECKLIST, RuleSource.DESIGN, RuleSource.CIS_5],
    level: RuleLevel.ERROR,
    kinds: ['Secret'],
    check: (o) => {
      const keys = [...Object.keys(o.manifest.data ?? {}), ...Object.keys(o.manifest.stringData ?? {})];
      return o.manifest.apiVersion === 'v1' && keys.length > 0 ? [`carries the keys ${keys.join(', ')} in plain text`] : [];
    },
  },
  {
    id: 'no-secret-literals',
    rule: 'env values and ConfigMaps must not hold credentials',
    reason: 'literal values end up in git, in `kubectl describe` and in every copy of the manifest',
    fix: 'move the value to a secret store and mount it as a file (SecretsBinding with SecretMount.files)',
    sources: [RuleSource.SEED_CHECKLIST, RuleSource.DESIGN, RuleSource.KUBE_LINTER, RuleSource.CHECKOV],
    level: RuleLevel.ERROR,
    kinds: [...WORKLOAD_KINDS, 'ConfigMap'],
    check: (o) => literals(o).flatMap(({ where, name, value }) => {
      const problem = secretLiteralProblem(name, value);
      return problem === undefined ? [] : [`${where} ${problem}`];
    }),
  },
  {
    id: 'database-tls',
    rule: 'database connection settings must not turn TLS off (sslmode disable, allow or prefer)',
    reason: 'without sslmode=require (or verify-full) credentials and data cross the network in plain text, or fall back to it silently',
    fix: 'use sslmode=verify-full (or at least require)',
    sources: [RuleSource.SEED_CHECKLIST],
    level: RuleLevel.ERROR,
    kinds: [...WORKLOAD_KINDS, 'ConfigMap'],
    check: (o) => literals(o).flatMap(({ where, value }) => {
      const match = INSECURE_SSLMODE.exec(value);
      return match === null ? [] : [`${where} connects with ${match[0]}`];
    }),
  },
  {
    id: 'no-placeholder-secrets',
    rule: 'External Secrets stores must not serve placeholder values (the fake provider)',
    reason: 'the fake provider\'s values are written into the manifests: a service would run on placeholders, or a real credential would sit in git',
    fix: 'read the secrets from your secret backend (SecretSource.externalSecret) or seal them (SecretSource.sealed); SecretSource.devPlaceholders is for development',
    sources: [RuleSource.DESIGN, RuleSource.SEED_CHECKLIST],
    level: RuleLevel.ERROR,
    kinds: ['SecretStore', 'ClusterSecretStore'],
    check: (o) => {
      const fake = o.manifest.apiVersion.startsWith('external-secrets.io/') ? o.manifest.spec?.provider?.fake : undefined;
      if (fake === undefined) {
        return [];
      }
      const keys = ((fake.data ?? []) as any[]).map((entry) => entry.key);
      return [`serves placeholder values from the fake provider${keys.length > 0 ? ` (keys ${keys.join(', ')})` : ''}`];
    },
  },
];
