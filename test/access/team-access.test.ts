import { Chart, Testing } from 'cdk8s';
import {
  Access, BREAK_GLASS_ANNOTATION, Guardrails, Permission, Prerequisite, PrerequisiteKind, RuleLevel, SUPPRESSION_ANNOTATION_PREFIX, TeamAccess, TeamAccessProps,
  Tier, setTier,
} from '../../lib';
import { Manifest, ofKind, one, synth, testChart } from '../util';

// RBAC semantics, from the Kubernetes documentation and sources:
// - kubernetes/website content/en/docs/reference/access-authn-authz/rbac.md ("Referring to resources"): a subresource is
//   `pods/log`, `pods/exec`, ...; Role and RoleBinding grant within their namespace; a Group subject is
//   `{ kind: Group, apiGroup: rbac.authorization.k8s.io, name }`; the `system:` prefix is Kubernetes' own.
// - kubernetes/website content/en/docs/concepts/security/rbac-good-practices.md ("Listing secrets"): `list` and `watch`
//   on Secrets reveal their contents as `get` does; wildcards grant every current and future resource.
// - kubernetes/website .../feature-gates/AuthorizePodWebsocketUpgradeCreatePermission.md (beta, on by default from 1.35)
//   and kubernetes/kubernetes#134577: kubectl's WebSocket exec and attach (kubectl 1.30, KEP-4006) and port-forward
//   (kubectl 1.31, kubernetes/kubernetes#125528) start with a GET, which API
//   servers before 1.35 authorize as `get` on pods/exec (pods/portforward); from 1.35 `create` is checked as well, as
//   for SPDY. So exec and port-forward need both verbs on the clusters the stages run (1.34 to 1.36).
// - kubectl exec and port-forward read the pod first (`get` on pods); `kubectl logs` reads `pods/log` with `get`.

const DEVELOPERS = 'platform-developers';

function access(chart: Chart, grants: Access[], props: Partial<TeamAccessProps> = {}): TeamAccess {
  return new TeamAccess(chart, 'Access', { grants, ...props });
}

/** The verbs a Role grants on `resource` of `apiGroup`. */
function verbsOn(role: Manifest, resource: string, apiGroup = ''): string[] {
  return role.rules.filter((r: any) => r.apiGroups.includes(apiGroup) && r.resources.includes(resource)).flatMap((r: any) => r.verbs);
}

describe('TeamAccess', () => {
  test('grants a team its permissions in its namespace: one Role and one RoleBinding to its groups', () => {
    // GIVEN
    const chart = testChart();

    // WHEN
    access(chart, [Access.team('developers', { groups: [DEVELOPERS, 'contractors'], permissions: [Permission.READ_WORKLOADS, Permission.READ_LOGS] })]);

    // THEN
    const manifests = synth(chart);
    const role = one(manifests, 'Role', 'access-developers');
    expect(role.metadata.namespace).toBe('test');
    expect(verbsOn(role, 'pods')).toEqual(['get', 'list', 'watch']);
    expect(verbsOn(role, 'pods/log')).toEqual(['get']);
    expect(verbsOn(role, 'deployments', 'apps')).toEqual(['get', 'list', 'watch']);
    expect(verbsOn(role, 'clusters', 'postgresql.cnpg.io')).toEqual(['get', 'list', 'watch']);
    const binding = one(manifests, 'RoleBinding', 'access-developers');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'access-developers' });
    expect(binding.subjects).toEqual([
      { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: DEVELOPERS },
      { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'contractors' },
    ]);
    expect(ofKind(manifests, 'ClusterRole')).toEqual([]);
    expect(ofKind(manifests, 'ClusterRoleBinding')).toEqual([]);
  });

  test('no permission of the catalogue grants Secrets, a wildcard, or a verb that writes an object', () => {
    // GIVEN
    const chart = testChart();
    const everything = [Permission.READ_WORKLOADS, Permission.READ_CONFIG, Permission.READ_LOGS, Permission.PORT_FORWARD, Permission.EXEC];

    // WHEN
    access(chart, [Access.team('all', { groups: [DEVELOPERS], permissions: everything, reason: 'test' })]);

    // THEN
    const rules = one(synth(chart), 'Role', 'access-all').rules;
    expect(rules.filter((r: any) => r.resources.includes('secrets'))).toEqual([]);
    expect(rules.filter((r: any) => [...r.apiGroups, ...r.resources, ...r.verbs].includes('*'))).toEqual([]);
    // create is only the connection to exec or forward a port: no object is written.
    expect(rules.filter((r: any) => r.verbs.some((v: string) => !['get', 'list', 'watch'].includes(v))).flatMap((r: any) => r.resources).sort())
      .toEqual(['pods/exec', 'pods/portforward']);
  });

  test('exec and port-forward grant get and create on their subresource, and get on the pods (and Services) they resolve', () => {
    // GIVEN
    const chart = testChart();

    // WHEN
    access(chart, [
      Access.team('exec', { groups: [DEVELOPERS], permissions: [Permission.EXEC], reason: 'test' }),
      Access.team('forward', { groups: [DEVELOPERS], permissions: [Permission.PORT_FORWARD] }),
    ]);

    // THEN
    const manifests = synth(chart);
    const exec = one(manifests, 'Role', 'access-exec');
    expect(verbsOn(exec, 'pods/exec')).toEqual(['get', 'create']);
    expect(verbsOn(exec, 'pods')).toEqual(['get', 'list']);
    const forward = one(manifests, 'Role', 'access-forward');
    expect(verbsOn(forward, 'pods/portforward')).toEqual(['get', 'create']);
    expect(verbsOn(forward, 'services')).toEqual(['get', 'list']);
    expect(verbsOn(forward, 'pods/exec')).toEqual([]);
  });

  test('ConfigMaps are a permission of their own; reading workloads does not include them', () => {
    const chart = testChart();
    access(chart, [
      Access.team('readers', { groups: [DEVELOPERS], permissions: [Permission.READ_WORKLOADS] }),
      Access.team('config', { groups: [DEVELOPERS], permissions: [Permission.READ_CONFIG] }),
    ]);
    const manifests = synth(chart);
    expect(verbsOn(one(manifests, 'Role', 'access-readers'), 'configmaps')).toEqual([]);
    expect(verbsOn(one(manifests, 'Role', 'access-config'), 'configmaps')).toEqual(['get', 'list', 'watch']);
  });

  test('Permission.read adds the resources of another operator', () => {
    const chart = testChart();
    access(chart, [Access.team('cache', { groups: [DEVELOPERS], permissions: [Permission.read('redis.redis.opstreelabs.in', ['redis', 'redisreplications'])] })]);
    expect(one(synth(chart), 'Role', 'access-cache').rules).toEqual([
      { apiGroups: ['redis.redis.opstreelabs.in'], resources: ['redis', 'redisreplications'], verbs: ['get', 'list', 'watch'] },
    ]);
  });

  test('a break-glass grant says so in its name and records its reason on its Role and RoleBinding', () => {
    // GIVEN
    const chart = testChart();

    // WHEN
    access(chart, [Access.breakGlass('exec', { groups: ['on-call'], permissions: [Permission.EXEC], reason: 'incidents only' })], { name: 'shop' });

    // THEN
    const manifests = synth(chart);
    const role = one(manifests, 'Role', 'shop-break-glass-exec');
    expect(role.metadata.annotations[BREAK_GLASS_ANNOTATION]).toBe('incidents only');
    expect(one(manifests, 'RoleBinding', 'shop-break-glass-exec').metadata.annotations[BREAK_GLASS_ANNOTATION]).toBe('incidents only');
    expect(verbsOn(role, 'pods/exec')).toEqual(['get', 'create']);
  });

  describe('with the guardrails', () => {
    function evaluate(tier: Tier, grants: Access[]) {
      const app = Testing.app();
      const chart = new Chart(app, 'stage', { namespace: 'test', disableResourceNameHashes: true });
      setTier(chart, tier);
      access(chart, grants);
      return Guardrails.apply(app).evaluate().findings.filter((f) => f.rule.id === 'rbac-no-pod-exec');
    }

    test('a team grant of exec without a reason is a guardrail error in production, a warning in development', () => {
      const grants = () => [Access.team('developers', { groups: [DEVELOPERS], permissions: [Permission.EXEC] })];
      expect(evaluate(Tier.PRODUCTION, grants()).map((f) => [f.level, f.suppression])).toEqual([[RuleLevel.ERROR, undefined]]);
      expect(evaluate(Tier.DEVELOPMENT, grants()).map((f) => [f.level, f.suppression])).toEqual([[RuleLevel.WARNING, undefined]]);
    });

    test('a break-glass grant of exec, and a team grant with a reason, are suppressed with that reason', () => {
      const findings = evaluate(Tier.PRODUCTION, [
        Access.breakGlass('exec', { groups: ['on-call'], permissions: [Permission.EXEC], reason: 'incidents only' }),
        Access.team('developers', { groups: [DEVELOPERS], permissions: [Permission.READ_LOGS, Permission.EXEC], reason: 'a sandbox' }),
      ]);
      expect(findings.map((f) => [f.object.name, f.suppression])).toEqual([['access-break-glass-exec', 'incidents only'], ['access-developers', 'a sandbox']]);
    });

    test('the suppression is written on the Role, where the SARIF report and reviewers find it', () => {
      const app = Testing.app();
      const chart = new Chart(app, 'stage', { namespace: 'test', disableResourceNameHashes: true });
      access(chart, [Access.breakGlass('exec', { groups: ['on-call'], permissions: [Permission.EXEC], reason: 'incidents only' })]);
      const guardrails = Guardrails.apply(app);
      app.synth();
      expect(guardrails.report?.errors).toEqual([]);
      expect(guardrails.report?.findings.map((f) => [f.rule.id, f.suppression])).toEqual([['rbac-no-pod-exec', 'incidents only']]);
      expect(one(synth(chart), 'Role', 'access-break-glass-exec').metadata.annotations[`${SUPPRESSION_ANNOTATION_PREFIX}rbac-no-pod-exec`]).toBe('incidents only');
    });
  });

  test('declares that the API server must authenticate people with their groups', () => {
    const chart = testChart();
    access(chart, [
      Access.team('developers', { groups: [DEVELOPERS], permissions: [Permission.READ_LOGS] }),
      Access.breakGlass('exec', { groups: ['on-call'], permissions: [Permission.EXEC], reason: 'incidents only' }),
    ]);
    const settings = Prerequisite.declaredIn(chart).filter((d) => d.prerequisite.kind === PrerequisiteKind.CONTROLLER_SETTING).map((d) => d.prerequisite.title);
    expect(settings).toEqual([expect.stringMatching(/^kube-apiserver: authenticates people with their groups \(platform-developers, on-call\)/)]);
  });

  describe('snapshots', () => {
    test('minimal props', () => {
      const chart = testChart();
      access(chart, [Access.team('developers', { groups: [DEVELOPERS], permissions: [Permission.READ_LOGS] })]);
      expect(synth(chart)).toMatchSnapshot();
    });

    test('all props', () => {
      const chart = testChart();
      const props: Required<TeamAccessProps> = {
        grants: [
          Access.team('developers', { groups: [DEVELOPERS], permissions: [Permission.READ_WORKLOADS, Permission.READ_CONFIG, Permission.READ_LOGS] }),
          Access.breakGlass('exec', { groups: ['on-call'], permissions: [Permission.EXEC, Permission.PORT_FORWARD], reason: 'incidents only' }),
        ],
        name: 'shop',
        namespace: 'shop',
        partOf: 'shop',
      };
      new TeamAccess(chart, 'Access', props);
      expect(synth(chart)).toMatchSnapshot();
    });
  });

  describe('bad input', () => {
    const team = (options: Partial<{ groups: string[]; permissions: Permission[]; reason: string }> = {}) =>
      Access.team('developers', { groups: [DEVELOPERS], permissions: [Permission.READ_LOGS], ...options });
    const cases: Array<[string, (chart: Chart) => void, RegExp]> = [
      ['no grant is given', (c) => access(c, []), /\[test\/Access\] 'grants' \(\[\]\) must hold at least one grant/],
      ['a grant name is not a DNS label', (c) => access(c, [Access.team('Developers', { groups: [DEVELOPERS], permissions: [Permission.READ_LOGS] })]),
        /'grants.name' \('Developers'\) must be a DNS label/],
      ['two grants share a name', (c) => access(c, [team(), team()]), /'grants.name' \('developers'\) is the name of another grant/],
      ['a grant names no group', (c) => access(c, [team({ groups: [] })]), /'grants.developers.groups' \(\[\]\) must name at least one group/],
      ['a group is empty', (c) => access(c, [team({ groups: [''] })]), /'grants.developers.groups' \(''\) must be a group name without surrounding spaces/],
      ['a group has surrounding spaces', (c) => access(c, [team({ groups: [' devs'] })]), /'grants.developers.groups' \(' devs'\) must be a group name/],
      ['a group is a system: group', (c) => access(c, [team({ groups: ['system:authenticated'] })]),
        /'grants.developers.groups' \('system:authenticated'\) must not be a system: group/],
      ['a group is named twice', (c) => access(c, [team({ groups: [DEVELOPERS, DEVELOPERS] })]), /'grants.developers.groups' .* must not name a group twice/],
      ['a grant has no permission', (c) => access(c, [team({ permissions: [] })]), /'grants.developers.permissions' \(\[\]\) must grant at least one permission/],
      ['a permission is granted twice', (c) => access(c, [team({ permissions: [Permission.READ_LOGS, Permission.READ_LOGS] })]),
        /'grants.developers.permissions' \(\["read-logs","read-logs"\]\) must not grant a permission twice/],
      ['a read names Secrets', (c) => access(c, [team({ permissions: [Permission.read('', ['configmaps', 'secrets'])] })]),
        /'grants.developers.permissions' \('read:\/configmaps,secrets'\) reads 'secrets': its values, or a shell, would come with it/],
      ['a read names pods/exec, which a WebSocket GET opens', (c) => access(c, [team({ permissions: [Permission.read('', ['pods/exec'])] })]),
        /'grants.developers.permissions' \('read:\/pods\/exec'\) reads 'pods\/exec'/],
      ['a read names every resource', (c) => access(c, [team({ permissions: [Permission.read('apps', ['*'])] })]),
        /'grants.developers.permissions' \('read:apps\/\*'\) names the resource '\*', which is not a lowercase resource or resource\/subresource \(no wildcards\)/],
      ['a read names every API group', (c) => access(c, [team({ permissions: [Permission.read('*', ['pods'])] })]),
        /'grants.developers.permissions' \('read:\*\/pods'\) names the API group '\*', which is not a DNS subdomain \(no wildcards\)/],
      ['a read names no resource', (c) => access(c, [team({ permissions: [Permission.read('apps', [])] })]),
        /'grants.developers.permissions' \('read:apps\/'\) names no resource/],
      ['a break-glass grant gives no reason', (c) => access(c, [Access.breakGlass('exec', { groups: ['on-call'], permissions: [Permission.EXEC], reason: ' ' })]),
        /'grants.exec.reason' \(' '\) must say why the break-glass access exists and when it is used/],
      ['a team grant gives an empty reason', (c) => access(c, [team({ permissions: [Permission.EXEC], reason: '' })]),
        /'grants.developers.reason' \(''\) must say why the interactive permission is safe for this team/],
      ['a team grant gives a reason without an interactive permission', (c) => access(c, [team({ reason: 'why not' })]),
        /'grants.developers.reason' \('why not'\) is recorded for an interactive permission only \(Permission.EXEC\)/],
      ['the name is not a DNS label', (c) => access(c, [team()], { name: 'Shop' }), /'name' \('Shop'\) must be a DNS label/],
      ['no namespace is set', () => new TeamAccess(new Chart(Testing.app(), 'nons'), 'Access', { grants: [team()] }),
        /'namespace' \(unset\) must be set on the TeamAccess or its Chart: Roles and RoleBindings grant access to one namespace/],
      ['the part-of is no label value', (c) => access(c, [team()], { partOf: 'the shop' }),
        /^\[test\/Access\] 'partOf.app.kubernetes.io\/part-of' \('the shop'\) is not a valid label value/],
      // A caller without a type checker:
      ['the props are missing', (c) => new TeamAccess(c, 'Access', undefined as any), /^\[test\/Access\] 'props' \(unset\) must be an object of TeamAccessProps$/],
      ['the grants are one grant', (c) => new TeamAccess(c, 'Access', { grants: team() as any }),
        /^\[test\/Access\] 'grants' \(.*\) must be an array \(each item an Access \(Access.team or Access.breakGlass\)\)$/],
      ['a grant is written as an object', (c) => access(c, [{ name: 'developers', groups: [DEVELOPERS], permissions: [Permission.READ_LOGS] } as any]),
        /^\[test\/Access\] 'grants\[0\]' \(.*\) must be an Access \(Access.team or Access.breakGlass\)$/],
      ['a grant\'s options are null', (c) => access(c, [Access.team('developers', null as any)]),
        /^\[test\/Access\] 'grants\[0\]' \(null\) must be a TeamGrantOptions object \(groups, permissions, and optionally reason\)$/],
      ['a grant\'s name is a number', (c) => access(c, [Access.team(5 as any, { groups: [DEVELOPERS], permissions: [Permission.READ_LOGS] })]),
        /^\[test\/Access\] 'grants\[0\].name' \(5\) must be a string$/],
      ['the groups are one group', (c) => access(c, [team({ groups: DEVELOPERS as any })]),
        /^\[test\/Access\] 'grants\[0\].groups' \('platform-developers'\) must be an array \(each item a string\)$/],
      ['a permission is its name', (c) => access(c, [team({ permissions: ['exec' as any] })]),
        /^\[test\/Access\] 'grants\[0\].permissions\[0\]' \('exec'\) must be a Permission/],
      ['a break-glass grant has no reason at all', (c) => access(c, [Access.breakGlass('exec', { groups: ['on-call'], permissions: [Permission.EXEC] } as any)]),
        /^\[test\/Access\] 'grants\[0\].reason' \(unset\) must be a string$/],
      ['a read names one resource, not a list', (c) => access(c, [team({ permissions: [Permission.read('apps', 'deployments' as any)] })]),
        /^\[test\/Access\] 'grants.developers.permissions' \('read:apps\/deployments'\) names the resources 'deployments', which are not an array of strings$/],
      ['a read names an API group that is no string', (c) => access(c, [team({ permissions: [Permission.read(undefined as any, ['pods'])] })]),
        /^\[test\/Access\] 'grants.developers.permissions' \('read:undefined\/pods'\) names the API group unset, which is not a DNS subdomain/],
      ['a read names a resource that is no string', (c) => access(c, [team({ permissions: [Permission.read('apps', [5 as any])] })]),
        /^\[test\/Access\] 'grants.developers.permissions' \('read:apps\/5'\) names the resource 5, which is not a lowercase resource/],
    ];

    test.each(cases)('fails when %s', (_, build, message) => {
      expect(() => build(testChart())).toThrow(message);
    });
  });
});
