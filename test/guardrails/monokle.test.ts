import { execFileSync } from 'child_process';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');

interface ScanResult {
  readonly resources: number;
  readonly rules: number;
  readonly findings: ReadonlyArray<{ rule: string; message: string; object: string }>;
}

/** Runs @monokle/validation (Pod Security Standards, common practices, resource links, YAML syntax; every rule on) over `folder`. */
function scan(folder: string): ScanResult {
  const output = execFileSync(process.execPath, [path.join(__dirname, 'monokle-scan.mjs'), path.join(ROOT, folder)], { encoding: 'utf8' });
  return JSON.parse(output) as ScanResult;
}

describe('independent check with @monokle/validation, offline', () => {
  test('finds nothing in the committed prod manifests but the break-glass exec, with every rule of its offline plugins enabled', () => {
    // WHEN
    const result = scan('dist/prod');
    // THEN
    expect(result.resources).toBeGreaterThan(15);
    expect(result.rules).toBeGreaterThanOrEqual(60);
    // The one deliberate exec grant of prod: the on-call's break-glass Role, which our guardrails accept with its
    // recorded reason (rbac-no-pod-exec, suppressed); the scan runs without suppressors, so it reports it.
    expect(result.findings).toEqual([
      { rule: 'KBP108', message: 'Disallow permissions to exec on pods', object: 'aishell-break-glass-exec.aishell.role@platform.k8s.yaml' },
    ]);
  });

  test('finds the privileged pod of a failing fixture, so a clean scan means something', () => {
    const result = scan('test/guardrails/fixtures/pss-privileged');
    expect(result.findings.map((f) => f.rule)).toContain('PSS103');
  });
});
