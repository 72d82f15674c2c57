import { GuardrailObject, ObjectIndex, WORKLOAD_KINDS, selectsAll } from '../objects';
import { GuardrailRule, RuleLevel, RuleSource } from '../rule';

/** Directions a NetworkPolicy restricts: `policyTypes`, or as the API server defaults it. */
function policyTypes(policy: GuardrailObject): string[] {
  const spec = policy.manifest.spec ?? {};
  return spec.policyTypes ?? ['Ingress', ...spec.egress !== undefined ? ['Egress'] : []];
}

/** Whether `namespace` has policies that select every pod and deny both directions. */
function hasDefaultDeny(index: ObjectIndex, namespace: string | undefined): boolean {
  // Policies with an empty selector are the ones every pod matches, so asking for a pod without labels finds them.
  const selectingAll = index.networkPoliciesFor(namespace, {}).filter((p) => selectsAll(p.manifest.spec?.podSelector ?? {}));
  const denies = (type: string, rules: string) => selectingAll.some((p) =>
    policyTypes(p).includes(type) && (p.manifest.spec?.[rules] ?? []).length === 0);
  return denies('Ingress', 'ingress') && denies('Egress', 'egress');
}

/** Least-privilege networking: every pod behind a policy, and traffic entering over TLS only. */
export const NETWORK_RULES: readonly GuardrailRule[] = [
  {
    id: 'network-policy-coverage',
    rule: 'every pod must be selected by NetworkPolicies that restrict both its ingress and its egress',
    reason: 'a pod no policy selects accepts and opens any connection, so one compromised pod reaches everything',
    fix: 'add a NetworkPolicy with policyTypes [Ingress, Egress] that selects the pods (ProductionApp and NamespaceBaseline do)',
    sources: [RuleSource.DESIGN, RuleSource.CIS_5, RuleSource.KUBE_LINTER, RuleSource.CHECKOV],
    level: RuleLevel.ERROR,
    kinds: WORKLOAD_KINDS,
    check: (o, index) => {
      const types = new Set(index.networkPoliciesFor(o.namespace, o.pod?.labels ?? {}).flatMap(policyTypes));
      const missing = ['Ingress', 'Egress'].filter((t) => !types.has(t)).map((t) => t.toLowerCase());
      return missing.length > 0 ? [`pods have no NetworkPolicy restricting ${missing.join(' and ')}`] : [];
    },
  },
  {
    id: 'network-default-deny',
    rule: 'every namespace that runs pods must have a default-deny NetworkPolicy for ingress and egress',
    reason: 'without it a pod added later, or with labels no policy expects, is open in both directions',
    fix: 'add a NetworkPolicy with podSelector {} and policyTypes [Ingress, Egress] and no rules (NamespaceBaseline does)',
    sources: [RuleSource.DESIGN, RuleSource.CIS_5],
    level: RuleLevel.ERROR,
    kinds: WORKLOAD_KINDS,
    check: (o, index) => hasDefaultDeny(index, o.namespace) ? [] : [`namespace '${o.namespace ?? ''}' has no default-deny NetworkPolicy for ingress and egress`],
  },
  {
    id: 'service-type',
    rule: 'Services must not be of type NodePort or LoadBalancer unless suppressed with a reason',
    reason: 'such Services open a port on every node or on the internet, around the ingress and its TLS and rate limits',
    fix: 'use a ClusterIP Service behind an ingress or Gateway; suppress the rule for a deliberate exception',
    sources: [RuleSource.DESIGN, RuleSource.KUBE_LINTER, RuleSource.CHECKOV],
    level: RuleLevel.ERROR,
    kinds: ['Service'],
    check: (o) => {
      const type = o.manifest.spec?.type;
      return type === 'NodePort' || type === 'LoadBalancer' ? [`is of type ${type}`] : [];
    },
  },
  {
    id: 'ingress-tls',
    rule: 'every host of an Ingress must be covered by its TLS section',
    reason: 'a host without TLS serves credentials and sessions in plain text',
    fix: 'add the host to spec.tls[].hosts with a certificate secret (cert-manager issues one)',
    sources: [RuleSource.SEED_CHECKLIST, RuleSource.CHECKOV],
    level: RuleLevel.ERROR,
    kinds: ['Ingress'],
    check: (o) => {
      const spec = o.manifest.spec ?? {};
      const tlsHosts = ((spec.tls ?? []) as any[]).flatMap((t) => t.hosts ?? []) as string[];
      const covered = (host: string) => tlsHosts.some((t) => t === host || (t.startsWith('*.') && host.slice(host.indexOf('.')) === t.slice(1)));
      return ((spec.rules ?? []) as any[]).map((r) => r.host as string | undefined).flatMap((host) => {
        if (host === undefined) {
          return ['has a rule without host, which no TLS certificate can cover'];
        }
        return covered(host) ? [] : [`serves host '${host}' without TLS`];
      });
    },
  },
  {
    id: 'no-snippet-annotations',
    rule: 'objects must not carry *-snippet annotations',
    reason: 'snippets inject raw controller configuration (CVE-2021-25742 let them read any Secret), and ingress-nginx, which reads them, is retired',
    fix: 'remove the annotation and express the setting with the ingress or Gateway API fields',
    sources: [RuleSource.DESIGN, RuleSource.CHECKOV],
    level: RuleLevel.ERROR,
    check: (o) => Object.keys(o.annotations).filter((key) => key.endsWith('-snippet')).map((key) => `has the annotation ${key}`),
  },
];
