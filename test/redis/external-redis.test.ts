import { Chart } from 'cdk8s';
import {
  EgressEngine, ExternalRedis, ExternalRedisProps, Image, NetworkPeer, ProductionApp, SecretSource, SecretStoreRef, SecretsBinding,
} from '../../lib';
import { Manifest, ofKind, one, synth, testChart } from '../util';

// The Aileron guide's managed Redis: rediss://, CELERY_BROKER_URL and CELERY_RESULT_BACKEND (seeds/003). Celery refuses a
// rediss:// URL without ssl_cert_reqs (celery v5.6.2 docs/userguide/configuration.rst, broker_use_ssl and redis_backend_use_ssl;
// celery/backends/redis.py), and keeps broker_password and redis_password when the URL has no password
// (celery/app/base.py _connection; kombu v5.6.2 kombu/connection.py, dictfilter of the URL's parts).

const tcp = (...ports: number[]) => ports.map((port) => ({ port, protocol: 'TCP' }));

/** The auth token of the managed Redis, and a CA bundle, written by an ExternalSecret of the manifests. */
function secretIn(chart: Chart, id: string, keys: string[], namespace?: string): SecretsBinding {
  return new SecretsBinding(chart, id, {
    namespace,
    source: SecretSource.externalSecret({
      store: SecretStoreRef.cluster('aws-secrets-manager'),
      data: Object.fromEntries(keys.map((key) => [key, { key: `orders/redis/${key}` }])),
    }),
  });
}

function external(overrides: (chart: Chart) => Partial<ExternalRedisProps> = () => ({})): { chart: Chart; redis: ExternalRedis; api: ProductionApp } {
  const chart = testChart();
  const token = secretIn(chart, 'RedisToken', ['auth-token']);
  const redis = new ExternalRedis(chart, 'Queue', {
    host: 'master.orders.abc123.euw1.cache.amazonaws.com',
    authToken: { secret: token, key: 'auth-token' },
    endpoint: NetworkPeer.domain('master.orders.abc123.euw1.cache.amazonaws.com'),
    ...overrides(chart),
  });
  const api = new ProductionApp(chart, 'Api', { name: 'api', image: Image.pinned('acme/api', '1.0.0'), egressEngine: EgressEngine.cilium() });
  return { chart, redis, api };
}

function envOf(manifests: Manifest[]): Record<string, string> {
  return Object.fromEntries(one(manifests, 'Deployment', 'api').spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value]));
}

describe('ExternalRedis', () => {
  test('gives the app a rediss:// connection that checks the server certificate, and the auth token as a read-only file', () => {
    const { chart, redis, api } = external();
    api.connectTo(redis);
    const manifests = synth(chart);
    expect(envOf(manifests)).toEqual({
      REDIS_HOST: 'master.orders.abc123.euw1.cache.amazonaws.com',
      REDIS_PORT: '6379',
      REDIS_TLS: 'true',
      REDIS_URL: 'rediss://master.orders.abc123.euw1.cache.amazonaws.com:6379/0?ssl_cert_reqs=required',
      REDIS_PASSWORD_FILE: '/var/run/secrets/redis/queue/password',
    });
    const pod = one(manifests, 'Deployment', 'api').spec.template.spec;
    expect(pod.volumes).toContainEqual({ name: 'queue-password', secret: { secretName: 'redis-token', defaultMode: 0o400, items: [{ key: 'auth-token', path: 'password' }] } });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'queue-password', mountPath: '/var/run/secrets/redis/queue', readOnly: true });
  });

  test('gives a Celery app the guide\'s broker and result URLs, without the token', () => {
    const { chart, redis, api } = external();
    api.connectTo(redis.celery());
    const env = envOf(synth(chart));
    expect([env.CELERY_BROKER_URL, env.CELERY_RESULT_BACKEND]).toEqual([
      'rediss://master.orders.abc123.euw1.cache.amazonaws.com:6379/0?ssl_cert_reqs=required',
      'rediss://master.orders.abc123.euw1.cache.amazonaws.com:6379/1?ssl_cert_reqs=required',
    ]);
  });

  test('checks the certificate against a CA it mounts, when the provider\'s CA is not public (Memorystore)', () => {
    const { chart, redis, api } = external((c) => ({ port: 6378, caCertificate: { secret: secretIn(c, 'RedisCa', ['server-ca.pem']), key: 'server-ca.pem' } }));
    api.connectTo(redis.celery());
    const manifests = synth(chart);
    const env = envOf(manifests);
    expect(env.REDIS_TLS_CA_FILE).toBe('/etc/ssl/redis/queue/ca.crt');
    expect(env.CELERY_BROKER_URL).toBe('rediss://master.orders.abc123.euw1.cache.amazonaws.com:6378/0?ssl_cert_reqs=required&ssl_ca_certs=%2Fetc%2Fssl%2Fredis%2Fqueue%2Fca.crt');
    expect(one(manifests, 'Deployment', 'api').spec.template.spec.volumes)
      .toContainEqual({ name: 'queue-redis-ca', secret: { secretName: 'redis-ca', defaultMode: 0o444, items: [{ key: 'server-ca.pem', path: 'ca.crt' }] } });
  });

  test('opens the egress to the endpoint by name on its port, and nothing else', () => {
    const { chart, redis, api } = external();
    api.connectTo(redis);
    const manifests = synth(chart);
    const cilium = one(manifests, 'CiliumNetworkPolicy', 'api');
    expect(cilium.spec.egress).toContainEqual({
      toFQDNs: [{ matchName: 'master.orders.abc123.euw1.cache.amazonaws.com' }], toPorts: [{ ports: [{ port: '6379', protocol: 'TCP' }] }],
    });
    expect(one(manifests, 'NetworkPolicy', 'api').spec.egress.filter((rule: any) => rule.ports?.some((p: any) => p.port === 6379))).toEqual([]);
  });

  test('opens the egress to the endpoint\'s subnets', () => {
    const { chart, redis, api } = external(() => ({ endpoint: NetworkPeer.ipBlock('10.0.48.0/20') }));
    api.connectTo(redis);
    expect(one(synth(chart), 'NetworkPolicy', 'api').spec.egress).toContainEqual({ to: [{ ipBlock: { cidr: '10.0.48.0/20' } }], ports: tcp(6379) });
  });

  test('runs nothing in the cluster', () => {
    const { chart } = external();
    const kinds = synth(chart).map((m) => m.kind);
    expect(kinds.filter((k) => ['RedisReplication', 'Redis', 'RedisSentinel', 'StatefulSet'].includes(k))).toEqual([]);
    expect(ofKind(synth(chart), 'ExternalSecret')).toHaveLength(1);
  });

  test('matches the snapshot with all props', () => {
    const { chart, api } = external();
    const props: Required<ExternalRedisProps> = {
      host: 'orders.redis.cache.windows.net',
      authToken: { secret: secretIn(chart, 'AzureToken', ['primary-key']), key: 'primary-key' },
      endpoint: NetworkPeer.domain('orders.redis.cache.windows.net'),
      name: 'orders-cache',
      port: 6380,
      caCertificate: { secret: secretIn(chart, 'AzureCa', ['ca.crt']), key: 'ca.crt' },
    };
    api.connectTo(new ExternalRedis(chart, 'Azure', props).celery({ brokerDatabase: 0, resultDatabase: 2 }));
    expect(synth(chart)).toMatchSnapshot();
  });

  describe('validation', () => {
    const cases: Array<[string, (chart: Chart) => Partial<ExternalRedisProps>, RegExp]> = [
      ['the name is not a DNS label', () => ({ name: 'Orders_Cache' }), /'name' \('Orders_Cache'\) must be a DNS label of at most 50 characters/],
      ['the host is an address, which no certificate names', () => ({ host: '10.0.48.5' }), /'host' \('10.0.48.5'\) must be a fully qualified lowercase DNS name/],
      ['the port is out of range', () => ({ port: 70000 }), /'port' \(70000\)/],
      ['the endpoint names an invalid host', () => ({ endpoint: NetworkPeer.domain('Master.Example.com') }), /'endpoint'/],
      ['the auth token key is no key', (c) => ({ authToken: { secret: secretIn(c, 'T', ['auth-token']), key: 'a/b' } }), /'authToken.key' \('a\/b'\) must be a Secret key/],
      ['the auth token key is missing', (c) => ({ authToken: { secret: secretIn(c, 'T', ['token']), key: 'auth-token' } }),
        /'authToken.key' \('auth-token'\) is not a key of Secret 't' \(token\)/],
      ['the CA key is missing', (c) => ({ caCertificate: { secret: secretIn(c, 'Ca', ['ca.pem']), key: 'ca.crt' } }),
        /'caCertificate.key' \('ca.crt'\) is not a key of Secret 'ca' \(ca.pem\)/],
      ['the CA key is no key', (c) => ({ caCertificate: { secret: secretIn(c, 'Ca', ['ca.pem']), key: '..' } }), /'caCertificate.key' \('..'\) must be a Secret key/],
      ['the auth token is a Secret name', () => ({ authToken: 'redis-token' as any }), /'authToken' \('redis-token'\) must be a RedisSecretKey object \(secret and key\)/],
      ['the endpoint is a host name, not a peer', () => ({ endpoint: 'redis.example.com' as any }), /'endpoint' \('redis.example.com'\) must be a NetworkPeer/],
      ['the endpoint\'s block has host bits', () => ({ endpoint: NetworkPeer.ipBlock('10.0.48.5/20') }), /'endpoint' \('10.0.48.5\/20'\)/],
    ];

    test.each(cases)('fails when %s', (_, overrides, message) => {
      expect(() => external(overrides)).toThrow(message);
    });

    test('fails when the app is in another namespace than the auth token', () => {
      const { redis, chart } = external((c) => ({ authToken: { secret: secretIn(c, 'Elsewhere', ['auth-token'], 'other'), key: 'auth-token' } }));
      const other = new ProductionApp(chart, 'Other', { name: 'other', image: Image.pinned('acme/api', '1.0.0'), egressEngine: EgressEngine.cilium() });
      expect(() => other.connectTo(redis)).toThrow(/'authToken.secret' \('test\/Elsewhere'\) must produce its Secret in namespace 'test', not 'other'/);
    });

    test('fails when the app is in another namespace than the CA', () => {
      const { redis, api } = external((c) => ({ caCertificate: { secret: secretIn(c, 'Ca', ['ca.crt'], 'other'), key: 'ca.crt' } }));
      expect(() => api.connectTo(redis)).toThrow(/'caCertificate.secret' \('test\/Ca'\) must produce its Secret in namespace 'test', not 'other'/);
    });

    test('fails when an app without an egress engine reaches the Redis by name', () => {
      const { redis, chart } = external();
      const bare = new ProductionApp(chart, 'Bare', { name: 'bare', image: Image.pinned('acme/api', '1.0.0') });
      expect(() => bare.connectTo(redis)).toThrow(/'egressEngine' \(unset\) is required to reach master.orders.abc123.euw1.cache.amazonaws.com by name/);
    });
  });
});
