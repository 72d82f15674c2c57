import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { Operator, Prerequisite, PrerequisiteKind } from '../../lib/core/prerequisites';
import { PREREQUISITES_JSON, PREREQUISITES_MARKDOWN, prerequisitesJson, prerequisitesMarkdown } from '../../lib/core/prerequisites-file';
import { synthWithGuardrails } from '../../lib/guardrails/synth';

describe('Prerequisite', () => {
  test('declarations are collected once per key, with every construct path that declared them, in tree order', () => {
    // GIVEN
    const app = new App();
    const chart = new Chart(app, 'stage');
    const db = new Construct(chart, 'Db');
    const other = new Construct(chart, 'OtherDb');
    // WHEN
    Prerequisite.declare(db, Prerequisite.operator(Operator.CLOUDNATIVE_PG, 'runs the database'), Prerequisite.clusterObject('StorageClass', 'gp3', 'volumes'));
    Prerequisite.declare(other, Prerequisite.operator(Operator.CLOUDNATIVE_PG, 'runs the other database'));
    Prerequisite.declare(other, Prerequisite.operator(Operator.CLOUDNATIVE_PG, 'declared twice by one construct'));
    // THEN
    const declared = Prerequisite.declaredIn(app);
    expect(declared.map((d) => [d.prerequisite.key, d.requiredBy])).toEqual([
      ['operator:CloudNativePG', ['stage/Db', 'stage/OtherDb']],
      ['StorageClass/gp3', ['stage/Db']],
    ]);
    expect(declared[0].prerequisite.reason).toBe('runs the database');
  });

  test('each factory names its kind and identifies what it asks for', () => {
    expect([
      Prerequisite.kubernetesVersions('1.34', '1.36', 'r'),
      Prerequisite.operator(Operator.CERT_MANAGER, 'r'),
      Prerequisite.clusterObject('ClusterIssuer', 'letsencrypt', 'r'),
      Prerequisite.object('Gateway', 'infra', 'public', 'r'),
      Prerequisite.controllerSetting('Prometheus', 'selects release=kps', 'r'),
      Prerequisite.secretStoreKey('ClusterSecretStore', 'aws', 'app/jwt', 'r', 'value'),
      Prerequisite.dnsRecord('api.example.com', 'the ingress controller\'s load balancer', 'r'),
      Prerequisite.network('the API server answers in 10.0.0.0/20 on 443', 'r'),
      Prerequisite.cloudIdentity('AWS IAM role', 'arn:aws:iam::123456789012:role/backup', 'prod', 'db', 'r'),
      Prerequisite.identityProvider('https://sso.example.com/realms/a', 'client ide: redirect URI https://ide.example.com/oauth2/callback', 'r'),
    ].map((p) => [p.kind, p.title])).toEqual([
      [PrerequisiteKind.KUBERNETES, 'Kubernetes 1.34 to 1.36'],
      [PrerequisiteKind.OPERATOR, 'cert-manager 1.21'],
      [PrerequisiteKind.CLUSTER_OBJECT, 'ClusterIssuer letsencrypt'],
      [PrerequisiteKind.OBJECT, 'Gateway infra/public'],
      [PrerequisiteKind.CONTROLLER_SETTING, 'Prometheus: selects release=kps'],
      [PrerequisiteKind.SECRET_STORE_KEY, 'ClusterSecretStore aws: app/jwt (property value)'],
      [PrerequisiteKind.DNS_RECORD, 'api.example.com -> the ingress controller\'s load balancer'],
      [PrerequisiteKind.NETWORK, 'the API server answers in 10.0.0.0/20 on 443'],
      [PrerequisiteKind.CLOUD_IDENTITY, 'AWS IAM role arn:aws:iam::123456789012:role/backup trusts ServiceAccount prod/db'],
      [PrerequisiteKind.IDENTITY_PROVIDER, 'https://sso.example.com/realms/a: client ide: redirect URI https://ide.example.com/oauth2/callback'],
    ]);
    // Two constructs that need different Kubernetes ranges both appear: the cluster must satisfy each.
    expect(Prerequisite.kubernetesVersions('1.34', '1.36', 'r').key).not.toBe(Prerequisite.kubernetesVersions('1.33', '1.36', 'r').key);
    expect(Prerequisite.secretStoreKey('SecretStore', 's', 'k', 'r').key).not.toBe(Prerequisite.secretStoreKey('SecretStore', 's', 'k', 'r', 'p').key);
  });

  test('a DNS record made by a controller says so, in its title and fields, under the same key as one made by hand', () => {
    const byHand = Prerequisite.dnsRecord('api.example.com', 'the load balancer', 'clients reach it');
    const byExternalDns = Prerequisite.dnsRecord('api.example.com', 'the load balancer', 'clients reach it', 'ExternalDNS');
    expect(byExternalDns.title).toBe('api.example.com -> the load balancer (ExternalDNS creates it)');
    expect(byExternalDns.details).toEqual({ host: 'api.example.com', target: 'the load balancer', createdBy: 'ExternalDNS' });
    expect(byHand.details).toEqual({ host: 'api.example.com', target: 'the load balancer' });
    expect(byExternalDns.key).toBe(byHand.key);
    expect(Operator.EXTERNAL_DNS.version).toBe('0.22');
  });

  test('the Markdown file has a section per kind, in a fixed order, with the reason and who needs it', () => {
    // GIVEN
    const app = new App();
    const chart = new Chart(app, 'stage');
    Prerequisite.declare(chart, Prerequisite.clusterObject('ClusterIssuer', 'letsencrypt', 'signs the *certificates*'));
    Prerequisite.declare(chart, Prerequisite.operator(Operator.CERT_MANAGER, 'issues the certificates'));
    Prerequisite.declare(chart, Prerequisite.identityProvider('https://sso.example.com', 'client ide', 'signs people in'));
    // WHEN
    const markdown = prerequisitesMarkdown('prod', Prerequisite.declaredIn(app));
    // THEN
    expect(markdown).toMatch(/^# Prerequisites: prod\n/);
    expect(markdown.indexOf('## Operators and CRDs')).toBeLessThan(markdown.indexOf('## Cluster-scoped objects'));
    expect(markdown).not.toContain('## DNS records');
    expect(markdown.indexOf('## Cluster-scoped objects')).toBeLessThan(markdown.indexOf('## Identity providers'));
    expect(markdown).toContain('- **https://sso.example.com: client ide**: signs people in');
    expect(markdown).toContain('- **ClusterIssuer letsencrypt**: signs the \\*certificates\\*\n  - required by: `stage`');
    expect(markdown).toContain('  - crds: `certificates.cert-manager.io`, `issuers.cert-manager.io`, `clusterissuers.cert-manager.io`');
  });

  test('the JSON file lists every prerequisite with its fields, sorted by kind', () => {
    // GIVEN
    const app = new App();
    const chart = new Chart(app, 'stage');
    Prerequisite.declare(chart, Prerequisite.dnsRecord('a.example.com', 'the entry', 'TLS'), Prerequisite.kubernetesVersions('1.34', '1.36', 'CNPG'));
    // WHEN
    const json = JSON.parse(prerequisitesJson('dev', Prerequisite.declaredIn(app)));
    // THEN
    expect(json.title).toBe('dev');
    expect(json.prerequisites.map((p: any) => p.kind)).toEqual(['kubernetes', 'dns-record']);
    expect(json.prerequisites[0]).toEqual({
      kind: 'kubernetes', key: 'kubernetes:1.34-1.36', title: 'Kubernetes 1.34 to 1.36', reason: 'CNPG', details: { min: '1.34', max: '1.36' }, requiredBy: ['stage'],
    });
  });

  test('synthWithGuardrails writes both files beside the manifests and says where they are', () => {
    // GIVEN
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'prerequisites-'));
    try {
      const app = new App({ outdir });
      const chart = new Chart(app, 'stage');
      Prerequisite.declare(chart, Prerequisite.clusterObject('StorageClass', 'gp3', 'volumes'));
      const logged: string[] = [];
      // WHEN
      synthWithGuardrails(app, { title: 'prod', manifestRoot: 'dist/prod', log: (line) => logged.push(line) });
      // THEN
      expect(fs.readFileSync(path.join(outdir, PREREQUISITES_MARKDOWN), 'utf8')).toContain('**StorageClass gp3**');
      expect(JSON.parse(fs.readFileSync(path.join(outdir, PREREQUISITES_JSON), 'utf8')).prerequisites).toHaveLength(1);
      expect(logged).toEqual([expect.stringMatching(/; prerequisites: dist\/prod\/PREREQUISITES\.md \(1\)$/)]);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('the machine-readable file is not named *.json, *.yaml or *.yml, which GitOps tools read as manifests', () => {
    expect(PREREQUISITES_JSON).not.toMatch(/\.(json|ya?ml|jsonnet)$/);
  });
});
