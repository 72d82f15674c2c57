#!/usr/bin/env node
// Synthesizes the stage apps: `npm run synth`, and `cdk8s synth` through cdk8s.yaml's `app`.
// It compiles first (tsc is incremental: only what changed is checked and emitted), so that an edit
// is never ignored, and runs the stage apps only when compiling succeeds, so that a source error
// leaves dist/ as it was. Compiler errors go to stderr: cdk8s synth discards the app's stdout.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', root], { stdio: ['ignore', 2, 2] });
if (tsc.status !== 0) {
  console.error('synth: the project does not compile; nothing was synthesized and dist/ is unchanged');
  process.exit(tsc.status ?? 1);
}
require(path.join(root, 'build', 'apps', 'main.js'));
