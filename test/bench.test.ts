import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Scenario, runScenario } from '../bench/scenario';

// `npm run bench` is not part of the suite (it takes minutes); this keeps its scenarios synthesizing, so that
// a new guardrail or a changed default cannot break the benchmark unnoticed.
describe('the benchmark', () => {
  test.each([Scenario.LIBRARY, Scenario.LIBRARY_NO_GUARDRAILS, Scenario.HANDWRITTEN, Scenario.YAML_FLOOR])('synthesizes its %s scenario', (scenario) => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-test-'));
    try {
      runScenario(scenario, 3, path.join(outdir, 'out'));
      expect(fs.readdirSync(path.join(outdir, 'out')).filter((f) => f.endsWith('.k8s.yaml')).length).toBeGreaterThan(0);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});
