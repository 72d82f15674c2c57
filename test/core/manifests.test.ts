import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Testing, Yaml, YamlOutputType } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { Platform } from '../../apps/platform';
import { PROD } from '../../apps/stages';
import { toYaml, writeManifests } from '../../lib/core/manifests';

const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'manifests-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** Reads YAML the way kubectl does: YAML 1.1. */
function parse11(text: string): unknown[] {
  return parseAllDocuments(text, { version: '1.1' }).map((d) => d.toJS());
}

describe('writeManifests', () => {
  test('writes the same data as app.synth(), file for file', () => {
    // GIVEN the prod platform, synthesized both ways
    const ours = tempDir();
    const theirs = tempDir();
    const ourApp = new App({ outdir: ours });
    new Platform(ourApp, 'platform', PROD);
    writeManifests(ourApp);
    const theirApp = new App({ outdir: theirs });
    new Platform(theirApp, 'platform', PROD);
    theirApp.synth();
    // THEN
    expect(fs.readdirSync(ours)).toEqual(fs.readdirSync(theirs));
    for (const file of fs.readdirSync(ours)) {
      expect(parse11(fs.readFileSync(path.join(ours, file), 'utf8'))).toEqual(parse11(fs.readFileSync(path.join(theirs, file), 'utf8')));
    }
  });

  test('quotes every string a YAML 1.1 or 1.2 reader would take for another type', () => {
    const tricky = ['yes', 'No', 'on', 'OFF', 'y', 'n', 'true', 'null', '~', '0775', '0x1F', '1e3', '1_000', '.inf', '2020-01-01',
      '', ' lead', 'a: b', '#x', '@x', '*x', '&x', '!x', '%x', '<<', '=', '- x', '{x}', '[x]', 'multi\nline\n', 'tab\there'];
    const object = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'tricky' }, data: Object.fromEntries(tricky.map((v, i) => [`k${i}`, v])) };
    const text = toYaml([object]);
    expect(parse11(text)).toEqual([object]);
    expect(parseAllDocuments(text).map((d) => d.toJS())).toEqual([object]);
  });

  test('separates documents as cdk8s does, and writes an undefined document as an empty one', () => {
    const a = { kind: 'A', metadata: { name: 'a' } };
    const b = { kind: 'B', metadata: { name: 'b' } };
    expect(toYaml([a, b])).toBe(Yaml.stringify(a, b));
    expect(toYaml([a, undefined])).toBe(Yaml.stringify(a, undefined));
  });

  test('names the files of charts that depend on each other in dependency order, like cdk8s', () => {
    const outdir = tempDir();
    const app = new App({ outdir });
    const first = new Chart(app, 'first');
    const second = new Chart(app, 'second');
    new ApiObject(first, 'A', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } });
    new ApiObject(second, 'B', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } });
    first.addDependency(second);
    writeManifests(app);
    expect(fs.readdirSync(outdir).sort()).toEqual(['0000-second.k8s.yaml', '0001-first.k8s.yaml']);
  });

  test('writes nothing when validation fails', () => {
    const outdir = path.join(tempDir(), 'out');
    const app = new App({ outdir });
    const chart = new Chart(app, 'bad');
    chart.node.addValidation({ validate: () => ['is not valid'] });
    new ApiObject(chart, 'A', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } });
    expect(() => writeManifests(app)).toThrow(/\[bad\] is not valid/);
    expect(fs.existsSync(outdir)).toBe(false);
  });

  test('leaves output types other than one file per chart to cdk8s', () => {
    const outdir = tempDir();
    const app = Testing.app({ outdir, yamlOutputType: YamlOutputType.FILE_PER_RESOURCE });
    new ApiObject(new Chart(app, 'c'), 'A', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } });
    writeManifests(app);
    expect(fs.readdirSync(outdir)).toEqual(['ConfigMap.a.k8s.yaml']);
  });
});
