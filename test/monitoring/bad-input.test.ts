import { Duration, Testing } from 'cdk8s';
import {
  AlertCondition, AppMetrics, AppMonitoring, GrafanaDashboard, Image, NetworkPeer, PanelUnit, PlatformAlerts, ProductionApp, Prometheus,
} from '../../lib';
import { one, synth, testChart } from '../util';

const PANEL = { title: 'Requests', description: 'per second', unit: PanelUnit.REQUESTS_PER_SECOND, queries: [{ expr: 'sum(rate(x[5m]))', legend: 'all' }] };

describe('PlatformAlerts with bad input', () => {
  test.each([
    ['an AlertCondition query has an unbalanced bracket', { database: AlertCondition.query('sum(rate(pg_up[5m])') },
      /\[test\/Alerts\] 'database' \('sum\(rate\(pg_up\[5m\]\)'\) must be valid PromQL: a syntax error at the end/],
    ['an AlertCondition query has an unclosed matcher', { cache: AlertCondition.query('redis_up{job="redis" == 0') },
      /'cache' \('redis_up\{job="redis" == 0'\) must be valid PromQL: a syntax error at character 22/],
    ['a counter threshold is a string', { taskFailures: AlertCondition.counterIncrease('celery_task_failed_total', '5' as any, Duration.minutes(15)) },
      /'taskFailures' .* must have a threshold of at least 0, not 5/],
    ['a counter window is a number', { taskFailures: AlertCondition.counterIncrease('celery_task_failed_total', 5, 900 as any) },
      /'taskFailures' \('celery_task_failed_total grew by more than 5 in NaNs'\) must have a window of whole seconds, at least one minute/],
    ['a gauge metric is a number', { database: AlertCondition.gaugeIsZero(5 as any) }, /'database' \('5 is 0'\) must be a Prometheus metric name/],
    ['a condition is a string', { database: 'pg_up == 0' }, /'database' \('pg_up == 0'\) must be an AlertCondition/],
    ['the volume threshold is a string', { volumeUsagePercent: '80' }, /'volumeUsagePercent' \('80'\) must be a number, or left unset/],
    ['the runbook base URL is a number', { runbookBaseUrl: 1 }, /'runbookBaseUrl' \(1\) must be a string, or left unset/],
    ['the Prometheus is a plain object', { prometheus: { selectorLabels: { release: 'x' } } }, /'prometheus' \(.*\) must be a Prometheus \(Prometheus.kubePrometheusStack or Prometheus.of\)/],
    ['the Prometheus release is no label value', { prometheus: Prometheus.kubePrometheusStack({ release: 'kube prometheus' }) },
      /'prometheus.selectorLabels.release' \('kube prometheus'\) is not a valid label value/],
    ['the Prometheus namespace is no namespace name', { prometheus: Prometheus.kubePrometheusStack({ namespace: 'Monitoring' }) },
      /'prometheus.scraper.namespace' \('Monitoring'\) must be a DNS-1123 label/],
    ['a Prometheus of your own has no selection in words', { prometheus: Prometheus.of({ selectorLabels: { team: 'a' }, scraper: NetworkPeer.namespace('monitoring'), selection: '' }) },
      /'prometheus.selection' \(''\) must not be empty: it is what the prerequisites file says the cluster's Prometheus selects/],
    ['a Prometheus of your own has no options', { prometheus: Prometheus.of(undefined as any) }, /'prometheus.scraper' \(unset\) must be a NetworkPeer/],
  ])('fails when %s', (_, props, message) => {
    expect(() => new PlatformAlerts(testChart(), 'Alerts', props as any)).toThrow(message);
  });

  test('labels the PrometheusRule of a name longer than a label value holds with a name cut there and hashed', () => {
    const chart = testChart();
    const name = `platform-alerts.${'a'.repeat(70)}`;
    new PlatformAlerts(chart, 'Alerts', { name });
    const rule = one(synth(chart), 'PrometheusRule');
    expect(rule.metadata.name).toBe(name);
    expect(rule.metadata.labels['app.kubernetes.io/name']).toMatch(/^platform-alerts\.a{36}-[0-9a-f]{10}$/);
  });
});

describe('GrafanaDashboard with bad input', () => {
  const dashboard = (props: any) => new GrafanaDashboard(testChart(), 'Dashboard', { name: 'shop', title: 'Shop', panels: [PANEL], ...props });
  test.each([
    ['a query has an unbalanced bracket', { panels: [{ ...PANEL, queries: [{ expr: 'sum(rate(x[5m])', legend: 'all' }] }] },
      /\[test\/Dashboard\] 'panels.Requests.queries\[0\].expr' \('sum\(rate\(x\[5m\]\)'\) must be valid PromQL: a syntax error at the end/],
    ['a query is empty', { panels: [{ ...PANEL, queries: [{ expr: '', legend: 'all' }] }] }, /'panels.Requests.queries\[0\].expr' \(''\) must be a PromQL expression/],
    ['the panels are no array', { panels: PANEL }, /'panels' \(.*\) must be an array/],
    ['a unit is no PanelUnit', { panels: [{ ...PANEL, unit: 'rps' }] }, /'panels\[0\].unit' \('rps'\) must be a PanelUnit: 'reqps'/],
    ['a legend is missing', { panels: [{ ...PANEL, queries: [{ expr: 'up' }] }] }, /'panels\[0\].queries\[0\].legend' \(unset\) must be a string/],
    ['a tag is a number', { tags: [1] }, /'tags\[0\]' \(1\) must be a string/],
    ['the model is over 1 MiB', { panels: Array.from({ length: 26 }, (_, i) => ({ ...PANEL, title: `p${i}`, description: 'x'.repeat(41000) })) },
      /'panels' \('\d+ bytes'\) must hold at most 1048576 bytes of values \(1 MiB\)/],
  ])('fails when %s', (_, props, message) => {
    expect(() => dashboard(props)).toThrow(message);
  });

  test('accepts Grafana\'s interval variables in a query', () => {
    expect(() => dashboard({ panels: [{ ...PANEL, queries: [{ expr: 'sum(rate(x[$__rate_interval]))', legend: 'all' }] }] })).not.toThrow();
  });

  test('names the data key after a name of at most 248 characters, and cuts a longer one with a hash, within the 253 of a key', () => {
    const chart = testChart();
    const name = `${'a'.repeat(62)}.${'b'.repeat(62)}.${'c'.repeat(62)}.${'d'.repeat(62)}`;
    new GrafanaDashboard(chart, 'Dashboard', { name, title: 'Shop', panels: [PANEL] });
    const [key] = Object.keys(one(synth(chart), 'ConfigMap').data);
    expect(key).toHaveLength(253);
    expect(key).toMatch(/-[0-9a-f]{10}\.json$/);
  });
});

describe('AppMonitoring and AppMetrics with bad input', () => {
  const metrics = () => AppMetrics.resolve(Testing.chart(), {});
  const monitoring = (props: any) => new AppMonitoring(testChart(), 'Monitoring', {
    name: 'api', namespace: 'test', serviceName: 'api', deploymentName: 'api', labels: {}, metrics: metrics(), ...props,
  });
  test.each([
    ['the metrics are options, not AppMetrics', { metrics: {} }, /'metrics' \(\{\}\) must be an AppMetrics \(AppMetrics.resolve\)/],
    ['the name is no DNS label', { name: 'API' }, /'name' \('API'\) must be a DNS label/],
    ['the namespace is no namespace name', { namespace: 'Test' }, /'namespace' \('Test'\) must be a DNS-1123 label/],
    ['the Service name is no DNS label', { serviceName: 'api.svc' }, /'serviceName' \('api.svc'\) must be a DNS label/],
    ['a label value has a space', { labels: { team: 'a b' } }, /'labels.team' \('a b'\) is not a valid label value/],
  ])('fails when %s', (_, props, message) => {
    expect(() => monitoring(props)).toThrow(message);
  });

  test.each([
    ['the scrape interval is a fraction of a second', { interval: Duration.millis(1500) }, /'metrics.interval' \('1.5s'\) must be a whole number of seconds, at least 1/],
    ['the scrape interval is a number', { interval: 30 }, /'metrics.interval' \(30\) must be a Duration/],
    ['the metrics path has a space', { path: '/me trics' }, /'metrics.path' \('\/me trics'\) must be an absolute path of an HTTP request/],
    ['the error ratio is NaN', { alerts: { maxErrorRatio: NaN } }, /'metrics.alerts.maxErrorRatio' \(NaN\) must be between 0 and 1 \(exclusive\)/],
    ['the latency quantile is a string', { alerts: { latencyQuantile: '0.99' } }, /'metrics.alerts.latencyQuantile' \('0.99'\) must be a number/],
    ['the options are an array', [], /'metrics' \(\[\]\) must be a MetricsOptions object/],
  ])('fails when %s', (_, options, message) => {
    expect(() => new ProductionApp(testChart(), 'Api', { image: Image.pinned('ghcr.io/acme/api', '1.0.0'), metrics: options as any })).toThrow(message);
  });
});
