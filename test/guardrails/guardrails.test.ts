import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Size, Testing, YamlOutputType } from 'cdk8s';
import { Cpu, k8s } from 'cdk8s-plus-28';
import { Platform } from '../../apps/platform';
import { DEV, PROD } from '../../apps/stages';
import {
  Guardrails, GuardrailRule, HaPostgres, NamespaceBaseline, NetworkPeer, PostgresBackup, RuleLevel, RuleSource, SUPPRESSION_ANNOTATION_PREFIX,
  Tier, setTier, synthWithGuardrails,
} from '../../lib';

/** A Deployment written by hand with the L1 API: privileged, root, unpinned. */
function addUnsafeDeployment(chart: Chart): k8s.KubeDeployment {
  return new k8s.KubeDeployment(chart, 'Unsafe', {
    metadata: { name: 'unsafe' },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'unsafe' } },
      template: {
        metadata: { labels: { app: 'unsafe' } },
        spec: { containers: [{ name: 'app', image: 'example/app:latest', securityContext: { privileged: true } }] },
      },
    },
  });
}

const outdirs: string[] = [];

function tempOutdir(): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrails-'));
  outdirs.push(outdir);
  return outdir;
}

afterAll(() => {
  for (const outdir of outdirs) {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
});

function platformApp(outdir: string, stage = PROD): { app: App; platform: Platform } {
  const app = new App({ outdir });
  const platform = new Platform(app, 'platform', stage);
  return { app, platform };
}

const quiet = { log: () => undefined };

describe('Guardrails', () => {
  /** The one finding the platform accepts: the migrations Job sets no TTL, as OneOffJob documents (the GitOps prune deletes it). */
  const MIGRATIONS_TTL_EXCEPTION = 'job-ttl platform/Migrations/Resource suppressed: cleaned up when a new version replaces it';

  test('the prod stage is an all-ok bundle: no findings but two documented exceptions, the migrations Job\'s TTL and the break-glass exec', () => {
    // GIVEN
    const { app } = platformApp(tempOutdir());
    // WHEN
    const report = Guardrails.apply(app).evaluate();
    // THEN
    expect(report.objectCount).toBeGreaterThan(15);
    expect(report.findings.map((f) => `${f.rule.id} ${f.object.path} ${f.suppression ? `suppressed: ${f.suppression.split(':')[0]}` : f.message}`).sort())
      .toEqual([MIGRATIONS_TTL_EXCEPTION, 'rbac-no-pod-exec platform/Access/Role-exec suppressed: incident response']);
  });

  test('the dev stage has no other findings either: the migrations Job\'s TTL and the developers\' exec, suppressed with their reasons', () => {
    const { app } = platformApp(tempOutdir(), DEV);
    const report = Guardrails.apply(app).evaluate();
    expect(report.findings.filter((f) => f.suppression === undefined)).toEqual([]);
    expect(report.suppressed.map((f) => `${f.rule.id} ${f.object.path}`).sort())
      .toEqual(['job-ttl platform/Migrations/Resource', 'rbac-no-pod-exec platform/Access/Role-developers']);
  });

  test('fails a prod synth of a hand-written unsafe object with its construct path, and writes nothing', () => {
    // GIVEN
    const outdir = tempOutdir();
    const { app, platform } = platformApp(outdir);
    addUnsafeDeployment(platform);
    Guardrails.apply(app);
    // WHEN
    const synth = () => app.synth();
    // THEN
    expect(synth).toThrow(/\[platform\/Unsafe\] Deployment aishell\/unsafe violates guardrail pss-privileged: container 'app' runs privileged; fix: /);
    expect(synth).toThrow(/\[platform\/Unsafe\] Deployment aishell\/unsafe violates guardrail image-pinned: container 'app' image 'example\/app:latest'/);
    expect(synth).toThrow(/\[platform\/Unsafe\] Deployment aishell\/unsafe violates guardrail probes: container 'app' has no readinessProbe and livenessProbe/);
    expect(fs.readdirSync(outdir)).toEqual([]);
  });

  test('lists every violation of the object, one line each', () => {
    const { app, platform } = platformApp(tempOutdir());
    addUnsafeDeployment(platform);
    const guardrails = Guardrails.apply(app);
    let message = '';
    try {
      app.synth();
    } catch (error) {
      message = (error as Error).message;
    }
    const errors = guardrails.report!.errors;
    expect(message.split('\n').filter((line) => line.includes('[platform/Unsafe] Deployment aishell/unsafe violates guardrail '))).toHaveLength(errors.length);
    // The namespace's default deny covers the hand-written pods too, so network-policy-coverage holds.
    expect([...new Set(errors.map((f) => f.rule.id))].sort()).toEqual([
      'image-pinned', 'probes', 'pss-capabilities', 'pss-privilege-escalation', 'pss-privileged',
      'pss-run-as-non-root', 'pss-seccomp', 'read-only-root-filesystem', 'replicated-spread', 'resources',
    ]);
  });

  test('synthesizes the same object with suppressions, and records them on the object and in the report', () => {
    // GIVEN
    const outdir = tempOutdir();
    const { app, platform } = platformApp(outdir);
    const unsafe = addUnsafeDeployment(platform);
    const guardrails = Guardrails.apply(app);
    for (const id of new Set(guardrails.evaluate().errors.map((f) => f.rule.id))) {
      Guardrails.suppress(unsafe, id, 'vendor appliance, isolated on its own node pool (ticket OPS-42)');
    }
    // WHEN
    const report = synthWithGuardrails(app, quiet);
    // THEN
    expect(report.errors).toEqual([]);
    expect(report.suppressed.length).toBeGreaterThan(0);
    const written = Testing.synth(platform).find((o) => o.metadata.name === 'unsafe');
    expect(written.metadata.annotations[`${SUPPRESSION_ANNOTATION_PREFIX}pss-privileged`])
      .toBe('vendor appliance, isolated on its own node pool (ticket OPS-42)');
    const sarif = JSON.parse(fs.readFileSync(path.join(outdir, 'guardrails.sarif'), 'utf8'));
    const result = sarif.runs[0].results.find((r: any) => r.ruleId === 'pss-privileged');
    expect(result.suppressions).toEqual([{ kind: 'inSource', justification: 'vendor appliance, isolated on its own node pool (ticket OPS-42)' }]);
  });

  test('prints the summary to stderr by default, the stream cdk8s synth shows (it discards the app\'s stdout)', () => {
    // GIVEN
    const { app } = platformApp(tempOutdir());
    const stderr = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const stdout = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      // WHEN
      synthWithGuardrails(app);
      // THEN
      expect(stderr).toHaveBeenCalledWith(expect.stringMatching(/^guardrails: \d+ objects, \d+ rules: 0 errors/));
      expect(stdout).not.toHaveBeenCalled();
    } finally {
      stderr.mockRestore();
      stdout.mockRestore();
    }
  });

  test('renders each object once per synthesis: the guardrails check the renderings that are written', () => {
    // GIVEN
    const { app } = platformApp(tempOutdir());
    const render = jest.spyOn(k8s.KubeDeployment.prototype, 'toJson');
    // WHEN
    synthWithGuardrails(app, quiet);
    // THEN
    expect(render).toHaveBeenCalledTimes(2);
    render.mockRestore();
  });

  test('renders afresh after the tree changed between two syntheses', () => {
    // GIVEN
    const outdir = tempOutdir();
    const { app, platform } = platformApp(outdir);
    synthWithGuardrails(app, quiet);
    // WHEN
    platform.api.addPodAnnotation('example.com/changed', 'yes');
    synthWithGuardrails(app, quiet);
    // THEN
    const written = fs.readFileSync(path.join(outdir, 'platform.k8s.yaml'), 'utf8');
    expect(written).toContain('example.com/changed: "yes"');
  });

  test('a documented construct exception passes a prod synth and is recorded like a suppression', () => {
    // GIVEN a production database that goes without backups, as PostgresBackup.none documents
    const outdir = tempOutdir();
    const app = new App({ outdir });
    const chart = new Chart(app, 'analytics', { namespace: 'analytics', disableResourceNameHashes: true });
    const reason = 'scratch copy, rebuilt nightly from the warehouse';
    new HaPostgres(chart, 'Db', {
      kubernetesApi: { peer: NetworkPeer.ipBlock('10.0.0.0/16') },
      storage: { size: Size.gibibytes(10) },
      backup: PostgresBackup.none({ reason }),
    });
    new NamespaceBaseline(chart, 'Namespace', {
      name: 'analytics', quota: { requestsCpu: Cpu.units(4), requestsMemory: Size.gibibytes(8), limitsCpu: Cpu.units(16), limitsMemory: Size.gibibytes(16) },
    });
    // WHEN
    const report = synthWithGuardrails(app, quiet);
    // THEN
    expect(report.errors).toEqual([]);
    expect(report.suppressed.map((f) => [f.rule.id, f.object.path, f.suppression])).toEqual([
      ['postgres-wal-archive', 'analytics/Db/Resource', reason],
      ['postgres-scheduled-backup', 'analytics/Db/Resource', reason],
      ['postgres-pre-upgrade-backup', 'analytics/Db/Resource', reason],
    ]);
    const cluster = Testing.synth(chart).find((o) => o.kind === 'Cluster');
    expect(cluster.metadata.annotations).toEqual({
      'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false',
      'kustomize.toolkit.fluxcd.io/prune': 'disabled',
      'cdk8s-golden-path/backups-suppressed': reason,
      [`${SUPPRESSION_ANNOTATION_PREFIX}postgres-wal-archive`]: reason,
      [`${SUPPRESSION_ANNOTATION_PREFIX}postgres-scheduled-backup`]: reason,
      [`${SUPPRESSION_ANNOTATION_PREFIX}postgres-pre-upgrade-backup`]: reason,
    });
    const sarif = JSON.parse(fs.readFileSync(path.join(outdir, 'guardrails.sarif'), 'utf8'));
    expect(sarif.runs[0].results.map((r: any) => [r.ruleId, r.suppressions])).toEqual([
      ['postgres-wal-archive', [{ kind: 'inSource', justification: reason }]],
      ['postgres-scheduled-backup', [{ kind: 'inSource', justification: reason }]],
      ['postgres-pre-upgrade-backup', [{ kind: 'inSource', justification: reason }]],
    ]);
  });

  test('a suppression covers the objects below its scope, and only its rule', () => {
    const { app, platform } = platformApp(tempOutdir());
    addUnsafeDeployment(platform);
    Guardrails.suppress(platform, 'pss-privileged', 'accepted for the whole chart in this test');
    const report = Guardrails.apply(app).evaluate();
    expect(report.suppressed.filter((f) => f.object.path.startsWith('platform/Unsafe')).map((f) => f.rule.id)).toEqual(['pss-privileged']);
    expect(report.errors.some((f) => f.rule.id === 'image-pinned')).toBe(true);
  });

  test('reports violations as warnings in the development tier, and synthesizes', () => {
    // GIVEN
    const { app, platform } = platformApp(tempOutdir(), DEV);
    addUnsafeDeployment(platform);
    // WHEN
    const report = synthWithGuardrails(app, quiet);
    // THEN
    expect(report.errors).toEqual([]);
    expect(report.warnings.map((f) => f.rule.id)).toContain('pss-privileged');
    expect(report.warnings.every((f) => f.level === RuleLevel.WARNING)).toBe(true);
  });

  test('applies availability rules to production only', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'dev', { namespace: 'dev' });
    setTier(chart, Tier.DEVELOPMENT);
    addUnsafeDeployment(chart);
    const ids = Guardrails.apply(app).evaluate().findings.map((f) => f.rule.id);
    expect(ids).toContain('pss-privileged');
    expect(ids).not.toContain('replicated-spread');
  });

  test('writes a deterministic SARIF 2.1.0 report that locates each finding in the manifests', () => {
    // GIVEN
    const synthOnce = () => {
      const outdir = tempOutdir();
      const { app, platform } = platformApp(outdir, DEV);
      addUnsafeDeployment(platform);
      synthWithGuardrails(app, { ...quiet, manifestRoot: 'dist/dev' });
      return { outdir, text: fs.readFileSync(path.join(outdir, 'guardrails.sarif'), 'utf8') };
    };
    // WHEN
    const { outdir, text } = synthOnce();
    const sarif = JSON.parse(text);
    // THEN
    expect(synthOnce().text).toBe(text);
    expect(sarif.version).toBe('2.1.0');
    const run = sarif.runs[0];
    expect(run.tool.driver.rules.map((r: any) => r.id)).toContain('pss-privileged');
    const result = run.results.find((r: any) => r.ruleId === 'pss-privileged');
    expect(run.tool.driver.rules[result.ruleIndex].id).toBe('pss-privileged');
    expect(result.level).toBe('warning');
    expect(result.locations[0].physicalLocation.artifactLocation).toEqual({ uri: 'dist/dev/platform.k8s.yaml', uriBaseId: '%SRCROOT%' });
    expect(result.locations[0].logicalLocations[0]).toEqual({ name: 'Deployment aishell-dev/unsafe', fullyQualifiedName: 'platform/Unsafe', kind: 'resource' });
    const lines = fs.readFileSync(path.join(outdir, 'platform.k8s.yaml'), 'utf8').split('\n');
    const start = result.locations[0].physicalLocation.region.startLine - 1;
    expect(lines.slice(start, start + 3)).toEqual(['apiVersion: apps/v1', 'kind: Deployment', 'metadata:']);
    expect(lines.slice(start, lines.indexOf('---', start))).toContain('  name: unsafe');
  });

  test('locates each finding in the files cdk8s writes for other output types, one file per resource', () => {
    // GIVEN an app whose manifests app.synth() writes (the library writes only one file per chart itself)
    const outdir = tempOutdir();
    const app = new App({ outdir, yamlOutputType: YamlOutputType.FILE_PER_RESOURCE });
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    setTier(chart, Tier.DEVELOPMENT);
    addUnsafeDeployment(chart);
    // WHEN
    synthWithGuardrails(app, { ...quiet, manifestRoot: 'out' });
    // THEN the location names the Deployment's own file, and its first line
    const result = JSON.parse(fs.readFileSync(path.join(outdir, 'guardrails.sarif'), 'utf8')).runs[0].results.find((r: any) => r.ruleId === 'pss-privileged');
    const { artifactLocation, region } = result.locations[0].physicalLocation;
    expect(artifactLocation.uri).toBe('out/Deployment.unsafe.k8s.yaml');
    expect(fs.readFileSync(path.join(outdir, 'Deployment.unsafe.k8s.yaml'), 'utf8').split('\n')[region.startLine - 1]).toBe('apiVersion: apps/v1');
  });

  test('runs rules of your own with the same levels and suppressions', () => {
    // GIVEN
    const ownerLabel: GuardrailRule = {
      id: 'acme-owner-label',
      rule: 'Deployments must carry an acme.com/owner label',
      reason: 'on-call needs to know whom to page',
      fix: 'add metadata.labels[acme.com/owner]',
      sources: [RuleSource.of('ACME platform policy 4.2')],
      level: RuleLevel.ERROR,
      kinds: ['Deployment'],
      check: (o) => o.manifest.metadata?.labels?.['acme.com/owner'] === undefined ? ['has no owner label'] : [],
    };
    const { app } = platformApp(tempOutdir());
    Guardrails.apply(app, { rules: [ownerLabel] });
    // THEN
    expect(() => app.synth()).toThrow(/\[platform\/Api\/Resource\] Deployment aishell\/aishell violates guardrail acme-owner-label: has no owner label/);
  });

  test('fails when a suppression has no reason', () => {
    const chart = Testing.chart();
    expect(() => Guardrails.suppress(chart, 'service-type', ' ')).toThrow(/'reason' \(' '\) must say why the exception is safe/);
  });

  test('fails when a suppression names no rule id', () => {
    const chart = Testing.chart();
    expect(() => Guardrails.suppress(chart, 'Service Type', 'x')).toThrow(/'ruleId' \('Service Type'\) must be a guardrail rule id/);
  });

  test('fails synth when a suppression names an unknown rule', () => {
    const { app, platform } = platformApp(tempOutdir());
    Guardrails.suppress(platform.api, 'service-typo', 'typo');
    Guardrails.apply(app);
    expect(() => app.synth()).toThrow(/\[platform\/Api\] suppresses the unknown guardrail 'service-typo'/);
  });

  test('fails when applied twice to the same app', () => {
    const app = Testing.app();
    Guardrails.apply(app);
    expect(() => Guardrails.apply(app)).toThrow(/'guardrails' .* are already applied to this construct/);
  });

  test('fails when a rule of your own reuses a built-in id', () => {
    const app = Testing.app();
    const duplicate: GuardrailRule = {
      id: 'service-type', rule: 'r', reason: 'r', fix: 'f', sources: [], level: RuleLevel.WARNING, check: () => [],
    };
    expect(() => Guardrails.apply(app, { rules: [duplicate] })).toThrow(/'rules.id' \('service-type'\) is already the id of another rule/);
  });
});
