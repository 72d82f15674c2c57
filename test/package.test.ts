import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

/** The files `npm pack` puts in the package (without building: `npm test` has built). */
function packedFiles(): Set<string> {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const [result] = JSON.parse(execFileSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' }));
  return new Set(result.files.map((f: { path: string }) => f.path));
}

function sourcesOf(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => path.join(dir, f));
}

describe('the published package', () => {
  const files = packedFiles();

  test('ships the license, the changelog and the readme', () => {
    for (const file of ['LICENSE', 'CHANGELOG.md', 'README.md', 'package.json']) {
      expect(files).toContain(file);
    }
    expect(fs.readFileSync(path.join(ROOT, 'LICENSE'), 'utf8')).toContain('Apache License\n                           Version 2.0, January 2004');
    expect(pkg.license).toBe('Apache-2.0');
  });

  test('ships every doc that a message of the library points to', () => {
    const named = new Set(sourcesOf('lib').flatMap((f) => fs.readFileSync(path.join(ROOT, f), 'utf8').match(/\bdocs\/[\w./-]+\.md\b/g) ?? []));
    expect(named.size).toBeGreaterThan(0);
    for (const doc of named) {
      expect(files).toContain(doc);
    }
  });

  test('exports every generated binding as a typed subpath: cdk8s-golden-path/imports/<api group>', () => {
    const exported = pkg.exports['./imports/*'];
    expect(exported).toEqual({ types: './build/imports/*.d.ts', default: './build/imports/*.js' });
    expect(pkg.typesVersions['*']['imports/*']).toEqual(['build/imports/*.d.ts']);
    const groups = fs.readdirSync(path.join(ROOT, 'imports')).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3));
    expect(groups.length).toBeGreaterThan(0);
    for (const group of groups) {
      expect(files).toContain(exported.types.replace('./', '').replace('*', group));
      expect(files).toContain(exported.default.replace('./', '').replace('*', group));
    }
  });

  test('leaves cdk8s, constructs and cdk8s-plus-28 to the consumer, pinned here for development only', () => {
    for (const peer of ['cdk8s', 'constructs', 'cdk8s-plus-28']) {
      expect(pkg.dependencies[peer]).toBeUndefined();
      expect(pkg.peerDependencies[peer]).toMatch(/^\^\d+\.\d+\.\d+$/);
      expect(pkg.devDependencies[peer]).toMatch(/^\d+\.\d+\.\d+$/);
    }
  });
});
