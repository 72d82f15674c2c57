import { isIPv4, isIPv6 } from 'net';
import { IConstruct } from 'constructs';
import { check } from '../core/errors';
import { Kind } from '../core/kinds';
import { checkPort } from '../core/validate';
import { NetworkPort } from './network-peer';

const LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** Cilium's `toPorts[].ports` holds at most 40 entries (the pinned v1.18.2 CRD's `maxItems`). */
const MAX_PORTS = 40;

/**
 * Why `name` cannot name a host outside the cluster, or `undefined` when it can: a lowercase DNS name
 * of at least two labels (`api.anthropic.com`), or `*.` followed by one (`*.s3.eu-west-1.amazonaws.com`),
 * the only wildcard whose meaning is the same for every engine: exactly one label, as Cilium 1.18's
 * `matchPattern` reads it (`**.` for several labels came later).
 */
export function domainNameProblem(name: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(name)) {
    return 'must be a host name without a scheme: \'api.example.com\', not \'https://api.example.com\'';
  }
  if (name.includes('/')) {
    return 'must be a host name without a path';
  }
  if (name.includes(':') && !isIPv6(name)) {
    return 'must be a host name without a port: give the ports with the rule';
  }
  if (isIPv4(name) || isIPv6(name)) {
    return 'must be a DNS name, not an IP address: use NetworkPeer.ipBlock for addresses';
  }
  if (name.endsWith('.')) {
    return 'must not end with a dot';
  }
  if (name !== name.toLowerCase()) {
    return 'must be lowercase';
  }
  if (name.includes('**')) {
    return 'must not use \'**\': Cilium 1.18 reads \'*\' within one label only, and \'**.\' for several labels came in a later release';
  }
  const labels = name.split('.');
  const [first, ...rest] = labels;
  if (rest.some((label) => label.includes('*')) || (first.includes('*') && first !== '*')) {
    return 'may use \'*\' only as the whole leftmost label (\'*.example.com\'), which matches exactly one label';
  }
  const named = first === '*' ? rest : labels;
  const valid = named.length >= 2 && name.length <= 253 && named.every((label) => LABEL.test(label))
    && !/^[0-9]+$/.test(named[named.length - 1]);
  return valid ? undefined
    : 'must be a DNS name of at least two labels such as \'api.example.com\': letters, digits and \'-\', at most 63 characters a label and 253 in all';
}

/** Checks `names`, given to `scope` as `prop`, as hosts outside the cluster ({@link domainNameProblem}). */
export function checkDomainNames(scope: IConstruct, prop: string, names: readonly string[]): void {
  Kind.array(Kind.STRING).check(scope, prop, names);
  check(names.length > 0, scope, prop, names, 'must name at least one host');
  for (const name of names) {
    const problem = domainNameProblem(name);
    check(problem === undefined, scope, prop, name, problem ?? '');
  }
}

/** Checks the ports of a rule to hosts by name, given to `scope` as `prop`: at least one, at most 40 (Cilium's limit), each a port number. */
export function checkDomainPorts(scope: IConstruct, prop: string, ports: readonly NetworkPort[]): void {
  check(ports.length > 0, scope, prop, ports, 'must name at least one port: a host outside the cluster is reached on the ports it serves');
  check(ports.length <= MAX_PORTS, scope, prop, ports.length, `must name at most ${MAX_PORTS} ports, as many as a Cilium toPorts rule holds`);
  for (const port of ports) {
    checkPort(scope, prop, port.port);
  }
}

/**
 * Whether the `toFQDNs` entry `pattern` (a `matchName` or a `matchPattern`) matches the host `name`, as
 * Cilium 1.18 matches: case-insensitive, a trailing dot ignored, `*` standing for any characters but
 * `.` (so `*.example.com` matches one label), and `*` alone for every name. A wildcard `name` is matched
 * only by the same pattern or by `*`.
 */
export function domainMatches(pattern: string, name: string): boolean {
  const normalize = (value: string) => value.toLowerCase().replace(/\.$/, '');
  const [p, n] = [normalize(pattern), normalize(name)];
  if (p === '*' || p === n) {
    return true;
  }
  if (n.includes('*')) {
    return false;
  }
  const regex = p.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\-]/g, '\\$&')).join('[-a-z0-9_]*');
  return new RegExp(`^${regex}$`).test(n);
}
