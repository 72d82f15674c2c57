#!/usr/bin/env node
// Regenerates the typed bindings in imports/ from the pinned CRDs in ../shared/crds/.
// `cdk8s import` writes one file per API group and overwrites it on the next import of that group,
// so the CRDs of each group are imported together, as one multi-document file.
// The generated files are committed: installing or building the project never needs ../shared.
// --no-save keeps the (temporary) bundle paths out of cdk8s.yaml.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const crdDir = process.argv[2] ?? path.join('..', 'shared', 'crds');
const groups = ['cnpg', 'barman-cloud', 'external-secrets', 'cert-manager', 'prometheus-operator', 'gateway-api', 'sealed-secrets', 'cilium', 'velero', 'external-snapshotter', 'redis-operator'];
const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'crds-'));
try {
  for (const group of groups) {
    const files = fs.readdirSync(crdDir).filter((f) => f.startsWith(`${group}-`) && f.endsWith('.yaml')).sort();
    if (files.length === 0) throw new Error(`no CRDs for '${group}' in ${crdDir}`);
    const bundle = path.join(staging, `${group}.yaml`);
    fs.writeFileSync(bundle, files.map((f) => fs.readFileSync(path.join(crdDir, f), 'utf8')).join('\n---\n'));
    console.log(`${group}: ${files.join(', ')}`);
    execFileSync('npx', ['cdk8s', 'import', bundle, '--language', 'typescript', '--output', 'imports', '--no-save'], { stdio: 'inherit' });
  }
} finally {
  fs.rmSync(staging, { recursive: true, force: true });
}
