import { Duration } from 'cdk8s';
import { AlertCondition, PlatformAlerts, PlatformAlertsProps, Prometheus } from '../../lib';
import { parsePromql } from '../promql';
import { Manifest, one, synth, testChart } from '../util';

function rulesOf(manifests: Manifest[]): any[] {
  return one(manifests, 'PrometheusRule').spec.groups.flatMap((group: any) => group.rules);
}

function ruleNamed(manifests: Manifest[], alert: string): any {
  return rulesOf(manifests).find((rule) => rule.alert === alert);
}

describe('PlatformAlerts', () => {
  test('by default alerts only on what every cluster exports: crash loops and full volumes', () => {
    // GIVEN
    const chart = testChart('shop');

    // WHEN
    new PlatformAlerts(chart, 'Alerts');

    // THEN
    const manifests = synth(chart);
    const rule = one(manifests, 'PrometheusRule');
    expect(rule.metadata).toMatchObject({ name: 'platform-alerts', namespace: 'shop' });
    // No DatabaseUnhealthy, CacheUnhealthy or TaskFailuresRising: nothing guarantees that postgres_exporter, redis_exporter or
    // celery-exporter runs, and an alert on a series nobody exports can never fire.
    expect(rulesOf(manifests).map((r) => [r.alert, r.labels.severity])).toEqual([
      ['PodCrashLooping', 'critical'],
      ['PersistentVolumeFillingUp', 'warning'],
    ]);
  });

  test('the dependency alerts exist when their condition is given, with the severities kube-prometheus-stack routes on', () => {
    // GIVEN
    const chart = testChart('shop');

    // WHEN
    new PlatformAlerts(chart, 'Alerts', {
      database: AlertCondition.gaugeIsZero('pg_up'),
      cache: AlertCondition.gaugeIsZero('redis_up'),
      taskFailures: AlertCondition.counterIncrease('celery_task_failed_total', 5, Duration.minutes(15)),
    });

    // THEN
    // Aileron rates an unhealthy Redis "High" (a task queue outage); kube-prometheus-stack 88.5.3 knows critical, warning and info
    // (templates/prometheus/rules-1.14/*.yaml, values.yaml alertmanager.config), and an outage pages: critical.
    const manifests = synth(chart);
    expect(rulesOf(manifests).map((r) => [r.alert, r.labels.severity])).toEqual([
      ['PodCrashLooping', 'critical'],
      ['PersistentVolumeFillingUp', 'warning'],
      ['DatabaseUnhealthy', 'critical'],
      ['CacheUnhealthy', 'critical'],
      ['TaskFailuresRising', 'warning'],
    ]);
    expect(ruleNamed(manifests, 'DatabaseUnhealthy').expr).toBe('pg_up{namespace="shop"} == 0');
    expect(ruleNamed(manifests, 'CacheUnhealthy').expr).toBe('redis_up{namespace="shop"} == 0');
    expect(ruleNamed(manifests, 'TaskFailuresRising').expr)
      .toBe('sum by (namespace) (increase(celery_task_failed_total{namespace="shop"}[15m])) > 5');
  });

  test('the PrometheusRule carries the labels the Prometheus selects, and every alert the namespace label', () => {
    // GIVEN
    const chart = testChart('shop');

    // WHEN
    new PlatformAlerts(chart, 'Alerts', { prometheus: Prometheus.kubePrometheusStack({ release: 'kps' }), cache: AlertCondition.gaugeIsZero('redis_up') });

    // THEN
    const manifests = synth(chart);
    expect(one(manifests, 'PrometheusRule').metadata.labels).toMatchObject({ release: 'kps', 'app.kubernetes.io/component': 'alerting' });
    expect(rulesOf(manifests).map((r) => r.labels.namespace)).toEqual(['shop', 'shop', 'shop']);
  });

  test('every alert is valid PromQL scoped to the namespace, with a for duration, a severity, a summary and a description', () => {
    // GIVEN
    const chart = testChart('shop');

    // WHEN
    new PlatformAlerts(chart, 'Alerts', { database: AlertCondition.gaugeIsZero('pg_up'), taskFailures: AlertCondition.counterIncrease('x_total', 1, Duration.hours(1)) });

    // THEN
    const rules = rulesOf(synth(chart));
    for (const rule of rules) {
      expect(parsePromql(rule.expr)).toMatchObject({ errors: [] });
      expect(rule.expr).toContain('namespace="shop"');
      expect(rule.for).toMatch(/^\d+[smh]$/);
      expect(rule.labels.severity).toMatch(/^(critical|warning|info)$/);
      expect(rule.annotations.summary).not.toEqual('');
      expect(rule.annotations.description).not.toEqual('');
    }
    expect(new Set(rules.map((r) => r.alert)).size).toBe(rules.length);
  });

  test('reads kube-state-metrics for crash loops and kubelet volume stats for volume usage', () => {
    // GIVEN
    const chart = testChart('shop');

    // WHEN
    new PlatformAlerts(chart, 'Alerts', { volumeUsagePercent: 90 });

    // THEN
    const manifests = synth(chart);
    expect(parsePromql(ruleNamed(manifests, 'PodCrashLooping').expr).metrics).toEqual(['kube_pod_container_status_waiting_reason']);
    expect(ruleNamed(manifests, 'PodCrashLooping').expr).toContain('reason="CrashLoopBackOff"');
    const volume = ruleNamed(manifests, 'PersistentVolumeFillingUp');
    expect(parsePromql(volume.expr).metrics).toEqual(['kubelet_volume_stats_used_bytes', 'kubelet_volume_stats_capacity_bytes']);
    expect(volume.expr).toMatch(/> 90$/);
    expect(volume.annotations.description).toContain('over 90% full');
  });

  test('conditions may be any query or counter, and none leaves the alert to the construct that owns the dependency', () => {
    // GIVEN
    const chart = testChart('shop');

    // WHEN
    new PlatformAlerts(chart, 'Alerts', {
      database: AlertCondition.none(),
      cache: AlertCondition.query('redis_connected_clients{namespace="shop"} < 1'),
      taskFailures: AlertCondition.counterIncrease('jobs_failed_total', 20, Duration.hours(1)),
    });

    // THEN
    const manifests = synth(chart);
    expect(ruleNamed(manifests, 'DatabaseUnhealthy')).toBeUndefined();
    expect(ruleNamed(manifests, 'CacheUnhealthy').expr).toBe('redis_connected_clients{namespace="shop"} < 1');
    expect(ruleNamed(manifests, 'TaskFailuresRising').expr)
      .toBe('sum by (namespace) (increase(jobs_failed_total{namespace="shop"}[1h])) > 20');
  });

  test('links every alert to its runbook when a base URL is given, and to none otherwise', () => {
    // GIVEN
    const withRunbooks = testChart('shop');
    const without = testChart('shop');

    // WHEN
    new PlatformAlerts(withRunbooks, 'Alerts', { runbookBaseUrl: 'https://runbooks.example.com/platform' });
    new PlatformAlerts(without, 'Alerts');

    // THEN
    expect(ruleNamed(synth(withRunbooks), 'PodCrashLooping').annotations.runbook_url)
      .toBe('https://runbooks.example.com/platform/podcrashlooping');
    expect(rulesOf(synth(without)).filter((r) => 'runbook_url' in r.annotations)).toEqual([]);
  });

  test('matches the snapshot with minimal props', () => {
    const chart = testChart('shop');
    new PlatformAlerts(chart, 'Alerts');
    expect(synth(chart)).toMatchSnapshot();
  });

  test('matches the snapshot with all props', () => {
    const chart = testChart('shop');
    const props: Required<PlatformAlertsProps> = {
      namespace: 'shop-prod',
      name: 'shop-alerts',
      runbookBaseUrl: 'https://runbooks.example.com/shop',
      volumeUsagePercent: 85,
      prometheus: Prometheus.kubePrometheusStack({ release: 'observability', namespace: 'observability' }),
      database: AlertCondition.gaugeIsZero('cnpg_collector_up'),
      cache: AlertCondition.gaugeIsZero('valkey_up'),
      taskFailures: AlertCondition.counterIncrease('celery_task_failed_total', 10, Duration.minutes(30)),
    };
    new PlatformAlerts(chart, 'Alerts', props);
    expect(synth(chart)).toMatchSnapshot();
  });

  describe('fails when', () => {
    test.each<[string, PlatformAlertsProps, RegExp]>([
      ['the name is not a DNS subdomain', { name: 'Platform_Alerts' }, /\[test\/Alerts\] 'name' \('Platform_Alerts'\) must be a DNS-1123 subdomain/],
      ['the namespace is not a DNS label', { namespace: 'Shop' }, /'namespace' \('Shop'\) must be a DNS-1123 label/],
      ['the runbook base URL is not absolute', { runbookBaseUrl: 'runbooks/platform' }, /'runbookBaseUrl' \('runbooks\/platform'\) must be an absolute http or https URL/],
      ['the runbook base URL is not http', { runbookBaseUrl: 'ftp://runbooks.example.com' }, /'runbookBaseUrl' .* must be an absolute http or https URL/],
      ['the volume usage is 100%', { volumeUsagePercent: 100 }, /'volumeUsagePercent' \(100\) must be an integer between 1 and 99/],
      ['the volume usage is a fraction', { volumeUsagePercent: 0.8 }, /'volumeUsagePercent' \(0.8\) must be an integer between 1 and 99/],
      ['the database metric is not a metric name', { database: AlertCondition.gaugeIsZero('pg-up') }, /'database' \('pg-up is 0'\) must be a Prometheus metric name/],
      ['the cache query is empty', { cache: AlertCondition.query('') }, /'cache' \(''\) must have a PromQL expression/],
      ['the task failure threshold is negative', { taskFailures: AlertCondition.counterIncrease('x_total', -1, Duration.minutes(15)) },
        /'taskFailures' .* must have a threshold of at least 0/],
      ['the Prometheus selects by a label key Kubernetes refuses', { prometheus: Prometheus.of({ selectorLabels: { 'team name': 'a' }, scraper: Prometheus.kubePrometheusStack().scraper, selection: 's' }) },
        /'prometheus.selectorLabels.team name' \('team name'\) is not a valid label key/],
      ['the task failure window is under a minute', { taskFailures: AlertCondition.counterIncrease('x_total', 1, Duration.seconds(10)) },
        /'taskFailures' .* must have a window of whole seconds, at least one minute/],
    ])('%s', (_, props, message) => {
      expect(() => new PlatformAlerts(testChart('shop'), 'Alerts', props)).toThrow(message);
    });

    test('no namespace is set on the alerts or their chart', () => {
      expect(() => new PlatformAlerts(testChart(''), 'Alerts')).toThrow(/'namespace' \(unset\) must be set on the PlatformAlerts or its Chart/);
    });
  });
});
