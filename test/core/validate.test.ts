import { Testing } from 'cdk8s';
import {
  checkAbsolutePath, checkAnnotations, checkCidr, checkCidrWithin, checkConfigMapSize, checkDnsLabel, checkHttpPath, checkHttpsUrl, checkInteger,
  checkIpAddress, checkLabels, checkPort,
} from '../../lib/core/validate';
import { checkAwsRegion, checkAzureSubscriptionId, checkGoogleCloudProject } from '../../lib/core/cloud-ids';

const scope = () => Testing.chart();

describe('checkCidr', () => {
  test.each([
    '10.0.0.0/8', '10.0.0.0/32', '0.0.0.0/0', '203.0.113.0/24', '2001:db8::/32', '::/0', 'fe80::1/128', '::ffff:10.0.0.0/120',
  ])('accepts %s', (cidr) => {
    expect(() => checkCidr(scope(), 'cidr', cidr)).not.toThrow();
  });

  test.each([
    ['the IPv4 prefix length is 33', '10.0.0.0/33', /'cidr' \('10.0.0.0\/33'\) must be an IPv4 or IPv6 CIDR block .*the prefix length of an IPv4 block is at most 32/],
    ['the IPv4 prefix length is 40', '10.0.0.0/40', /'cidr' \('10.0.0.0\/40'\) .*at most 32/],
    ['the IPv4 prefix length is 99', '10.0.0.0/99', /'cidr' \('10.0.0.0\/99'\) .*at most 32/],
    ['the IPv6 prefix length is 129', '2001:db8::/129', /'cidr' \('2001:db8::\/129'\) .*the prefix length of an IPv6 block is at most 128/],
    ['the prefix length has a leading zero', '10.0.0.0/08', /'cidr' \('10.0.0.0\/08'\) must be an IPv4 or IPv6 CIDR block such as '203.0.113.0\/24'$/],
    ['there is no prefix length', '10.0.0.1', /'cidr' \('10.0.0.1'\) must be an IPv4 or IPv6 CIDR block/],
    ['an octet is out of range', '10.0.0.256/32', /'cidr' \('10.0.0.256\/32'\) must be an IPv4 or IPv6 CIDR block/],
    ['an octet has a leading zero', '10.0.0.010/32', /'cidr' \('10.0.0.010\/32'\) must be an IPv4 or IPv6 CIDR block/],
    ['the address has a zone', 'fe80::1%eth0/128', /'cidr' \('fe80::1%eth0\/128'\) must be an IPv4 or IPv6 CIDR block/],
    ['address bits are set past the prefix', '10.1.2.3/8', /'cidr' \('10.1.2.3\/8'\) .*without address bits past the prefix length/],
    ['IPv6 address bits are set past the prefix', '2001:db8::1/64', /'cidr' \('2001:db8::1\/64'\) .*without address bits past the prefix length/],
    ['it is a number', 10, /'cidr' \(10\) must be an IPv4 or IPv6 CIDR block/],
  ])('fails when %s', (_, cidr, message) => {
    expect(() => checkCidr(scope(), 'cidr', cidr as string)).toThrow(message);
  });
});

describe('checkCidrWithin', () => {
  test('accepts a longer block inside the outer one', () => {
    expect(() => checkCidrWithin(scope(), 'except', '10.1.0.0/16', '10.0.0.0/8')).not.toThrow();
    expect(() => checkCidrWithin(scope(), 'except', '2001:db8:1::/48', '2001:db8::/32')).not.toThrow();
  });

  test.each([
    ['the block is outside', '192.168.0.0/16', '10.0.0.0/8'],
    ['the block is the outer block itself', '10.0.0.0/8', '10.0.0.0/8'],
    ['the block is wider than the outer one', '10.0.0.0/7', '10.0.0.0/8'],
    ['the block is of the other family', '2001:db8::/48', '10.0.0.0/8'],
  ])('fails when %s', (_, inner, outer) => {
    expect(() => checkCidrWithin(scope(), 'except', inner, outer))
      .toThrow(`'except' ('${inner}') must be a block inside '${outer}' with a longer prefix: an exception lies within the block it excepts from`);
  });
});

describe('checkIpAddress', () => {
  test.each(['10.0.0.1', '::1', '169.254.20.10'])('accepts %s', (address) => {
    expect(() => checkIpAddress(scope(), 'address', address)).not.toThrow();
  });

  test.each(['10.0.0.1/32', 'nodelocaldns', 'fe80::1%eth0', '010.0.0.1'])('fails when the address is %s', (address) => {
    expect(() => checkIpAddress(scope(), 'address', address)).toThrow(/'address' \(.*\) must be an IPv4 or IPv6 address such as '10.0.0.1'/);
  });
});

describe('numbers', () => {
  test.each([
    ['a port is 0', () => checkPort(scope(), 'port', 0), /'port' \(0\) must be an integer port between 1 and 65535/],
    ['a port is 65536', () => checkPort(scope(), 'port', 65536), /'port' \(65536\) must be an integer port/],
    ['a port is a fraction', () => checkPort(scope(), 'port', 80.5), /'port' \(80.5\) must be an integer port/],
    ['a port is NaN', () => checkPort(scope(), 'port', NaN), /'port' \(NaN\) must be an integer port/],
    ['a port is a string', () => checkPort(scope(), 'port', '80' as unknown as number), /'port' \('80'\) must be an integer port/],
    ['an integer is below its minimum', () => checkInteger(scope(), 'replicas', 0, 1), /'replicas' \(0\) must be an integer of at least 1$/],
    ['an int32 field is over 2147483647', () => checkInteger(scope(), 'replicas', 2 ** 31, 1, 2147483647),
      /'replicas' \(2147483648\) must be at most 2147483647: the API stores it in a 32-bit integer/],
    ['an integer is outside a range', () => checkInteger(scope(), 'percent', 100, 1, 99), /'percent' \(100\) must be an integer between 1 and 99/],
  ])('fails when %s', (_, run, message) => {
    expect(run).toThrow(message);
  });
});

describe('paths', () => {
  test.each([
    ['a mount path is relative', () => checkAbsolutePath(scope(), 'mountPath', 'data'), /'mountPath' \('data'\) must be an absolute path without '\.\.', other than '\/'/],
    ['a mount path goes up', () => checkAbsolutePath(scope(), 'mountPath', '/data/../etc'), /'mountPath' \('\/data\/\.\.\/etc'\) must be an absolute path/],
    ['a mount path is the root', () => checkAbsolutePath(scope(), 'mountPath', '/'), /'mountPath' \('\/'\) must be an absolute path without '\.\.', other than '\/'/],
    ['a mount path is the root, written twice', () => checkAbsolutePath(scope(), 'mountPath', '//'), /'mountPath' \('\/\/'\) must be an absolute path/],
    ['an HTTP path has no leading slash', () => checkHttpPath(scope(), 'path', 'health'), /'path' \('health'\) must be an absolute path of an HTTP request/],
    ['an HTTP path has a space', () => checkHttpPath(scope(), 'path', '/he alth'), /'path' \('\/he alth'\) must be an absolute path of an HTTP request/],
  ])('fails when %s', (_, run, message) => {
    expect(run).toThrow(message);
  });

  test('an HTTP path may be / and carry a query', () => {
    expect(() => checkHttpPath(scope(), 'path', '/')).not.toThrow();
    expect(() => checkHttpPath(scope(), 'path', '/health?full=1')).not.toThrow();
  });
});

describe('checkHttpsUrl', () => {
  test.each(['https://sso.example.com', 'https://sso.example.com:8443/realms/platform', 'https://acme-v02.api.letsencrypt.org/directory'])('accepts %s', (url) => {
    expect(() => checkHttpsUrl(scope(), 'url', url, 'why')).not.toThrow();
  });

  test.each([
    ['the scheme is http', 'http://sso.example.com'],
    ['it holds credentials', 'https://admin:secret@sso.example.com'],
    ['it has a query', 'https://sso.example.com/?tenant=a'],
    ['it has a fragment', 'https://sso.example.com/#top'],
    ['it has an empty query', 'https://sso.example.com/?'],
    ['it has no host', 'https://'],
    ['it has no scheme', 'sso.example.com'],
    ['it is no string', 443],
  ])('fails when %s', (_, url) => {
    expect(() => checkHttpsUrl(scope(), 'url', url as string, 'the reason'))
      .toThrow(/^\[test\] 'url' \(.*\) must be an https URL without credentials, query or fragment: the reason$/);
  });
});

describe('cloud names', () => {
  test.each([
    ['an AWS region', () => checkAwsRegion(scope(), 'region', 'eu-west-1')],
    ['an AWS GovCloud region', () => checkAwsRegion(scope(), 'region', 'us-gov-west-1')],
    ['a Google Cloud project id', () => checkGoogleCloudProject(scope(), 'project', 'acme-dns-1')],
    ['an Azure subscription id', () => checkAzureSubscriptionId(scope(), 'subscriptionId', '11111111-2222-3333-4444-555555555555')],
  ])('accepts %s', (_, run) => {
    expect(run).not.toThrow();
  });

  test.each([
    ['an AWS region is a name', () => checkAwsRegion(scope(), 'region', 'Ireland'), /^\[test\] 'region' \('Ireland'\) must be an AWS region such as 'eu-west-1'$/],
    ['an AWS region has no number', () => checkAwsRegion(scope(), 'region', 'eu-west'), /'region' \('eu-west'\) must be an AWS region/],
    ['an AWS region is no string', () => checkAwsRegion(scope(), 'region', 1 as any), /'region' \(1\) must be an AWS region/],
    ['a project id is too short', () => checkGoogleCloudProject(scope(), 'project', 'acme'),
      /^\[test\] 'project' \('acme'\) must be a Google Cloud project id: 6 to 30 lowercase letters, digits and '-', starting with a letter$/],
    ['a project id starts with a digit', () => checkGoogleCloudProject(scope(), 'project', '1acme-dns'), /'project' \('1acme-dns'\) must be a Google Cloud project id/],
    ['a project id ends with a dash', () => checkGoogleCloudProject(scope(), 'project', 'acme-dns-'), /'project' \('acme-dns-'\) must be a Google Cloud project id/],
    ['a subscription id is a name', () => checkAzureSubscriptionId(scope(), 'subscriptionId', 'production'),
      /^\[test\] 'subscriptionId' \('production'\) must be the id of an Azure subscription: a UUID$/],
  ])('fails when %s', (_, run, message) => {
    expect(run).toThrow(message);
  });
});

describe('names, labels, annotations and sizes', () => {
  test.each([
    ['a name is a number', () => checkDnsLabel(scope(), 'name', 123 as unknown as string), /'name' \(123\) must be a DNS label/],
    ['labels are an array', () => checkLabels(scope(), 'labels', ['a'] as unknown as Record<string, string>), /'labels' \(\["a"\]\) must be an object \(each value a string\)/],
    ['a label value is a number', () => checkLabels(scope(), 'labels', { tier: 1 } as unknown as Record<string, string>), /'labels.tier' \(1\) must be a string/],
    ['a label key is __proto__', () => checkLabels(scope(), 'labels', JSON.parse('{"__proto__":"x"}')), /'labels.__proto__' \('__proto__'\) must not be __proto__ or constructor/],
    ['annotations hold more than 256 KiB', () => checkAnnotations(scope(), 'annotations', { 'example.com/notes': 'x'.repeat(256 * 1024) }),
      /'annotations' \('262161 bytes'\) must hold at most 262144 bytes of keys and values/],
    ['a ConfigMap holds more than 1 MiB', () => checkConfigMapSize(scope(), 'config', { A: 'é'.repeat(512 * 1024 + 1) }),
      /'config' \('1048578 bytes'\) must hold at most 1048576 bytes of values \(1 MiB\): the API server refuses a larger ConfigMap/],
  ])('fails when %s', (_, run, message) => {
    expect(run).toThrow(message);
  });

  test('a ConfigMap of exactly 1 MiB passes: the API server counts bytes, and refuses only more', () => {
    expect(() => checkConfigMapSize(scope(), 'config', { A: 'x'.repeat(1024 * 1024) })).not.toThrow();
  });
});
