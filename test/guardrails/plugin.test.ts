import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { GuardrailsValidation, GuardrailsValidationContext } from '../../lib';

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

  test('fails on a manifest that violates an error-level rule, naming the object, rule and file', async () => {
    const manifest = path.join(FIXTURES, 'pss-privileged', 'fail.yaml');
    const { context: ctx, violations, status } = context([manifest]);
    await new GuardrailsValidation().validate(ctx);
    expect(status()).toBe('failure');
    const privileged = violations.find((v) => v.ruleName === 'pss-privileged (error)');
    expect(privileged?.violatingResources).toEqual([expect.objectContaining({ manifestPath: manifest })]);
  });

  test('reports violations in the development tier without failing', async () => {
    const manifest = path.join(FIXTURES, 'pss-privileged', 'fail.yaml');
    const { context: ctx, violations, status } = context([manifest]);
    await new GuardrailsValidation({ tier: 'development' }).validate(ctx);
    expect(status()).toBe('success');
    expect(violations.some((v) => v.ruleName === 'pss-privileged (warning)')).toBe(true);
  });

  test('fails when the tier is unknown', () => {
    expect(() => new GuardrailsValidation({ tier: 'staging' })).toThrow(/'tier' \("staging"\) must be 'production' or 'development'/);
  });

  test('fails cdk8s synth of an app with an unsafe object, as a validation plugin in cdk8s.yaml', () => {
    // GIVEN an app outside this repository that synthesizes a privileged, unpinned Deployment
    const root = path.join(__dirname, '..', '..');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plugin-'));
    try {
      fs.writeFileSync(path.join(dir, 'app.js'), [
        "const { App, Chart } = require('cdk8s');",
        "const { k8s } = require('cdk8s-plus-28');",
        "const app = new App();",
        "const chart = new Chart(app, 'unsafe', { namespace: 'shop' });",
        "new k8s.KubeDeployment(chart, 'Web', { metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } },",
        "  template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:latest', securityContext: { privileged: true } }] } } } });",
        'app.synth();',
      ].join('\n'));
      fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), [
        'language: typescript',
        'app: node app.js',
        'validations:',
        `  - package: ${root}`,
        '    version: 0.1.0',
        '    class: GuardrailsValidation',
        '    properties:',
        '      tier: production',
      ].join('\n'));
      // WHEN
      const result = spawnSync(process.execPath, [path.join(root, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s'), 'synth', '--no-check-upgrade'], {
        cwd: dir, encoding: 'utf8', env: { ...process.env, NODE_PATH: path.join(root, 'node_modules') },
      });
      // THEN
      expect(result.status).not.toBe(0);
      expect(`${result.stdout}${result.stderr}`).toMatch(/pss-privileged \(error\)/);
      expect(`${result.stdout}${result.stderr}`).toMatch(/image-pinned \(error\)/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 30000);
});
