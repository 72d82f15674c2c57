import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s');

/**
 * A copy of the repository's sources, cdk8s.yaml and committed dist/, with the current build, so
 * that compiling in it is incremental as it is in a working copy. tsc names the files of its
 * incremental state relative to build/, so the state is told where node_modules is from the copy.
 */
function workingCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-synth-'));
  for (const entry of ['apps', 'lib', 'imports', 'test', 'bench', 'examples', 'scripts', 'dist', 'package.json', 'tsconfig.json', 'cdk8s.yaml']) {
    fs.cpSync(path.join(ROOT, entry), path.join(dir, entry), { recursive: true });
  }
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  const buildInfo = path.join(ROOT, 'build', '.tsbuildinfo');
  if (fs.existsSync(buildInfo)) {
    fs.cpSync(path.join(ROOT, 'build'), path.join(dir, 'build'), { recursive: true });
    const from = path.relative(path.join(ROOT, 'build'), path.join(ROOT, 'node_modules'));
    const to = path.relative(path.join(dir, 'build'), fs.realpathSync(path.join(ROOT, 'node_modules')));
    const info = fs.readFileSync(buildInfo, 'utf8').split(`"${from}/`).join(`"${to}/`);
    fs.writeFileSync(path.join(dir, 'build', '.tsbuildinfo'), info);
  }
  return dir;
}

function cdk8sSynth(cwd: string, args: string[] = [], env: Record<string, string> = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [CLI, 'synth', '--no-check-upgrade', ...args], { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
}

function read(dir: string, file: string): string {
  return fs.readFileSync(path.join(dir, file), 'utf8');
}

function edit(dir: string, file: string, from: string, to: string): void {
  const text = read(dir, file);
  expect(text).toContain(from);
  fs.writeFileSync(path.join(dir, file), text.replace(from, to));
}

describe('cdk8s synth in this repository (cdk8s.yaml)', () => {
  let dir: string;
  beforeAll(() => {
    dir = workingCopy();
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('compiles first, so that an edit of the sources reaches dist/, and shows the guardrails summary', () => {
    // GIVEN a source edit after the last build
    edit(dir, 'apps/stages.ts', "imageTag: '2.0.0'", "imageTag: '2.0.1'");
    // WHEN
    const result = cdk8sSynth(dir);
    // THEN
    expect(result.status).toBe(0);
    expect(read(dir, 'dist/dev/platform.k8s.yaml')).toContain('image: registry.example.com/aishell/aishell:2.0.1\n');
    expect(read(dir, 'build/cdk8s.out/dev/platform.k8s.yaml')).toBe(read(dir, 'dist/dev/platform.k8s.yaml'));
    expect(result.stderr).toMatch(/^dev guardrails: \d+ objects, \d+ rules: 0 errors/m);
    expect(result.stderr).toMatch(/^prod guardrails: \d+ objects, \d+ rules: 0 errors/m);
  }, 60000);

  test('makes a Helm chart of the chosen stage whose templates/ holds its manifests only', () => {
    // WHEN
    const result = cdk8sSynth(dir, ['--format', 'helm', '--chart-version', '1.0.0', '--output', 'build/chart'], { STAGE: 'prod' });
    // THEN
    expect(result.status).toBe(0);
    expect(fs.readdirSync(path.join(dir, 'build', 'chart')).sort()).toEqual(['Chart.yaml', 'README.md', 'templates']);
    expect(fs.readdirSync(path.join(dir, 'build', 'chart', 'templates'))).toEqual(['platform.k8s.yaml']);
    expect(read(dir, 'build/chart/templates/platform.k8s.yaml')).toContain('namespace: aishell\n');
    expect(read(dir, 'build/chart/templates/platform.k8s.yaml')).not.toContain('{{ $labels');
  }, 60000);

  test('fails on a source error, shows the compiler error and leaves dist/ as it was', () => {
    // GIVEN dist/ from a successful synth, then a type error in the sources
    const before = read(dir, 'dist/prod/platform.k8s.yaml');
    edit(dir, 'apps/stages.ts', 'replicas: 3,', "replicas: 'three',");
    // WHEN
    const result = cdk8sSynth(dir);
    // THEN
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/apps\/stages\.ts\(\d+,\d+\): error TS2322/);
    expect(read(dir, 'dist/prod/platform.k8s.yaml')).toBe(before);
    expect(fs.readdirSync(path.join(dir, 'dist')).sort()).toEqual(['dev', 'prod']);
  }, 60000);
});
