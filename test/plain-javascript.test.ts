import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/**
 * The compiled library as a plain JavaScript caller gets it (`require`, no type checker): every mistake of
 * test/plain-javascript/bad-input.js must fail with the one message format, naming the construct path
 * (or the function) and the prop, never with a JavaScript error from inside the library. `npm test`
 * compiles the library before it runs the tests.
 */
describe('plain JavaScript callers', () => {
  const script = path.join(__dirname, 'plain-javascript', 'bad-input.js');
  const results: Record<string, { thrown: boolean; name?: string; message?: string; path?: string; prop?: string }> = JSON.parse(
    execFileSync(process.execPath, [script], { encoding: 'utf8', cwd: path.join(__dirname, '..') }));

  test.each(Object.entries({
    'no props at all': /^\[shop\/Api\] 'props' \(unset\) must be an object of ProductionAppProps$/,
    'null props': /^\[shop\/Namespace\] 'props' \(null\) must be an object of NamespaceBaselineProps$/,
    'a missing required prop': /^\[shop\/Api\] 'image' \(unset\) must be an Image/,
    'a string where a Cpu belongs': /^\[shop\/Namespace\] 'quota.requestsCpu' \('4'\) must be a Cpu \(Cpu.millis or Cpu.units\)$/,
    'a string where a Size belongs': /^\[shop\/Db\] 'storage.size' \('10Gi'\) must be a Size/,
    'a string where a Duration belongs': /^\[shop\/Migrate\] 'activeDeadline' \('30m'\) must be a Duration/,
    'a number in args': /^\[shop\/Api\] 'args\[2\]' \(8080\) must be a string$/,
    'a function in a value': /^\[shop\/Api\] 'config.LOG_LEVEL' \('<redacted>'\) must be a string$/,
    'a BigInt in a value': /^\[shop\/Api\] 'replicas' \(3n\) must be a number, or left unset$/,
    'an array where a record belongs': /^\[shop\/Api\] 'env' \('<redacted>'\) must be an object \(each value a string\), or left unset$/,
    'a config key __proto__ read from JSON': /^\[shop\/Api\] 'config.__proto__' \('__proto__'\) must not be __proto__ or constructor/,
    'a CIDR past 32 bits': /^\[shop\/Api\] 'allowFrom' \('10.0.0.0\/33'\) must be an IPv4 or IPv6 CIDR block/,
    'an enum value as a plain string that is none': /^\[shop\/Search\] 'volumeClaims\[0\].accessMode' \('rwo'\) must be an AccessMode: 'ReadWriteOnce', 'ReadWriteMany', or left unset$/,
    'a value class written as an object': /^\[shop\/Api\] 'readiness' \(\{"httpGet":\{"path":"\/ready"\}\}\) must be a Probe/,
    'a route to a Service name': /^\[shop\/Ingress\] 'backend' \('api'\) must be a backend/,
    'a binding to a workload name': /^\[shop\/Secrets\] 'bindTo.app' \('api'\) must be a workload/,
    'an app that is no App': /^synthWithGuardrails: 'app' \(\{"outdir":"dist"\}\) must be a cdk8s App$/,
    'a Duration in a cron': /^\[shop\/Prune\] 'schedule' \(.*\) must be a cron expression \(a string\)$/,
    'one host where the list of hosts belongs': /^\[shop\/Anthropic\] 'hosts' \('api.anthropic.com'\) must be an array \(each item a string\)$/,
    'registry credentials without a registry': /^\[shop\/Registry\] 'registry' \(unset\) must be a string$/,
    'null options of a grant': /^\[shop\/Access\] 'grants\[0\]' \(null\) must be a TeamGrantOptions object/,
    'a Velero installation written as an object': /^\[shop\/Backups\] 'velero' \(\{"namespace":"velero"\}\) must be a Velero installation/,
    'null options of a DNS provider': /^\[shop\/Ingress\] 'issuer.dns01.provider' \(null\) must be a Route53Options object/,
    'an issuer URL where the identity provider belongs': /^\[shop\/Ingress\] 'signIn.identityProvider' \('https:\/\/sso.example.com'\) must be an IdentityProvider/,
    'null options of a log collection': /^\[shop\/Api\] 'logs' \(null\) must be a FluentBitOptions object/,
    'an apply order for a name': /^ApplyOrder.apply: 'scope' \('platform'\) must be a construct/,
  }))('fails with a message naming the prop when a caller passes %s', (mistake, message) => {
    const result = results[mistake];
    expect(result.thrown).toBe(true);
    expect(result.message).toMatch(message);
    expect(result.message).not.toMatch(/Cannot read properties|is not a function|is not iterable|unacceptable kind/);
  });

  test('every mistake of the script is judged here, and a ValidationError carries its path and prop', () => {
    expect(Object.keys(results).length).toBe(26);
    const validation = Object.values(results).filter((r) => r.name === 'ValidationError');
    expect(validation.length).toBe(24);
    expect(validation.every((r) => r.path?.startsWith('shop/') && r.prop !== undefined)).toBe(true);
    expect(fs.existsSync(path.join(__dirname, 'plain-javascript', 'never-written'))).toBe(false);
  });
});
