import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { synthWithGuardrails } from '../lib';
import { toYaml } from '../lib/core/manifests';
import { handwrittenPlatform } from './handwritten';
import { libraryPlatform } from './library';

/** What one benchmark process builds and synthesizes. */
export enum Scenario {
  /** This library, synthesized with its guardrails (as the stage apps are). */
  LIBRARY = 'library',
  /** This library without guardrails. */
  LIBRARY_NO_GUARDRAILS = 'library-no-guardrails',
  /** The same objects written by hand with cdk8s-plus-28 and the L1 imports. */
  HANDWRITTEN = 'handwritten',
  /** Only the YAML serialization (the library's writer) of the library's final objects. */
  YAML_FLOOR = 'yaml-floor',
}

/** Runs one scenario in this process and returns the milliseconds of its timed phase. */
export function runScenario(scenario: Scenario, count: number, outdir: string): number {
  const app = new App({ outdir, outputFileExtension: '.k8s.yaml' });
  if (scenario === Scenario.HANDWRITTEN) {
    handwrittenPlatform(app, count);
  } else {
    libraryPlatform(app, count);
  }
  if (scenario === Scenario.LIBRARY) {
    synthWithGuardrails(app, { log: () => undefined });
    return NaN;
  }
  if (scenario !== Scenario.YAML_FLOOR) {
    app.synth();
    return NaN;
  }
  const objects = apiObjects(app).map((o) => o.toJson());
  const start = process.hrtime.bigint();
  fs.mkdirSync(outdir, { recursive: true });
  fs.writeFileSync(path.join(outdir, 'floor.k8s.yaml'), toYaml(objects));
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function apiObjects(scope: IConstruct): ApiObject[] {
  return scope.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject && Chart.of(c) !== undefined);
}

if (require.main === module) {
  const [scenario, count, outdir] = process.argv.slice(2);
  const phaseMs = runScenario(scenario as Scenario, Number(count), outdir);
  const usage = process.resourceUsage();
  process.stdout.write(JSON.stringify({ phaseMs, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000, maxRssKb: usage.maxRSS }));
}
