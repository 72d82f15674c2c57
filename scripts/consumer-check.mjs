#!/usr/bin/env node
// The library as a consumer gets it: packs it (npm pack), then builds, tests and synthesizes every
// project in examples/ against the packed library, once with the OLDEST and once with the NEWEST
// versions of cdk8s, constructs and cdk8s-plus-28 that the library's peerDependencies allow and the
// registry has, so that the ranges stay true. Each example is installed on its own, as a team's
// project would be. Needs the npm registry; `npm test` never runs this.
//
//   node scripts/consumer-check.mjs [oldest|newest]...   (default: both)
//   KEEP=1 keeps the work folder, EXAMPLES=single-service,platform picks examples.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const sets = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['oldest', 'newest'];
const examples = (process.env.EXAMPLES?.split(',') ?? fs.readdirSync(path.join(root, 'examples')))
  .filter((name) => fs.existsSync(path.join(root, 'examples', name, 'package.json')))
  .sort();

function run(command, args, cwd, env = {}) {
  console.log(`$ ${[command, ...args].join(' ')}   (in ${path.relative(work, cwd) || '.'})`);
  return execFileSync(command, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', env: { ...process.env, ...env } });
}

/** Versions as [major, minor, patch] compare; prereleases are never in a plain range. */
function compareVersions(a, b) {
  const [x, y] = [a, b].map((v) => v.split('.').map(Number));
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

/** The oldest and newest published versions of `name` within `range`, and the latest overall. */
function versionsOf(name, range) {
  const inRange = [JSON.parse(execFileSync(npm, ['view', `${name}@${range}`, 'version', '--json'], { encoding: 'utf8' }))].flat();
  inRange.sort(compareVersions);
  const latest = execFileSync(npm, ['view', name, 'dist-tags.latest'], { encoding: 'utf8' }).trim();
  return { oldest: inRange[0], newest: inRange[inRange.length - 1], latest };
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'consumer-check-'));
let failed = false;
try {
  run(npm, ['pack', '--pack-destination', work, '--silent'], root);
  const tarball = path.join(work, fs.readdirSync(work).find((f) => f.endsWith('.tgz')));

  const peers = Object.entries(pkg.peerDependencies).map(([name, range]) => ({ name, range, ...versionsOf(name, range) }));
  for (const peer of peers) {
    console.log(`${peer.name} ${peer.range}: oldest ${peer.oldest}, newest ${peer.newest} (latest on the registry: ${peer.latest})`);
    if (compareVersions(peer.latest, peer.newest) > 0) {
      console.log(`  note: ${peer.name} ${peer.latest} is outside ${peer.range}: try it, and widen the range if the library works with it`);
    }
  }

  for (const set of sets) {
    if (set !== 'oldest' && set !== 'newest') {
      throw new Error(`unknown version set '${set}': oldest or newest`);
    }
    const pins = Object.fromEntries(peers.map((p) => [p.name, p[set]]));
    for (const example of examples) {
      const dir = path.join(work, set, example);
      console.log(`\n== ${example} with ${Object.entries(pins).map(([n, v]) => `${n}@${v}`).join(' ')}`);
      fs.cpSync(path.join(root, 'examples', example), dir, {
        recursive: true,
        filter: (source) => !/[/\\](node_modules|build|dist)$/.test(source),
      });
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
      manifest.dependencies = { ...manifest.dependencies, ...pins, [pkg.name]: `file:${tarball}` };
      fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
      try {
        run(npm, ['install', '--no-audit', '--no-fund', '--loglevel=error'], dir);
        const installed = JSON.parse(run(npm, ['ls', '--json', ...Object.keys(pins), pkg.name], dir));
        for (const [name, version] of Object.entries(pins)) {
          if (installed.dependencies?.[name]?.version !== version) {
            throw new Error(`${name}: expected ${version} at the top level, found ${installed.dependencies?.[name]?.version}`);
          }
        }
        if (fs.existsSync(path.join(dir, 'node_modules', pkg.name, 'node_modules'))) {
          throw new Error(`${pkg.name} brought its own node_modules (a second copy of a peer?): ${fs.readdirSync(path.join(dir, 'node_modules', pkg.name, 'node_modules'))}`);
        }
        process.stdout.write(run(npm, ['test', '--silent'], dir));
        process.stdout.write(run(npm, ['run', 'synth', '--silent', '--', '--no-check-upgrade'], dir));
        const written = fs.readdirSync(path.join(dir, 'dist'), { recursive: true }).filter((f) => f.endsWith('.k8s.yaml'));
        if (written.length === 0) {
          throw new Error('cdk8s synth wrote no manifests');
        }
        console.log(`ok: ${example} (${set}): ${written.sort().join(', ')}`);
      } catch (error) {
        failed = true;
        console.error(`FAILED: ${example} (${set}): ${error.message}`);
      }
    }
  }
} finally {
  if (process.env.KEEP) {
    console.log(`work folder kept: ${work}`);
  } else {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
process.exit(failed ? 1 : 0);
