import * as fs from 'fs';
import * as path from 'path';
import { App, YamlOutputType } from 'cdk8s';
import { Guardrails, synthWithGuardrails } from '../lib';
import { Platform } from './platform';
import { StageConfig } from './stages';

const MANIFEST_EXTENSION = '.k8s.yaml';

/** Builds the platform app of one stage, with its guardrails applied, without writing anything. */
export function buildStage(stage: StageConfig, outdir: string): App {
  const app = new App({ outdir, outputFileExtension: MANIFEST_EXTENSION, yamlOutputType: YamlOutputType.FILE_PER_CHART });
  new Platform(app, 'platform', stage);
  Guardrails.apply(app);
  return app;
}

/**
 * Synthesizes every stage into `<outdir>/<stage>/`, with its guardrails report (`guardrails.sarif`),
 * its prerequisites (`PREREQUISITES.md`, `prerequisites.jsonc`) and a summary printed to stderr (the stream `cdk8s synth` shows). All stages are built and
 * synthesized into a staging folder first; only when every one succeeds do they replace the
 * previous output, so a stage with bad input or a guardrail violation writes nothing.
 *
 * `cliOutdir` is the output folder of `cdk8s synth` (`CDK8S_OUTDIR`), which the CLI empties before
 * it runs the app, and so is never `outdir` itself: each stage's output is copied there, for the
 * CLI's listing, `--stdout` and validation plugins. When the CLI makes a Helm chart
 * (`--format helm`), `cliOutdir` is the chart's `templates/` folder, which gets the manifests of
 * the one stage synthesized, escaped for Helm, and nothing else.
 */
export function synthStages(stages: readonly StageConfig[], outdir: string, cliOutdir?: string): void {
  const helm = cliOutdir !== undefined && isHelmTemplates(cliOutdir);
  if (helm && stages.length !== 1) {
    throw new Error(`'STAGE' (unset) must name one stage of ${stages.map((s) => s.name).join(', ')} for a Helm chart, which holds one stage: `
      + 'STAGE=prod npx cdk8s synth --format helm --chart-version 1.0.0');
  }
  const staging = fs.mkdtempSync(path.join(path.dirname(path.resolve(outdir)), '.synth-'));
  try {
    for (const stage of stages) {
      synthWithGuardrails(buildStage(stage, path.join(staging, stage.name)), {
        manifestRoot: path.relative(process.cwd(), path.join(outdir, stage.name)),
        title: `${stage.name} stage`,
        log: (summary) => console.error(`${stage.name} ${summary}`),
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
  console.error(`wrote ${stages.map((s) => path.join(outdir, s.name)).join(', ')}`);
  if (cliOutdir === undefined) {
    return;
  }
  fs.mkdirSync(cliOutdir, { recursive: true });
  for (const stage of stages) {
    const source = path.join(outdir, stage.name);
    if (helm) {
      for (const file of fs.readdirSync(source).filter((f) => f.endsWith(MANIFEST_EXTENSION))) {
        fs.writeFileSync(path.join(cliOutdir, file), escapeForHelm(fs.readFileSync(path.join(source, file), 'utf8')));
      }
    } else {
      fs.cpSync(source, path.join(cliOutdir, stage.name), { recursive: true });
    }
  }
}

/** Whether `dir` is the `templates/` folder of the Helm chart `cdk8s synth --format helm` scaffolds before it runs the app. */
function isHelmTemplates(dir: string): boolean {
  return path.basename(dir) === 'templates' && fs.existsSync(path.join(dir, '..', 'Chart.yaml'));
}

/**
 * Helm renders every file in `templates/` as a Go template, and the alerts' annotations hold
 * Prometheus templates (`{{ $labels.namespace }}`): each `{{` and `}}` becomes an action that
 * prints it, so that Helm writes the manifest as it was synthesized.
 */
export function escapeForHelm(manifest: string): string {
  return manifest.replace(/\{\{|\}\}/g, (braces) => `{{ "${braces}" }}`);
}
