import { isIPv4, isIPv6 } from 'net';
import { IConstruct } from 'constructs';
import { check } from './errors';
import { Kind } from './kinds';

// The one home of the checks every construct shares: names and label keys, numbers, ports, paths and
// network values. Every check is safe with any JavaScript value (a caller without a type checker may
// pass a number where a name belongs) and throws the one message format of `check`.

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;
const PORT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** Annotations of one object may hold at most 256 KiB, keys and values together (kubernetes `ValidateAnnotationsSize`, TotalAnnotationSizeLimitB). */
const MAX_ANNOTATIONS_BYTES = 256 * 1024;

/** The most bytes the values of a ConfigMap (or a Secret) hold together (kubernetes `ValidateConfigMap`: MaxSecretSize, 1 MiB). */
const MAX_CONFIG_MAP_BYTES = 1024 * 1024;

/** The largest value of the API's int32 fields (replicas, ports, seconds of most timeouts and periods). */
export const INT32_MAX = 2147483647;

/** Whether `value` is a string that matches `pattern` and has at most `max` characters. */
function matches(value: unknown, pattern: RegExp, max: number): value is string {
  return typeof value === 'string' && value.length <= max && pattern.test(value);
}

/** A name Kubernetes accepts for a Service, Namespace or container: a DNS-1035 label, at most `max` characters. */
export function checkDnsLabel(scope: IConstruct, prop: string, value: string, max = 63): void {
  check(matches(value, DNS1035_LABEL, max), scope, prop, value,
    `must be a DNS label of at most ${max} characters: lowercase letters, digits and '-', starting with a letter and ending with a letter or digit`);
}

/** A name Kubernetes accepts for most objects (ConfigMap, Deployment, ...): a DNS-1123 subdomain. */
export function checkDnsSubdomain(scope: IConstruct, prop: string, value: string): void {
  check(matches(value, DNS1123_SUBDOMAIN, 253), scope, prop, value,
    'must be a DNS-1123 subdomain of at most 253 characters: lowercase letters, digits, \'-\' and \'.\'');
}

/** A namespace name: a DNS-1123 label. */
export function checkNamespaceName(scope: IConstruct, prop: string, value: string): void {
  check(matches(value, DNS1123_LABEL, 63), scope, prop, value,
    'must be a DNS-1123 label of at most 63 characters: lowercase letters, digits and \'-\'');
}

/** Whether `key` is a qualified name, as label, annotation and taint keys are: an optional DNS subdomain prefix and '/', then a name of at most 63 characters. */
export function isQualifiedName(key: unknown): boolean {
  if (typeof key !== 'string') {
    return false;
  }
  const slash = key.indexOf('/');
  const [prefix, name] = slash >= 0 ? [key.slice(0, slash), key.slice(slash + 1)] : [undefined, key];
  return (prefix === undefined || matches(prefix, DNS1123_SUBDOMAIN, 253)) && matches(name, LABEL_NAME, 63);
}

/** Whether `value` is a label value: at most 63 alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric (or empty). */
export function isLabelValue(value: unknown): value is string {
  return matches(value, LABEL_VALUE, 63);
}

/** Label keys and values as the API server validates them. */
export function checkLabels(scope: IConstruct, prop: string, labels: Record<string, string>): void {
  Kind.record(Kind.STRING).check(scope, prop, labels);
  for (const [key, value] of Object.entries(labels)) {
    check(isQualifiedName(key), scope, `${prop}.${key}`, key,
      'is not a valid label key: an optional DNS subdomain prefix and \'/\', then at most 63 alphanumerics, \'-\', \'_\' or \'.\'');
    check(isLabelValue(value), scope, `${prop}.${key}`, value,
      'is not a valid label value: at most 63 alphanumerics, \'-\', \'_\' or \'.\', starting and ending with an alphanumeric');
  }
}

/**
 * Annotation keys as the API server validates them (the same form as label keys); values may be any
 * string, and keys and values of one object hold at most 256 KiB together.
 */
export function checkAnnotations(scope: IConstruct, prop: string, annotations: Record<string, string>): void {
  Kind.record(Kind.STRING).check(scope, prop, annotations);
  let bytes = 0;
  for (const [key, value] of Object.entries(annotations)) {
    check(isQualifiedName(key), scope, `${prop}.${key}`, key,
      'is not a valid annotation key: an optional DNS subdomain prefix and \'/\', then at most 63 alphanumerics, \'-\', \'_\' or \'.\'');
    bytes += Buffer.byteLength(key) + Buffer.byteLength(value);
  }
  check(bytes <= MAX_ANNOTATIONS_BYTES, scope, prop, `${bytes} bytes`,
    `must hold at most ${MAX_ANNOTATIONS_BYTES} bytes of keys and values: the API server refuses larger annotations`);
}

/** The data of a ConfigMap: its values hold at most 1 MiB together, counted in bytes as the API server counts them. */
export function checkConfigMapSize(scope: IConstruct, prop: string, data: Readonly<Record<string, string>>): void {
  const bytes = Object.values(data).reduce((sum, value) => sum + Buffer.byteLength(value), 0);
  check(bytes <= MAX_CONFIG_MAP_BYTES, scope, prop, `${bytes} bytes`,
    `must hold at most ${MAX_CONFIG_MAP_BYTES} bytes of values (1 MiB): the API server refuses a larger ConfigMap`);
}

/**
 * A container port name (IANA_SVC_NAME): at most 15 lowercase letters, digits and '-', with a
 * letter, no '--', and no '-' at either end. Services and probes refer to ports by these names.
 */
export function checkPortName(scope: IConstruct, prop: string, value: string): void {
  check(matches(value, PORT_NAME, 15) && /[a-z]/.test(value) && !value.includes('--'), scope, prop, value,
    'must be a port name of at most 15 lowercase letters, digits and \'-\', with at least one letter, without \'--\' or a \'-\' at either end');
}

/** A TCP/UDP port number. */
export function checkPort(scope: IConstruct, prop: string, value: number): void {
  check(Number.isInteger(value) && value >= 1 && value <= 65535, scope, prop, value, 'must be an integer port between 1 and 65535');
}

/** An environment variable name the kubelet accepts. */
export function checkEnvName(scope: IConstruct, prop: string, value: string): void {
  check(matches(value, ENV_VAR_NAME, Infinity), scope, prop, value,
    'must be an environment variable name: letters, digits, \'_\', \'-\' and \'.\', not starting with a digit');
}

/**
 * An integer from `min` to `max` (by default, as large as a JavaScript number holds exactly). A `max`
 * of {@link INT32_MAX} or more is the field's size, not a rule of its own, and has its own message.
 */
export function checkInteger(scope: IConstruct, prop: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): void {
  const ranged = max < INT32_MAX;
  check(Number.isInteger(value) && value >= min && (!ranged || value <= max), scope, prop, value,
    ranged ? `must be an integer between ${min} and ${max}` : `must be an integer of at least ${min}`);
  check(value <= max, scope, prop, value, `must be at most ${max}: ${max === INT32_MAX ? 'the API stores it in a 32-bit integer' : 'the largest integer a number holds exactly'}`);
}

/** A number from `min` to `max`, both excluded: a share or a quantile between 0 and 1. */
export function checkBetweenExclusive(scope: IConstruct, prop: string, value: number, min: number, max: number): void {
  check(typeof value === 'number' && value > min && value < max, scope, prop, value, `must be between ${min} and ${max} (exclusive)`);
}

/** A string with something in it: a title, a reason, a description. */
export function checkNotBlank(scope: IConstruct, prop: string, value: string, what = 'text'): void {
  check(typeof value === 'string' && value.trim() !== '', scope, prop, value, `must not be empty: it is ${what}`);
}

/**
 * A path inside a container where something is mounted: absolute, without '..', and not '/', where
 * the volume would hide the image's whole filesystem.
 */
export function checkAbsolutePath(scope: IConstruct, prop: string, value: string): void {
  check(typeof value === 'string' && value.startsWith('/') && !value.split('/').includes('..') && value.replace(/\/+/g, '/') !== '/',
    scope, prop, value, 'must be an absolute path without \'..\', other than \'/\'');
}

/** The path of an HTTP request the kubelet or Prometheus sends: absolute, without spaces or a fragment; a query is allowed. */
export function checkHttpPath(scope: IConstruct, prop: string, value: string): void {
  check(typeof value === 'string' && value.startsWith('/') && !/[\s#]/.test(value) && !value.includes('\0'), scope, prop, value,
    'must be an absolute path of an HTTP request, such as \'/health\', without spaces or \'#\'');
}

/** A key of a Secret or ConfigMap: the file name it is mounted as. */
export function checkSecretKey(scope: IConstruct, prop: string, value: string): void {
  check(matches(value, SECRET_KEY, 253) && value !== '.' && value !== '..', scope, prop, value,
    'must be a Secret key of at most 253 letters, digits, \'-\', \'_\' and \'.\', other than \'.\' and \'..\'');
}

/**
 * A host name clients connect to: a fully qualified, lowercase DNS name. With `wildcard`, also `*.` and such a
 * name (`*.apps.example.com`), the only wildcard an Ingress host and a Gateway API hostname share: one whole
 * leftmost label, matching exactly one label.
 */
export function checkHostname(scope: IConstruct, prop: string, value: string, options: { readonly wildcard?: boolean } = {}): void {
  const named = typeof value === 'string' && options.wildcard === true && value.startsWith('*.') ? value.slice(2) : value;
  const labels = typeof named === 'string' ? named.split('.') : [];
  const valid = typeof value === 'string' && value.length <= 253 && labels.length >= 2
    && labels.every((label) => label.length <= 63 && DNS1123_LABEL.test(label))
    && !/^[0-9]+$/.test(labels[labels.length - 1]);
  check(valid, scope, prop, value, options.wildcard === true
    ? 'must be a fully qualified lowercase DNS name such as \'api.example.com\', or \'*.\' and one (\'*.apps.example.com\'): no other wildcard, IP address, port or trailing dot'
    : 'must be a fully qualified lowercase DNS name such as \'api.example.com\': no wildcard, IP address, port or trailing dot');
}

/**
 * An https URL without credentials, query or fragment: the address of a server that tokens, keys or certificates
 * cross networks the cluster does not control to reach (an OpenID Connect issuer, an ACME directory). `why` ends the message.
 */
export function checkHttpsUrl(scope: IConstruct, prop: string, value: string, why: string): void {
  check(isHttpsUrl(value), scope, prop, value, `must be an https URL without credentials, query or fragment: ${why}`);
}

function isHttpsUrl(value: unknown): boolean {
  if (typeof value !== 'string' || !value.startsWith('https://')) {
    return false;
  }
  try {
    const url = new URL(value);
    return url.search === '' && url.hash === '' && url.username === '' && url.password === '' && !value.includes('?') && !value.includes('#');
  } catch {
    return false;
  }
}

const URL_PATH = /^\/[A-Za-z0-9._~/-]*$/;

/**
 * A URL path every ingress controller and the Gateway API accept as a prefix or exact match:
 * unreserved characters and '/', without empty or dot segments.
 */
export function checkUrlPath(scope: IConstruct, prop: string, value: string): void {
  check(matches(value, URL_PATH, Infinity) && !value.includes('//') && !/\/\.\.?(\/|$)/.test(value), scope, prop, value,
    'must be an absolute URL path of letters, digits, \'-\', \'_\', \'.\', \'~\' and \'/\', without \'//\', \'/./\' or \'/../\'');
}

/** An IPv4 or IPv6 address (not a block), as the API server parses one: no leading zeros, no zone. */
export function checkIpAddress(scope: IConstruct, prop: string, value: string): void {
  check(isIpAddress(value), scope, prop, value, 'must be an IPv4 or IPv6 address such as \'10.0.0.1\'');
}

/** Whether `value` is an IPv4 or IPv6 address the API server parses: Node.js refuses leading zeros, and a zone (`%eth0`) is refused here. */
function isIpAddress(value: unknown): value is string {
  return typeof value === 'string' && !value.includes('%') && (isIPv4(value) || isIPv6(value));
}

/** An address block: its family, its bits as a number, and its prefix length. */
interface AddressBlock {
  readonly bits: 32 | 128;
  readonly address: bigint;
  readonly prefix: number;
}

/** The address block `value` writes, or why it is none. */
function parseCidr(value: unknown): AddressBlock | string {
  const parts = typeof value === 'string' ? value.split('/') : [];
  const [address, prefixText] = parts;
  const bits = parts.length !== 2 || !isIpAddress(address) ? 0 : isIPv4(address) ? 32 : 128;
  if (bits === 0 || !/^(0|[1-9][0-9]{0,2})$/.test(prefixText)) {
    return 'must be an IPv4 or IPv6 CIDR block such as \'203.0.113.0/24\'';
  }
  const prefix = Number(prefixText);
  if (prefix > bits) {
    return `must be an IPv4 or IPv6 CIDR block such as '203.0.113.0/24': the prefix length of an ${bits === 32 ? 'IPv4' : 'IPv6'} block is at most ${bits}`;
  }
  const number = bits === 32 ? ipv4Number(address) : ipv6Number(address);
  const hostBits = BigInt(bits - prefix);
  if (hostBits > 0n && (number & ((1n << hostBits) - 1n)) !== 0n) {
    return `must be an IPv4 or IPv6 CIDR block such as '203.0.113.0/24', without address bits past the prefix length (the API server reads it as another block, and strict validation refuses it)`;
  }
  return { bits, address: number, prefix };
}

function ipv4Number(address: string): bigint {
  return address.split('.').reduce((n, octet) => (n << 8n) | BigInt(Number(octet)), 0n);
}

function ipv6Number(address: string): bigint {
  const embedded = /(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  const text = embedded !== null
    ? address.replace(embedded[1], `${((ipv4Number(embedded[1]) >> 16n) & 0xffffn).toString(16)}:${(ipv4Number(embedded[1]) & 0xffffn).toString(16)}`)
    : address;
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? headGroups : [...headGroups, ...Array(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups];
  return groups.reduce((n, group) => (n << 16n) | BigInt(parseInt(group, 16)), 0n);
}

/**
 * An IPv4 or IPv6 address block in CIDR notation as the API server reads it: a prefix length the
 * family allows (at most 32 or 128, without leading zeros) and no address bits past it
 * (`10.0.0.0/8`, not `10.1.2.3/8`).
 */
export function checkCidr(scope: IConstruct, prop: string, value: string): void {
  const block = parseCidr(value);
  check(typeof block !== 'string', scope, prop, value, typeof block === 'string' ? block : '');
}

/**
 * A block inside `outer` (a CIDR this check has accepted), with a longer prefix: what a NetworkPolicy's
 * `ipBlock.except` must be (kubernetes `ValidateIPBlock`: "must be a strict subset of `cidr`").
 */
export function checkCidrWithin(scope: IConstruct, prop: string, value: string, outer: string): void {
  checkCidr(scope, prop, value);
  const [inner, block] = [parseCidr(value) as AddressBlock, parseCidr(outer) as AddressBlock];
  const within = inner.bits === block.bits && inner.prefix > block.prefix
    && (inner.address >> BigInt(block.bits - block.prefix)) === (block.address >> BigInt(block.bits - block.prefix));
  check(within, scope, prop, value, `must be a block inside '${outer}' with a longer prefix: an exception lies within the block it excepts from`);
}
