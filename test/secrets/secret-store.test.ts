import { Chart, Testing } from 'cdk8s';
import { Prerequisite, SecretSource, SecretStore, SecretStoreKind, SecretStoreProps, SecretStoreProvider, SecretStoreRef, SecretsBinding } from '../../lib';
import { one, synth, testChart } from '../util';

function external(store: SecretStoreRef): SecretSource {
  return SecretSource.externalSecret({ store, data: { JWT_SECRET: { key: 'acme/prod/jwt-secret' } } });
}

describe('SecretStore', () => {
  test('defines an AWS Secrets Manager store read with a ServiceAccount identity', () => {
    // GIVEN
    const chart = testChart();
    // WHEN
    const store = new SecretStore(chart, 'Aws', {
      provider: SecretStoreProvider.awsSecretsManager({ region: 'eu-west-1', serviceAccountName: 'external-secrets-reader' }),
    });
    // THEN
    expect([store.ref.kind, store.ref.name]).toEqual([SecretStoreKind.SECRET_STORE, 'aws']);
    expect(one(synth(chart), 'SecretStore', 'aws').spec.provider).toEqual({
      aws: { service: 'SecretsManager', region: 'eu-west-1', auth: { jwt: { serviceAccountRef: { name: 'external-secrets-reader' } } } },
    });
  });

  test('defines a Vault KV v2 store with Kubernetes authentication', () => {
    const chart = testChart();
    new SecretStore(chart, 'Vault', { provider: SecretStoreProvider.vault({ server: 'https://vault.example.com', path: 'secret', role: 'api' }) });
    expect(one(synth(chart), 'SecretStore', 'vault').spec.provider).toEqual({
      vault: { server: 'https://vault.example.com', path: 'secret', version: 'v2', auth: { kubernetes: { mountPath: 'kubernetes', role: 'api' } } },
    });
  });

  test('defines a Google Secret Manager store', () => {
    const chart = testChart();
    new SecretStore(chart, 'Gcp', { provider: SecretStoreProvider.gcpSecretManager({ projectId: 'acme-prod', serviceAccountName: 'reader' }) });
    expect(one(synth(chart), 'SecretStore', 'gcp').spec.provider).toEqual({
      gcpsm: { projectID: 'acme-prod', auth: { workloadIdentity: { serviceAccountRef: { name: 'reader' } } } },
    });
  });

  test('serves a binding through its ref', () => {
    const chart = testChart();
    const store = new SecretStore(chart, 'Vault', { provider: SecretStoreProvider.vault({ server: 'https://vault:8200', path: 'kv', role: 'api' }) });
    new SecretsBinding(chart, 'ApiSecrets', { source: external(store.ref) });
    expect(one(synth(chart), 'ExternalSecret').spec.secretStoreRef).toEqual({ kind: 'SecretStore', name: 'vault' });
  });

  test('a store of the manifests is no prerequisite; the keys in its backend and the ServiceAccount it logs in as are', () => {
    // GIVEN
    const chart = testChart();
    const store = new SecretStore(chart, 'Aws', { provider: SecretStoreProvider.awsSecretsManager({ region: 'eu-west-1', serviceAccountName: 'reader' }) });
    // WHEN
    new SecretsBinding(chart, 'ApiSecrets', { source: external(store.ref) });
    // THEN
    expect(Prerequisite.declaredIn(chart).map((d) => d.prerequisite.title)).toEqual([
      'ServiceAccount test/reader',
      'External Secrets Operator 2.9',
      'SecretStore test/aws: acme/prod/jwt-secret',
    ]);
  });

  test('a store referenced by name is a prerequisite: a ClusterSecretStore, or a SecretStore in the binding\'s namespace', () => {
    for (const [ref, title] of [[SecretStoreRef.cluster('vault'), 'ClusterSecretStore vault'], [SecretStoreRef.namespaced('vault'), 'SecretStore test/vault']] as const) {
      const chart = testChart();
      new SecretsBinding(chart, 'ApiSecrets', { source: external(ref) });
      expect(Prerequisite.declaredIn(chart).map((d) => d.prerequisite.title)).toContain(title);
    }
  });

  test('matches the snapshot with all props', () => {
    const chart = testChart();
    const props: Required<SecretStoreProps> = {
      provider: SecretStoreProvider.awsSecretsManager({ region: 'us-east-1', role: 'arn:aws:iam::123456789012:role/reader', serviceAccountName: 'reader' }),
      name: 'aws-secrets-manager',
      namespace: 'test',
    };
    new SecretStore(chart, 'Store', props);
    expect(synth(chart)).toMatchSnapshot();
  });

  test.each([
    ['an AWS region is invalid', SecretStoreProvider.awsSecretsManager({ region: 'Europe' }), /'provider.region' \('Europe'\) must be an AWS region/],
    ['an AWS role is not an ARN', SecretStoreProvider.awsSecretsManager({ region: 'eu-west-1', role: 'reader' }), /'provider.role' \('reader'\) must be the ARN of an IAM role/],
    ['a ServiceAccount name is invalid', SecretStoreProvider.awsSecretsManager({ region: 'eu-west-1', serviceAccountName: 'Reader' }),
      /'provider.serviceAccountName' \('Reader'\) must be a DNS-1123 subdomain/],
    ['Vault is reached without TLS', SecretStoreProvider.vault({ server: 'http://vault:8200', path: 'kv', role: 'api' }),
      /'provider.server' \('http:\/\/vault:8200'\) must be an https:\/\/ URL/],
    ['a Vault path starts with a slash', SecretStoreProvider.vault({ server: 'https://vault', path: '/kv', role: 'api' }),
      /'provider.path' \('\/kv'\) must be the mount path of a KV v2 engine/],
    ['a Vault role is empty', SecretStoreProvider.vault({ server: 'https://vault', path: 'kv', role: '' }), /'provider.role' \(''\) must name the Vault role/],
    ['a GCP project id is invalid', SecretStoreProvider.gcpSecretManager({ projectId: 'Acme' }), /'provider.projectId' \('Acme'\) must be a Google Cloud project id/],
  ])('fails when %s', (_, provider, message) => {
    expect(() => new SecretStore(testChart(), 'Store', { provider })).toThrow(message);
  });

  test('fails when the name is invalid', () => {
    expect(() => new SecretStore(testChart(), 'Store', { name: 'Store!', provider: SecretStoreProvider.gcpSecretManager({ projectId: 'acme-prod' }) }))
      .toThrow(/\[test\/Store\] 'name' \('Store!'\) must be a DNS-1123 subdomain/);
  });

  test('fails without a namespace', () => {
    const chart = new Chart(Testing.app(), 'bare');
    expect(() => new SecretStore(chart, 'Store', { provider: SecretStoreProvider.gcpSecretManager({ projectId: 'acme-prod' }) }))
      .toThrow(/'namespace' \(unset\) must be set on the SecretStore or its Chart/);
  });
});
