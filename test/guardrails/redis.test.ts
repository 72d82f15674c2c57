import { ApiObject, Chart, Testing } from 'cdk8s';
import { Guardrails, Prerequisite, Tier, setTier } from '../../lib';
import { KEEP_ANNOTATIONS } from '../../lib/core/protection';

// Sources, Redis Operator (OT-CONTAINER-KIT) v0.26.0: api/common/v1beta2/common_types.go (RedisSentinelConfig defaults:
// quorum "2"; Storage.keepAfterDelete), api/redissentinel/v1beta2/redissentinel_types.go (clusterSize default 3),
// internal/controller/redisreplication/redisreplication_sentinel.go (the embedded Sentinels: quorum size / 2 + 1,
// MASTER_PASSWORD only), internal/k8sutils/redis-replication.go, redis-sentinel.go, redis-standalone.go, statefulset.go,
// poddisruption.go and finalizer.go (what the operator creates and deletes, and with which names).

type Manifest = Record<string, any>;

const API = 'redis.redis.opstreelabs.in/v1beta2';
const password = { name: 'cache-password', key: 'password' };
const replication = (spec: Manifest = {}, name = 'cache'): Manifest => ({
  apiVersion: API, kind: 'RedisReplication', metadata: { name },
  spec: { clusterSize: 3, kubernetesConfig: { image: 'quay.io/opstree/redis:v7.0.15', redisSecret: password }, ...spec },
});
const standalone = (spec: Manifest = {}): Manifest => ({
  apiVersion: API, kind: 'Redis', metadata: { name: 'cache' }, spec: { kubernetesConfig: { image: 'quay.io/opstree/redis:v7.0.15', redisSecret: password }, ...spec },
});
const sentinel = (config: Manifest = {}, spec: Manifest = {}): Manifest => ({
  apiVersion: API, kind: 'RedisSentinel', metadata: { name: 'cache' },
  spec: {
    kubernetesConfig: { image: 'quay.io/opstree/redis-sentinel:v7.0.15', redisSecret: password },
    redisSentinelConfig: { redisReplicationName: 'cache', redisReplicationPassword: { secretKeyRef: password }, ...config },
    ...spec,
  },
});
const storage = { keepAfterDelete: true, volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } } } } };

/** The findings of `rule` for `objects` in namespace `test`, as `<level>: <object> <message>`. */
function findings(rule: string, objects: Manifest[], tier = Tier.PRODUCTION, prerequisites: Prerequisite[] = []): string[] {
  const app = Testing.app();
  const chart = new Chart(app, 'redis', { namespace: 'test' });
  setTier(chart, tier);
  objects.forEach((o, i) => new ApiObject(chart, `O${i}`, o as any));
  Prerequisite.declare(chart, ...prerequisites);
  return Guardrails.apply(app).evaluate().findings.filter((f) => f.rule.id === rule).map((f) => `${f.level}: ${f.object.kind} ${f.message}`);
}

describe('redis-ha', () => {
  test.each<[string, Manifest, string]>([
    ['a standalone Redis', standalone(), 'error: Redis runs a single standalone node: nothing takes over when it goes'],
    ['a master with one replica', replication({ clusterSize: 2 }), 'error: RedisReplication runs 2 nodes'],
    ['a replication of one node', replication({ clusterSize: 1 }), 'error: RedisReplication runs 1 node'],
  ])('fails %s in production', (_, object, finding) => {
    expect(findings('redis-ha', [object])).toEqual([finding]);
  });

  test('accepts three nodes, and anything in development, where one node is the design', () => {
    expect(findings('redis-ha', [replication()])).toEqual([]);
    expect(findings('redis-ha', [standalone()], Tier.DEVELOPMENT)).toEqual([]);
  });

  test('leaves a custom resource of another API alone', () => {
    expect(findings('redis-ha', [{ ...standalone(), apiVersion: 'cache.example.com/v1' }])).toEqual([]);
  });
});

describe('redis-failover', () => {
  test.each<[string, Manifest[], string[]]>([
    ['no Sentinel watches the replication', [replication(), sentinel({ redisReplicationName: 'other' })],
      ['error: RedisReplication is watched by no Sentinel: nothing promotes a replica when the master fails']],
    ['only one embedded Sentinel watches it', [replication({ sentinel: { image: 'quay.io/opstree/redis-sentinel:v7.0.15', size: 1 } })],
      ['error: RedisReplication is watched by 1 embedded Sentinel: losing one leaves no majority']],
    ['its RedisSentinel runs fewer than 3', [replication(), sentinel({ quorum: '1' }, { clusterSize: 1 })],
      ['error: RedisReplication is watched by 1 Sentinel (RedisSentinel cache): losing one leaves no majority']],
    ['the quorum is no majority', [replication(), sentinel({ quorum: '2' }, { clusterSize: 5 })],
      ['error: RedisReplication is watched by RedisSentinel cache with quorum 2, which is not a majority of its 5 Sentinels']],
    ['the quorum exceeds the Sentinels', [replication(), sentinel({ quorum: '4' }, { clusterSize: 3 })],
      ['error: RedisReplication is watched by RedisSentinel cache with quorum 4, which is not a majority of its 3 Sentinels']],
  ])('fails in production when %s', (_, objects, expected) => {
    expect(findings('redis-failover', objects)).toEqual(expected);
  });

  test('accepts a RedisSentinel with the CRD\'s defaults (3 Sentinels, quorum "2"), 3 embedded Sentinels, and no Sentinel in development', () => {
    expect(findings('redis-failover', [replication(), sentinel()])).toEqual([]);
    expect(findings('redis-failover', [replication({ sentinel: { image: 'quay.io/opstree/redis-sentinel:v7.0.15', size: 3 } })])).toEqual([]);
    expect(findings('redis-failover', [replication()], Tier.DEVELOPMENT)).toEqual([]);
  });

  test('accepts a replication when one of its RedisSentinels can fail it over', () => {
    const weak = { ...sentinel({}, { clusterSize: 1 }), metadata: { name: 'weak' } };
    expect(findings('redis-failover', [replication(), weak, sentinel({ quorum: '3' }, { clusterSize: 5 })])).toEqual([]);
  });
});

describe('redis-persistence', () => {
  test.each<[string, Manifest, string]>([
    ['a Redis', standalone(), 'error: Redis keeps its data in memory only: no spec.storage.volumeClaimTemplate, so no append-only file'],
    ['a RedisReplication with extra volumes only', replication({ storage: { volumeMount: { volume: [{ name: 'tmp', emptyDir: {} }], mountPath: [] } } }),
      'error: RedisReplication keeps its data in memory only: no spec.storage.volumeClaimTemplate, so no append-only file'],
  ])('fails %s without a claim template in production', (_, object, finding) => {
    expect(findings('redis-persistence', [object])).toEqual([finding]);
  });

  test('accepts a claim template, and memory only in development', () => {
    expect(findings('redis-persistence', [replication({ storage })])).toEqual([]);
    expect(findings('redis-persistence', [standalone()], Tier.DEVELOPMENT)).toEqual([]);
  });
});

describe('redis-auth', () => {
  const open = { kubernetesConfig: { image: 'quay.io/opstree/redis:v7.0.15' } };
  test.each<[string, Manifest[], string[]]>([
    ['a Redis has no password', [standalone(open)], ['error: Redis accepts connections without a password: no spec.kubernetesConfig.redisSecret']],
    ['a RedisReplication has no password', [replication(open)],
      ['error: RedisReplication accepts connections without a password: no spec.kubernetesConfig.redisSecret']],
    ['a RedisSentinel has no password', [replication(), sentinel({}, { kubernetesConfig: { image: 'quay.io/opstree/redis-sentinel:v7.0.15' } })],
      ['error: RedisSentinel accepts Sentinel commands without a password: no spec.kubernetesConfig.redisSecret']],
    ['the Sentinels are embedded', [replication({ sentinel: { image: 'quay.io/opstree/redis-sentinel:v7.0.15', size: 3 } })],
      ['error: RedisReplication runs embedded Sentinels (spec.sentinel), which the operator starts without a password']],
    ['a RedisSentinel cannot authenticate to the replication it watches', [replication(), {
      ...sentinel(), spec: { ...sentinel().spec, redisSentinelConfig: { redisReplicationName: 'cache' } },
    }], ['error: RedisSentinel cannot authenticate to RedisReplication cache, which requires a password: no redisSentinelConfig.redisReplicationPassword']],
  ])('fails when %s', (_, objects, expected) => {
    expect(findings('redis-auth', objects)).toEqual(expected);
  });

  test('is a warning in development: a password is no availability matter, development keeps the same security', () => {
    expect(findings('redis-auth', [standalone(open)], Tier.DEVELOPMENT))
      .toEqual(['warning: Redis accepts connections without a password: no spec.kubernetesConfig.redisSecret']);
  });

  test('accepts passwords everywhere, and a Sentinel without the master\'s password when the master has none', () => {
    expect(findings('redis-auth', [replication(), sentinel()])).toEqual([]);
    const noMasterPassword = { ...sentinel(), spec: { ...sentinel().spec, redisSentinelConfig: { redisReplicationName: 'cache' } } };
    expect(findings('redis-auth', [replication(open), noMasterPassword]).filter((f) => f.startsWith('error: RedisSentinel'))).toEqual([]);
  });
});

describe('references-resolve: the Redis Operator\'s resources', () => {
  const unresolved = (field: string, kind: string, name: string) =>
    `error: ${field} names ${kind} '${name}', which nothing in the app produces and no prerequisite declares`;
  const refs = (objects: Manifest[]) => findings('references-resolve', objects).map((f) => f.replace(/^error: \w+ /, 'error: '));

  test('a RedisReplication reads its password, registry credentials, ServiceAccount, TLS, ACL and config, env and volumes, and its embedded Sentinels\'', () => {
    const rr = replication({
      kubernetesConfig: { image: 'quay.io/opstree/redis:v7.0.15', redisSecret: password, imagePullSecrets: [{ name: 'registry' }] },
      serviceAccountName: 'cache',
      TLS: { secret: { secretName: 'cache-tls' } },
      acl: { secret: { secretName: 'cache-acl' } },
      redisConfig: { additionalRedisConfig: 'cache-config' },
      env: [{ name: 'A', valueFrom: { secretKeyRef: { name: 'extra', key: 'a' } } }],
      storage: { volumeMount: { volume: [{ name: 'v', configMap: { name: 'scripts' } }], mountPath: [] } },
      sentinel: { image: 'quay.io/opstree/redis-sentinel:v7.0.15', size: 3, redisSecret: { name: 'sentinel-password', key: 'password' },
        serviceAccountName: 'sentinel', additionalSentinelConfig: 'sentinel-config' },
    });
    expect(refs([rr])).toEqual([
      unresolved('spec.kubernetesConfig.redisSecret.name', 'Secret', 'cache-password'),
      unresolved('spec.kubernetesConfig.imagePullSecrets[0].name', 'Secret', 'registry'),
      unresolved('spec.serviceAccountName', 'ServiceAccount', 'cache'),
      unresolved('spec.TLS.secret.secretName', 'Secret', 'cache-tls'),
      unresolved('spec.acl.secret.secretName', 'Secret', 'cache-acl'),
      unresolved('spec.redisConfig.additionalRedisConfig', 'ConfigMap', 'cache-config'),
      unresolved('spec.env[0].valueFrom.secretKeyRef.name', 'Secret', 'extra'),
      unresolved('spec.storage.volumeMount.volume[0].configMap.name', 'ConfigMap', 'scripts'),
      unresolved('spec.sentinel.redisSecret.name', 'Secret', 'sentinel-password'),
      unresolved('spec.sentinel.serviceAccountName', 'ServiceAccount', 'sentinel'),
      unresolved('spec.sentinel.additionalSentinelConfig', 'ConfigMap', 'sentinel-config'),
    ]);
  });

  test('a RedisSentinel reads its replication, the replication\'s password, its config and volumes', () => {
    const rs = sentinel({ additionalSentinelConfig: 'sentinel-config' }, { volumeMount: { volume: [{ name: 'v', secret: { secretName: 'certs' } }], mountPath: [] } });
    expect(refs([rs])).toEqual([
      unresolved('spec.kubernetesConfig.redisSecret.name', 'Secret', 'cache-password'),
      unresolved('spec.volumeMount.volume[0].secret.secretName', 'Secret', 'certs'),
      unresolved('spec.redisSentinelConfig.redisReplicationName', 'RedisReplication', 'cache'),
      unresolved('spec.redisSentinelConfig.redisReplicationPassword.secretKeyRef.name', 'Secret', 'cache-password'),
      unresolved('spec.redisSentinelConfig.additionalSentinelConfig', 'ConfigMap', 'sentinel-config'),
    ]);
  });

  test('an ExternalSecret reads its generator, which produces the password Secret the Redis resources read', () => {
    const generated = {
      apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'cache-password' },
      spec: { dataFrom: [{ sourceRef: { generatorRef: { apiVersion: 'generators.external-secrets.io/v1alpha1', kind: 'Password', name: 'cache-password' } } }] },
    };
    expect(refs([replication(), generated])).toEqual([
      unresolved('spec.dataFrom[0].sourceRef.generatorRef.name', 'Password', 'cache-password'),
    ]);
    const generator = { apiVersion: 'generators.external-secrets.io/v1alpha1', kind: 'Password', metadata: { name: 'cache-password' }, spec: { length: 32 } };
    expect(refs([replication(), generated, generator])).toEqual([]);
  });

  test('the operator\'s Services, StatefulSets, claims and budgets resolve; the Sentinels\' exist only with a RedisSentinel', () => {
    const services = (...names: string[]) => names.map((name) => ({
      apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: `i-${name}` }, spec: { defaultBackend: { service: { name, port: { number: 6379 } } } },
    }));
    const claims = (...names: string[]) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'reader' },
      spec: { containers: [{ name: 'c', image: 'example/app:1.0.0' }], volumes: names.map((claimName, i) => ({ name: `v${i}`, persistentVolumeClaim: { claimName } })) } });
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'cache-password' } };
    const withExporter = { redisExporter: { enabled: true, image: 'quay.io/opstree/redis-exporter:v1.44.0' } };
    expect(refs([
      secret, replication({ storage, ...withExporter }), sentinel({}, withExporter),
      ...services('cache', 'cache-headless', 'cache-additional', 'cache-master', 'cache-replica', 'cache-metrics',
        'cache-sentinel', 'cache-sentinel-headless', 'cache-sentinel-additional', 'cache-sentinel-metrics'),
      claims('cache-cache-0', 'cache-cache-2', 'cache-cache-3'),
    ])).toEqual([unresolved('spec.volumes[2].persistentVolumeClaim.claimName', 'PersistentVolumeClaim', 'cache-cache-3')]);
    expect(refs([secret, standalone({ kubernetesConfig: { image: 'quay.io/opstree/redis:v7.0.15', redisSecret: password, service: { additional: { enabled: false } } } }),
      ...services('cache', 'cache-headless', 'cache-additional', 'cache-master', 'cache-metrics')])).toEqual([
      unresolved('spec.defaultBackend.service.name', 'Service', 'cache-additional'),
      unresolved('spec.defaultBackend.service.name', 'Service', 'cache-master'),
      unresolved('spec.defaultBackend.service.name', 'Service', 'cache-metrics'),
    ]);
  });
});

describe('identities-unique: what the Redis Operator makes', () => {
  test('fails a PodDisruptionBudget of the app that the operator makes too, with spec.pdb, and an embedded Sentinel\'s StatefulSet', () => {
    const pdb = (name: string) => ({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name }, spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'cache' } } } });
    const sts = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'cache-s' }, spec: { serviceName: 'cache-s-hl', selector: {}, template: { spec: { containers: [] } } } };
    const rr = replication({ pdb: { enabled: true, maxUnavailable: 1 }, sentinel: { image: 'quay.io/opstree/redis-sentinel:v7.0.15', size: 3 } });
    const rs = sentinel({}, { pdb: { enabled: true } });
    expect(findings('identities-unique', [rr, rs, pdb('cache-replication'), pdb('cache-sentinel'), sts]).map((f) => f.split(' [redis/O')[1].slice(2).trim())).toEqual([
      '(Redis Operator 0.26: spec.pdb) and PodDisruptionBudget test/cache-replication',
      '(Redis Operator 0.26: spec.pdb) and PodDisruptionBudget test/cache-sentinel',
      '(Redis Operator 0.26: the embedded Sentinels) and StatefulSet test/cache-s',
    ]);
  });
});

describe('quota-headroom: the Redis Operator\'s pods and claims', () => {
  const quota = (hard: Record<string, string | number>) => ({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'quota' }, spec: { hard } });
  const res = (cpu: string) => ({ requests: { cpu, memory: '64Mi' }, limits: { cpu, memory: '64Mi' } });

  test('counts the nodes with their exporters and claims, the Sentinels with theirs, and the embedded Sentinels', () => {
    const rr = replication({
      kubernetesConfig: { image: 'quay.io/opstree/redis:v7.0.15', redisSecret: password, resources: res('100m') },
      redisExporter: { enabled: true, image: 'quay.io/opstree/redis-exporter:v1.44.0', resources: res('25m') },
      sentinel: { image: 'quay.io/opstree/redis-sentinel:v7.0.15', size: 1, resources: res('10m') },
      storage,
    });
    const rs = sentinel({}, {
      kubernetesConfig: { image: 'quay.io/opstree/redis-sentinel:v7.0.15', redisSecret: password, resources: res('50m') },
      redisExporter: { enabled: true, image: 'quay.io/opstree/redis-exporter:v1.44.0', resources: res('25m') },
    });
    expect(findings('quota-headroom', [quota({ 'pods': 7, 'requests.cpu': '610m', 'persistentvolumeclaims': 3, 'requests.storage': '15Gi' }), rr, rs])).toEqual([
      // 3 x (redis 100m + exporter 25m); the init-config container (the redis container's resources) needs less than both.
      'error: ResourceQuota requests.cpu: 0.61 of 0.61 (100.0%) at full scale, less than 10% to spare: RedisReplication cache (3 nodes) x 0.125, '
        + 'embedded Sentinel of RedisReplication cache (1 embedded Sentinel) x 0.01, RedisSentinel cache (3 Sentinels) x 0.075',
      'error: ResourceQuota pods: 7 of 7 (100.0%) at full scale, less than 10% to spare: RedisReplication cache 3 nodes, '
        + 'embedded Sentinel of RedisReplication cache 1 embedded Sentinel, RedisSentinel cache 3 Sentinels',
      'error: ResourceQuota persistentvolumeclaims: 3 of 3 (100.0%) at full scale, less than 10% to spare: RedisReplication cache 3 x 1 claim template',
      'error: ResourceQuota requests.storage: 15Gi of 15Gi (100.0%) at full scale, less than 10% to spare: RedisReplication cache 3 x 1 claim template: 15Gi',
    ]);
  });

  test('counts a standalone Redis as one pod, and its claim', () => {
    expect(findings('quota-headroom', [quota({ pods: 1, persistentvolumeclaims: 1 }), standalone({ storage })]).map((f) => f.split(':')[1])).toEqual([' ResourceQuota pods', ' ResourceQuota persistentvolumeclaims']);
  });
});

describe('data-kept-on-prune: the Redis Operator\'s resources with claims', () => {
  const kept = (object: Manifest) => ({ ...object, metadata: { ...object.metadata, annotations: { ...KEEP_ANNOTATIONS } } });

  test('fails a Redis or RedisReplication with a claim template but without the keep annotations, or whose claims the operator deletes', () => {
    expect(findings('data-kept-on-prune', [kept(replication({ storage: { ...storage, keepAfterDelete: false } }))])).toEqual([
      'error: RedisReplication deletes its PersistentVolumeClaims with it (storage.keepAfterDelete is not true: the operator\'s finalizer deletes them)',
    ]);
    expect(findings('data-kept-on-prune', [standalone({ storage })])).toHaveLength(2);
  });

  test('passes a kept one with keepAfterDelete, and one without claims: it holds no data', () => {
    expect(findings('data-kept-on-prune', [kept(replication({ storage })), standalone()])).toEqual([]);
  });
});
