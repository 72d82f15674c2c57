import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Size, Testing } from 'cdk8s';
import { Platform } from '../../apps/platform';
import { DEV, PROD } from '../../apps/stages';
import * as lib from '../../lib';
import * as kinds from '../../lib/core/kinds';

const DOC = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'validation.md'), 'utf8');

/** The text of the section `## <name>` (or `### <name>`), up to the next section of the same level or above. */
function section(name: string): string | undefined {
  const heading = new RegExp(`^(#{2,3}) ${name}\\n`, 'm').exec(DOC);
  if (heading === null) {
    return undefined;
  }
  const rest = DOC.slice(heading.index + heading[0].length);
  const next = new RegExp(`^#{2,${heading[1].length}} `, 'm').exec(rest);
  return next === null ? rest : rest.slice(0, next.index);
}

/** Exports that take no input of their own to check: the error itself, and what reads rendered manifests. */
const NOT_CHECKED = new Set(['ValidationError', 'GuardrailObject', 'ObjectIndex', 'GuardrailReport', 'RuleSource']);

/** The sections that list the props of each props interface, its own first. */
const SECTIONS_OF: Record<string, string[]> = {
  ProductionAppProps: ['ProductionApp', 'ServingProps', 'WorkloadProps'],
  StatefulAppProps: ['StatefulApp', 'ServingProps', 'WorkloadProps'],
  OneOffJobProps: ['OneOffJob', 'JobRunProps', 'WorkloadProps'],
  ScheduledJobProps: ['ScheduledJob', 'JobRunProps', 'WorkloadProps'],
  HardenedIngressProps: ['HardenedIngress', 'TrafficOptions'],
  RouteOptions: ['HardenedIngress'],
  GuardrailSynthOptions: ['synthWithGuardrails'],
  GuardrailsProps: ['Guardrails'],
};

describe('docs/validation.md', () => {
  test('has a section for every public construct and value class, and names every public function', () => {
    const missing = Object.entries(lib).flatMap(([name, value]) => {
      if (typeof value !== 'function' || NOT_CHECKED.has(name)) {
        return [];
      }
      const isClass = /^class\b/.test(Function.prototype.toString.call(value));
      return (isClass ? section(name) !== undefined : DOC.includes(`\`${name}(`) || section(name) !== undefined) ? [] : [name];
    });
    expect(missing).toEqual([]);
  });

  test('names, in the section of each construct, every prop whose kind it checks', () => {
    // GIVEN every construct built once, each kind check recorded with the props interface it checks
    const checked = new Map<string, Set<string>>();
    const checkProps = kinds.checkProps;
    const spy = jest.spyOn(kinds, 'checkProps').mockImplementation((scope, props, propKinds, description) => {
      checked.set(description, new Set([...checked.get(description) ?? [], ...Object.keys(propKinds)]));
      checkProps(scope, props, propKinds, description);
    });
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'validation-doc-'));
    try {
      for (const stage of [DEV, PROD]) {
        const app = Testing.app();
        new Platform(app, 'platform', stage);
        lib.Guardrails.apply(app);
      }
      const chart = Testing.chart();
      const search = new lib.StatefulApp(chart, 'Search', {
        image: lib.Image.pinned('ghcr.io/acme/search', '1.0.0'),
        namespace: 'shop',
        volumeClaims: [{ name: 'index', mountPath: '/index', size: Size.gibibytes(1), storageClassName: 'gp3' }],
      });
      const secret = new lib.SecretsBinding(chart, 'Credentials', {
        namespace: 'shop',
        source: lib.SecretSource.externalSecret({ store: lib.SecretStoreRef.cluster('aws'), data: { username: { key: 'u' }, password: { key: 'p' } } }),
      });
      new lib.ExternalPostgres(chart, 'Orders', {
        host: 'orders.example.com', databaseName: 'orders', credentials: { secret }, endpoint: lib.NetworkPeer.ipBlock('10.0.32.0/20'),
        sslMode: lib.PostgresSslMode.REQUIRE,
      });
      new lib.ExternalRedis(chart, 'Queue', {
        host: 'queue.example.com', authToken: { secret, key: 'password' }, endpoint: lib.NetworkPeer.ipBlock('10.0.48.0/20'),
      });
      new lib.VolumeBackupSchedule(chart, 'SearchBackups', { workload: search, velero: lib.Velero.installed() });
      new lib.SecretStore(chart, 'Store', { namespace: 'shop', provider: lib.SecretStoreProvider.gcpSecretManager({ projectId: 'acme-shop' }) });
      lib.synthWithGuardrails(new App({ outdir }), { log: () => undefined });
    } finally {
      spy.mockRestore();
      fs.rmSync(outdir, { recursive: true, force: true });
    }

    // THEN
    // every construct of the package, each checking the kinds of its props (GuardrailsProps and GuardrailSynthOptions: the guardrails')
    expect([...checked.keys()].sort()).toEqual([
      'AppMonitoringProps', 'ApplyOrderProps', 'ExternalPostgresProps', 'ExternalRedisProps', 'ExternalServiceProps', 'GrafanaDashboardProps',
      'GuardrailSynthOptions', 'GuardrailsProps', 'HaPostgresProps', 'HaRedisProps', 'HardenedIngressProps', 'NamespaceBaselineProps',
      'NetworkPolicyRulesProps', 'OneOffJobProps', 'PlatformAlertsProps', 'ProductionAppProps', 'RegistryCredentialsProps', 'RouteOptions',
      'ScheduledJobProps', 'SecretStoreProps', 'SecretsBindingProps', 'StatefulAppProps', 'TeamAccessProps', 'VolumeBackupScheduleProps',
    ]);
    const unlisted: string[] = [];
    for (const [description, props] of checked) {
      const names = SECTIONS_OF[description] ?? [description.replace(/Props$/, '')];
      const text = names.map((name) => section(name) ?? '').join('\n');
      expect({ description, found: text !== '' }).toEqual({ description, found: true });
      for (const prop of props) {
        if (!new RegExp(`\`${prop}[\`.( ]`).test(text)) {
          unlisted.push(`${description}.${prop}`);
        }
      }
    }
    expect(unlisted).toEqual([]);
  });
});
