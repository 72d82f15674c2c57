import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { DEV, PROD, StageConfig } from '../../apps/stages';
import { buildStage } from '../../apps/synth';
import { Manifest } from '../util';

// The rules of an API server that can be checked without its schemas: legal names and labels,
// unique keys in the lists Kubernetes merges by key, and a namespace on every namespaced object.
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'ClusterIssuer', 'ClusterSecretStore', 'PriorityClass', 'StorageClass']);

/** Lists merged by key, by the name of the field that holds them, and their key fields. */
const LIST_MAP_KEYS: Record<string, string[]> = {
  containers: ['name'],
  initContainers: ['name'],
  volumes: ['name'],
  volumeMounts: ['mountPath'],
  env: ['name'],
  imagePullSecrets: ['name'],
};

function synthesizedFiles(stage: StageConfig): string[] {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `stage-${stage.name}-`));
  try {
    buildStage(stage, outdir).synth();
    return fs.readdirSync(outdir).filter((f) => f.endsWith('.yaml')).map((f) => fs.readFileSync(path.join(outdir, f), 'utf8'));
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

function problemsOf(m: Manifest): string[] {
  const problems: string[] = [];
  const where = `${m.kind}/${m.metadata?.name}`;
  const name: string = m.metadata?.name ?? '';
  const nameRule = m.kind === 'Service' ? DNS1035_LABEL : m.kind === 'Namespace' ? DNS1123_LABEL : DNS1123_SUBDOMAIN;
  if (!nameRule.test(name) || name.length > (m.kind === 'Service' || m.kind === 'Namespace' ? 63 : 253)) {
    problems.push(`${where}: illegal name`);
  }
  if (CLUSTER_SCOPED.has(m.kind) !== (m.metadata.namespace === undefined)) {
    problems.push(`${where}: namespace ${m.metadata.namespace} on a ${CLUSTER_SCOPED.has(m.kind) ? 'cluster-scoped' : 'namespaced'} kind`);
  }
  const walk = (value: any, at: string): void => {
    if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, `${at}[${i}]`));
      return;
    }
    if (value === null || typeof value !== 'object') {
      return;
    }
    for (const [key, child] of Object.entries(value)) {
      if ((key === 'labels' || key === 'matchLabels') && child && typeof child === 'object') {
        for (const [k, v] of Object.entries(child as Record<string, unknown>)) {
          // Cilium selectors may name a label's source before the key (`k8s:k8s-app`); the key after it is a Kubernetes
          // label key (Cilium docs, security/policy/kubernetes.rst "Namespaces"; examples/policies/l3/fqdn/fqdn.yaml).
          const labelKey = m.kind === 'CiliumNetworkPolicy' && key === 'matchLabels' ? k.replace(/^(k8s|any):/, '') : k;
          const [prefix, label] = labelKey.includes('/') ? labelKey.split('/', 2) : [undefined, labelKey];
          if ((prefix !== undefined && !DNS1123_SUBDOMAIN.test(prefix)) || !LABEL_NAME.test(label) || label.length > 63) {
            problems.push(`${where}: ${at}.${key} key '${k}'`);
          }
          if (typeof v !== 'string' || !LABEL_VALUE.test(v) || v.length > 63) {
            problems.push(`${where}: ${at}.${key}['${k}'] value '${v}'`);
          }
        }
      }
      const keys = LIST_MAP_KEYS[key];
      if (keys && Array.isArray(child)) {
        const seen = new Set<string>();
        for (const item of child) {
          const id = keys.map((k) => JSON.stringify(item?.[k])).join('|');
          if (seen.has(id)) {
            problems.push(`${where}: duplicate ${at}.${key} entry ${id}`);
          }
          seen.add(id);
        }
      }
      if (key === 'ports' && Array.isArray(child)) {
        const seen = new Set<string>();
        for (const port of child) {
          const id = `${port.containerPort ?? port.port}/${port.protocol ?? 'TCP'}`;
          if (seen.has(id)) {
            problems.push(`${where}: duplicate ${at}.ports entry ${id}`);
          }
          seen.add(id);
        }
      }
      walk(child, `${at}.${key}`);
    }
  };
  walk(m.spec ?? {}, 'spec');
  return problems;
}

describe.each([DEV, PROD])('synthesized $name manifests', (stage) => {
  const documents = synthesizedFiles(stage).flatMap((text) => parseAllDocuments(text));

  test('parse as YAML without errors', () => {
    expect(documents.length).toBeGreaterThan(0);
    expect(documents.flatMap((d) => d.errors.map((e) => e.message))).toEqual([]);
  });

  test('have legal names and labels, unique list keys and a namespace on every namespaced object', () => {
    const manifests = documents.map((d) => d.toJS() as Manifest);
    expect(manifests.flatMap(problemsOf)).toEqual([]);
  });

  test('hold each object once', () => {
    const ids = documents.map((d) => {
      const m = d.toJS() as Manifest;
      return `${m.apiVersion}/${m.kind}/${m.metadata.namespace ?? ''}/${m.metadata.name}`;
    });
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });
});

describe('the rules themselves', () => {
  test('catch a duplicate env var, a bad label and a missing namespace', () => {
    const bad: Manifest = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'x' },
      spec: { template: { metadata: { labels: { app: 'bad value' } }, spec: { containers: [{ name: 'a', env: [{ name: 'A' }, { name: 'A' }] }] } } },
    };
    expect(problemsOf(bad)).toEqual([
      'Deployment/x: namespace undefined on a namespaced kind',
      'Deployment/x: spec.template.metadata.labels[\'app\'] value \'bad value\'',
      'Deployment/x: duplicate spec.template.spec.containers[0].env entry "A"',
    ]);
  });
});
