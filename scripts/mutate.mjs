#!/usr/bin/env node
// A small mutation tester: how many deliberate bugs in one source file do the tests catch?
//
//   node scripts/mutate.mjs lib/guardrails/rules/pod-security.ts test/guardrails/pod-security.test.ts test/guardrails/rules.test.ts
//
// It copies the repository (without node_modules, build and .git) to a temporary folder, then,
// one mutant at a time, changes one spot of the file (=== and !==, && and ||, true and false, a
// comparison, a dropped `!` or `?? fallback`, a string literal) and runs jest on the given tests
// there. A mutant the tests fail on is killed; one they pass on survived, and is listed. Lines that
// only document a rule (reason, fix, sources) and comments are not mutated. Not part of `npm test`:
// it runs jest once per mutant and takes minutes.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const [target, ...tests] = process.argv.slice(2);
if (target === undefined || tests.length === 0) {
  console.error('usage: node scripts/mutate.mjs <source file> <test file>...');
  process.exit(2);
}

const SKIPPED = new Set(['node_modules', 'build', '.git', '.bench', 'coverage']);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mutate-'));
process.on('exit', () => fs.rmSync(work, { recursive: true, force: true }));
for (const entry of fs.readdirSync(root)) {
  if (!SKIPPED.has(entry)) {
    fs.cpSync(path.join(root, entry), path.join(work, entry), { recursive: true });
  }
}
fs.symlinkSync(path.join(root, 'node_modules'), path.join(work, 'node_modules'));

const source = fs.readFileSync(path.join(root, target), 'utf8');
const lines = source.split('\n');

/** Lines that are code: not comments, imports, or the documentation fields of a rule. */
function mutable(line) {
  const text = line.trim();
  return text !== '' && !/^(\/\/|\/\*|\*|import |reason:|fix:|sources:|id:|rule:)/.test(text);
}

const OPERATORS = [
  [/===/g, '!=='], [/!==/g, '==='], [/&&/g, '||'], [/\|\|/g, '&&'],
  [/\btrue\b/g, 'false'], [/\bfalse\b/g, 'true'],
  [/ >= /g, ' > '], [/ <= /g, ' < '], [/ > /g, ' >= '], [/ < /g, ' <= '],
  [/!(?=[A-Za-z(])/g, ''],
  [/ \?\? [^,;)\]}]+/g, ''],
  [/'(?:[^'\\]|\\.)+'/g, "'__mutant__'"],
];

const mutants = [];
lines.forEach((line, i) => {
  if (!mutable(line)) {
    return;
  }
  for (const [pattern, replacement] of OPERATORS) {
    for (const match of line.matchAll(pattern)) {
      const mutated = line.slice(0, match.index) + replacement + line.slice(match.index + match[0].length);
      if (mutated !== line) {
        mutants.push({ line: i, text: mutated, original: line.trim(), change: `${match[0].trim()} -> ${replacement.trim() || '(removed)'}` });
      }
    }
  }
});

const jest = path.join(root, 'node_modules', 'jest', 'bin', 'jest.js');
const run = () => spawnSync(process.execPath, [jest, '--silent', '--bail', '--ci', ...tests], { cwd: work, encoding: 'utf8' });
const baseline = run();
if (baseline.status !== 0) {
  console.error(`the tests fail without mutants:\n${baseline.stderr}`);
  process.exit(1);
}

const survivors = [];
mutants.forEach((mutant, n) => {
  const copy = [...lines];
  copy[mutant.line] = mutant.text;
  fs.writeFileSync(path.join(work, target), copy.join('\n'));
  const killed = run().status !== 0;
  if (!killed) {
    survivors.push(mutant);
  }
  process.stderr.write(`\r${n + 1}/${mutants.length} mutants, ${survivors.length} survived`);
});

const killed = mutants.length - survivors.length;
console.log(`\n${target}: ${killed} of ${mutants.length} mutants killed (${(100 * killed / mutants.length).toFixed(1)} %)`);
for (const s of survivors) {
  console.log(`  survived line ${s.line + 1}: ${s.change}    ${s.original}`);
}
