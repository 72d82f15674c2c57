import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';

/** The first TypeScript example of the README, importing this repository's library instead of the package. */
function quickStart(): string {
  const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
  const match = /```ts\n([\s\S]*?)```/.exec(readme);
  if (match === null) {
    throw new Error('README.md has no ts example');
  }
  return match[1].replace(/from 'cdk8s-golden-path'/g, `from ${JSON.stringify(path.join(__dirname, '..', 'lib'))}`);
}

describe('README quick start', () => {
  test('runs as written: synthesizes with the guardrails and writes the manifests and the report', () => {
    // GIVEN
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-'));
    const previous = process.env.CDK8S_OUTDIR;
    process.env.CDK8S_OUTDIR = outdir;
    const log = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const js = ts.transpileModule(quickStart(), { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
      // WHEN
      new Function('require', 'exports', js)(require, {});
      // THEN
      const manifest = fs.readFileSync(path.join(outdir, 'shop.k8s.yaml'), 'utf8');
      for (const kind of ['Namespace', 'Deployment', 'Cluster', 'Ingress', 'ExternalSecret', 'ScheduledBackup']) {
        expect(manifest).toContain(`kind: ${kind}\n`);
      }
      expect(JSON.parse(fs.readFileSync(path.join(outdir, 'guardrails.sarif'), 'utf8')).runs[0].results).toEqual([]);
    } finally {
      log.mockRestore();
      if (previous === undefined) {
        delete process.env.CDK8S_OUTDIR;
      } else {
        process.env.CDK8S_OUTDIR = previous;
      }
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});
