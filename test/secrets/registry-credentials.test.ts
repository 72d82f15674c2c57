import { Chart, Duration, Testing } from 'cdk8s';
import { Prerequisite, RegistryCredentials, RegistryCredentialsProps, SecretStoreRef } from '../../lib';
import { one, registryIn, synth, testChart } from '../util';

// What the manifests are held to:
// - External Secrets v2.9.0, docs/guides/common-k8s-secret-types.md: a `kubernetes.io/dockerconfigjson` Secret from a
//   username and a password with `target.template.type` and the key `.dockerconfigjson` built as
//   `{"auths":{"<host>":{"username":..,"password":..,"auth":"{{ printf "%s:%s" .u .p | b64enc }}"}}}`.
// - External Secrets v2.9.0, runtime/template/v2/template.go: templates run with sprig's functions (toJson, b64enc,
//   runtime/template/v2/sprig/functions.go) over the fetched values as strings (`execute` converts them).
// - Kubernetes: a Secret of type kubernetes.io/dockerconfigjson must hold the key `.dockerconfigjson` (core/v1 SecretType).

/**
 * Renders the template the way the operator's engine does for these three actions, which are all the template uses:
 * `{{ .x | toJson }}` (a JSON string), and `{{ printf "%s:%s" .a .b | b64enc }}` (base64 of `a:b`).
 */
function renderTemplate(template: string, values: Record<string, string>): string {
  return template
    .replace(/\{\{ \.(\w+) \| toJson \}\}/g, (_, key: string) => JSON.stringify(values[key]))
    .replace(/\{\{ printf "%s:%s" \.(\w+) \.(\w+) \| b64enc \}\}/g, (_, a: string, b: string) => Buffer.from(`${values[a]}:${values[b]}`).toString('base64'));
}

describe('RegistryCredentials', () => {
  test('an ExternalSecret writes a kubernetes.io/dockerconfigjson Secret from the username and password in the store', () => {
    // GIVEN
    const chart = testChart();

    // WHEN
    const credentials = registryIn(chart);

    // THEN
    const es = one(synth(chart), 'ExternalSecret', 'registry');
    expect(credentials.name).toBe('registry');
    expect(credentials.namespace).toBe('test');
    expect(credentials.registry).toBe('registry.example.com');
    expect(es.spec.target).toMatchObject({ name: 'registry', creationPolicy: 'Owner', template: { type: 'kubernetes.io/dockerconfigjson', mergePolicy: 'Replace' } });
    expect(Object.keys(es.spec.target.template.data)).toEqual(['.dockerconfigjson']);
    expect(es.spec.data).toEqual([
      { secretKey: 'username', remoteRef: { key: 'registry/username' } },
      { secretKey: 'password', remoteRef: { key: 'registry/password' } },
    ]);
  });

  test('the Docker config it renders is valid JSON with the credentials of the registry, whatever the password holds', () => {
    // GIVEN
    const chart = testChart();
    registryIn(chart, 'Registry', { registry: 'registry.example.com:5000' });
    const template = one(synth(chart), 'ExternalSecret').spec.target.template.data['.dockerconfigjson'];

    // WHEN
    const config = JSON.parse(renderTemplate(template, { username: 'robot$ci', password: 'p"a\\ss:word' }));

    // THEN
    expect(config).toEqual({
      auths: {
        'registry.example.com:5000': { username: 'robot$ci', password: 'p"a\\ss:word', auth: Buffer.from('robot$ci:p"a\\ss:word').toString('base64') },
      },
    });
  });

  test('declares the operator, the store and both keys of its backend', () => {
    // GIVEN
    const chart = testChart();

    // WHEN
    registryIn(chart);

    // THEN
    expect(Prerequisite.declaredIn(chart).map((d) => d.prerequisite.title)).toEqual([
      'External Secrets Operator 2.9',
      'ClusterSecretStore vault',
      'ClusterSecretStore vault: registry/username',
      'ClusterSecretStore vault: registry/password',
    ]);
  });

  test('is kept on prune when something kept pulls with it', () => {
    // GIVEN
    const chart = testChart();
    const credentials = registryIn(chart);

    // WHEN
    credentials.keepOnPrune();

    // THEN
    expect(one(synth(chart), 'ExternalSecret').metadata.annotations).toEqual({
      'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false',
      'kustomize.toolkit.fluxcd.io/prune': 'disabled',
    });
  });

  test('minimal props match the snapshot', () => {
    const chart = testChart();
    registryIn(chart);
    expect(synth(chart)).toMatchSnapshot();
  });

  test('all props match the snapshot', () => {
    const chart = testChart();
    const props: Required<RegistryCredentialsProps> = {
      registry: 'registry.example.com',
      store: SecretStoreRef.namespaced('registry-store'),
      username: { key: 'ci/registry', property: 'username' },
      password: { key: 'ci/registry', property: 'token', version: '3' },
      refreshInterval: Duration.minutes(10),
      name: 'pull-credentials',
      namespace: 'test',
      partOf: 'shop',
    };
    new RegistryCredentials(chart, 'Registry', props);
    expect(synth(chart)).toMatchSnapshot();
  });

  describe('bad input', () => {
    const cases: Array<[string, (chart: Chart) => void, RegExp]> = [
      ['the registry has a scheme', (c) => registryIn(c, 'R', { registry: 'https://registry.example.com' }),
        /'registry' \('https:\/\/registry.example.com'\) must be a registry host as image references name it/],
      ['the registry has a path', (c) => registryIn(c, 'R', { registry: 'registry.example.com/aishell' }), /'registry' \('registry.example.com\/aishell'\) must be a registry host/],
      ['the registry has capitals', (c) => registryIn(c, 'R', { registry: 'Registry.example.com' }), /'registry' \('Registry.example.com'\) must be a registry host/],
      ['the registry is not a qualified host', (c) => registryIn(c, 'R', { registry: 'registry' }), /'registry' \('registry'\) must be a registry host/],
      ['the name is not a DNS label', (c) => registryIn(c, 'R', { name: 'Registry' }), /'name' \('Registry'\) must be a DNS label/],
      ['no namespace is set', () => registryIn(new Chart(Testing.app(), 'nons'), 'R'), /'namespace' \(unset\) must be set on the RegistryCredentials or its Chart/],
      ['the store name is invalid', (c) => registryIn(c, 'R', { store: SecretStoreRef.cluster('Vault') }), /\[test\/R\] 'store.name' \('Vault'\) must be a DNS-1123 subdomain/],
      ['a remote key is empty', (c) => registryIn(c, 'R', { password: { key: ' ' } }), /\[test\/R\] 'password.key' \(' '\) must name a secret of the store's backend/],
      ['the refresh interval is under a minute', (c) => registryIn(c, 'R', { refreshInterval: Duration.seconds(30) }),
        /\[test\/R\] 'refreshInterval' \('30s'\) must be a whole number of seconds, at least one minute/],
      ['the registry port is out of range', (c) => registryIn(c, 'R', { registry: 'registry.example.com:70000' }),
        /^\[test\/R\] 'registry' \(70000\) must be an integer port between 1 and 65535$/],
      ['the registry port is zero', (c) => registryIn(c, 'R', { registry: 'registry.example.com:0' }), /^\[test\/R\] 'registry' \(0\) must be an integer port/],
      ['the part-of is no label value', (c) => registryIn(c, 'R', { partOf: 'the shop' }),
        /^\[test\/R\] 'partOf.app.kubernetes.io\/part-of' \('the shop'\) is not a valid label value/],
      ['the username key is empty', (c) => registryIn(c, 'R', { username: { key: '' } }), /^\[test\/R\] 'username.key' \(''\) must name a secret of the store's backend$/],
      // A caller without a type checker:
      ['the props are null', (c) => new RegistryCredentials(c, 'R', null as any), /^\[test\/R\] 'props' \(null\) must be an object of RegistryCredentialsProps$/],
      ['the registry is missing', (c) => registryIn(c, 'R', { registry: undefined }), /^\[test\/R\] 'registry' \(unset\) must be a string$/],
      ['the store is its name', (c) => registryIn(c, 'R', { store: 'vault' as any }), /^\[test\/R\] 'store' \('vault'\) must be a SecretStoreRef/],
      ['the username is its key', (c) => registryIn(c, 'R', { username: 'registry/username' as any }),
        /^\[test\/R\] 'username' \('registry\/username'\) must be a RemoteSecretRef \(key, and optionally property and version\)$/],
      ['the password key is a number', (c) => registryIn(c, 'R', { password: { key: 5 as any } }), /^\[test\/R\] 'password.key' \(5\) must be a string$/],
      ['the refresh interval is a number of seconds', (c) => registryIn(c, 'R', { refreshInterval: 3600 as any }),
        /^\[test\/R\] 'refreshInterval' \(3600\) must be a Duration/],
    ];

    test.each(cases)('fails when %s', (_, build, message) => {
      expect(() => build(testChart())).toThrow(message);
    });
  });
});
