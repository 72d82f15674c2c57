import { k8s } from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { check } from '../core/errors';
import { Kind, checkProps } from '../core/kinds';
import { recordException } from '../core/exceptions';
import { recommendedLabels } from '../core/labels';
import { nameFromId, resolveNamespace } from '../core/names';
import { Prerequisite } from '../core/prerequisites';
import { checkDnsLabel, checkLabels } from '../core/validate';
import { Permission } from './permission';

/** The guardrail that reports a Role granting exec or attach, which a grant with a reason accepts. */
const POD_EXEC_RULE = 'rbac-no-pod-exec';
/** Annotation of a break-glass Role and RoleBinding: why the grant exists. */
export const BREAK_GLASS_ANNOTATION = 'access.cdk8s-golden-path/break-glass';
const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** Options of {@link Access.team}. */
export interface TeamGrantOptions {
  /** Groups of people (as the API server's authenticator names them) who get the permissions. */
  readonly groups: string[];
  /** What they may do in the namespace. */
  readonly permissions: Permission[];
  /**
   * Why an interactive permission ({@link Permission.EXEC}) is safe for this team here: recorded as a suppression
   * of the `rbac-no-pod-exec` guardrail on the Role, in its annotations and in the SARIF report.
   * @default - no exception: a Role that grants exec is reported (an error in production)
   */
  readonly reason?: string;
}

/** Options of {@link Access.breakGlass}. */
export interface BreakGlassOptions {
  /** Groups of people who may break the glass: keep them empty but during an incident, granted just in time. */
  readonly groups: string[];
  /** What the glass gives, e.g. `[Permission.EXEC]`. */
  readonly permissions: Permission[];
  /** Why the access exists and when it is used: recorded on the Role and RoleBinding and, for exec, as a guardrail suppression. */
  readonly reason: string;
}

/**
 * A grant of permissions in a namespace to groups of people: one Role and one RoleBinding of a {@link TeamAccess}.
 * @see https://kubernetes.io/docs/reference/access-authn-authz/rbac/
 */
export class Access {
  /** Day-to-day access of a team: a Role and RoleBinding named `<access name>-<name>`. */
  public static team(name: string, options: TeamGrantOptions): Access {
    return new Access(name, options, false);
  }

  /**
   * Access for incidents only, named so that nobody mistakes it: a Role and RoleBinding named
   * `<access name>-break-glass-<name>`, annotated with the reason, whose exec grant the guardrails accept for that reason.
   */
  public static breakGlass(name: string, options: BreakGlassOptions): Access {
    return new Access(name, options, true);
  }

  /** Groups that get the permissions. */
  public readonly groups: readonly string[];
  /** What they may do. */
  public readonly permissions: readonly Permission[];
  /** Why the grant is safe, or exists. */
  public readonly reason?: string;

  private constructor(
    /** Name of the grant, in the names of its Role and RoleBinding. */
    public readonly name: string,
    /** The options as given: a factory never throws, and the TeamAccess that receives the grant checks them. */
    private readonly options: TeamGrantOptions | BreakGlassOptions,
    /** Whether this is break-glass access. */
    public readonly breakGlass: boolean,
  ) {
    this.groups = copyOf(options?.groups);
    this.permissions = copyOf(options?.permissions);
    this.reason = options?.reason;
  }

  /**
   * Checks the kinds of the grant's options, given to `scope` as `prop`.
   * @internal
   */
  public checkKinds(scope: IConstruct, prop: string): void {
    const kinds = {
      groups: Kind.array(Kind.STRING),
      permissions: Kind.array(Kind.instance(Permission, 'a Permission (Permission.READ_WORKLOADS, ..., Permission.read(...))')),
    };
    Kind.STRING.check(scope, `${prop}.name`, this.name);
    const kind = this.breakGlass
      ? Kind.object<BreakGlassOptions>('a BreakGlassOptions object (groups, permissions, reason)', { ...kinds, reason: Kind.STRING })
      : Kind.object<TeamGrantOptions>('a TeamGrantOptions object (groups, permissions, and optionally reason)', { ...kinds, reason: Kind.STRING.optional() });
    kind.check(scope, prop, this.options);
  }
}

/** A copy of `list`; what is no array (from a caller without a type checker) is kept as given, for the check of the grant to refuse. */
function copyOf<T>(list: readonly T[]): readonly T[] {
  return Array.isArray(list) ? [...list] : list;
}

/** Props of a {@link TeamAccess}. */
export interface TeamAccessProps {
  /** The grants: who may do what in the namespace. */
  readonly grants: Access[];
  /** Prefix of the Roles' and RoleBindings' names. @default - the construct id in kebab-case */
  readonly name?: string;
  /** Namespace of the Roles and RoleBindings, and so of the access. @default - the namespace of the chart */
  readonly namespace?: string;
  /** The application this is part of (`app.kubernetes.io/part-of`). @default - no part-of label */
  readonly partOf?: string;
}

/**
 * People's access to one namespace, by group, through RBAC: a namespaced Role and RoleBinding per grant,
 * without wildcards, without Secrets, and never cluster-wide. A team grant is day-to-day access; a
 * break-glass grant says so in its name and records its reason. A Role that lets people exec into pods
 * is reported by the `rbac-no-pod-exec` guardrail unless its grant gives the reason.
 * @see https://kubernetes.io/docs/concepts/security/rbac-good-practices/
 */
export class TeamAccess extends Construct {
  /** Prefix of the objects' names. */
  public readonly name: string;
  /** Namespace of the objects. */
  public readonly namespace: string;
  /** The Role of each grant, by grant name. */
  public readonly roles: Readonly<Record<string, k8s.KubeRole>>;
  /** The RoleBinding of each grant, by grant name. */
  public readonly bindings: Readonly<Record<string, k8s.KubeRoleBinding>>;

  public constructor(scope: Construct, id: string, props: TeamAccessProps) {
    super(scope, id);
    checkProps(this, props, {
      grants: Kind.array(Kind.instance(Access, 'an Access (Access.team or Access.breakGlass)')),
      name: Kind.STRING.optional(),
      namespace: Kind.STRING.optional(),
      partOf: Kind.STRING.optional(),
    }, 'TeamAccessProps');
    this.name = props.name ?? nameFromId(id);
    this.namespace = resolveNamespace(this, 'TeamAccess', props.namespace, 'Roles and RoleBindings grant access to one namespace');
    checkDnsLabel(this, 'name', this.name);
    if (props.partOf !== undefined) {
      checkLabels(this, 'partOf', { 'app.kubernetes.io/part-of': props.partOf });
    }
    this.checkGrants(props.grants);
    const labels = recommendedLabels({ name: this.name, instance: this.name, component: 'access', partOf: props.partOf });

    const roles: Record<string, k8s.KubeRole> = {};
    const bindings: Record<string, k8s.KubeRoleBinding> = {};
    for (const grant of props.grants) {
      const name = grant.breakGlass ? `${this.name}-break-glass-${grant.name}` : `${this.name}-${grant.name}`;
      const metadata = {
        name,
        namespace: this.namespace,
        labels,
        annotations: grant.breakGlass ? { [BREAK_GLASS_ANNOTATION]: (grant.reason ?? '').trim() } : undefined,
      };
      const role = new k8s.KubeRole(this, `Role-${grant.name}`, { metadata, rules: renderRules(grant.permissions) });
      if (grant.reason !== undefined && grant.permissions.some((p) => p.interactive)) {
        recordException(role, POD_EXEC_RULE, grant.reason.trim());
      }
      bindings[grant.name] = new k8s.KubeRoleBinding(this, `RoleBinding-${grant.name}`, {
        metadata,
        roleRef: { apiGroup: RBAC_GROUP, kind: 'Role', name },
        subjects: grant.groups.map((group) => ({ kind: 'Group', apiGroup: RBAC_GROUP, name: group })),
      });
      roles[grant.name] = role;
    }
    this.roles = roles;
    this.bindings = bindings;

    const groups = [...new Set(props.grants.flatMap((g) => g.groups))];
    Prerequisite.declare(this, Prerequisite.controllerSetting('kube-apiserver',
      `authenticates people with their groups (${groups.join(', ')}): the groups claim of its OpenID Connect authenticator, `
      + 'or the groups of the cloud\'s access mapping (EKS access entries, Google Groups for RBAC, Entra ID groups)',
      `the RoleBindings of namespace ${this.namespace} grant access to these groups: a group the authenticator never asserts grants nothing`));
  }

  private checkGrants(grants: readonly Access[]): void {
    check(grants.length > 0, this, 'grants', grants, 'must hold at least one grant');
    grants.forEach((grant, i) => grant.checkKinds(this, `grants[${i}]`));
    const names = new Set<string>();
    for (const grant of grants) {
      const prop = `grants.${grant.name}`;
      checkDnsLabel(this, 'grants.name', grant.name);
      check(!names.has(grant.name), this, 'grants.name', grant.name, 'is the name of another grant: each grant has its own Role');
      names.add(grant.name);
      check(grant.groups.length > 0, this, `${prop}.groups`, grant.groups, 'must name at least one group');
      for (const group of grant.groups) {
        check(group.trim() === group && group.length > 0, this, `${prop}.groups`, group, 'must be a group name without surrounding spaces');
        check(!group.startsWith('system:'), this, `${prop}.groups`, group,
          'must not be a system: group: those are Kubernetes\' own (system:authenticated is every user), never a team');
      }
      check(new Set(grant.groups).size === grant.groups.length, this, `${prop}.groups`, grant.groups, 'must not name a group twice');
      check(grant.permissions.length > 0, this, `${prop}.permissions`, grant.permissions, 'must grant at least one permission');
      check(new Set(grant.permissions).size === grant.permissions.length, this, `${prop}.permissions`, grant.permissions.map((p) => p.name),
        'must not grant a permission twice');
      for (const permission of grant.permissions) {
        const problem = permission.problem();
        check(problem === undefined, this, `${prop}.permissions`, permission.name, problem ?? '');
      }
      if (grant.breakGlass) {
        check((grant.reason ?? '').trim() !== '', this, `${prop}.reason`, grant.reason, 'must say why the break-glass access exists and when it is used');
      } else if (grant.reason !== undefined) {
        check(grant.reason.trim() !== '', this, `${prop}.reason`, grant.reason, 'must say why the interactive permission is safe for this team');
        check(grant.permissions.some((p) => p.interactive), this, `${prop}.reason`, grant.reason,
          'is recorded for an interactive permission only (Permission.EXEC): this grant has none, so it needs no exception');
      }
    }
  }
}

/**
 * The rules of `permissions` as one Role's rules: the verbs of every resource merged, then resources with the same
 * verbs in one rule per API group, in a stable order.
 */
function renderRules(permissions: readonly Permission[]): k8s.PolicyRule[] {
  const verbsOf = new Map<string, Set<string>>();
  const groups: string[] = [];
  for (const rule of permissions.flatMap((p) => p.rules)) {
    if (!groups.includes(rule.apiGroup)) {
      groups.push(rule.apiGroup);
    }
    for (const resource of rule.resources) {
      const key = `${rule.apiGroup}\u0000${resource}`;
      verbsOf.set(key, new Set([...verbsOf.get(key) ?? [], ...rule.verbs]));
    }
  }
  const rendered: k8s.PolicyRule[] = [];
  for (const apiGroup of groups) {
    const byVerbs = new Map<string, string[]>();
    for (const [key, verbs] of verbsOf) {
      const [group, resource] = key.split('\u0000');
      if (group === apiGroup) {
        const verbKey = [...verbs].sort(verbOrder).join(',');
        byVerbs.set(verbKey, [...byVerbs.get(verbKey) ?? [], resource]);
      }
    }
    for (const [verbs, resources] of byVerbs) {
      rendered.push({ apiGroups: [apiGroup], resources, verbs: verbs.split(',') });
    }
  }
  return rendered;
}

const VERB_ORDER = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];

function verbOrder(a: string, b: string): number {
  return VERB_ORDER.indexOf(a) - VERB_ORDER.indexOf(b);
}
