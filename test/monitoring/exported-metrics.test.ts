import { Duration, Size, Testing } from 'cdk8s';
import { Platform } from '../../apps/platform';
import { DEV, PROD } from '../../apps/stages';
import {
  HaPostgres, HaRedis, Image, NetworkPeer, ObjectStoreCredentials, PlatformAlerts, PostgresBackup, PostgresReplication, ProductionApp, RedisPersistence,
} from '../../lib';
import { parsePromql } from '../promql';
import { Manifest, testChart } from '../util';
import {
  BARMAN_CLOUD_PLUGIN, CADVISOR, CLOUDNATIVE_PG, Exporter, KUBELET_VOLUME_STATS, KUBE_STATE_METRICS, OAUTH2_PROXY, REDIS_EXPORTER, appMetrics,
} from './exported-metrics';

/** An expression of an alert or a dashboard panel, where it comes from, and the exporters whose series it may read. */
interface Query {
  readonly where: string;
  readonly expr: string;
  readonly exporters: readonly Exporter[];
}

/**
 * Why `expr` cannot return what it means to, read against `exporters`: a metric no exporter publishes, a
 * label the selected series do not carry, or a label value the exporter never sets.
 */
function problemsOf(expr: string, exporters: readonly Exporter[]): string[] {
  const parsed = parsePromql(expr);
  const problems = parsed.errors.map((offset) => `syntax error at ${offset}`);
  const owner = (metric: string) => exporters.find((e) => e.metrics[metric] !== undefined);
  const unknown = parsed.metrics.filter((metric) => owner(metric) === undefined);
  if (unknown.length > 0) {
    return [...problems, ...unknown.map((metric) => `${metric} is exported by none of ${exporters.map((e) => e.name).join(', ')}`)];
  }
  const labels = new Set(exporters.flatMap((e) => parsed.metrics.filter((metric) => e.metrics[metric] !== undefined)
    .flatMap((metric) => [...e.metrics[metric], ...e.scrapeLabels])));
  for (const label of parsed.labels.filter((l) => !labels.has(l))) {
    problems.push(`label ${label} is on none of the series of ${parsed.metrics.join(', ')}`);
  }
  for (const selector of parsed.selectors) {
    const values = owner(selector.metric)?.labelValues?.[selector.metric] ?? {};
    for (const matcher of selector.matchers.filter((m) => m.op === '=' && values[m.label] !== undefined && !values[m.label].includes(m.value))) {
      problems.push(`${selector.metric} has no series with ${matcher.label}="${matcher.value}" (only ${values[matcher.label].join(', ')})`);
    }
  }
  return problems;
}

/** Every alert expression and dashboard query in `manifests`, with the exporters its construct reads. */
function queriesOf(manifests: Manifest[], app: Exporter = appMetrics()): Query[] {
  const exportersOf = (m: Manifest): readonly Exporter[] => {
    switch (m.metadata.labels?.['app.kubernetes.io/component']) {
      case 'database': return [CLOUDNATIVE_PG, BARMAN_CLOUD_PLUGIN, KUBELET_VOLUME_STATS];
      case 'cache': return [REDIS_EXPORTER];
      case 'alerting': return [KUBE_STATE_METRICS, KUBELET_VOLUME_STATS];
      case 'sign-in': return [OAUTH2_PROXY, KUBE_STATE_METRICS, CADVISOR];
      default: return [app, KUBE_STATE_METRICS, CADVISOR];
    }
  };
  const rules = manifests.filter((m) => m.kind === 'PrometheusRule').flatMap((m) => m.spec.groups.flatMap((g: any) => g.rules
    .map((r: any) => ({ where: `PrometheusRule ${m.metadata.name} ${r.alert}`, expr: r.expr, exporters: exportersOf(m) }))));
  const dashboards = manifests.filter((m) => m.kind === 'ConfigMap' && m.metadata.labels?.grafana_dashboard === '1').flatMap((m) =>
    Object.values(m.data as Record<string, string>).flatMap((json) => JSON.parse(json).panels.flatMap((panel: any) => panel.targets
      .map((t: any) => ({ where: `dashboard ${m.metadata.name} ${panel.title}`, expr: t.expr, exporters: exportersOf(m) })))));
  return [...rules, ...dashboards];
}

/** A chart with every alert and dashboard the library writes: a highly available database with backups, an app with its own metric names, the platform alerts. */
function everyQueryOfTheLibrary(): Query[] {
  const chart = testChart('shop');
  new PlatformAlerts(chart, 'Alerts');
  new HaPostgres(chart, 'Db', {
    kubernetesApi: { peer: NetworkPeer.ipBlock('10.0.0.0/16') },
    storage: { size: Size.gibibytes(10) },
    instances: 3,
    replication: PostgresReplication.synchronous(),
    backup: PostgresBackup.toObjectStore({ destinationPath: 's3://b/db', credentials: ObjectStoreCredentials.awsIamRole('arn:aws:iam::123456789012:role/db') }),
    pooler: {},
  });
  new HaRedis(chart, 'Cache', { persistence: RedisPersistence.appendOnly({ size: Size.gibibytes(5) }) });
  new ProductionApp(chart, 'Api', {
    image: Image.pinned('acme/api', '1.0.0'),
    metrics: { requestsMetric: 'starlette_requests_total', statusCodeLabel: 'status_code', requestDurationMetric: 'starlette_request_duration_seconds', interval: Duration.seconds(15) },
  });
  return queriesOf(Testing.synth(chart) as Manifest[], appMetrics('starlette_requests_total', 'status_code', 'starlette_request_duration_seconds'));
}

describe('every alert and dashboard query reads series that are exported', () => {
  const queries = [
    ...everyQueryOfTheLibrary(),
    ...[DEV, PROD].flatMap((stage) => queriesOf(Testing.synth(new Platform(Testing.app(), 'platform', stage)) as Manifest[])),
  ];

  test('the queries cover the database, the cache, the platform alerts, the apps\' and the sign-in proxy\'s alerts and their dashboards', () => {
    const exporters = new Set(queries.flatMap((q) => parsePromql(q.expr).metrics));
    for (const exporter of [CLOUDNATIVE_PG, BARMAN_CLOUD_PLUGIN, KUBE_STATE_METRICS, KUBELET_VOLUME_STATS, CADVISOR, OAUTH2_PROXY, REDIS_EXPORTER]) {
      expect([exporter.name, Object.keys(exporter.metrics).some((metric) => exporters.has(metric))]).toEqual([exporter.name, true]);
    }
  });

  test('by name, label and label value', () => {
    const problems = queries.flatMap((q) => problemsOf(q.expr, q.exporters).map((problem) => `${q.where}: ${problem}`));
    expect(problems).toEqual([]);
  });

  test('the database\'s selectors match the instance pods and their volumes, not the operator\'s jobs', () => {
    // CloudNativePG v1.30.0 names instances <cluster>-<serial> (pkg/specs/pods.go l.602-603, GetInstanceName), their data
    // volume after the instance and the WAL volume <instance>-wal (pkg/reconciler/persistentvolumeclaim/calculator.go l.208),
    // and its jobs <instance>-<role> (pkg/specs/jobs.go: initdb, join, ...), whose pods the PodMonitor does not select.
    const matchers = queries.filter((q) => q.where.startsWith('PrometheusRule db '))
      .flatMap((q) => parsePromql(q.expr).selectors.flatMap((s) => s.matchers));
    const regex = (label: string) => [...new Set(matchers.filter((m) => m.label === label && m.op === '=~').map((m) => m.value))]
      .map((value) => new RegExp(`^(?:${value})$`));
    expect(regex('pod').length).toBe(1);
    expect(regex('persistentvolumeclaim').length).toBe(1);
    const [pod] = regex('pod');
    const [claim] = regex('persistentvolumeclaim');
    expect(['db-1', 'db-12'].every((name) => pod.test(name))).toBe(true);
    expect(['db-1-initdb', 'db-2-join', 'db-pooler-5d8f7c9b4-x2x7q', 'db2-1'].some((name) => pod.test(name))).toBe(false);
    expect(['db-1', 'db-1-wal', 'db-3-wal'].every((name) => claim.test(name))).toBe(true);
    expect(['db-1-wall', 'other-1'].some((name) => claim.test(name))).toBe(false);
  });

  test('the cache\'s selectors match the Redis pods apart from the Sentinel pods', () => {
    // The Redis Operator v0.26.0 names the pods of a RedisReplication <name>-<ordinal> (its StatefulSet <name>) and those of
    // a RedisSentinel <name>-sentinel-<ordinal> (internal/k8sutils/redis-sentinel.go: StatefulSet <name>-sentinel).
    const regexes = [...new Set(queries.filter((q) => q.where.startsWith('PrometheusRule cache '))
      .flatMap((q) => parsePromql(q.expr).selectors.flatMap((s) => s.matchers)).filter((m) => m.label === 'pod' && m.op === '=~').map((m) => m.value))]
      .map((value) => new RegExp(`^(?:${value})$`));
    expect(regexes).toHaveLength(2);
    const [nodes, sentinels] = regexes;
    expect(['cache-0', 'cache-2'].every((name) => nodes.test(name))).toBe(true);
    expect(['cache-sentinel-0', 'cache2-0'].some((name) => nodes.test(name))).toBe(false);
    expect(['cache-sentinel-0', 'cache-sentinel-2'].every((name) => sentinels.test(name))).toBe(true);
    expect(['cache-0', 'cache-sentinel-x'].some((name) => sentinels.test(name))).toBe(false);
  });
});

describe('the check itself', () => {
  test('fails on a series no deployed exporter publishes, as the defaults of the platform alerts used to read', () => {
    expect(problemsOf('redis_up{namespace="shop"} == 0', [KUBE_STATE_METRICS, KUBELET_VOLUME_STATS]))
      .toEqual(['redis_up is exported by none of kube-state-metrics 2.20, kubelet volume stats']);
  });

  test('fails on a label value the exporter never sets, as the synchronous standbys alert used to compare against', () => {
    expect(problemsOf('max(cnpg_collector_sync_replicas{value="observed"}) < max(cnpg_collector_sync_replicas{value="expected"})', [CLOUDNATIVE_PG]))
      .toEqual(['cnpg_collector_sync_replicas has no series with value="expected" (only observed)']);
  });

  test('fails on a label the selected series do not carry', () => {
    expect(problemsOf('kube_deployment_status_replicas_unavailable{service="api"} > 0', [KUBE_STATE_METRICS]))
      .toEqual(['label service is on none of the series of kube_deployment_status_replicas_unavailable']);
  });
});
