// Scans a folder of manifests with @monokle/validation, offline, and prints the findings as JSON.
// Used by monokle.test.ts: an ES module, so it runs in its own Node process instead of inside Jest.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { DefaultPluginLoader, DisabledFixer, MonokleValidator, ResourceParser, SchemaLoader } from '@monokle/validation';

// Offline means offline: any download the scanner attempts fails the scan.
globalThis.fetch = async (url) => {
  throw new Error(`the scan must run offline, but it fetched ${url}`);
};

// The bundled plugins; kubernetes-schema, open-policy-agent and admission-policy download their
// schemas or policies at run time, and metadata's recommended-labels rule wants labels
// (app.kubernetes.io/managed) Kubernetes does not define. The strict schema check is ../shared/tools.
const PLUGINS = { 'pod-security-standards': true, practices: true, 'resource-links': true, 'yaml-syntax': true };

const folder = process.argv[2];
const resources = [];
for (const file of readdirSync(folder).filter((f) => f.endsWith('.yaml')).sort()) {
  const text = readFileSync(join(folder, file), 'utf8');
  parseAllDocuments(text).forEach((doc, i) => {
    const content = doc.toJS();
    if (content === null) {
      return;
    }
    resources.push({
      id: `${file}#${i}`, fileId: file, filePath: file, fileOffset: doc.range[0], text: String(doc), content,
      kind: content.kind, apiVersion: content.apiVersion, name: content.metadata?.name ?? '', namespace: content.metadata?.namespace,
    });
  });
}

const validator = new MonokleValidator({
  loader: new DefaultPluginLoader(), parser: new ResourceParser(), schemaLoader: new SchemaLoader(), suppressors: [], fixer: new DisabledFixer(),
});
await validator.preload({ plugins: PLUGINS });
// Every rule of every plugin, including those the plugins leave off by default, as an error.
const rules = Object.fromEntries(Object.entries(validator.rules).flatMap(([plugin, pluginRules]) => pluginRules.map((r) => [`${plugin}/${r.name}`, 'err'])));
await validator.preload({ plugins: PLUGINS, rules });
const response = await validator.validate({ resources });
const findings = response.runs.flatMap((run) => run.results.map((r) => ({
  rule: r.ruleId,
  message: r.message.text,
  object: r.locations?.[1]?.logicalLocations?.[0]?.fullyQualifiedName,
})));
console.log(JSON.stringify({ resources: resources.length, rules: Object.keys(rules).length, findings }));
