import * as fs from 'fs';
import * as path from 'path';
import { App, YamlOutputType } from 'cdk8s';
import { Guardrails, synthWithGuardrails } from '../lib';
import { Platform } from './platform';
import { StageConfig } from './stages';

/** Builds the platform app of one stage, with its guardrails applied, without writing anything. */
export function buildStage(stage: StageConfig, outdir: string): App {
  const app = new App({ outdir, outputFileExtension: '.k8s.yaml', yamlOutputType: YamlOutputType.FILE_PER_CHART });
  new Platform(app, 'platform', stage);
  Guardrails.apply(app);
  return app;
}

/**
 * Synthesizes every stage into `<outdir>/<stage>/`, with its guardrails report (`guardrails.sarif`)
 * and a printed summary. All stages are built and synthesized into a staging folder first; only
 * when every one succeeds do they replace the previous output, so a stage with bad input or a
 * guardrail violation writes nothing.
 */
export function synthStages(stages: readonly StageConfig[], outdir: string): void {
  const staging = fs.mkdtempSync(path.join(path.dirname(path.resolve(outdir)), '.synth-'));
  try {
    for (const stage of stages) {
      synthWithGuardrails(buildStage(stage, path.join(staging, stage.name)), {
        manifestRoot: path.relative(process.cwd(), path.join(outdir, stage.name)),
        log: (summary) => console.log(`${stage.name} ${summary}`),
      });
    }
    fs.mkdirSync(outdir, { recursive: true });
    for (const stage of stages) {
      const target = path.join(outdir, stage.name);
      fs.rmSync(target, { recursive: true, force: true });
      fs.renameSync(path.join(staging, stage.name), target);
    }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}
