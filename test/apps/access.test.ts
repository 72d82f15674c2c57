import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { Platform } from '../../apps/platform';
import { DEV, PROD, StageConfig } from '../../apps/stages';
import { Guardrails, SUPPRESSION_ANNOTATION_PREFIX } from '../../lib';
import { Manifest, ofKind, one } from '../util';

// Issue 18: dev is for building (the IDE, behind single sign-on; developers debug), prod is for running (no IDE, the
// runtime without UI; developers read, and exec is break-glass). The seeds 000 and 001 (Langflow's "architecture and
// best practices on Kubernetes": a development environment with the IDE, a production runtime with fewer components
// and stricter access); Langflow's runtime chart runs `langflow run --backend-only` (langflow-ai/langflow-helm-charts
// charts/langflow-runtime/templates/deployment.yaml), the platform's own image reads AISHELL_BACKEND_ONLY.

function synthStage(stage: StageConfig): Manifest[] {
  return Testing.synth(new Platform(Testing.app(), 'platform', stage)) as Manifest[];
}

/** The resources each Role of `manifests` grants, by Role name, as `resource verb`. */
function grantsOf(manifests: Manifest[]): Record<string, string[]> {
  return Object.fromEntries(ofKind(manifests, 'Role').map((role) => [role.metadata.name,
    role.rules.flatMap((r: any) => r.resources.flatMap((resource: string) => r.verbs.map((verb: string) => `${resource} ${verb}`)))]));
}

const INTERACTIVE = ['pods/exec', 'pods/attach', 'pods/portforward', 'pods/proxy', 'services/proxy'];

describe('dev is for building', () => {
  const dev = synthStage(DEV);

  test('deploys the IDE, the full app, as a hardened ProductionApp labelled as the IDE', () => {
    const ide = one(dev, 'Deployment', 'aishell-ide');
    expect(ide.metadata.labels['app.kubernetes.io/component']).toBe('ide');
    const config = one(dev, 'ConfigMap', ide.spec.template.spec.containers[0].envFrom[0].configMapRef.name);
    expect(config.data.AISHELL_BACKEND_ONLY).toBe('false');
    expect(ide.spec.template.spec.containers[0].securityContext).toEqual(one(dev, 'Deployment', 'aishell').spec.template.spec.containers[0].securityContext);
  });

  test('no route reaches the IDE\'s Service: its one route goes to the sign-in proxy, the only peer its NetworkPolicy admits on its port', () => {
    const backends = ofKind(dev, 'HTTPRoute').flatMap((r) => r.spec.rules.flatMap((rule: any) => (rule.backendRefs ?? []).map((b: any) => b.name)));
    expect(backends).not.toContain('aishell-ide');
    expect(one(dev, 'HTTPRoute', 'aishell-ide-aishell-dev-example-com').spec.rules[0].backendRefs).toEqual([{ name: 'aishell-ide-sign-in', port: 80 }]);
    const admitted = one(dev, 'NetworkPolicy', 'aishell-ide').spec.ingress.filter((rule: any) => rule.ports.some((p: any) => p.port === 8000));
    expect(admitted.map((rule: any) => rule.from)).toEqual([
      [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } }],
      [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'aishell-ide-sign-in', 'app.kubernetes.io/instance': 'aishell-ide-sign-in' } } }],
    ]);
  });

  test('the sign-in proxy signs people in with the stage\'s Keycloak, admits the developers, and reads its secrets from files', () => {
    const args: string[] = one(dev, 'Deployment', 'aishell-ide-sign-in').spec.template.spec.containers[0].args;
    expect(args).toEqual(expect.arrayContaining([
      '--oidc-issuer-url=https://sso.example.com/realms/aishell',
      '--client-id=aishell-ide-dev',
      '--redirect-url=https://ide.aishell.dev.example.com/oauth2/callback',
      '--allowed-group=aishell-developers',
      '--client-secret-file=/var/run/secrets/oauth2-proxy/client-secret',
      '--cookie-secret-file=/var/run/secrets/oauth2-proxy/cookie-secret',
    ]));
    expect(one(dev, 'ExternalSecret', 'aishell-ide-sign-in').spec.data.map((d: any) => d.secretKey)).toEqual(['client-secret', 'cookie-secret']);
  });

  test('developers read, follow logs, forward ports and exec, with the exec grant\'s reason recorded as a suppression', () => {
    const grants = grantsOf(dev);
    expect(Object.keys(grants)).toEqual(['aishell-developers']);
    expect(grants['aishell-developers']).toEqual(expect.arrayContaining([
      'pods get', 'pods list', 'pods/log get', 'pods/portforward create', 'pods/exec get', 'pods/exec create', 'deployments get', 'configmaps list',
    ]));
    expect(one(dev, 'RoleBinding', 'aishell-developers').subjects).toEqual([{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'aishell-developers' }]);
  });
});

describe('prod is for running', () => {
  const prod = synthStage(PROD);

  test('deploys no IDE and no sign-in proxy, and runs the API without its UI', () => {
    const components = ofKind(prod, 'Deployment').map((d) => d.metadata.labels['app.kubernetes.io/component']);
    expect(components).toEqual(['api', 'worker']);
    expect(ofKind(prod, 'ExternalSecret').map((e) => e.metadata.name)).not.toContain('aishell-ide-sign-in');
    const api = one(prod, 'Deployment', 'aishell');
    expect(one(prod, 'ConfigMap', api.spec.template.spec.containers[0].envFrom[0].configMapRef.name).data.AISHELL_BACKEND_ONLY).toBe('true');
  });

  test('no Role outside the break-glass one grants Secrets, exec, attach, port-forward or proxying', () => {
    const grants = grantsOf(prod);
    expect(Object.keys(grants).sort()).toEqual(['aishell-break-glass-exec', 'aishell-developers']);
    const everyday = Object.entries(grants).filter(([name]) => !name.includes('break-glass')).flatMap(([name, g]) => g.map((grant) => `${name}: ${grant}`));
    expect(everyday.length).toBeGreaterThan(0);
    expect(everyday.filter((grant) => [...INTERACTIVE, 'secrets'].some((resource) => grant.includes(`: ${resource} `)))).toEqual([]);
    expect(everyday).toEqual(expect.arrayContaining(['aishell-developers: pods list', 'aishell-developers: pods/log get', 'aishell-developers: deployments watch']));
  });

  test('the on-call group alone gets exec, through a binding named break-glass, whose exception is recorded with its reason', () => {
    const role = one(prod, 'Role', 'aishell-break-glass-exec');
    expect(grantsOf(prod)['aishell-break-glass-exec'].sort()).toEqual(['pods get', 'pods list', 'pods/exec create', 'pods/exec get']);
    expect(one(prod, 'RoleBinding', 'aishell-break-glass-exec').subjects).toEqual([{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'aishell-oncall' }]);
    const app = Testing.app();
    new Platform(app, 'platform', PROD);
    const report = Guardrails.apply(app).evaluate();
    expect(report.errors).toEqual([]);
    // The Roles' only exception is the break-glass exec (the migrations Job's job-ttl is the other exception of the stage).
    expect(report.findings.filter((f) => f.suppression !== undefined && f.object.kind === 'Role').map((f) => `${f.rule.id} ${f.object.name}`))
      .toEqual(['rbac-no-pod-exec aishell-break-glass-exec']);
    expect(role.metadata.annotations['access.cdk8s-golden-path/break-glass']).toMatch(/^incident response: /);
  });

  test('the committed manifests carry the break-glass suppression on the Role, as the SARIF report does', () => {
    const dist = path.join(__dirname, '..', '..', 'dist', 'prod');
    const yaml = fs.readFileSync(path.join(dist, 'platform.k8s.yaml'), 'utf8');
    expect(yaml).toContain(`${SUPPRESSION_ANNOTATION_PREFIX}rbac-no-pod-exec: `);
    const sarif = JSON.parse(fs.readFileSync(path.join(dist, 'guardrails.sarif'), 'utf8'));
    const suppressed = sarif.runs[0].results.filter((r: any) => (r.suppressions ?? []).length > 0);
    expect(suppressed.map((r: any) => r.ruleId).sort()).toEqual(['job-ttl', 'rbac-no-pod-exec']);
  });
});

test('neither stage writes a ClusterRole or a ClusterRoleBinding', () => {
  for (const stage of [DEV, PROD]) {
    const manifests = synthStage(stage);
    expect(ofKind(manifests, 'ClusterRole').concat(ofKind(manifests, 'ClusterRoleBinding'))).toEqual([]);
  }
});
