import { IConstruct } from 'constructs';
import { check } from './errors';

/** Words that, anywhere in a name, mark its value as a credential. */
const SECRET_WORDS = new Set(['PASSWORD', 'PASSWD', 'PASSPHRASE', 'SECRET', 'SECRETS', 'TOKEN', 'CREDENTIAL', 'CREDENTIALS', 'APIKEY']);

/** Words that make `<word> KEY` a credential: `API_KEY`, `PRIVATE_KEY`, `signingKey`, ... (a bare `KEY` is often a cache or partition key). */
const KEY_QUALIFIERS = new Set(['API', 'PRIVATE', 'ACCESS', 'SIGNING', 'ENCRYPTION', 'MASTER', 'SESSION', 'HMAC', 'LICENSE', 'CLIENT']);

/**
 * Last words that make a secret-sounding name describe a credential instead of holding one:
 * `TOKEN_EXPIRE_MINUTES`, `DB_SECRET_NAME`, `PASSWORD_FILE`, `API_KEY_HEADER`. `ID` is deliberately
 * absent: `AWS_ACCESS_KEY_ID` and Vault's `SECRET_ID` are halves of a credential.
 */
const DESCRIPTIVE_SUFFIXES = new Set([
  'NAME', 'NAMES', 'FILE', 'PATH', 'DIR', 'REF', 'URL', 'URI', 'ENDPOINT', 'HEADER', 'FIELD', 'PARAM',
  'EXPIRE', 'EXPIRES', 'EXPIRY', 'EXPIRATION', 'LIFETIME', 'TTL', 'TIMEOUT', 'ROTATION',
  'SECONDS', 'MINUTES', 'HOURS', 'DAYS', 'LENGTH', 'SIZE', 'COUNT', 'LIMIT',
  'ENABLED', 'DISABLED', 'REQUIRED', 'ALGORITHM', 'ISSUER', 'AUDIENCE', 'TYPE', 'MODE', 'POLICY', 'VERSION',
]);

/** `scheme://user:password@host`: a URL that carries a password. */
const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^/@:\s]*:[^/@\s]+@/i;

/** The words of a name in upper case: `dbPassword`, `db-password`, `DB_PASSWORD` and `db.password` all give `DB`, `PASSWORD`. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0)
    .map((w) => w.toUpperCase());
}

/**
 * Whether a variable or key called `name` holds a credential: it contains a word such as PASSWORD,
 * SECRET, TOKEN or CREDENTIALS, or a qualified KEY (API_KEY, PRIVATE_KEY, ACCESS_KEY, ...), and does
 * not end in a word that makes it describe one (`_NAME`, `_FILE`, `_EXPIRE_MINUTES`, `_URL`, ...).
 */
export function looksLikeSecretName(name: string): boolean {
  const parts = words(name);
  if (parts.length === 0 || DESCRIPTIVE_SUFFIXES.has(parts[parts.length - 1])) {
    return false;
  }
  return parts.some((word, i) => SECRET_WORDS.has(word) || (word === 'KEY' && i > 0 && KEY_QUALIFIERS.has(parts[i - 1])));
}

/**
 * Why the literal `value` of `name` would leak a credential into the manifests, or `undefined`
 * when it would not. Empty values leak nothing and pass.
 */
export function secretLiteralProblem(name: string, value: string): string | undefined {
  if (value === '') {
    return undefined;
  }
  if (looksLikeSecretName(name)) {
    return 'looks like a credential and must not be a literal value, which would be committed with the manifests: '
      + 'keep it in a secret store and bind it with a SecretsBinding (SecretSource.externalSecret or SecretSource.sealed, '
      + `then secrets.bindTo(app, SecretMount.env(['${name}'])))`;
  }
  if (URL_WITH_PASSWORD.test(value)) {
    return 'is a URL with a password, which would be committed with the manifests: '
      + 'bind the password with a SecretsBinding (secrets.bindTo(app, SecretMount.env([...]))) and build the URL in the app';
  }
  return undefined;
}

/**
 * Throws when the literal `value` of `name` (reported as `prop`) would leak a credential into the
 * manifests. The error never repeats the value: it would leak again in the build log.
 */
export function checkNoSecretLiteral(scope: IConstruct, prop: string, name: string, value: string): void {
  const problem = secretLiteralProblem(name, value);
  check(problem === undefined, scope, prop, '<redacted>', problem ?? '');
}
