import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { Platform } from '../apps/platform';
import { PROD } from '../apps/stages';
import { ShopChart } from '../examples/single-service/src/shop-chart';
import { Guardrails, Image, Prerequisite, PrerequisiteKind, ProductionApp, Probe } from '../lib';

const ROOT = path.join(__dirname, '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const EXAMPLE = path.join(ROOT, 'examples', 'single-service');

describe('README', () => {
  test('starts with the two commands that work on a fresh machine: synthesize, and test', () => {
    expect(README.split('\n').slice(2, 6).join('\n')).toBe([
      '```sh',
      'npm ci && npm run synth   # install, compile, and write the dev and prod manifests to dist/dev/ and dist/prod/',
      'npm ci && npm test        # install, type-check, and run the test suite',
      '```',
    ].join('\n'));
  });

  test('installs the library with each of its peer dependencies', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const install = /npm install cdk8s-golden-path ([\w\- ]+)\n/.exec(README)![1].split(' ').sort();
    expect(install).toEqual(Object.keys(pkg.peerDependencies).sort());
  });

  test.each([
    ['src/shop-chart.ts', 'ts'],
    ['main.ts', 'ts'],
    ['test/shop-chart.test.ts', 'ts'],
    ['cdk8s.yaml', 'yaml'],
  ])('shows examples/single-service/%s as it is: the code CI builds against the packed library', (file, language) => {
    expect(README).toContain(`\`\`\`${language}\n${fs.readFileSync(path.join(EXAMPLE, file), 'utf8')}\`\`\``);
  });

  test('the first chart passes the production guardrails and makes what the README says', () => {
    // GIVEN
    const app = Testing.app();
    const chart = new ShopChart(app, 'shop', { namespace: 'shop', host: 'shop.example.com', version: '1.4.2' });
    // WHEN
    const report = Guardrails.apply(app).evaluate();
    // THEN
    expect(report.errors).toEqual([]);
    const kinds = new Set(Testing.synth(chart).map((o) => o.kind));
    for (const kind of ['Namespace', 'NetworkPolicy', 'Deployment', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'ServiceMonitor', 'Ingress', 'Certificate', 'ExternalSecret']) {
      expect(kinds).toContain(kind);
    }
  });

  test('names the one guardrail that fails a ProductionApp without a namespace baseline, and the suppression that accepts it', () => {
    // GIVEN a chart with a ProductionApp only
    const app = new App();
    const chart = new Chart(app, 'shop', { namespace: 'shop', disableResourceNameHashes: true });
    new ProductionApp(chart, 'Api', { image: Image.pinned('ghcr.io/acme/api', '1.0.0'), port: 8080, readiness: Probe.http('/ready'), liveness: Probe.http('/health') });
    const guardrails = Guardrails.apply(app);
    expect([...new Set(guardrails.evaluate().errors.map((f) => f.rule.id))]).toEqual(['network-default-deny']);
    // WHEN suppressed as the README says
    const suppression = /Guardrails\.suppress\(this, '([\w-]+)', '([^']+)'\);/.exec(README)!;
    Guardrails.suppress(chart, suppression[1], suppression[2]);
    // THEN
    expect(guardrails.evaluate().errors).toEqual([]);
    expect(README).toContain('the `network-default-deny` guardrail');
  });

  test('states the supported cluster versions on a line of their own, as the stage apps declare them', () => {
    const line = README.split('\n').find((l) => l.startsWith('Supported clusters: '));
    const declared = Prerequisite.declaredIn(new Platform(Testing.app(), 'platform', PROD))
      .filter((d) => d.prerequisite.kind === PrerequisiteKind.KUBERNETES).map((d) => d.prerequisite.title);
    expect(declared).toEqual(['Kubernetes 1.34 to 1.36']);
    expect(line).toBe(`Supported clusters: ${declared[0]}.`);
  });

  test('points to the prerequisites file of each stage in a section of its own', () => {
    expect(README).toContain('## What the cluster must provide');
    for (const stage of ['dev', 'prod']) {
      expect(README).toContain(`(dist/${stage}/PREREQUISITES.md)`);
      expect(fs.existsSync(path.join(ROOT, 'dist', stage, 'PREREQUISITES.md'))).toBe(true);
    }
  });
});
