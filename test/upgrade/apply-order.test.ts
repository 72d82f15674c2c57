import { ApiObject, App, Chart, Size, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import {
  ApplyLayer, ApplyOrder, HOOK_ANNOTATION, HOOK_DELETE_POLICY_ANNOTATION, HaPostgres, Image, NetworkPeer, ObjectStoreCredentials, OneOffJob, PostgresBackup,
  Prerequisite, PrerequisiteKind, ProductionApp, SYNC_WAVE_ANNOTATION, SecretSource, SecretStoreRef, SecretsBinding,
} from '../../lib';
import { APPLY_LAYERS, KIND_LAYERS } from '../../lib/upgrade/apply-layer';
import { Manifest, one, synth, testChart } from '../util';

const IMAGE = Image.pinned('ghcr.io/acme/shop', '1.0.0');

function orderedChart(props?: Parameters<typeof ApplyOrder.apply>[1]): Chart {
  const chart = testChart();
  ApplyOrder.apply(chart, props);
  return chart;
}

const waveOf = (manifest: Manifest) => manifest.metadata.annotations?.[SYNC_WAVE_ANNOTATION];

describe('ApplyOrder', () => {
  test('the layers are applied in the order of the issue: namespace, secrets, data, backup, migrations, workloads, routes', () => {
    expect(APPLY_LAYERS).toEqual(['namespace', 'secrets', 'data', 'backup', 'migrations', 'workloads', 'routes']);
    expect(APPLY_LAYERS.map((layer) => ApplyOrder.waveOf(layer))).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  test('writes the wave of its kind\'s layer on every object, objects added after apply included', () => {
    // GIVEN
    const chart = orderedChart();
    new k8s.KubeConfigMap(chart, 'Config', { metadata: { name: 'config' }, data: { A: 'b' } });
    new ApiObject(chart, 'Route', { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'route' } });
    // WHEN
    const manifests = synth(chart);
    // THEN
    expect(waveOf(one(manifests, 'ConfigMap'))).toBe('0');
    expect(waveOf(one(manifests, 'HTTPRoute'))).toBe('6');
  });

  test('places a job that prepares a workload in the migrations layer, and any other job with the workloads', () => {
    // GIVEN
    const chart = orderedChart();
    const app = new ProductionApp(chart, 'Api', { image: IMAGE, port: 8080 });
    new OneOffJob(chart, 'Migrate', { image: IMAGE, args: ['migrate'] }).prepares(app);
    new OneOffJob(chart, 'Report', { image: IMAGE, args: ['report'] });
    // WHEN
    const jobs = synth(chart).filter((m) => m.kind === 'Job');
    // THEN
    expect(jobs.map((j) => [j.metadata.name.replace(/-[0-9a-f]{10}$/, ''), waveOf(j), j.metadata.annotations?.[HOOK_ANNOTATION]])).toEqual([
      ['migrate', String(ApplyOrder.waveOf(ApplyLayer.MIGRATIONS)), undefined],
      ['report', String(ApplyOrder.waveOf(ApplyLayer.WORKLOADS)), undefined],
    ]);
  });

  test('makes the pre-upgrade backup a Sync hook of the backup layer and declares the health check Argo CD needs to wait for it', () => {
    // GIVEN
    const chart = orderedChart();
    const credentials = new SecretsBinding(chart, 'Credentials', {
      source: SecretSource.externalSecret({ store: SecretStoreRef.cluster('store'), data: { ACCESS_KEY_ID: { key: 'id' }, ACCESS_SECRET_KEY: { key: 'key' } } }),
    });
    new HaPostgres(chart, 'Db', {
      kubernetesApi: { peer: NetworkPeer.ipBlock('10.0.0.0/16') },
      storage: { size: Size.gibibytes(10) },
      backup: PostgresBackup.toObjectStore({ destinationPath: 's3://backups/db', credentials: ObjectStoreCredentials.s3({ secret: credentials }) }),
    });
    // WHEN
    const backup = one(synth(chart), 'Backup');
    // THEN
    expect(backup.metadata.annotations).toEqual({ [SYNC_WAVE_ANNOTATION]: '3', [HOOK_ANNOTATION]: 'Sync', [HOOK_DELETE_POLICY_ANNOTATION]: 'HookFailed' });
    const settings = Prerequisite.declaredIn(chart).filter((d) => d.prerequisite.kind === PrerequisiteKind.CONTROLLER_SETTING);
    expect(settings.map((d) => [d.prerequisite.title, d.requiredBy])).toContainEqual([
      'Argo CD 3.5 (ConfigMap argocd-cm): resource.customizations.health.postgresql.cnpg.io_Backup: the health check of ARGO_CD_HEALTH_CHECKS (README, "Upgrading")',
      ['test/Db/PreUpgradeBackup'],
    ]);
  });

  test.each([
    ['postgresql.cnpg.io/v1', 'Cluster', 'postgresql.cnpg.io_Cluster'],
    ['postgresql.cnpg.io/v1', 'Pooler', 'postgresql.cnpg.io_Pooler'],
    ['redis.redis.opstreelabs.in/v1beta2', 'RedisReplication', 'redis.redis.opstreelabs.in_RedisReplication'],
  ])('declares the Argo CD health check the data layer waits for a %s %s with', (apiVersion, kind, key) => {
    // GIVEN
    const chart = orderedChart();
    new ApiObject(chart, 'Data', { apiVersion, kind, metadata: { name: 'data' } });
    // WHEN
    synth(chart);
    // THEN
    const settings = Prerequisite.declaredIn(chart).filter((d) => d.prerequisite.kind === PrerequisiteKind.CONTROLLER_SETTING);
    expect(settings.map((d) => [d.prerequisite.title, d.requiredBy])).toEqual([[
      `Argo CD 3.5 (ConfigMap argocd-cm): resource.customizations.health.${key}: the health check of ARGO_CD_HEALTH_CHECKS (README, "Upgrading")`,
      ['test/Data'],
    ]]);
  });

  test.each([
    ['redis.redis.opstreelabs.in/v1beta2', 'RedisSentinel'],
    ['redis.redis.opstreelabs.in/v1beta2', 'Redis'],
    ['postgresql.cnpg.io/v1', 'ScheduledBackup'],
  ])('declares no health check for a %s %s, which has no status to read or need not be waited for', (apiVersion, kind) => {
    const chart = orderedChart();
    new ApiObject(chart, 'Data', { apiVersion, kind, metadata: { name: 'data' } });
    synth(chart);
    expect(Prerequisite.declaredIn(chart).filter((d) => d.prerequisite.kind === PrerequisiteKind.CONTROLLER_SETTING)).toEqual([]);
  });

  test('synthesizing twice writes the same annotations and declares the health check once', () => {
    const chart = orderedChart();
    new ApiObject(chart, 'Backup', {
      apiVersion: 'postgresql.cnpg.io/v1', kind: 'Backup', metadata: { name: 'by-hand' }, spec: { cluster: { name: 'db' } },
    } as any);
    const first = synth(chart);
    expect(synth(chart)).toEqual(first);
    expect(waveOf(one(first, 'Backup'))).toBe('3');
    expect(one(first, 'Backup').metadata.annotations?.[HOOK_ANNOTATION]).toBeUndefined();
    expect(chart.node.findChild('Backup').node.metadata.filter((m) => m.type === 'cdk8s-golden-path:prerequisite')).toHaveLength(1);
  });

  test('a kind of the props goes to the layer given, and the props can move a known kind', () => {
    // GIVEN
    const chart = orderedChart({ kinds: { 'Widget.example.com': ApplyLayer.DATA, 'ConfigMap': ApplyLayer.WORKLOADS } });
    new ApiObject(chart, 'Widget', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'widget' } });
    new k8s.KubeConfigMap(chart, 'Config', { metadata: { name: 'config' } });
    // WHEN
    const manifests = synth(chart);
    // THEN
    expect(waveOf(one(manifests, 'Widget'))).toBe('2');
    expect(waveOf(one(manifests, 'ConfigMap'))).toBe('5');
  });

  test('every kind of the table has a layer, and every layer holds a kind or an upgrade step', () => {
    expect(Object.values(KIND_LAYERS).filter((layer) => !APPLY_LAYERS.includes(layer))).toEqual([]);
    expect(APPLY_LAYERS.filter((layer) => layer !== ApplyLayer.MIGRATIONS && !Object.values(KIND_LAYERS).includes(layer))).toEqual([]);
  });

  describe('fails', () => {
    test('fails when an object is of a kind no layer holds, naming the object, instead of applying it in wave 0', () => {
      const chart = orderedChart();
      new ApiObject(chart, 'Widget', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'widget' } });
      expect(() => synth(chart)).toThrow(/\[test\/Widget\] 'kind' \(Widget.example.com\) has no apply layer, and in wave 0 it would be applied before what it needs: give its layer in ApplyOrderProps.kinds \(one of namespace, secrets, data, backup, migrations, workloads, routes\)/);
    });

    test('fails when an object sets a wave of its own that its layer contradicts', () => {
      const chart = orderedChart();
      new k8s.KubeConfigMap(chart, 'Config', { metadata: { name: 'config', annotations: { [SYNC_WAVE_ANNOTATION]: '-5' } } });
      expect(() => synth(chart)).toThrow(/\[test\/Config\] 'argocd.argoproj.io\/sync-wave' \('-5'\) is set on the object, but its layer \(namespace\) decides its wave \(0\): give its kind another layer in ApplyOrderProps.kinds instead/);
    });

    test('fails when a kind of the props is not \'Kind.group\'', () => {
      expect(() => orderedChart({ kinds: { 'widgets.example.com': ApplyLayer.DATA } }))
        .toThrow(/\[test\] 'kinds.widgets.example.com' \('widgets.example.com'\) must be a kind and its API group, 'Kind.group' \(a core kind by its name alone\)/);
    });

    test('fails when a layer of the props is not an ApplyLayer', () => {
      expect(() => orderedChart({ kinds: { 'Widget.example.com': 'later' as ApplyLayer } }))
        .toThrow(/\[test\] 'kinds.Widget.example.com' \('later'\) must be an ApplyLayer: 'namespace', 'secrets', 'data', 'backup', 'migrations', 'workloads', 'routes'$/);
    });

    test('fails when the kinds of the props are a list, or the props are null', () => {
      expect(() => orderedChart({ kinds: [['Widget.example.com', ApplyLayer.DATA]] } as any))
        .toThrow(/^\[test\] 'kinds' \(\[\["Widget.example.com","data"\]\]\) must be an object \(each value an ApplyLayer: .*\), or left unset$/);
      expect(() => orderedChart(null as any)).toThrow(/^\[test\] 'props' \(null\) must be an object of ApplyOrderProps$/);
    });

    test('fails when the scope is no construct, without a JavaScript error', () => {
      expect(() => ApplyOrder.apply('platform' as any)).toThrow(/^ApplyOrder.apply: 'scope' \('platform'\) must be a construct: the App or the Chart whose objects are ordered$/);
      expect(() => ApplyOrder.of(undefined as any)).toThrow(/^ApplyOrder.of: 'scope' \(unset\) must be a construct$/);
    });

    test('fails when a wave is asked of a layer that is none, instead of answering -1', () => {
      expect(() => ApplyOrder.waveOf('later' as ApplyLayer))
        .toThrow(/^ApplyOrder.waveOf: 'layer' \('later'\) must be an ApplyLayer: 'namespace', 'secrets', 'data', 'backup', 'migrations', 'workloads', 'routes'$/);
    });

    test('fails when the layer is asked of something that is no API object', () => {
      const order = ApplyOrder.apply(testChart());
      expect(() => order.layerOf({ kind: 'ConfigMap' } as any)).toThrow(/^ApplyOrder.layerOf: 'object' \(\{"kind":"ConfigMap"\}\) must be an ApiObject of cdk8s$/);
    });

    test('fails when applied twice to one construct', () => {
      const app = new App();
      ApplyOrder.apply(app);
      expect(() => ApplyOrder.apply(app)).toThrow(/\[\] 'applyOrder' \(''\) is already applied to this construct: apply it once/);
      expect(ApplyOrder.of(app)).toBeDefined();
    });
  });

  test('leaves the objects of a tree it is not applied to alone', () => {
    const chart = testChart();
    new k8s.KubeConfigMap(chart, 'Config', { metadata: { name: 'config' } });
    expect(one(Testing.synth(chart) as Manifest[], 'ConfigMap').metadata.annotations).toBeUndefined();
    expect(ApplyOrder.of(chart)).toBeUndefined();
  });
});
