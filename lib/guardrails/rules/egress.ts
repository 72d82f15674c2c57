import { domainMatches } from '../../network/domain-name';
import { EGRESS_FALLBACK_ANNOTATION, OPEN_EGRESS_RULE_ID } from '../../network/egress-engine';
import { CREDENTIALS_FOR_ANNOTATION } from '../../workload/external-service';
import { GuardrailObject, LabelSelector, ObjectIndex, WORKLOAD_KINDS, selects } from '../objects';
import { GuardrailRule, RuleLevel, RuleSource } from '../rule';

const OPEN_CIDRS = new Set(['0.0.0.0/0', '::/0']);
/** Cilium entities that stand for every address outside the cluster, or every address. */
const OPEN_ENTITIES = new Set(['world', 'all']);
const CILIUM_POLICY = 'CiliumNetworkPolicy';
/** The Aileron guide's network security section: "Enable Cilium for network isolation", "Keep workspace domain allowlists as precise as possible". */
const AILERON_NETWORK_SECURITY = RuleSource.of('Aileron production guide (network security)');

/** Whether a NetworkPolicy restricts egress: `policyTypes` names it, or (unset) the policy has egress rules. */
function restrictsEgress(policy: GuardrailObject): boolean {
  const spec = policy.manifest.spec ?? {};
  return (spec.policyTypes as string[] | undefined)?.includes('Egress') ?? spec.egress !== undefined;
}

/** The egress rules of a CiliumNetworkPolicy, of its `spec` and every entry of its `specs`. */
function ciliumEgress(policy: GuardrailObject): any[] {
  const specs = [policy.manifest.spec, ...policy.manifest.specs ?? []].filter((s) => s !== undefined && s !== null);
  return specs.flatMap((spec) => spec.egress ?? []);
}

/** A Cilium endpoint selector as a Kubernetes one: Cilium's `k8s:` and `any:` label sources dropped from the keys. */
function ciliumSelector(policy: GuardrailObject): LabelSelector | undefined {
  const selector = policy.manifest.spec?.endpointSelector;
  if (selector === undefined || selector === null) {
    return undefined;
  }
  const key = (k: string) => k.replace(/^(k8s|any):/, '');
  return {
    matchLabels: Object.fromEntries(Object.entries<string>(selector.matchLabels ?? {}).map(([k, v]) => [key(k), v])),
    matchExpressions: (selector.matchExpressions ?? []).map((e: any) => ({ ...e, key: key(e.key) })),
  };
}

function describePorts(ports: any[] | undefined): string {
  if (ports === undefined || ports.length === 0) {
    return 'every port';
  }
  return ports.map((p) => `${p.port ?? 'any'}${p.endPort !== undefined ? `-${p.endPort}` : ''}/${p.protocol ?? 'TCP'}`).join(', ');
}

/** What in a NetworkPolicy or CiliumNetworkPolicy opens egress to every address, one message each. */
function openEgress(policy: GuardrailObject): string[] {
  if (policy.kind === CILIUM_POLICY) {
    return ciliumEgress(policy).flatMap((rule, i) => {
      const open = [
        ...(rule.toCIDR ?? []).filter((cidr: string) => OPEN_CIDRS.has(cidr)),
        ...(rule.toCIDRSet ?? []).map((set: any) => set.cidr).filter((cidr: string) => OPEN_CIDRS.has(cidr)),
        ...(rule.toEntities ?? []).filter((entity: string) => OPEN_ENTITIES.has(entity)).map((entity: string) => `entity ${entity}`),
      ];
      const ports = describePorts((rule.toPorts ?? []).flatMap((p: any) => p.ports ?? []));
      return open.map((what) => `egress rule ${i + 1} opens ${what} on ${ports}`);
    });
  }
  if (!restrictsEgress(policy)) {
    return [];
  }
  return ((policy.manifest.spec?.egress ?? []) as any[]).flatMap((rule, i) => {
    const ports = describePorts(rule.ports);
    const to = (rule.to ?? []) as any[];
    if (to.length === 0) {
      return [`egress rule ${i + 1} has no destination, so it opens every address on ${ports}`];
    }
    return to.map((peer) => peer.ipBlock?.cidr).filter((cidr) => OPEN_CIDRS.has(cidr)).map((cidr) => `egress rule ${i + 1} opens ${cidr} on ${ports}`);
  });
}

/** Whether a NetworkPolicy's `ports` (absent: every port) include `port`/`protocol`; named ports are not resolved. */
function portsInclude(ports: any[] | undefined, port: number, protocol: string): boolean {
  return ports === undefined || ports.length === 0 || ports.some((p) => (p.protocol ?? 'TCP') === protocol
    && (Number(p.port) === port || (p.endPort !== undefined && Number(p.port) <= port && port <= p.endPort)));
}

/** Whether a Cilium rule's `toPorts` (absent: every port) include `port`/`protocol`. */
function ciliumPortsInclude(toPorts: any[] | undefined, port: number, protocol: string): boolean {
  const ports = (toPorts ?? []).flatMap((p) => p.ports ?? []);
  return ports.length === 0 || ports.some((p: any) => [protocol, 'ANY', undefined].includes(p.protocol)
    && (Number(p.port) === port || (p.endPort !== undefined && Number(p.port) <= port && port <= p.endPort)));
}

/** An endpoint of a credentials annotation: `host:port/PROTOCOL`. */
interface Endpoint {
  readonly host: string;
  readonly port: number;
  readonly protocol: string;
  readonly text: string;
}

function parseEndpoints(annotation: string): Endpoint[] {
  return annotation.split(/[\s,]+/).filter((text) => text !== '').flatMap((text) => {
    const match = /^([^:\s]+):([0-9]+)(?:\/(TCP|UDP))?$/.exec(text);
    return match === null ? [] : [{ host: match[1], port: Number(match[2]), protocol: match[3] ?? 'TCP', text }];
  });
}

/** The Secrets a workload's pod reads: volumes (projected ones too), env and envFrom of every container. */
function secretsRead(o: GuardrailObject): Set<string> {
  const names = new Set<string>();
  for (const volume of (o.pod?.spec.volumes ?? []) as any[]) {
    [volume.secret?.secretName, ...(volume.projected?.sources ?? []).map((s: any) => s.secret?.name)]
      .filter((n): n is string => typeof n === 'string').forEach((n) => names.add(n));
  }
  for (const { spec } of o.containers) {
    ((spec.env ?? []) as any[]).map((e) => e.valueFrom?.secretKeyRef?.name).filter((n) => typeof n === 'string').forEach((n) => names.add(n));
    ((spec.envFrom ?? []) as any[]).map((e) => e.secretRef?.name).filter((n) => typeof n === 'string').forEach((n) => names.add(n));
  }
  return names;
}

/** The endpoints the producers of Secret `name` in `namespace` (an ExternalSecret, a SealedSecret, the Secret itself) say its credentials are for. */
function credentialsFor(index: ObjectIndex, namespace: string | undefined, name: string): Endpoint[] {
  const producers = [
    ...index.ofKind('ExternalSecret', namespace ?? '').filter((o) => (o.manifest.spec?.target?.name ?? o.name) === name),
    ...index.ofKind('SealedSecret', namespace ?? '').filter((o) => (o.manifest.spec?.template?.metadata?.name ?? o.name) === name),
    ...index.ofKind('Secret', namespace ?? '').filter((o) => o.name === name),
  ];
  return producers.flatMap((p) => parseEndpoints(p.annotations[CREDENTIALS_FOR_ANNOTATION] ?? ''));
}

/**
 * Whether the pods of `o` may open `endpoint`: their egress is not restricted; or a NetworkPolicy selecting them opens every
 * address on its port; or a CiliumNetworkPolicy selecting them names its host in `toFQDNs` (or opens the world) on its port.
 */
function reaches(o: GuardrailObject, index: ObjectIndex, endpoint: Endpoint): boolean {
  const labels = o.pod?.labels ?? {};
  const policies = index.networkPoliciesFor(o.namespace, labels).filter(restrictsEgress);
  const ciliumPolicies = index.ofKind(CILIUM_POLICY, o.namespace ?? '').filter((p) => selects(ciliumSelector(p), labels) && ciliumEgress(p).length > 0);
  if (policies.length === 0 && ciliumPolicies.length === 0) {
    return true;
  }
  const byAddress = policies.some((p) => ((p.manifest.spec?.egress ?? []) as any[]).some((rule) => {
    const to = (rule.to ?? []) as any[];
    return (to.length === 0 || to.some((peer) => OPEN_CIDRS.has(peer.ipBlock?.cidr))) && portsInclude(rule.ports, endpoint.port, endpoint.protocol);
  }));
  const byName = ciliumPolicies.some((p) => ciliumEgress(p).some((rule) => {
    const named = ((rule.toFQDNs ?? []) as any[]).some((f) => domainMatches(f.matchName ?? f.matchPattern ?? '', endpoint.host));
    const world = ((rule.toEntities ?? []) as string[]).some((e) => OPEN_ENTITIES.has(e));
    return (named || world) && ciliumPortsInclude(rule.toPorts, endpoint.port, endpoint.protocol);
  }));
  return byAddress || byName;
}

/** Egress outside the cluster: by name, never to every address unnoticed, and to the services whose credentials a pod holds. */
export const EGRESS_RULES: readonly GuardrailRule[] = [
  {
    id: OPEN_EGRESS_RULE_ID,
    rule: 'NetworkPolicies must not open egress to every address (0.0.0.0/0, ::/0, a rule without destination, Cilium\'s world)',
    reason: 'a pod that may connect anywhere can send its data and credentials anywhere, and reach any command-and-control server',
    fix: 'name the destinations: NetworkPeer.domain(...) or an ExternalService with EgressEngine.cilium(), pods, or address blocks; '
      + 'suppress the rule with the reason for a deliberate exception',
    sources: [RuleSource.DESIGN, AILERON_NETWORK_SECURITY],
    level: RuleLevel.ERROR,
    kinds: ['NetworkPolicy', CILIUM_POLICY],
    check: openEgress,
  },
  {
    id: 'network-egress-by-name',
    rule: 'egress to hosts by name should be enforced by name (Cilium toFQDNs), not by the portable fallback\'s open addresses',
    reason: 'the fallback lets the pods reach every public address on the named ports, not only the hosts they need',
    fix: 'run Cilium and give the constructs EgressEngine.cilium(); the fallback stays reported until then',
    sources: [RuleSource.DESIGN, AILERON_NETWORK_SECURITY],
    level: RuleLevel.WARNING,
    kinds: ['NetworkPolicy'],
    check: (o) => {
      const standsFor = o.annotations[EGRESS_FALLBACK_ANNOTATION];
      return standsFor === undefined ? [] : [`opens the public internet in place of ${standsFor}: the stage's egress engine cannot name hosts`];
    },
  },
  {
    id: 'credentials-egress',
    rule: 'a workload that mounts credentials for a service outside the cluster must be able to reach it',
    reason: 'the pods start, then every call to the service fails at run time, far from the policy that blocks it',
    fix: 'connect the workload to the service (app.connectTo(externalService)), or stop mounting credentials it does not use',
    sources: [RuleSource.DESIGN],
    level: RuleLevel.WARNING,
    kinds: WORKLOAD_KINDS,
    check: (o, index) => [...secretsRead(o)].flatMap((secret) => credentialsFor(index, o.namespace, secret)
      .filter((endpoint) => !reaches(o, index, endpoint))
      .map((endpoint) => `mounts Secret '${secret}', credentials for ${endpoint.text}, but its pods have no egress to it`)),
  },
];
