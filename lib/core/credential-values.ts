// Internal: what gives a credential away by the shape of a value, whatever it is stored under. leaks.ts
// asks here for the constructs and the no-secret-literals guardrail; errors.ts asks before it prints a value.

/**
 * `scheme://user:password@host` anywhere in a value (a JDBC URL, a line of a config file). The user
 * may be empty, as in `redis://:password@host`.
 */
const URL_PASSWORD = /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:[^\s/@]+@/i;

/** What {@link credentialInValue} answers for a URL with a password, which needs only its password bound. */
export const URL_WITH_PASSWORD = 'a URL with a password';

/**
 * The armour line of a private key: PEM (`RSA`, `EC`, `DSA`, `ENCRYPTED`, PKCS #8 without a word), OpenSSH
 * and OpenPGP (`PGP PRIVATE KEY BLOCK`). Any number of dashes, any case: a key pasted by hand, or with
 * dashes lost, is still a key. Certificates and public keys are not matched.
 */
const PRIVATE_KEY_ARMOUR = /-+ *BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)? *-*/i;

/** Values that are credentials whatever they are stored under, with what they hold. */
const CREDENTIAL_SHAPES: ReadonlyArray<readonly [RegExp, string]> = [
  [PRIVATE_KEY_ARMOUR, 'a private key'],
  [/PuTTY-User-Key-File-\d+:/, 'a private key'],
  [/\b(AKIA|ASIA)[0-9A-Z]{16}\b/, 'an AWS access key id'],
  [/\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+/, 'a JSON web token'],
  [/\b(gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{50,})\b/, 'a GitHub token'],
  [/\bxox[abpr]-[A-Za-z0-9-]{10,}/, 'a Slack token'],
];

/**
 * `name=value` inside a value: libpq's keyword/value connection strings (`host=db user=app password=...`),
 * JDBC and ODBC properties (`;password=...`, `Pwd=...`), URL query parameters (`?password=...`) and
 * `.env` or properties lines (`DB_PASSWORD=...`).
 */
const ASSIGNMENT = /(?:^|[\s;&?,({])([A-Za-z_][\w.-]*)\s*=\s*('[^']*'|"[^"]*"|\$\{[^}]*\}|\{\{[^}]*\}\}|[^\s;&,'"{})]+)/g;
/** `name: value` at the start of a line: a YAML or properties file held in a value. */
const LINE_ASSIGNMENT = /^[ \t]*([A-Za-z_][\w.-]*)[ \t]*[:=][ \t]*('[^'\n]*'|"[^"\n]*"|[^\s#][^\n]*)$/gm;
/** Values that switch something, not credentials: `secret=false`. */
const SWITCHES = new Set(['true', 'false', 'yes', 'no', 'on', 'off', 'null', 'none']);
/** A value that names where the credential comes from instead of holding it: `${DB_PASSWORD}`, `$(PASS)`, `{{ .password }}`, `<password>`, `****`. */
const REFERENCE = /^(\$\{[^}]*\}|\$\([^)]*\)|\$[A-Za-z_]\w*|\{\{.*\}\}|%\([^)]*\)s|<[^>]*>|\*+)$/;
/** Last words of a name that holds a credential when it is assigned in a value (`password`, `DB_PASSWORD`, `clientSecret`, `api_key`). */
const SECRET_LAST_WORDS = new Set(['PASSWORD', 'PASSWD', 'PASSPHRASE', 'SECRET', 'TOKEN', 'APIKEY', 'CREDENTIALS']);
/** Words before a last word `KEY` that make the name a credential: `API_KEY`, `PRIVATE_KEY`, `ACCESS_KEY`, `SECRET_KEY`. */
const KEY_QUALIFIERS = new Set(['API', 'PRIVATE', 'ACCESS', 'SECRET', 'SIGNING', 'ENCRYPTION', 'MASTER', 'CLIENT']);

/**
 * What credential `value` holds by its shape (a URL with a password, a password assigned in a
 * connection string or a config file, a private key, a cloud or API token), or `undefined`.
 */
export function credentialInValue(value: string): string | undefined {
  if (URL_PASSWORD.test(value)) {
    return URL_WITH_PASSWORD;
  }
  const shape = CREDENTIAL_SHAPES.find(([pattern]) => pattern.test(value));
  if (shape !== undefined) {
    return shape[1];
  }
  const assigned = [...value.matchAll(ASSIGNMENT), ...value.matchAll(LINE_ASSIGNMENT)]
    .find(([, name, assignedValue]) => namesCredential(name) && holdsValue(assignedValue));
  return assigned !== undefined ? `a credential assigned to '${assigned[1]}'` : undefined;
}

function namesCredential(name: string): boolean {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').split(/[^A-Za-z0-9]+/).filter((w) => w !== '').map((w) => w.toUpperCase());
  const last = words[words.length - 1];
  // A bare PWD is the shell's working directory; MYSQL_PWD is a password.
  return SECRET_LAST_WORDS.has(last) || (last === 'PWD' && words.length > 1)
    || (last === 'KEY' && words.length > 1 && KEY_QUALIFIERS.has(words[words.length - 2]));
}

function holdsValue(assigned: string): boolean {
  const unquoted = assigned.trim().replace(/^(['"])(.*)\1$/, '$2').trim();
  return unquoted !== '' && !REFERENCE.test(unquoted) && !SWITCHES.has(unquoted.toLowerCase());
}
