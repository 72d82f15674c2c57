import { secretLiteralProblem } from '../../lib/core/leaks';

describe('passwords inside a value', () => {
  test.each([
    ['a libpq connection string', 'DSN', 'host=db user=app password=hunter2 sslmode=verify-full', 'holds a credential assigned to \'password\''],
    ['a quoted libpq password', 'DSN', 'host=db password=\'hunter 2\'', 'holds a credential assigned to \'password\''],
    ['a JDBC property', 'JDBC', 'jdbc:sqlserver://db:1433;databaseName=app;user=app;password=hunter2', 'holds a credential assigned to \'password\''],
    ['a URL query parameter', 'URL', 'jdbc:postgresql://db/app?user=app&password=hunter2', 'holds a credential assigned to \'password\''],
    ['an .env line', 'ENV_FILE', 'LOG_LEVEL=info\nDB_PASSWORD=hunter2\n', 'holds a credential assigned to \'DB_PASSWORD\''],
    ['a YAML line', 'application.yaml', 'datasource:\n  user: app\n  password: hunter2\n', 'holds a credential assigned to \'password\''],
    ['a client secret', 'OAUTH', 'client_id=shop client_secret=s3cr3t', 'holds a credential assigned to \'client_secret\''],
    ['a qualified PWD', 'MYSQL', 'MYSQL_PWD=hunter2', 'holds a credential assigned to \'MYSQL_PWD\''],
  ])('flags %s', (_, name, value, problem) => {
    expect(secretLiteralProblem(name, value)).toBe(problem);
  });

  test.each([
    ['a libpq string without password', 'DSN', 'host=db user=app dbname=app sslmode=verify-full'],
    ['a password read from the environment', 'DSN', 'host=db user=app password=${DB_PASSWORD}'],
    ['a password given as a template', 'DSN', 'host=db password={{ .password }}'],
    ['an empty password', 'DSN', 'host=db password=\'\' user=app'],
    ['a switch named secret', 'FLAGS', 'secure=true secret=false'],
    ['a bare PWD: the shell\'s working directory', 'ENV_FILE', 'PWD=/app'],
    ['a name that describes a credential', 'ENV_FILE', 'PASSWORD_FILE=/run/secrets/db TOKEN_TTL=3600'],
  ])('accepts %s', (_, name, value) => {
    expect(secretLiteralProblem(name, value)).toBeUndefined();
  });
});
