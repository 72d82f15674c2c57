import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DEV, PROD, selectStages, StageConfig, STAGES } from '../../apps/stages';
import { escapeForHelm, synthStages } from '../../apps/synth';
import jsYaml = require('js-yaml');

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'synth-'));
}

describe('synthStages', () => {
  let log: jest.SpyInstance;
  beforeEach(() => {
    log = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => log.mockRestore());

  test('writes every stage, with its guardrails report, into its own folder, and prints the summary to stderr', () => {
    const outdir = tempDir();
    try {
      synthStages([DEV, PROD], outdir);
      for (const stage of ['dev', 'prod']) {
        expect(fs.readdirSync(path.join(outdir, stage)).sort()).toEqual(['PREREQUISITES.md', 'guardrails.sarif', 'platform.k8s.yaml', 'prerequisites.jsonc']);
      }
      expect(log).toHaveBeenCalledWith(expect.stringMatching(/^prod guardrails: \d+ objects, \d+ rules: 0 errors/));
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('fails on bad input in one stage and leaves every stage\'s previous output untouched', () => {
    // GIVEN output from an earlier run
    const outdir = tempDir();
    try {
      synthStages([DEV, PROD], outdir);
      const before = fs.readFileSync(path.join(outdir, 'dev', 'platform.k8s.yaml'), 'utf8');
      const badProd: StageConfig = { ...PROD, imageTag: 'latest', api: { ...PROD.api, replicas: 1 } };
      // WHEN
      const synth = () => synthStages([{ ...DEV, appConfig: { ...DEV.appConfig, LOG_LEVEL: 'trace' } }, badProd], outdir);
      // THEN
      expect(synth).toThrow(/\[platform\/Api\] 'image' \('registry.example.com\/aishell\/aishell:latest'\) must be pinned to a version tag or a sha256 digest/);
      expect(fs.readFileSync(path.join(outdir, 'dev', 'platform.k8s.yaml'), 'utf8')).toBe(before);
      expect(fs.readdirSync(outdir).sort()).toEqual(['dev', 'prod']);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('fails a prod stage with a single database instance, naming the construct, and writes nothing', () => {
    const outdir = tempDir();
    try {
      const singleInstance: StageConfig = { ...PROD, database: { ...PROD.database, instances: 1 } };
      // The construct takes the stage's value; the postgres-ha guardrail refuses it in production, at the Cluster's path.
      expect(() => synthStages([singleInstance], outdir))
        .toThrow(/\[platform\/Database\/Resource\] Cluster aishell\/aishell-db violates guardrail postgres-ha: runs 1 instance/);
      expect(fs.readdirSync(outdir)).toEqual([]);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('copies each stage into the output folder of cdk8s synth, which is not dist/', () => {
    const outdir = tempDir();
    try {
      const cliOutdir = path.join(outdir, 'cli');
      fs.mkdirSync(cliOutdir);
      synthStages([DEV, PROD], path.join(outdir, 'dist'), cliOutdir);
      for (const stage of ['dev', 'prod']) {
        expect(fs.readFileSync(path.join(cliOutdir, stage, 'platform.k8s.yaml'), 'utf8'))
          .toBe(fs.readFileSync(path.join(outdir, 'dist', stage, 'platform.k8s.yaml'), 'utf8'));
      }
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('synthStages for cdk8s synth --format helm', () => {
  let log: jest.SpyInstance;
  beforeEach(() => {
    log = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => log.mockRestore());

  /** The chart cdk8s synth --format helm scaffolds before it runs the app, and the app's output folder, which does not exist yet. */
  function helmScaffolding(root: string): string {
    const chart = path.join(root, 'chart');
    fs.mkdirSync(chart);
    fs.writeFileSync(path.join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: platform\nversion: 1.0.0\n');
    fs.writeFileSync(path.join(chart, 'README.md'), 'generated\n');
    return path.join(chart, 'templates');
  }

  test('writes the manifests of one stage into templates/, and nothing else there', () => {
    const outdir = tempDir();
    try {
      // GIVEN
      const templates = helmScaffolding(outdir);
      // WHEN
      synthStages(selectStages(STAGES, 'prod'), path.join(outdir, 'dist'), templates);
      // THEN
      expect(fs.readdirSync(templates)).toEqual(['platform.k8s.yaml']);
      expect(fs.readdirSync(path.join(outdir, 'chart')).sort()).toEqual(['Chart.yaml', 'README.md', 'templates']);
      const manifest = fs.readFileSync(path.join(outdir, 'dist', 'prod', 'platform.k8s.yaml'), 'utf8');
      expect(manifest).toContain('{{ $labels.namespace }}');
      expect(fs.readFileSync(path.join(templates, 'platform.k8s.yaml'), 'utf8')).toBe(escapeForHelm(manifest));
      expect(fs.readdirSync(path.join(outdir, 'dist', 'prod')).sort()).toEqual(['PREREQUISITES.md', 'guardrails.sarif', 'platform.k8s.yaml', 'prerequisites.jsonc']);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('fails before writing anything when no stage is chosen', () => {
    const outdir = tempDir();
    try {
      const templates = helmScaffolding(outdir);
      expect(() => synthStages(STAGES, path.join(outdir, 'dist'), templates))
        .toThrow(/'STAGE' \(unset\) must name one stage of dev, prod for a Helm chart, which holds one stage: STAGE=prod npx cdk8s synth --format helm/);
      expect(fs.existsSync(templates)).toBe(false);
      expect(fs.existsSync(path.join(outdir, 'dist'))).toBe(false);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('escapes Prometheus templates so that Helm renders them as written, and leaves no other action', () => {
    const text = "summary: \"{{ $labels.service }} answers {{ $value | humanizePercentage }}\"\nexpr: rate(x{a=\"}}\"}[5m])\n";
    const escaped = escapeForHelm(text);
    // Every action Helm sees prints a literal '{{' or '}}'.
    const actions = escaped.match(/\{\{.*?\}\}(?!")/g) ?? [];
    expect(new Set(actions)).toEqual(new Set(['{{ "{{" }}', '{{ "}}" }}']));
    expect(escaped.replace(/\{\{ "(\{\{|\}\})" \}\}/g, '$1')).toBe(text);
  });
});

describe('selectStages', () => {
  test('selects every stage without a name, or the named one', () => {
    expect(selectStages(STAGES, undefined)).toEqual(STAGES);
    expect(selectStages(STAGES, 'prod')).toEqual([PROD]);
  });

  test('fails when the name is no stage', () => {
    expect(() => selectStages(STAGES, 'qa')).toThrow(/'STAGE' \('qa'\) must name a stage: dev, prod/);
  });
});

describe('synthStages when writing fails partway', () => {
  test('fails when js-yaml fails on a prod manifest after dev was written, and leaves every stage\'s previous output untouched', () => {
    // GIVEN output from an earlier run, and a serializer that fails on the first prod object (dev is written by then)
    const log = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const base = tempDir();
    const outdir = path.join(base, 'dist');
    const dump = jsYaml.dump;
    try {
      synthStages([DEV, PROD], outdir);
      const before = ['dev', 'prod'].map((stage) => fs.readdirSync(path.join(outdir, stage)).map((f) => fs.readFileSync(path.join(outdir, stage, f), 'utf8')));
      const spy = jest.spyOn(jsYaml, 'dump').mockImplementation((object: any, options) => {
        if (object?.metadata?.namespace === PROD.namespace) {
          throw new Error('disk full');
        }
        return dump(object, options);
      });
      try {
        // WHEN
        expect(() => synthStages([DEV, PROD], outdir)).toThrow(/disk full/);
      } finally {
        spy.mockRestore();
      }
      // THEN
      const after = ['dev', 'prod'].map((stage) => fs.readdirSync(path.join(outdir, stage)).map((f) => fs.readFileSync(path.join(outdir, stage, f), 'utf8')));
      expect(after).toEqual(before);
      expect(fs.readdirSync(outdir).sort()).toEqual(['dev', 'prod']);
      expect(fs.readdirSync(base)).toEqual(['dist']);
    } finally {
      log.mockRestore();
      fs.rmSync(base, { recursive: true, force: true });
    }
  });
});
