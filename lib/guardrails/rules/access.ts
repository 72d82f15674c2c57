import { isClusterScoped } from '../identity';
import { GuardrailRule, RuleLevel, RuleSource } from '../rule';

const ROLE_KINDS = ['Role', 'ClusterRole'];
const INTERACTIVE = new Set(['pods/exec', 'pods/attach', 'pods/*']);

function rulesOf(role: any): any[] {
  return role.rules ?? [];
}

/** Least-privilege RBAC, and every object in a namespace. */
export const ACCESS_RULES: readonly GuardrailRule[] = [
  {
    id: 'rbac-no-wildcards',
    rule: 'Roles and ClusterRoles must not grant wildcard (*) verbs or resources',
    reason: 'a wildcard grants every current and future verb or resource, including ones added by operators later',
    fix: 'list the verbs and resources the workload needs',
    sources: [RuleSource.CIS_5, RuleSource.KUBE_LINTER, RuleSource.CHECKOV, RuleSource.POLARIS],
    level: RuleLevel.ERROR,
    kinds: ROLE_KINDS,
    check: (o) => rulesOf(o.manifest).flatMap((rule, i) => ['verbs', 'resources']
      .filter((field) => (rule[field] ?? []).includes('*'))
      .map((field) => `rule ${i} grants every ${field === 'verbs' ? 'verb' : 'resource'} (*)`)),
  },
  {
    id: 'rbac-no-pod-exec',
    rule: 'Roles and ClusterRoles must not grant pods/exec or pods/attach',
    reason: 'exec into a pod gives its identity, its secrets and a shell inside the network policy',
    fix: 'remove pods/exec and pods/attach; debug with ephemeral containers under a break-glass role outside the app',
    sources: [RuleSource.CIS_5, RuleSource.KUBE_LINTER, RuleSource.POLARIS],
    level: RuleLevel.ERROR,
    kinds: ROLE_KINDS,
    check: (o) => rulesOf(o.manifest).flatMap((rule, i) => ((rule.resources ?? []) as string[])
      .filter((r) => INTERACTIVE.has(r))
      .map((r) => `rule ${i} grants ${r}`)),
  },
  {
    id: 'rbac-no-cluster-admin',
    rule: 'bindings must not grant the cluster-admin ClusterRole',
    reason: 'cluster-admin can do anything anywhere; no workload needs it',
    fix: 'bind a Role with the verbs and resources the subject needs',
    sources: [RuleSource.CIS_5, RuleSource.KUBE_LINTER, RuleSource.POLARIS],
    level: RuleLevel.ERROR,
    kinds: ['RoleBinding', 'ClusterRoleBinding'],
    check: (o) => o.manifest.roleRef?.kind === 'ClusterRole' && o.manifest.roleRef?.name === 'cluster-admin' ? ['grants cluster-admin'] : [],
  },
  {
    id: 'namespace-set',
    rule: 'every namespaced object must name its namespace',
    reason: 'an object without namespace lands wherever kubectl\'s context points, which differs between people and pipelines',
    fix: 'set the namespace on the Chart or on the object',
    sources: [RuleSource.DESIGN, RuleSource.CIS_5],
    level: RuleLevel.ERROR,
    check: (o) => o.namespace === undefined && !isClusterScoped(o.kind) ? ['has no namespace'] : [],
  },
];
