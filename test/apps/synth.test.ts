import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DEV, PROD, StageConfig } from '../../apps/stages';
import { synthStages } from '../../apps/synth';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'synth-'));
}

describe('synthStages', () => {
  let log: jest.SpyInstance;
  beforeEach(() => {
    log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => log.mockRestore());

  test('writes every stage, with its guardrails report, into its own folder', () => {
    const outdir = tempDir();
    try {
      synthStages([DEV, PROD], outdir);
      for (const stage of ['dev', 'prod']) {
        expect(fs.readdirSync(path.join(outdir, stage)).sort()).toEqual(['guardrails.sarif', 'platform.k8s.yaml']);
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
      expect(synth).toThrow(/\[platform\/Api\] 'image' \('aishell\/aishell:latest'\) must be pinned to a version tag or a sha256 digest/);
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
});
