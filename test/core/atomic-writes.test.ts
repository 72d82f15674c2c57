import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, YamlOutputType } from 'cdk8s';
import jsYaml = require('js-yaml');
import { Image, ProductionApp, synthWithGuardrails } from '../../lib';
import { writeManifests } from '../../lib/core/manifests';

const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atomic-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** Every file below `dir` with its content: the output folder, as a test compares it before and after. */
function contents(dir: string): Record<string, string> {
  if (!fs.existsSync(dir)) {
    return {};
  }
  return Object.fromEntries(fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()
    .filter((f) => fs.statSync(path.join(dir, f)).isFile())
    .map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
}

/** An object whose rendering holds a value js-yaml cannot write (a function): a user's own toJson can return one. */
class Unwritable extends ApiObject {
  public toJson(): any {
    return { ...super.toJson(), spec: { handler: () => 'not YAML' } };
  }
}

/** An app of two charts: the first writes fine, the second fails while it is written, after the first file was. */
function appWithUnwritableSecondChart(outdir: string, yamlOutputType = YamlOutputType.FILE_PER_CHART): App {
  const app = new App({ outdir, yamlOutputType });
  new ApiObject(new Chart(app, 'a', { namespace: 'a' }), 'Fine', { apiVersion: 'v1', kind: 'ConfigMap', data: { A: 'b' } });
  new Unwritable(new Chart(app, 'b', { namespace: 'b' }), 'Broken', { apiVersion: 'example.com/v1', kind: 'Widget' });
  return app;
}

/** The output of an earlier, successful run. */
function earlierOutput(): string {
  const outdir = path.join(tempDir(), 'dist');
  fs.mkdirSync(outdir);
  fs.writeFileSync(path.join(outdir, 'a.k8s.yaml'), 'earlier manifest\n');
  fs.writeFileSync(path.join(outdir, 'guardrails.sarif'), 'earlier report\n');
  fs.writeFileSync(path.join(outdir, 'README.md'), 'kept: not written by synthesis\n');
  return outdir;
}

/** No staging folder is left beside the output folder. */
function stagingLeftBeside(outdir: string): string[] {
  return fs.readdirSync(path.dirname(outdir)).filter((f) => f.includes('.synth-'));
}

describe('writeManifests writes atomically', () => {
  test('fails when a value cannot be written as YAML, and leaves the output folder as it was: no half-written manifest', () => {
    // GIVEN
    const outdir = earlierOutput();
    const before = contents(outdir);
    // WHEN the second chart fails after the first was written
    expect(() => writeManifests(appWithUnwritableSecondChart(outdir))).toThrow(/unacceptable kind of an object to dump/);
    // THEN
    expect(contents(outdir)).toEqual(before);
    expect(stagingLeftBeside(outdir)).toEqual([]);
  });

  test('fails on a validation error without creating an output folder that did not exist, or its parent', () => {
    const parent = path.join(tempDir(), 'new');
    const outdir = path.join(parent, 'dist');
    const app = new App({ outdir });
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    chart.node.addValidation({ validate: () => ['is not ready'] });
    expect(() => writeManifests(app)).toThrow(/\[shop\] is not ready/);
    expect(fs.existsSync(parent)).toBe(false);
  });

  test('replaces the files it writes, keeps the others, and leaves no staging folder', () => {
    const outdir = earlierOutput();
    const app = new App({ outdir });
    new ApiObject(new Chart(app, 'a', { namespace: 'a' }), 'Fine', { apiVersion: 'v1', kind: 'ConfigMap', data: { A: 'b' } });
    writeManifests(app);
    expect(contents(outdir)['a.k8s.yaml']).toContain('kind: ConfigMap');
    expect(contents(outdir)['README.md']).toBe('kept: not written by synthesis\n');
    expect(stagingLeftBeside(outdir)).toEqual([]);
  });

  test('writes the other output types (through app.synth()) atomically too', () => {
    const outdir = earlierOutput();
    const before = contents(outdir);
    const app = new App({ outdir, yamlOutputType: YamlOutputType.FILE_PER_RESOURCE });
    new ApiObject(new Chart(app, 'a', { namespace: 'a' }), 'Fine', { apiVersion: 'v1', kind: 'ConfigMap', data: { A: 'b' } });
    const chart = new Chart(app, 'b', { namespace: 'b' });
    chart.node.addValidation({ validate: () => ['is not ready'] });
    expect(() => writeManifests(app)).toThrow(/is not ready/);
    expect(contents(outdir)).toEqual(before);
    expect(app.outdir).toBe(outdir);
  });
});

describe('synthWithGuardrails writes atomically: manifests, SARIF report and prerequisites together, or nothing', () => {
  const quiet = { log: () => undefined };

  test('fails when a value cannot be written as YAML, and leaves the output folder as it was', () => {
    const outdir = earlierOutput();
    const before = contents(outdir);
    expect(() => synthWithGuardrails(appWithUnwritableSecondChart(outdir), quiet)).toThrow(/unacceptable kind of an object to dump/);
    expect(contents(outdir)).toEqual(before);
    expect(stagingLeftBeside(outdir)).toEqual([]);
  });

  test('fails on a guardrail violation, and leaves the output folder as it was', () => {
    const outdir = earlierOutput();
    const before = contents(outdir);
    const app = new App({ outdir });
    // A production app without a namespace baseline violates network-default-deny.
    new ProductionApp(new Chart(app, 'shop', { namespace: 'shop' }), 'Api', { image: Image.pinned('ghcr.io/acme/api', '1.0.0') });
    expect(() => synthWithGuardrails(app, quiet)).toThrow(/violates guardrail network-default-deny/);
    expect(contents(outdir)).toEqual(before);
  });

  test('fails when the SARIF report would be written outside the output folder, before writing anything', () => {
    const outdir = earlierOutput();
    const before = contents(outdir);
    const app = new App({ outdir });
    expect(() => synthWithGuardrails(app, { ...quiet, sarifFile: '../report.sarif' }))
      .toThrow(/'sarifFile' \('..\/report.sarif'\) must be a file name, without a folder/);
    expect(contents(outdir)).toEqual(before);
  });

  test('fails when the app is no cdk8s App', () => {
    expect(() => synthWithGuardrails(undefined as unknown as App)).toThrow(/^synthWithGuardrails: 'app' \(unset\) must be a cdk8s App$/);
  });

  test('fails when js-yaml fails partway through a chart, and leaves the output folder as it was', () => {
    // GIVEN the earlier output, and a serializer that fails on the second document, after the first was written
    const outdir = earlierOutput();
    const before = contents(outdir);
    const dump = jsYaml.dump;
    const spy = jest.spyOn(jsYaml, 'dump').mockImplementationOnce(dump).mockImplementationOnce(() => {
      throw new Error('disk full');
    });
    try {
      const app = new App({ outdir });
      const chart = new Chart(app, 'a', { namespace: 'a' });
      new ApiObject(chart, 'One', { apiVersion: 'v1', kind: 'ConfigMap', data: { A: 'b' } });
      new ApiObject(chart, 'Two', { apiVersion: 'v1', kind: 'ConfigMap', data: { C: 'd' } });
      // WHEN / THEN
      expect(() => synthWithGuardrails(app, quiet)).toThrow(/disk full/);
      expect(contents(outdir)).toEqual(before);
    } finally {
      spy.mockRestore();
    }
  });
});
