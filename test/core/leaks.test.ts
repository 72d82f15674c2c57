import { EnvValue, Image, ProductionApp, ProductionAppProps } from '../../lib';
import { looksLikeSecretName, secretLiteralProblem } from '../../lib/core/leaks';
import { one, synth, testChart } from '../util';

const IMAGE = Image.pinned('ghcr.io/acme/api', '1.2.3');

function newApp(props: Partial<ProductionAppProps> = {}): ProductionApp {
  return new ProductionApp(testChart(), 'Api', { image: IMAGE, ...props });
}

describe('looksLikeSecretName', () => {
  test.each([
    'PASSWORD', 'DB_PASSWORD', 'dbPassword', 'db.password', 'redis-passwd', 'GPG_PASSPHRASE',
    'JWT_SECRET', 'SECRET_KEY', 'CLIENT_SECRET', 'GITHUB_TOKEN', 'accessToken', 'GOOGLE_APPLICATION_CREDENTIALS',
    'OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'apiKey', 'APIKEY', 'TLS_PRIVATE_KEY', 'AWS_SECRET_ACCESS_KEY', 'AWS_ACCESS_KEY_ID',
    'SIGNING_KEY', 'VAULT_SECRET_ID', 'jwtSecret', 'JWTSecret', 'AWSSecretAccessKey', 'APIKey', 'MYSQL_PWD', 'dbPwd',
    'GITHUB_PAT', 'AZURE_STORAGE_ACCOUNT_KEY',
  ])('%s looks secret', (name) => {
    expect(looksLikeSecretName(name)).toBe(true);
  });

  test.each([
    'TOKEN_EXPIRE_MINUTES', 'ACCESS_TOKEN_TTL', 'DB_SECRET_NAME', 'PASSWORD_FILE', 'API_KEY_HEADER', 'JWT_SECRET_PATH',
    'PASSWORD_MIN_LENGTH', 'TOKEN_URL', 'MAX_TOKENS', 'TOKENIZER', 'CACHE_KEY', 'PARTITION_KEY', 'KEY', 'LOG_LEVEL',
    'JWT_ALGORITHM', 'RBAC_ENABLED', 'PWD', 'OLDPWD', 'ACCESS_TOKEN_EXPIRE_MINUTES', 'SECRET_NAME', 'GITHUB_PAT_FILE', '',
  ])('%s does not look secret', (name) => {
    expect(looksLikeSecretName(name)).toBe(false);
  });
});

describe('secretLiteralProblem', () => {
  test.each([
    ['DB_PASSWORD', 'hunter2', 'looks like a credential and must not be a literal value'],
    ['AWS_SECRET_ACCESS_KEY', 'abc', 'looks like a credential and must not be a literal value'],
    ['REDIS_URL', 'redis://:hunter2@redis:6379/0', 'holds a URL with a password'],
    ['DATABASE_URL', 'postgres://app:hunter2@db:5432/app', 'holds a URL with a password'],
    ['DB_PASSWORD', 'postgres://app:hunter2@db:5432/app', 'holds a URL with a password'],
    ['JDBC_URL', 'jdbc:postgresql://app:hunter2@db:5432/app', 'holds a URL with a password'],
    ['application.yaml', 'spring:\n  datasource:\n    url: postgres://app:hunter2@db:5432/app\n', 'holds a URL with a password'],
    ['TLS', '-----BEGIN RSA PRIVATE KEY-----\nMIIE', 'holds a private key'],
    ['signing.asc', '-----BEGIN PGP PRIVATE KEY BLOCK-----\nlQOY', 'holds a private key'],
    // Fewer dashes than PEM's five, or none on one side: still a key (issue 11).
    ['TLS', '----BEGIN RSA PRIVATE KEY----\nMIIE', 'holds a private key'],
    ['deploy', '-BEGIN OPENSSH PRIVATE KEY-\nb3Bl', 'holds a private key'],
    ['deploy', 'key: |\n  -- BEGIN OPENSSH PRIVATE KEY --\n  b3Bl', 'holds a private key'],
    ['TLS', '-----begin rsa private key-----', 'holds a private key'],
    // Every armour a private key is written with: PKCS #8, encrypted PKCS #8, EC, DSA, OpenSSH, OpenPGP, PuTTY.
    ['TLS', '-----BEGIN PRIVATE KEY-----\nMIIE', 'holds a private key'],
    ['TLS', '-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIF', 'holds a private key'],
    ['TLS', '-----BEGIN EC PRIVATE KEY-----\nMHcC', 'holds a private key'],
    ['TLS', '-----BEGIN DSA PRIVATE KEY-----\nMIIB', 'holds a private key'],
    ['deploy', '-----BEGIN OPENSSH PRIVATE KEY-----\nb3Bl', 'holds a private key'],
    ['signing.asc', '---BEGIN PGP PRIVATE KEY BLOCK---', 'holds a private key'],
    ['deploy.ppk', 'PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none', 'holds a private key'],
    ['ID', 'AKIAIOSFODNN7EXAMPLE', 'holds an AWS access key id'],
    ['AUTH_HEADER', 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhcGkifQ.c2lnbmF0dXJl', 'holds a JSON web token'],
    ['GH', `ghp_${'a'.repeat(36)}`, 'holds a GitHub token'],
    ['GH', `github_pat_${'A1_'.repeat(20)}`, 'holds a GitHub token'],
    ['SLACK_WEBHOOK', 'xoxb-1234567890-abcdefghij', 'holds a Slack token'],
  ])('flags %s holding %j', (name, value, problem) => {
    expect(secretLiteralProblem(name, value)).toBe(problem);
  });

  test.each([
    ['ACCESS_TOKEN_EXPIRE_MINUTES', '60'],
    ['PASSWORD_FILE', '/run/secrets/db/password'],
    ['SECRET_NAME', 'aishell-db'],
    ['CACHE_KEY', 'sessions'],
    ['API_URL', 'http://api.test.svc:80'],
    ['DATABASE_URL', 'postgres://app@db:5432/app'],
    ['DATABASE_URL', 'postgres://db.aishell.svc:5432/app?sslmode=require'],
    ['LISTEN', 'http://[::1]:8080/'],
    ['DB_PASSWORD', ''],
    // Certificates and public keys are public.
    ['TLS', '-----BEGIN CERTIFICATE-----\nMIID'],
    ['TLS', '-----BEGIN PUBLIC KEY-----\nMIIB'],
    ['signing.asc', '-----BEGIN PGP PUBLIC KEY BLOCK-----'],
    ['NOTE', 'rotate the private key yearly'],
    ['OPENAI_API_KEY', '  '],
  ])('accepts %s holding %j', (name, value) => {
    expect(secretLiteralProblem(name, value)).toBeUndefined();
  });
});

describe('ProductionApp leak guard', () => {
  test('fails when a literal env var looks secret, without repeating the value', () => {
    const make = () => newApp({ env: { OPENAI_API_KEY: 'sk-live-123' } });
    expect(make).toThrow(/\[test\/Api\] 'env.OPENAI_API_KEY' \('<redacted>'\) looks like a credential .* bind it with a SecretsBinding .*SecretMount.files\('\/var\/run\/secrets\/<name>', { keys: \['OPENAI_API_KEY'\] }\)/);
    expect(make).not.toThrow(/sk-live-123/);
  });

  test('fails when addEnv receives a secret-looking literal', () => {
    const app = newApp();
    expect(() => app.addEnv('JWT_SECRET', EnvValue.literal('changeme'))).toThrow(/'env.JWT_SECRET' \('<redacted>'\) looks like a credential/);
  });

  test('fails when a config key looks secret', () => {
    expect(() => newApp({ config: { SECRET_KEY: 'changeme' } })).toThrow(/'config.SECRET_KEY' \('<redacted>'\) looks like a credential/);
  });

  test('fails when a config value holds a URL with a password, and says to bind the password alone', () => {
    const make = () => newApp({ config: { REDIS_URL: 'redis://:changeme@redis:6379' } });
    expect(make).toThrow(/'config.REDIS_URL' \('<redacted>'\) holds a URL with a password, .*: bind the password with a SecretsBinding .* build the URL in the app/);
    expect(make).not.toThrow(/changeme/);
  });

  test('fails when a literal holds a credential under a harmless name, without repeating the value', () => {
    const token = `ghp_${'x'.repeat(36)}`;
    const make = () => newApp({ env: { GH: token } });
    expect(make).toThrow(/'env.GH' \('<redacted>'\) holds a GitHub token, .*SecretMount.files\(.*keys: \['GH'\] }\)/);
    expect(make).not.toThrow(new RegExp(token));
  });

  test('accepts secret references and descriptive names', () => {
    // GIVEN
    const chart = testChart();
    const app = new ProductionApp(chart, 'Api', { image: IMAGE, env: { TOKEN_EXPIRE_MINUTES: '30' }, config: { DB_SECRET_NAME: 'db-credentials' } });
    // WHEN
    app.addEnv('JWT_SECRET', EnvValue.fromSecret('api-secrets', 'JWT_SECRET'));
    // THEN
    const container = one(synth(chart), 'Deployment', 'api').spec.template.spec.containers[0];
    expect(container.env.map((e: any) => e.name)).toEqual(['TOKEN_EXPIRE_MINUTES', 'JWT_SECRET']);
  });
});
