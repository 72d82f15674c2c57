// Cost of the guardrails at synth: the same app of N ProductionApps synthesized with and without them.
// Usage: npm run build && node build/bench/guardrails.js [apps=1000]
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { Guardrails, Image, NamespaceBaseline, ProductionApp } from '../lib';

const apps = Number(process.argv[2] ?? 1000);

function build(outdir: string): App {
  const app = new App({ outdir });
  const chart = new Chart(app, 'bench', { namespace: 'bench', disableResourceNameHashes: true });
  new NamespaceBaseline(chart, 'Namespace', {
    name: 'bench',
    quota: { requestsCpu: Cpu.units(4000), requestsMemory: Size.gibibytes(8000), limitsCpu: Cpu.units(8000), limitsMemory: Size.gibibytes(16000) },
  });
  for (let i = 0; i < apps; i++) {
    new ProductionApp(chart, `App${i}`, { image: Image.pinned('example/app', '1.0.0'), config: { INDEX: String(i) } });
  }
  return app;
}

function time(label: string, run: () => void): number {
  const start = process.hrtime.bigint();
  run();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  console.log(`${label}: ${ms.toFixed(0)} ms`);
  return ms;
}

const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));
try {
  build(outdir).synth(); // warm up the JIT
  const plain = time(`synth, ${apps} apps, no guardrails`, () => build(outdir).synth());
  const guarded = time(`synth, ${apps} apps, guardrails`, () => {
    const app = build(outdir);
    Guardrails.apply(app);
    app.synth();
  });
  const app = build(outdir);
  const guardrails = Guardrails.apply(app);
  time('guardrails evaluation alone', () => guardrails.evaluate());
  console.log(`ratio: ${(guarded / plain).toFixed(2)}x, ${guardrails.evaluate().objectCount} objects`);
} finally {
  fs.rmSync(outdir, { recursive: true, force: true });
}
