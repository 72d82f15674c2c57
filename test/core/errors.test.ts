import { Testing } from 'cdk8s';
import { ValidationError, check, checkArgument, describeValue } from '../../lib/core/errors';

describe('describeValue', () => {
  const circular: Record<string, unknown> = { a: 1 };
  circular.self = circular;

  test.each([
    ['unset', undefined, 'unset'],
    ['null', null, 'null'],
    ['a string, quoted', 'api', '\'api\''],
    ['NaN by name, not as null', NaN, 'NaN'],
    ['Infinity', Infinity, 'Infinity'],
    ['-Infinity', -Infinity, '-Infinity'],
    ['a BigInt with its n', 10n, '10n'],
    ['a named function by name', function serve() {}, 'function serve'],
    ['an anonymous function', () => undefined, 'a function'],
    ['a symbol', Symbol('port'), 'Symbol(port)'],
    ['a date', new Date('2026-01-02T03:04:05Z'), '2026-01-02T03:04:05.000Z'],
    ['an invalid date', new Date('tomorrow'), 'Invalid Date'],
    ['an array as JSON', ['a', 1], '["a",1]'],
    ['NaN, BigInt and functions inside an object', { port: NaN, big: 2n, f: () => 1 }, '{"port":"NaN","big":"2n","f":"function f"}'],
    ['a circular object without recursing', circular, '{"a":1,"self":"[circular]"}'],
  ])('shows %s', (_, value, text) => {
    expect(describeValue(value)).toBe(text);
  });

  test('cuts a very long string and says how long it was', () => {
    const text = describeValue('x'.repeat(5000));
    expect(text).toMatch(/^'x{99}\.\.\. \(5000 characters\)$/);
  });

  test('never shows a credential: a string that holds one, alone or inside an object', () => {
    expect(describeValue('postgres://app:hunter2@db:5432/app')).toBe('\'<redacted>\'');
    expect(describeValue('host=db user=app password=hunter2')).toBe('\'<redacted>\'');
    expect(describeValue({ url: 'redis://:hunter2@redis:6379' })).toBe('{"url":"<redacted>"}');
  });
});

describe('ValidationError', () => {
  test('names the construct path, the prop, the value and the rule, with the path and the prop as fields', () => {
    const scope = Testing.chart();
    const error = new ValidationError(scope, 'port', NaN, 'must be an integer port between 1 and 65535');
    expect(error.message).toBe(`[${scope.node.path}] 'port' (NaN) must be an integer port between 1 and 65535`);
    expect([error.name, error.path, error.prop]).toEqual(['ValidationError', scope.node.path, 'port']);
  });

  test('check throws one when the condition is false, and nothing otherwise', () => {
    const scope = Testing.chart();
    expect(() => check(true, scope, 'replicas', 3, 'must be at least 1')).not.toThrow();
    expect(() => check(false, scope, 'replicas', 0, 'must be at least 1')).toThrow(ValidationError);
  });

  test('checkArgument names the function where a construct path would be', () => {
    expect(() => checkArgument(false, 'synthWithGuardrails', 'app', undefined, 'must be a cdk8s App'))
      .toThrow(/^synthWithGuardrails: 'app' \(unset\) must be a cdk8s App$/);
  });
});
