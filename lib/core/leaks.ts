import { IConstruct } from 'constructs';
import { URL_WITH_PASSWORD, credentialInValue } from './credential-values';
import { ValidationError } from './errors';

/** Words that, anywhere in a name, mark its value as a credential (`PAT`: a personal access token). */
const SECRET_WORDS = new Set(['PASSWORD', 'PASSWD', 'PASSPHRASE', 'SECRET', 'SECRETS', 'TOKEN', 'CREDENTIAL', 'CREDENTIALS', 'APIKEY', 'PAT']);

/** Words that mark a credential only next to other words: a bare `PWD` is the shell's working directory, `MYSQL_PWD` a password. */
const QUALIFIED_SECRET_WORDS = new Set(['PWD']);

/** Words that make `<word> KEY` a credential: `API_KEY`, `PRIVATE_KEY`, `signingKey`, ... (a bare `KEY` is often a cache or partition key). */
const KEY_QUALIFIERS = new Set(['API', 'PRIVATE', 'ACCESS', 'SIGNING', 'ENCRYPTION', 'MASTER', 'SESSION', 'HMAC', 'LICENSE', 'CLIENT', 'ACCOUNT']);

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

/**
 * The words of a name in upper case: `dbPassword`, `db-password`, `DB_PASSWORD` and `db.password` all
 * give `DB`, `PASSWORD`; an acronym ends before a capitalised word (`JWTSecret` gives `JWT`, `SECRET`).
 */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0)
    .map((w) => w.toUpperCase());
}

/**
 * Whether a variable or key called `name` holds a credential: it contains a word such as PASSWORD,
 * SECRET, TOKEN, PAT or CREDENTIALS, a qualified PWD (`MYSQL_PWD`) or a qualified KEY (API_KEY,
 * PRIVATE_KEY, ACCESS_KEY, ...), and does not end in a word that makes it describe one (`_NAME`,
 * `_FILE`, `_EXPIRE_MINUTES`, `_URL`, ...).
 */
export function looksLikeSecretName(name: string): boolean {
  const parts = words(name);
  if (parts.length === 0 || DESCRIPTIVE_SUFFIXES.has(parts[parts.length - 1])) {
    return false;
  }
  return parts.some((word, i) => SECRET_WORDS.has(word)
    || (QUALIFIED_SECRET_WORDS.has(word) && parts.length > 1)
    || (word === 'KEY' && i > 0 && KEY_QUALIFIERS.has(parts[i - 1])));
}

/** A literal that would leak a credential: what gives it away, and how to keep it out of the manifests. */
interface Leak {
  /** What is wrong, as it follows the name in a message: `holds a private key`. */
  readonly problem: string;
  /** How to deliver the credential instead, for the constructs that refuse the literal. */
  readonly remedy: string;
}

/**
 * The leak in the literal `value` of `name`, or `undefined`; blank values leak nothing. The value is
 * asked first: its shape is proof where the name is only a hint, and a URL needs only its password bound.
 */
function findLeak(name: string, value: string): Leak | undefined {
  if (value.trim() === '') {
    return undefined;
  }
  const bindInstead = 'keep it in a secret store and bind it with a SecretsBinding (SecretSource.externalSecret or SecretSource.sealed, '
    + `then secrets.bindTo(app, SecretMount.files('/var/run/secrets/<name>', { keys: ['${name}'] })))`;
  const held = credentialInValue(value);
  if (held === URL_WITH_PASSWORD) {
    return {
      problem: 'holds a URL with a password',
      remedy: 'bind the password with a SecretsBinding (secrets.bindTo(app, SecretMount.files(...))) and build the URL in the app',
    };
  }
  if (held !== undefined) {
    return { problem: `holds ${held}`, remedy: bindInstead };
  }
  if (looksLikeSecretName(name)) {
    return { problem: 'looks like a credential and must not be a literal value', remedy: bindInstead };
  }
  return undefined;
}

/**
 * What in the literal `value` of `name` would leak a credential into the manifests (a URL with a
 * password, a password in a connection string or a config file, a private key, a cloud or API token,
 * or a credential-like name), or `undefined` when nothing would. The answer never repeats the value.
 * The constructs and the `no-secret-literals` guardrail both ask here.
 */
export function secretLiteralProblem(name: string, value: string): string | undefined {
  return findLeak(name, value)?.problem;
}

/**
 * Throws when the literal `value` of `name` (reported as `prop`) would leak a credential into the
 * manifests, saying how to bind it instead. The error never repeats the value: it would leak again
 * in the build log.
 */
export function checkNoSecretLiteral(scope: IConstruct, prop: string, name: string, value: string): void {
  const leak = findLeak(name, value);
  if (leak !== undefined) {
    throw new ValidationError(scope, prop, '<redacted>', `${leak.problem}, which would be committed with the manifests: ${leak.remedy}`);
  }
}
