import { Duration } from 'cdk8s';
import { AlertCondition, AlertSeverity } from '../../lib';
import { prometheusDuration, renderAlerts } from '../../lib/monitoring/alerting';
import { parsePromql } from '../promql';

describe('AlertCondition', () => {
  test('gaugeIsZero fires for series of the namespace that are 0', () => {
    // GIVEN
    const condition = AlertCondition.gaugeIsZero('pg_up');

    // THEN
    expect(condition.expression('shop')).toBe('pg_up{namespace="shop"} == 0');
    expect(condition.problem()).toBeUndefined();
  });

  test('counterIncrease sums the counter over the namespace and window', () => {
    // GIVEN
    const condition = AlertCondition.counterIncrease('celery_task_failed_total', 5, Duration.minutes(15));

    // THEN
    expect(condition.expression('shop'))
      .toBe('sum by (namespace) (increase(celery_task_failed_total{namespace="shop"}[15m])) > 5');
    expect(condition.problem()).toBeUndefined();
  });

  test('query is taken as written and none yields no alert', () => {
    expect(AlertCondition.query('  up{job="db"} == 0 ').expression('shop')).toBe('up{job="db"} == 0');
    expect(AlertCondition.none().expression('shop')).toBeUndefined();
  });

  test('every expression it writes is valid PromQL', () => {
    for (const condition of [AlertCondition.gaugeIsZero('redis_up'), AlertCondition.counterIncrease('x_total', 0, Duration.hours(1))]) {
      expect(parsePromql(condition.expression('shop') ?? '').errors).toEqual([]);
    }
  });

  test.each([
    ['a metric name with a dash', AlertCondition.gaugeIsZero('pg-up'), /must be a Prometheus metric name/],
    ['a counter with a bad metric name', AlertCondition.counterIncrease('1failures', 5, Duration.minutes(5)), /must be a Prometheus metric name/],
    ['a negative threshold', AlertCondition.counterIncrease('failures_total', -1, Duration.minutes(5)), /threshold of at least 0/],
    ['a window under a minute', AlertCondition.counterIncrease('failures_total', 1, Duration.seconds(30)), /window of whole seconds, at least one minute/],
    ['a window of fractional seconds', AlertCondition.counterIncrease('failures_total', 1, Duration.millis(90500)), /window of whole seconds/],
    ['an empty query', AlertCondition.query(' '), /must have a PromQL expression/],
  ])('reports a problem for %s', (_, condition, problem) => {
    expect(condition.problem()).toMatch(problem);
  });
});

describe('renderAlerts', () => {
  const alert = {
    name: 'SomethingBroke',
    expr: 'up == 0',
    for: Duration.minutes(5),
    severity: AlertSeverity.WARNING,
    summary: 'Something broke',
    description: 'Something broke for 5 minutes.',
  };

  test('writes the severity and namespace labels, the annotations and the for duration', () => {
    expect(JSON.parse(JSON.stringify(renderAlerts([alert], { namespace: 'shop' }).map((rule) => ({ ...rule, expr: rule.expr.value }))))).toEqual([{
      alert: 'SomethingBroke',
      expr: 'up == 0',
      for: '5m',
      // kube-prometheus-stack 88.5.3's Alertmanager inhibits with equal: [namespace, alertname] (values.yaml, alertmanager.config):
      // an alert whose expression aggregates the namespace away still carries it.
      labels: { namespace: 'shop', severity: 'warning' },
      annotations: { summary: 'Something broke', description: 'Something broke for 5 minutes.' },
    }]);
  });

  test('links the runbook of each alert under the base URL, without doubling a trailing slash', () => {
    expect(renderAlerts([alert], { namespace: 'shop', runbookBaseUrl: 'https://runbooks.example.com/ops/' })[0].annotations?.runbook_url)
      .toBe('https://runbooks.example.com/ops/somethingbroke');
  });

  test('puts extra labels on every rule, without letting them override the severity or the namespace', () => {
    const rules = renderAlerts([alert, { ...alert, name: 'SomethingElseBroke', severity: AlertSeverity.CRITICAL }],
      { namespace: 'shop', labels: { cnpg_cluster: 'db', severity: 'info', namespace: 'other' } });
    expect(rules.map((rule) => rule.labels)).toEqual([
      { cnpg_cluster: 'db', namespace: 'shop', severity: 'warning' },
      { cnpg_cluster: 'db', namespace: 'shop', severity: 'critical' },
    ]);
  });

  test('severities are the three kube-prometheus-stack routes and inhibits on', () => {
    // kube-prometheus-stack 88.5.3: its rules use critical, warning and info (templates/prometheus/rules-1.14/*.yaml), and its
    // default inhibit rules match severity = critical, warning and info (values.yaml, alertmanager.config.inhibit_rules).
    expect(Object.values(AlertSeverity).sort()).toEqual(['critical', 'info', 'warning']);
  });
});

test('prometheusDuration writes the largest whole unit', () => {
  expect([Duration.seconds(90), Duration.minutes(10), Duration.hours(2), Duration.minutes(90)].map(prometheusDuration))
    .toEqual(['90s', '10m', '2h', '90m']);
});

test('the PromQL parser of the tests rejects broken expressions', () => {
  expect(parsePromql('sum(rate(x[5m])').errors).not.toEqual([]);
  expect(parsePromql('no_such_function(x)').errors).not.toEqual([]);
  expect(parsePromql('sum by (le) (rate(a_bucket{b="c"}[$__rate_interval]))')).toEqual({
    errors: [], metrics: ['a_bucket'], selectors: [{ metric: 'a_bucket', matchers: [{ label: 'b', op: '=', value: 'c' }] }], labels: ['le', 'b'],
  });
});
