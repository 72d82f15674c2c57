import { isIPv4, isIPv6 } from 'net';
import { IConstruct } from 'constructs';
import { check } from './errors';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;
const PORT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A name Kubernetes accepts for a Service, Namespace or container: a DNS-1035 label, at most `max` characters. */
export function checkDnsLabel(scope: IConstruct, prop: string, value: string, max = 63): void {
  check(DNS1035_LABEL.test(value) && value.length <= max, scope, prop, value,
    `must be a DNS label of at most ${max} characters: lowercase letters, digits and '-', starting with a letter and ending with a letter or digit`);
}

/** A name Kubernetes accepts for most objects (ConfigMap, Deployment, ...): a DNS-1123 subdomain. */
export function checkDnsSubdomain(scope: IConstruct, prop: string, value: string): void {
  check(DNS1123_SUBDOMAIN.test(value) && value.length <= 253, scope, prop, value,
    'must be a DNS-1123 subdomain of at most 253 characters: lowercase letters, digits, \'-\' and \'.\'');
}

/** A namespace name: a DNS-1123 label. */
export function checkNamespaceName(scope: IConstruct, prop: string, value: string): void {
  check(DNS1123_LABEL.test(value) && value.length <= 63, scope, prop, value,
    'must be a DNS-1123 label of at most 63 characters: lowercase letters, digits and \'-\'');
}

/** Label keys and values as the API server validates them. */
export function checkLabels(scope: IConstruct, prop: string, labels: Record<string, string>): void {
  for (const [key, value] of Object.entries(labels)) {
    const [prefix, name] = key.includes('/') ? key.split('/', 2) : [undefined, key];
    const validKey = (prefix === undefined || (DNS1123_SUBDOMAIN.test(prefix) && prefix.length <= 253))
      && LABEL_NAME.test(name) && name.length <= 63;
    check(validKey, scope, `${prop}.${key}`, key,
      'is not a valid label key: an optional DNS subdomain prefix and \'/\', then at most 63 alphanumerics, \'-\', \'_\' or \'.\'');
    check(typeof value === 'string' && LABEL_VALUE.test(value) && value.length <= 63, scope, `${prop}.${key}`, value,
      'is not a valid label value: at most 63 alphanumerics, \'-\', \'_\' or \'.\', starting and ending with an alphanumeric');
  }
}

/**
 * Annotation keys as the API server validates them (the same form as label keys); values may be any
 * string.
 */
export function checkAnnotations(scope: IConstruct, prop: string, annotations: Record<string, string>): void {
  for (const [key, value] of Object.entries(annotations)) {
    const [prefix, name] = key.includes('/') ? key.split('/', 2) : [undefined, key];
    const validKey = (prefix === undefined || (DNS1123_SUBDOMAIN.test(prefix) && prefix.length <= 253))
      && LABEL_NAME.test(name) && name.length <= 63;
    check(validKey, scope, `${prop}.${key}`, key,
      'is not a valid annotation key: an optional DNS subdomain prefix and \'/\', then at most 63 alphanumerics, \'-\', \'_\' or \'.\'');
    check(typeof value === 'string', scope, `${prop}.${key}`, value, 'must be a string');
  }
}

/**
 * A container port name (IANA_SVC_NAME): at most 15 lowercase letters, digits and '-', with a
 * letter, no '--', and no '-' at either end. Services and probes refer to ports by these names.
 */
export function checkPortName(scope: IConstruct, prop: string, value: string): void {
  check(PORT_NAME.test(value) && value.length <= 15 && /[a-z]/.test(value) && !value.includes('--'), scope, prop, value,
    'must be a port name of at most 15 lowercase letters, digits and \'-\', with at least one letter, without \'--\' or a \'-\' at either end');
}

/** A TCP/UDP port number. */
export function checkPort(scope: IConstruct, prop: string, value: number): void {
  check(Number.isInteger(value) && value >= 1 && value <= 65535, scope, prop, value, 'must be an integer port between 1 and 65535');
}

/** An environment variable name the kubelet accepts. */
export function checkEnvName(scope: IConstruct, prop: string, value: string): void {
  check(ENV_VAR_NAME.test(value), scope, prop, value,
    'must be an environment variable name: letters, digits, \'_\', \'-\' and \'.\', not starting with a digit');
}

/** A positive (or zero, when allowed) integer. */
export function checkInteger(scope: IConstruct, prop: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): void {
  check(Number.isInteger(value) && value >= min && value <= max, scope, prop, value,
    max === Number.MAX_SAFE_INTEGER ? `must be an integer of at least ${min}` : `must be an integer between ${min} and ${max}`);
}

/** A path inside a container. */
export function checkAbsolutePath(scope: IConstruct, prop: string, value: string): void {
  check(value.startsWith('/') && !value.split('/').includes('..'), scope, prop, value, 'must be an absolute path without \'..\'');
}

/** A key of a Secret or ConfigMap: the file name it is mounted as. */
export function checkSecretKey(scope: IConstruct, prop: string, value: string): void {
  check(SECRET_KEY.test(value) && value.length <= 253 && value !== '.' && value !== '..', scope, prop, value,
    'must be a Secret key of at most 253 letters, digits, \'-\', \'_\' and \'.\', other than \'.\' and \'..\'');
}

/**
 * A host name clients connect to: a fully qualified, lowercase DNS name. With `wildcard`, also `*.` and such a
 * name (`*.apps.example.com`), the only wildcard an Ingress host and a Gateway API hostname share: one whole
 * leftmost label, matching exactly one label.
 */
export function checkHostname(scope: IConstruct, prop: string, value: string, options: { readonly wildcard?: boolean } = {}): void {
  const named = options.wildcard === true && value.startsWith('*.') ? value.slice(2) : value;
  const labels = named.split('.');
  const valid = value.length <= 253 && labels.length >= 2
    && labels.every((label) => label.length <= 63 && DNS1123_LABEL.test(label))
    && !/^[0-9]+$/.test(labels[labels.length - 1]);
  check(valid, scope, prop, value, options.wildcard === true
    ? 'must be a fully qualified lowercase DNS name such as \'api.example.com\', or \'*.\' and one (\'*.apps.example.com\'): no other wildcard, IP address, port or trailing dot'
    : 'must be a fully qualified lowercase DNS name such as \'api.example.com\': no wildcard, IP address, port or trailing dot');
}

const URL_PATH = /^\/[A-Za-z0-9._~/-]*$/;

/**
 * A URL path every ingress controller and the Gateway API accept as a prefix or exact match:
 * unreserved characters and '/', without empty or dot segments.
 */
export function checkUrlPath(scope: IConstruct, prop: string, value: string): void {
  check(URL_PATH.test(value) && !value.includes('//') && !/\/\.\.?(\/|$)/.test(value), scope, prop, value,
    'must be an absolute URL path of letters, digits, \'-\', \'_\', \'.\', \'~\' and \'/\', without \'//\', \'/./\' or \'/../\'');
}

/** An IPv4 or IPv6 address block in CIDR notation. */
export function checkCidr(scope: IConstruct, prop: string, value: string): void {
  const [address, bits, ...rest] = value.split('/');
  const maxBits = isIPv4(address) ? 32 : isIPv6(address) ? 128 : 0;
  const valid = rest.length === 0 && maxBits > 0 && bits !== undefined && /^[0-9]{1,3}$/.test(bits) && Number(bits) <= maxBits;
  check(valid, scope, prop, value, 'must be an IPv4 or IPv6 CIDR block such as \'203.0.113.0/24\'');
}
