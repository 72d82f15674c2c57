import { Construct } from 'constructs';
import { Protocol } from '../../lib';
import { checkDomainNames, checkDomainPorts, domainMatches, domainNameProblem } from '../../lib/network/domain-name';
import { testChart } from '../util';

// Cilium 1.18's matchPattern: '*' stands for any characters but '.', so '*.cilium.io' matches 'sub.cilium.io' and neither
// 'cilium.io' nor 'sub.sub.cilium.io'; '**.' for several labels came after 1.18 (cilium/cilium#43420). Sources: the research
// notes on Cilium 1.18, Part B1 (cilium Documentation/security/policy/language.rst "DNS based"; the pinned v1.18.2 CRD,
// ../shared/crds/cilium-v1.18.2-ciliumnetworkpolicies.yaml, matchPattern description).

describe('domainNameProblem', () => {
  test.each([
    'api.anthropic.com',
    'aishell-prod-backups.s3.eu-west-1.amazonaws.com',
    '*.s3.eu-west-1.amazonaws.com',
    'xn--bcher-kva.example',
    `${'a'.repeat(63)}.example.com`,
  ])('accepts %s', (name) => {
    expect(domainNameProblem(name)).toBeUndefined();
  });

  test.each<[string, string, RegExp]>([
    ['a scheme', 'https://api.anthropic.com', /without a scheme/],
    ['a path', 'api.anthropic.com/v1', /without a path/],
    ['a port', 'api.anthropic.com:443', /without a port: give the ports with the rule/],
    ['an IPv4 address', '203.0.113.10', /not an IP address: use NetworkPeer.ipBlock/],
    ['an IPv6 address', '2001:db8::1', /not an IP address/],
    ['a trailing dot', 'api.anthropic.com.', /must not end with a dot/],
    ['uppercase', 'API.anthropic.com', /must be lowercase/],
    ['a multi-label wildcard', '**.amazonaws.com', /must not use '\*\*': Cilium 1\.18 reads '\*' within one label only/],
    ['a wildcard inside a label', '*foo.example.com', /may use '\*' only as the whole leftmost label/],
    ['a wildcard after the first label', 'api.*.example.com', /may use '\*' only as the whole leftmost label/],
    ['a wildcard alone', '*', /at least two labels/],
    ['a wildcard over a top-level domain', '*.com', /at least two labels/],
    ['a single label', 'localhost', /at least two labels/],
    ['an empty label', 'api..example.com', /at least two labels/],
    ['an underscore', 'my_api.example.com', /letters, digits and '-'/],
    ['a label that starts with a hyphen', '-api.example.com', /letters, digits and '-'/],
    ['a label over 63 characters', `${'a'.repeat(64)}.example.com`, /at most 63 characters a label/],
    ['a name over 253 characters', `${'a.'.repeat(127)}com`, /253 in all/],
    ['a numeric top-level label', 'api.example.123', /at least two labels/],
  ])('fails when the name has %s', (_what, name, rule) => {
    expect(domainNameProblem(name)).toMatch(rule);
  });
});

describe('checkDomainNames and checkDomainPorts', () => {
  const scope = (): Construct => new Construct(testChart(), 'Scope');

  test('fails when no host is named', () => {
    expect(() => checkDomainNames(scope(), 'hosts', [])).toThrow(/\[test\/Scope\] 'hosts' \(\[\]\) must name at least one host/);
  });

  test('fails when a host is no DNS name, with the name and the rule', () => {
    expect(() => checkDomainNames(scope(), 'hosts', ['api.example.com', 'https://api.openai.com']))
      .toThrow(/\[test\/Scope\] 'hosts' \('https:\/\/api.openai.com'\) must be a host name without a scheme/);
  });

  test('fails when no port is named', () => {
    expect(() => checkDomainPorts(scope(), 'ports', [])).toThrow(/'ports' \(\[\]\) must name at least one port/);
  });

  test('fails when more ports are named than a Cilium toPorts rule holds (40, the pinned CRD\'s maxItems)', () => {
    const ports = Array.from({ length: 41 }, (_, i) => ({ port: 8000 + i }));
    expect(() => checkDomainPorts(scope(), 'ports', ports)).toThrow(/'ports' \(41\) must name at most 40 ports/);
    expect(() => checkDomainPorts(scope(), 'ports', ports.slice(0, 40))).not.toThrow();
  });

  test('fails when a port is out of range', () => {
    expect(() => checkDomainPorts(scope(), 'ports', [{ port: 443, protocol: Protocol.TCP }, { port: 70000 }]))
      .toThrow(/'ports' \(70000\) must be an integer port between 1 and 65535/);
  });
});

describe('domainMatches (Cilium 1.18 toFQDNs matching)', () => {
  test.each<[string, string, boolean]>([
    ['api.anthropic.com', 'api.anthropic.com', true],
    ['api.anthropic.com', 'API.Anthropic.com.', true],
    ['api.anthropic.com', 'anthropic.com', false],
    ['*.s3.eu-west-1.amazonaws.com', 'backups.s3.eu-west-1.amazonaws.com', true],
    ['*.s3.eu-west-1.amazonaws.com', 's3.eu-west-1.amazonaws.com', false],
    // a bucket name with dots is two labels more: a one-label wildcard does not match it
    ['*.s3.eu-west-1.amazonaws.com', 'my.backups.s3.eu-west-1.amazonaws.com', false],
    ['sub*.cilium.io', 'subdomain.cilium.io', true],
    ['sub*.cilium.io', 'www.cilium.io', false],
    ['*', 'anything.example.com', true],
    ['*.example.com', '*.example.com', true],
    ['api.example.com', '*.example.com', false],
  ])('%s matches %s: %s', (pattern, name, matches) => {
    expect(domainMatches(pattern, name)).toBe(matches);
  });
});
