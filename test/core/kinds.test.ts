import { Duration, Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { Kind, checkProps } from '../../lib/core/kinds';

const scope = () => Testing.chart();

describe('Kind', () => {
  test.each([
    ['a string is a number', Kind.STRING, 8080, /'prop' \(8080\) must be a string$/],
    ['a number is a string', Kind.NUMBER, '8080', /'prop' \('8080'\) must be a number$/],
    ['a boolean is a string', Kind.BOOLEAN, 'true', /'prop' \('true'\) must be true or false$/],
    ['a Cpu is a string', Kind.CPU, '250m', /'prop' \('250m'\) must be a Cpu \(Cpu.millis or Cpu.units\)$/],
    ['a Size is a string', Kind.SIZE, '512Mi', /'prop' \('512Mi'\) must be a Size \(Size.mebibytes, Size.gibibytes, ...\)$/],
    ['a Duration is a number', Kind.DURATION, 30, /'prop' \(30\) must be a Duration/],
    ['a Date is a string', Kind.DATE, '2026-01-01', /'prop' \('2026-01-01'\) must be a Date$/],
    ['an array is a string', Kind.array(Kind.STRING), 'serve', /'prop' \('serve'\) must be an array \(each item a string\)$/],
    ['an array holds a number', Kind.array(Kind.STRING), ['serve', 8080], /'prop\[1\]' \(8080\) must be a string$/],
    ['a record is an array', Kind.record(Kind.STRING), ['a'], /'prop' \(\["a"\]\) must be an object \(each value a string\)$/],
    ['a record holds a function', Kind.record(Kind.STRING), { a: () => 1 }, /'prop.a' \(function a\) must be a string$/],
    ['a record holds a BigInt', Kind.record(Kind.STRING), { a: 1n }, /'prop.a' \(1n\) must be a string$/],
    ['a record has a __proto__ key', Kind.record(Kind.STRING), JSON.parse('{"__proto__":"x"}'),
      /'prop.__proto__' \('__proto__'\) must not be __proto__ or constructor: cdk8s drops a __proto__ key and fails on a constructor key/],
    ['a record has a constructor key', Kind.record(Kind.STRING), { constructor: 'x' }, /'prop.constructor' \('constructor'\) must not be __proto__ or constructor/],
    ['a record is a Map', Kind.record(Kind.STRING), new Map([['a', 'b']]), /'prop' \(\{\}\) must be an object/],
    ['a value is none of an enum', Kind.oneOf({ A: 'a', B: 'b' }, 'a Letter'), 'c', /'prop' \('c'\) must be a Letter: 'a', 'b'$/],
    ['an optional value is null', Kind.STRING.optional(), null, /'prop' \(null\) must be a string, or left unset$/],
    ['a required value is unset', Kind.STRING, undefined, /'prop' \(unset\) must be a string$/],
    ['a shape lacks a member', Kind.shape('a workload', ['addEnv']), {}, /'prop' \(\{\}\) must be a workload$/],
    ['an object lacks a member', Kind.object('a Pair', { a: Kind.STRING }), {}, /'prop.a' \(unset\) must be a string$/],
  ])('fails when %s', (_, kind, value, message) => {
    expect(() => kind.check(scope(), 'prop', value)).toThrow(message);
  });

  test('never prints the value of a secret string', () => {
    expect(() => Kind.SECRET_STRING.check(scope(), 'env.TOKEN', 12345)).toThrow(/'env.TOKEN' \('<redacted>'\) must be a string$/);
    expect(() => Kind.record(Kind.SECRET_STRING).check(scope(), 'env', { TOKEN: 12345 })).not.toThrow(/12345/);
  });

  test.each([
    ['a string', Kind.STRING, 'a'],
    ['a Cpu of cdk8s-plus', Kind.CPU, Cpu.millis(250)],
    ['a Size', Kind.SIZE, Size.mebibytes(1)],
    ['a Duration', Kind.DURATION, Duration.seconds(1)],
    ['an unset optional', Kind.NUMBER.optional(), undefined],
    ['a record with an Object.prototype name that cdk8s renders (toString)', Kind.record(Kind.STRING), { toString: 'x' }],
  ])('accepts %s', (_, kind, value) => {
    expect(() => kind.check(scope(), 'prop', value)).not.toThrow();
  });
});

describe('checkProps', () => {
  test.each([
    ['the props object is missing', undefined, /'props' \(unset\) must be an object of ThingProps/],
    ['the props object is null', null, /'props' \(null\) must be an object of ThingProps/],
    ['the props object is an array', [], /'props' \(\[\]\) must be an object of ThingProps/],
    ['a required prop is missing', {}, /'name' \(unset\) must be a string$/],
  ])('fails when %s', (_, props, message) => {
    expect(() => checkProps(scope(), props as any, { name: Kind.STRING }, 'ThingProps')).toThrow(message);
  });
});
