import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Scenario } from './scenario';

/** One measured command: wall and CPU time, peak memory. */
interface Measurement {
  readonly name: string;
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly maxRssMb: number;
  readonly runs: number;
}

const ROOT = path.resolve(__dirname, '..', '..');
const SCENARIO = path.join(__dirname, 'scenario.js');
const SIZES = (process.env.BENCH_SIZES ?? '100,1000,5000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs `command` once to warm the file cache, then `runs` times, under /usr/bin/time for CPU and peak RSS. */
function measure(name: string, command: string[], runs: number, env: Record<string, string> = {}, phase = false): Measurement {
  const samples: Array<{ wallMs: number; cpuMs: number; maxRssKb: number }> = [];
  for (let i = 0; i <= runs; i++) {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));
    const outdir = path.join(work, 'out');
    const timeFile = path.join(work, 'time');
    const start = process.hrtime.bigint();
    const result = spawnSync('/usr/bin/time', ['-f', '%U %S %M', '-o', timeFile, ...command.map((a) => a.replace('$OUT', outdir))], {
      cwd: ROOT, env: { ...process.env, ...env, CDK8S_OUTDIR: outdir }, encoding: 'utf8',
    });
    const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.status !== 0) {
      throw new Error(`${name} failed: ${result.stderr || result.stdout}`);
    }
    const [user, sys, rssKb] = fs.readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
    const reported = phase ? JSON.parse(result.stdout).phaseMs as number : wallMs;
    fs.rmSync(work, { recursive: true, force: true });
    if (i > 0) {
      samples.push({ wallMs: reported, cpuMs: (user + sys) * 1000, maxRssKb: rssKb });
    }
  }
  return {
    name,
    wallMs: median(samples.map((s) => s.wallMs)),
    cpuMs: median(samples.map((s) => s.cpuMs)),
    maxRssMb: Math.max(...samples.map((s) => s.maxRssKb)) / 1024,
    runs,
  };
}

function scenario(kind: Scenario, count: number): string[] {
  return [process.execPath, SCENARIO, kind, String(count), '$OUT'];
}

function main(): void {
  const results: Measurement[] = [];
  const record = (m: Measurement) => {
    results.push(m);
    process.stderr.write(`${m.name.padEnd(44)} ${m.wallMs.toFixed(0).padStart(7)} ms\n`);
  };
  record(measure('stage apps (dev + prod), compiled entry', [process.execPath, 'build/apps/main.js'], RUNS));
  record(measure('stage apps (dev + prod), cdk8s synth', [process.execPath, 'node_modules/cdk8s-cli/bin/cdk8s', 'synth', '--no-check-upgrade', '--output', '$OUT'], RUNS));
  for (const n of SIZES) {
    const runs = n >= 5000 ? Math.min(RUNS, 3) : RUNS;
    record(measure(`N=${n} library`, scenario(Scenario.LIBRARY, n), runs));
    record(measure(`N=${n} library without guardrails`, scenario(Scenario.LIBRARY_NO_GUARDRAILS, n), runs));
    record(measure(`N=${n} hand-written cdk8s-plus-28`, scenario(Scenario.HANDWRITTEN, n), runs));
    record(measure(`N=${n} YAML serialization only (floor)`, scenario(Scenario.YAML_FLOOR, n), runs, {}, true));
  }

  const table = [
    '| scenario | wall (median) | CPU (median) | peak RSS | runs |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...results.map((m) => `| ${m.name} | ${m.wallMs.toFixed(0)} ms | ${m.cpuMs.toFixed(0)} ms | ${m.maxRssMb.toFixed(0)} MiB | ${m.runs} |`),
  ].join('\n');
  const ratio = (n: number) => {
    const lib = results.find((m) => m.name === `N=${n} library`);
    const hand = results.find((m) => m.name === `N=${n} hand-written cdk8s-plus-28`);
    return lib && hand ? lib.wallMs / hand.wallMs : NaN;
  };
  const at = (n: number) => results.find((m) => m.name === `N=${n} library`);
  const checks = [
    `stage apps via compiled entry: ${results[0].wallMs.toFixed(0)} ms (target <= 500 ms)`,
    `N=1000 library (guardrails on) / hand-written: ${ratio(1000).toFixed(2)}x (target <= 1.5x)`,
    `time(5000) / time(1000): ${((at(5000)?.wallMs ?? NaN) / (at(1000)?.wallMs ?? NaN)).toFixed(2)} (target <= 5.5)`,
    `peak RSS at N=5000: ${(at(5000)?.maxRssMb ?? NaN).toFixed(0)} MiB (target <= 1024 MiB)`,
  ];
  const outFile = path.join(ROOT, '.bench', 'results.json');
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, JSON.stringify({ node: process.version, cpus: os.cpus().length, results, checks }, undefined, 2));
  process.stdout.write(`${table}\n\n${checks.join('\n')}\n\nJSON: .bench/results.json\n`);
}

main();
