import { Duration } from 'cdk8s';
import { Image, ProductionApp, SecretMount, SecretSource, SecretStore, SecretStoreProvider, SecretStoreRef, SecretsBinding } from '../../lib';
import { testChart } from '../util';

const STORE = SecretStoreRef.cluster('aws-secrets-manager');
const SOURCE = SecretSource.externalSecret({ store: STORE, data: { API_KEY: { key: 'shop/api-key' }, TOKEN: { key: 'shop/token' }, SHOP_URL: { key: 'shop/url' } } });

function bound(mount: SecretMount, appProps: any = {}): void {
  const chart = testChart();
  const api = new ProductionApp(chart, 'Api', { image: Image.pinned('ghcr.io/acme/api', '1.0.0'), ...appProps });
  new SecretsBinding(chart, 'Secrets', { source: SOURCE }).bindTo(api, mount);
}

describe('SecretsBinding with bad input', () => {
  test.each([
    ['the source is options, not a SecretSource', { source: { store: STORE } }, /\[test\/Secrets\] 'source' \(.*\) must be a SecretSource/],
    ['the part-of is no label value', { source: SOURCE, partOf: 'the shop' }, /'partOf.app.kubernetes.io\/part-of' \('the shop'\) is not a valid label value/],
    ['the store is a name', { source: SecretSource.externalSecret({ store: 'aws' as any, data: { A: { key: 'a' } } }) }, /'source.store' \('aws'\) must be a SecretStoreRef/],
    ['a remote key is a number', { source: SecretSource.externalSecret({ store: STORE, data: { A: { key: 5 as any } } }) }, /'source.data.A.key' \(5\) must be a string/],
    ['a remote reference is a string', { source: SecretSource.externalSecret({ store: STORE, data: { A: 'shop/a' as any } }) }, /'source.data.A' \('shop\/a'\) must be a RemoteSecretRef/],
    ['a key is __proto__', { source: SecretSource.externalSecret({ store: STORE, data: JSON.parse('{"__proto__":{"key":"a"}}') }) },
      /'source.data.__proto__' \('__proto__'\) must not be __proto__ or constructor/],
    ['the refresh interval is a fraction of a second', { source: SecretSource.externalSecret({ store: STORE, data: { A: { key: 'a' } }, refreshInterval: Duration.millis(90500) }) },
      /'source.refreshInterval' \('90.5s'\) must be a whole number of seconds, at least one minute/],
    ['the creation policy is no policy', { source: SecretSource.externalSecret({ store: STORE, data: { A: { key: 'a' } }, creationPolicy: 'Adopt' as any }) },
      /'source.creationPolicy' \('Adopt'\) must be a CreationPolicy/],
    ['a template value is a number (never printed)', { source: SecretSource.externalSecret({ store: STORE, data: { A: { key: 'a' } }, template: { data: { url: 5 as any } } }) },
      /'source.template.data.url' \('<redacted>'\) must be a string/],
    ['the template type is empty', { source: SecretSource.externalSecret({ store: STORE, data: { A: { key: 'a' } }, template: { type: ' ' } }) },
      /'source.template.type' \(' '\) must not be empty/],
    ['a sealed value is a number (never printed)', { source: SecretSource.sealed({ encryptedData: { A: 12345 as any } }) }, /'source.encryptedData.A' \('<redacted>'\) must be a string/],
    ['the sealing scope is no scope', { source: SecretSource.sealed({ encryptedData: { A: 'x'.repeat(368) }, scope: 'global' as any }) }, /'source.scope' \('global'\) must be a SealingScope/],
    ['the sealed Secret type is empty', { source: SecretSource.sealed({ encryptedData: { A: 'x'.repeat(368) }, type: '' }) }, /'source.type' \(''\) must not be empty/],
    ['the placeholders are an array', { source: SecretSource.devPlaceholders(['a'] as any) }, /'source.values' \('<redacted>'\) must be an object \(each value a string\)/],
  ])('fails when %s', (_, props, message) => {
    expect(() => new SecretsBinding(testChart(), 'Secrets', props as any)).toThrow(message);
  });

  test.each([
    ['the Secret is mounted at /', SecretMount.files('/'), /\[test\/Secrets\] 'bindTo.mount.mountPath' \('\/'\) must be an absolute path without '\.\.', other than '\/'/],
    ['a key is mounted twice', SecretMount.files('/var/run/secrets/shop', { keys: ['API_KEY', 'API_KEY'] }),
      /'bindTo.mount.keys' \('API_KEY'\) is listed twice: each key is one file, and the API server refuses two items with one path/],
    ['a mount lists no keys', SecretMount.files('/var/run/secrets/shop', { keys: [] }), /'bindTo.mount.keys' \(\[\]\) must list at least one key/],
    ['an env mount lists no keys', SecretMount.env([]), /'bindTo.mount' \(\[\]\) must mount the Secret as files .* or set at least one variable/],
    ['an env mount is given no keys', SecretMount.env(undefined as any), /'bindTo.mount' \(unset\) must mount the Secret as files .* or set at least one variable/],
    ['a key is a number', SecretMount.files('/var/run/secrets/shop', { keys: [5 as any] }), /'bindTo.mount.keys\[0\]' \(5\) must be a string/],
    ['the mount is a path', '/var/run/secrets/shop' as any, /'bindTo.mount' \('\/var\/run\/secrets\/shop'\) must be a SecretMount/],
  ])('fails when %s', (_, mount, message) => {
    expect(() => bound(mount)).toThrow(message);
  });

  test('fails when a variable is set by the config and by the binding, naming both', () => {
    expect(() => bound(SecretMount.env(['SHOP_URL']), { config: { SHOP_URL: 'https://shop.example.com' } }))
      .toThrow(/'env.SHOP_URL' \('SHOP_URL'\) is already set on this app, by its config \(and now by key 'SHOP_URL' of Secret 'secrets'\)/);
  });

  test('fails when a variable is set by env and by the binding, naming both', () => {
    expect(() => bound(SecretMount.envAs({ LOG_LEVEL: 'TOKEN' }), { env: { LOG_LEVEL: 'info' } }))
      .toThrow(/'env.LOG_LEVEL' \('LOG_LEVEL'\) is already set on this app, by a literal value \(and now by key 'TOKEN' of Secret 'secrets'\)/);
  });

  test('fails when it is bound to something that is no workload', () => {
    const chart = testChart();
    expect(() => new SecretsBinding(chart, 'Secrets', { source: SOURCE }).bindTo('api' as any, SecretMount.env(['TOKEN'])))
      .toThrow(/'bindTo.app' \('api'\) must be a workload/);
  });
});

describe('SecretStore with bad input', () => {
  test.each([
    ['the provider is options', { provider: { region: 'eu-west-1' } }, /\[test\/Store\] 'provider' \(.*\) must be a SecretStoreProvider/],
    ['the AWS region is a number', { provider: SecretStoreProvider.awsSecretsManager({ region: 1 as any }) }, /'provider.region' \(1\) must be a string/],
    ['the AWS options are missing', { provider: SecretStoreProvider.awsSecretsManager(undefined as any) }, /'provider' \(unset\) must be an AwsSecretsManagerOptions object/],
    ['the Vault path is missing', { provider: SecretStoreProvider.vault({ server: 'https://vault:8200', role: 'shop' } as any) }, /'provider.path' \(unset\) must be a string/],
    ['the Vault auth mount path starts with /', { provider: SecretStoreProvider.vault({ server: 'https://vault:8200', path: 'secret', role: 'shop', authMountPath: '/kubernetes' }) },
      /'provider.authMountPath' \('\/kubernetes'\) must be the mount path of the Kubernetes auth method, without a leading '\/'/],
    ['the Google project is a number', { provider: SecretStoreProvider.gcpSecretManager({ projectId: 123456 as any }) }, /'provider.projectId' \(123456\) must be a string/],
  ])('fails when %s', (_, props, message) => {
    expect(() => new SecretStore(testChart(), 'Store', props as any)).toThrow(message);
  });
});
