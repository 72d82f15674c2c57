/**
 * Recognises credentials written as plain text: by the name they are stored under
 * (`DB_PASSWORD`, `JWT_SECRET`, `API_KEY`) or by the shape of the value (a URL with a password,
 * a private key, a cloud access key, a JWT). Names that only refer to a secret
 * (`PASSWORD_FILE`, `SECRET_NAME`, `TOKEN_TTL`) are not credentials.
 */
export class SecretDetector {
  /** Why `value` stored under `name` looks like a credential, or `undefined` when it does not. */
  public static problem(name: string, value: string): string | undefined {
    if (value.trim() === '') {
      return undefined;
    }
    const shape = VALUE_SHAPES.find(([pattern]) => pattern.test(value));
    if (shape !== undefined) {
      return `holds ${shape[1]}`;
    }
    return SecretDetector.isSecretName(name) ? 'has a credential-like name and a literal value' : undefined;
  }

  /** Whether `name` is where a credential would be stored: its last word is a credential word. */
  public static isSecretName(name: string): boolean {
    const words = name.split(/[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])/).filter((w) => w !== '').map((w) => w.toLowerCase());
    const last = words[words.length - 1];
    if (last === undefined) {
      return false;
    }
    if (CREDENTIAL_WORDS.has(last)) {
      return true;
    }
    // `key` alone is too common (`CACHE_KEY`); `API_KEY`, `SECRET_ACCESS_KEY`, `PRIVATE_KEY` are credentials.
    return last === 'key' && words.length > 1 && KEY_QUALIFIERS.has(words[words.length - 2]);
  }
}

const CREDENTIAL_WORDS = new Set([
  'password', 'passwd', 'pwd', 'passphrase', 'secret', 'token', 'apikey', 'credential', 'credentials', 'pat',
]);

const KEY_QUALIFIERS = new Set(['api', 'access', 'secret', 'private', 'signing', 'encryption', 'master', 'license', 'account']);

const VALUE_SHAPES: ReadonlyArray<[RegExp, string]> = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'a private key'],
  [/\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:[^\s/@]+@/i, 'a URL with a password'],
  [/\b(AKIA|ASIA)[0-9A-Z]{16}\b/, 'an AWS access key id'],
  [/\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+/, 'a JSON web token'],
  [/\b(gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{50,})\b/, 'a GitHub token'],
  [/\bxox[abpr]-[A-Za-z0-9-]{10,}/, 'a Slack token'],
];
