import { EnvValue, Image, ProductionApp, ProductionAppProps, looksLikeSecretName, secretLiteralProblem } from '../lib';
import { one, synth, testChart } from './util';

const IMAGE = Image.pinned('ghcr.io/acme/api', '1.2.3');

function newApp(props: Partial<ProductionAppProps> = {}): ProductionApp {
  return new ProductionApp(testChart(), 'Api', { image: IMAGE, ...props });
}

describe('looksLikeSecretName', () => {
  test.each([
    'PASSWORD', 'DB_PASSWORD', 'dbPassword', 'db.password', 'redis-passwd', 'GPG_PASSPHRASE',
    'JWT_SECRET', 'SECRET_KEY', 'CLIENT_SECRET', 'GITHUB_TOKEN', 'accessToken', 'GOOGLE_APPLICATION_CREDENTIALS',
    'OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'apiKey', 'APIKEY', 'TLS_PRIVATE_KEY', 'AWS_SECRET_ACCESS_KEY', 'AWS_ACCESS_KEY_ID',
    'SIGNING_KEY', 'VAULT_SECRET_ID',
  ])('%s looks secret', (name) => {
    expect(looksLikeSecretName(name)).toBe(true);
  });

  test.each([
    'TOKEN_EXPIRE_MINUTES', 'ACCESS_TOKEN_TTL', 'DB_SECRET_NAME', 'PASSWORD_FILE', 'API_KEY_HEADER', 'JWT_SECRET_PATH',
    'PASSWORD_MIN_LENGTH', 'TOKEN_URL', 'MAX_TOKENS', 'TOKENIZER', 'CACHE_KEY', 'PARTITION_KEY', 'KEY', 'LOG_LEVEL',
    'JWT_ALGORITHM', 'RBAC_ENABLED', 'PWD',
  ])('%s does not look secret', (name) => {
    expect(looksLikeSecretName(name)).toBe(false);
  });
});

describe('secretLiteralProblem', () => {
  test('says how to bind a secret-looking literal', () => {
    expect(secretLiteralProblem('JWT_SECRET', 'abc')).toMatch(/bind it with a SecretsBinding .*SecretMount.env\(\['JWT_SECRET'\]\)/);
  });

  test('lets an empty value pass: it leaks nothing', () => {
    expect(secretLiteralProblem('OPENAI_API_KEY', '')).toBeUndefined();
  });

  test('finds a password in a URL whatever the name', () => {
    expect(secretLiteralProblem('REDIS_URL', 'redis://:hunter2@redis:6379/0')).toMatch(/is a URL with a password/);
    expect(secretLiteralProblem('DATABASE_URL', 'postgres://app:hunter2@db:5432/app')).toMatch(/is a URL with a password/);
  });

  test('lets a URL without a password pass', () => {
    expect(secretLiteralProblem('API_URL', 'http://api.test.svc:80')).toBeUndefined();
    expect(secretLiteralProblem('DATABASE_URL', 'postgres://app@db:5432/app')).toBeUndefined();
  });
});

describe('ProductionApp leak guard', () => {
  test('fails when a literal env var looks secret, without repeating the value', () => {
    const make = () => newApp({ env: { OPENAI_API_KEY: 'sk-live-123' } });
    expect(make).toThrow(/\[test\/Api\] 'env.OPENAI_API_KEY' \('<redacted>'\) looks like a credential .* bind it with a SecretsBinding/);
    expect(make).not.toThrow(/sk-live-123/);
  });

  test('fails when addEnv receives a secret-looking literal', () => {
    const app = newApp();
    expect(() => app.addEnv('JWT_SECRET', EnvValue.literal('changeme'))).toThrow(/'env.JWT_SECRET' \('<redacted>'\) looks like a credential/);
  });

  test('fails when a config key looks secret', () => {
    expect(() => newApp({ config: { SECRET_KEY: 'changeme' } })).toThrow(/'config.SECRET_KEY' \('<redacted>'\) looks like a credential/);
  });

  test('fails when a config value is a URL with a password', () => {
    expect(() => newApp({ config: { REDIS_URL: 'redis://:changeme@redis:6379' } })).toThrow(/'config.REDIS_URL' \('<redacted>'\) is a URL with a password/);
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
