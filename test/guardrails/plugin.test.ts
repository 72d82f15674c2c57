import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { GuardrailsValidation, GuardrailsValidationContext, SUPPRESSION_ANNOTATION_PREFIX } from '../../lib';

type Violation = Parameters<GuardrailsValidationContext['report']['addViolation']>[0];

function context(manifests: string[]): { context: GuardrailsValidationContext; violations: Violation[]; status: () => string | undefined } {
  const violations: Violation[] = [];
  let submitted: string | undefined;
  return {
    context: { manifests, report: { addViolation: (v) => violations.push(v), submit: (s) => { submitted = s; } } },
    violations,
    status: () => submitted,
  };
}

const FIXTURES = path.join(__dirname, 'fixtures');

describe('GuardrailsValidation (cdk8s.yaml validation plugin)', () => {
  test('passes the committed prod manifests', async () => {
    const dist = path.join(__dirname, '..', '..', 'dist', 'prod');
    const manifests = fs.readdirSync(dist).filter((f) => f.endsWith('.k8s.yaml')).map((f) => path.join(dist, f));
    const { context: ctx, violations, status } = context(manifests);
    await new GuardrailsValidation({ tier: 'production' }).validate(ctx);
    expect(violations).toEqual([]);
    expect(status()).toBe('success');
  });

  test('fails on a manifest that violates an error-level rule, naming the object, rule, file and line', async () => {
    const manifest = path.join(FIXTURES, 'pss-privileged', 'fail.yaml');
    const { context: ctx, violations, status } = context([manifest]);
    await new GuardrailsValidation().validate(ctx);
    expect(status()).toBe('failure');
    const privileged = violations.find((v) => v.ruleName === 'pss-privileged (error)');
    expect(privileged).toEqual({
      ruleName: 'pss-privileged (error)',
      recommendation: 'containers must not run privileged',
      fix: 'remove securityContext.privileged or set it to false',
      violatingResources: [{ resourceName: 'app', manifestPath: manifest, locations: ["Pod test/app, line 2: container 'app' runs privileged"] }],
    });
  });

  test('reports each rule once, with every violating object and one location per problem', async () => {
    // GIVEN two documents, after a comment, that share a name, one with two privileged containers
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plugin-'));
    try {
      const manifest = path.join(dir, 'app.k8s.yaml');
      const pod = (kind: string, containers: string[]) => [
        'apiVersion: v1', `kind: ${kind}`, 'metadata:', '  name: web', '  namespace: shop', 'spec:', '  containers:',
        ...containers.flatMap((c) => [`    - name: ${c}`, '      image: example/web:1.0.0', '      securityContext:', '        privileged: true']),
      ].join('\n');
      fs.writeFileSync(manifest, `# generated\n${pod('Pod', ['a', 'b'])}\n---\n${pod('Pod', ['c']).replace('name: web', 'name: api')}\n---\n`);
      const { context: ctx, violations } = context([manifest]);
      // WHEN
      await new GuardrailsValidation().validate(ctx);
      // THEN
      const privileged = violations.filter((v) => v.ruleName === 'pss-privileged (error)');
      expect(privileged).toHaveLength(1);
      expect(privileged[0].violatingResources).toEqual([
        { resourceName: 'web', manifestPath: manifest, locations: [
          "Pod shop/web, line 2: container 'a' runs privileged", "Pod shop/web, line 2: container 'b' runs privileged",
        ] },
        { resourceName: 'api', manifestPath: manifest, locations: ["Pod shop/api, line 18: container 'c' runs privileged"] },
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('names an object by kind, namespace and name when another object has its name, so that cdk8s-cli shows no other object\'s construct path', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plugin-'));
    try {
      const manifest = path.join(dir, 'app.k8s.yaml');
      fs.writeFileSync(manifest, [
        fs.readFileSync(path.join(FIXTURES, 'pss-privileged', 'fail.yaml'), 'utf8'),
        'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n  namespace: test\n',
      ].join('---\n'));
      const { context: ctx, violations } = context([manifest]);
      await new GuardrailsValidation().validate(ctx);
      const privileged = violations.find((v) => v.ruleName === 'pss-privileged (error)');
      expect(privileged?.violatingResources.map((r) => r.resourceName)).toEqual(['Pod test/app']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('accepts a violation that the app suppressed, from the annotation the suppression left on the object', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plugin-'));
    try {
      const manifest = path.join(dir, 'app.k8s.yaml');
      fs.writeFileSync(manifest, [
        'apiVersion: v1', 'kind: Service', 'metadata:', '  name: edge', '  namespace: test', '  annotations:',
        `    ${SUPPRESSION_ANNOTATION_PREFIX}service-type: the cloud load balancer is the ingress (ADR-12)`,
        'spec:', '  type: LoadBalancer', '  ports:', '    - port: 443',
      ].join('\n'));
      const { context: ctx, violations, status } = context([manifest]);
      await new GuardrailsValidation().validate(ctx);
      expect(violations.map((v) => v.ruleName)).not.toContain('service-type (error)');
      expect(status()).toBe('success');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('reports violations in the development tier without failing', async () => {
    const manifest = path.join(FIXTURES, 'pss-privileged', 'fail.yaml');
    const { context: ctx, violations, status } = context([manifest]);
    await new GuardrailsValidation({ tier: 'development' }).validate(ctx);
    expect(status()).toBe('success');
    expect(violations.some((v) => v.ruleName === 'pss-privileged (warning)')).toBe(true);
  });

  test('fails when the tier is unknown', () => {
    expect(() => new GuardrailsValidation({ tier: 'staging' })).toThrow(/GuardrailsValidation: 'tier' \('staging'\) must be 'production' or 'development'/);
  });

  test('fails cdk8s synth of an app with an unsafe object, configured as docs/guardrails.md says, and reports where', () => {
    // GIVEN an app outside this repository that synthesizes a privileged, unpinned Deployment, with this
    // package installed in its node_modules and the validation of docs/guardrails.md in its cdk8s.yaml
    const root = path.join(__dirname, '..', '..');
    const docs = fs.readFileSync(path.join(root, 'docs', 'guardrails.md'), 'utf8');
    const validations = /```yaml\n(validations:\n[\s\S]*?class: GuardrailsValidation[\s\S]*?)```/.exec(docs)![1];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plugin-'));
    try {
      fs.writeFileSync(path.join(dir, 'app.js'), [
        "const { App, Chart } = require('cdk8s');",
        "const { k8s } = require('cdk8s-plus-28');",
        'const app = new App();',
        "const chart = new Chart(app, 'unsafe', { namespace: 'shop' });",
        "new k8s.KubeDeployment(chart, 'Web', { metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } },",
        "  template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:latest', securityContext: { privileged: true } }] } } } });",
        'app.synth();',
      ].join('\n'));
      fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), `language: typescript\napp: node app.js\n${validations}`);
      fs.mkdirSync(path.join(dir, 'node_modules'));
      fs.symlinkSync(root, path.join(dir, 'node_modules', 'cdk8s-golden-path'), 'dir');
      // WHEN
      const result = spawnSync(process.execPath, [path.join(root, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s'), 'synth', '--no-check-upgrade'], {
        cwd: dir, encoding: 'utf8', env: { ...process.env, NODE_PATH: path.join(root, 'node_modules') },
      });
      // THEN
      const output = `${result.stdout}${result.stderr}`;
      expect(result.status).toBe(2);
      expect(output).toContain('pss-privileged (error) (1 occurrences)');
      expect(output).toContain('image-pinned (error) (1 occurrences)');
      expect(output).toContain('- Construct Path: unsafe/Web');
      expect(output).toContain("> Deployment shop/web, line 1: container 'web' runs privileged");
      expect(output).not.toContain('(0 occurrences)');
      expect(output).not.toContain('Construct Path: N/A');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 30000);
});
