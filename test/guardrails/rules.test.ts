import * as fs from 'fs';
import * as path from 'path';
import { Chart, Include, Testing } from 'cdk8s';
import { BUILTIN_RULES, Guardrails, GuardrailReport, RuleLevel } from '../../lib';

const FIXTURES = path.join(__dirname, 'fixtures');

/** Checks the objects of a fixture file, in a production app whose chart sets no namespace. */
function checkFixture(file: string): GuardrailReport {
  const app = Testing.app();
  new Include(new Chart(app, 'fixture'), 'Objects', { url: file });
  return Guardrails.apply(app).evaluate();
}

/** The `# expect: <message>` header of a failing fixture. */
function expectedMessage(file: string): string {
  const header = fs.readFileSync(file, 'utf8').split('\n')[0];
  const match = /^# expect: (.+)$/.exec(header);
  if (match === null) {
    throw new Error(`${file} starts without '# expect: <message>'`);
  }
  return match[1];
}

describe('built-in rules', () => {
  test('every rule has a passing and a failing fixture, and every fixture belongs to a rule', () => {
    const ids = BUILTIN_RULES.map((r) => r.id).sort();
    expect(fs.readdirSync(FIXTURES).sort()).toEqual(ids);
    for (const id of ids) {
      expect(fs.readdirSync(path.join(FIXTURES, id)).sort()).toEqual(['fail.yaml', 'pass.yaml']);
    }
  });

  test('docs/guardrails.md lists every rule with its default level', () => {
    const docs = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'guardrails.md'), 'utf8');
    for (const rule of BUILTIN_RULES) {
      expect(docs).toContain(`| \`${rule.id}\` | ${rule.rule.replace(/\|/g, '\\|')} | `);
      expect(docs).toMatch(new RegExp(`\\| \`${rule.id}\` \\|.*\\| ${rule.level}( \\(production only\\))? \\|`));
    }
  });

  test('rule ids are unique', () => {
    expect(new Set(BUILTIN_RULES.map((r) => r.id)).size).toBe(BUILTIN_RULES.length);
  });

  describe.each(BUILTIN_RULES.map((r) => [r.id, r.level]))('%s', (id, level) => {
    test('passes its passing fixture', () => {
      // WHEN
      const report = checkFixture(path.join(FIXTURES, id, 'pass.yaml'));
      // THEN
      expect(report.findings.filter((f) => f.rule.id === id).map((f) => f.message)).toEqual([]);
    });

    test('fails its failing fixture with the expected message, at its level', () => {
      // GIVEN
      const file = path.join(FIXTURES, id, 'fail.yaml');
      // WHEN
      const report = checkFixture(file);
      // THEN
      const findings = level === RuleLevel.ERROR ? report.errors : report.warnings;
      const messages = findings.filter((f) => f.rule.id === id).map((f) => f.message);
      expect(messages).toContain(expectedMessage(file));
    });
  });
});

describe('secret-env', () => {
  test('reports each Secret read into the environment, by key and by envFrom, as a warning, not an error', () => {
    // WHEN
    const report = checkFixture(path.join(FIXTURES, 'secret-env', 'fail.yaml'));

    // THEN
    expect(report.errors.filter((f) => f.rule.id === 'secret-env')).toEqual([]);
    expect(report.warnings.filter((f) => f.rule.id === 'secret-env').map((f) => f.message)).toEqual([
      'container \'app\' reads key \'password\' of Secret \'db\' into env DB_PASSWORD',
      'container \'app\' loads every key of Secret \'api-keys\' into its environment (envFrom)',
    ]);
  });
});
