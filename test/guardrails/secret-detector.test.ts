import { SecretDetector } from '../../lib';

describe('SecretDetector', () => {
  test.each([
    ['DB_PASSWORD', 'hunter2', 'has a credential-like name and a literal value'],
    ['jwtSecret', 'change-me', 'has a credential-like name and a literal value'],
    ['AWS_SECRET_ACCESS_KEY', 'abc', 'has a credential-like name and a literal value'],
    ['DATABASE_URL', 'postgres://app:s3cret@db:5432/app', 'holds a URL with a password'],
    ['TLS', '-----BEGIN RSA PRIVATE KEY-----\nMIIE', 'holds a private key'],
    ['ID', 'AKIAIOSFODNN7EXAMPLE', 'holds an AWS access key id'],
  ])('flags %s', (name, value, problem) => {
    expect(SecretDetector.problem(name, value)).toBe(problem);
  });

  test.each([
    ['ACCESS_TOKEN_EXPIRE_MINUTES', '60'],
    ['PASSWORD_FILE', '/run/secrets/db/password'],
    ['SECRET_NAME', 'aishell-db'],
    ['CACHE_KEY', 'sessions'],
    ['DATABASE_URL', 'postgres://db.aishell.svc:5432/app?sslmode=require'],
    ['DB_PASSWORD', ''],
  ])('accepts %s', (name, value) => {
    expect(SecretDetector.problem(name, value)).toBeUndefined();
  });
});
