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

  test('writes the severity label, the annotations and the for duration', () => {
    expect(JSON.parse(JSON.stringify(renderAlerts([alert]).map((rule) => ({ ...rule, expr: rule.expr.value }))))).toEqual([{
      alert: 'SomethingBroke',
      expr: 'up == 0',
      for: '5m',
      labels: { severity: 'warning' },
      annotations: { summary: 'Something broke', description: 'Something broke for 5 minutes.' },
    }]);
  });

  test('links the runbook of each alert under the base URL, without doubling a trailing slash', () => {
    expect(renderAlerts([alert], 'https://runbooks.example.com/ops/')[0].annotations?.runbook_url)
      .toBe('https://runbooks.example.com/ops/somethingbroke');
  });

  test('puts extra labels on every rule, without letting them override the severity', () => {
    const rules = renderAlerts([alert, { ...alert, name: 'SomethingElseBroke', severity: AlertSeverity.CRITICAL }], undefined,
      { cnpg_cluster: 'db', severity: 'info' });
    expect(rules.map((rule) => rule.labels)).toEqual([
      { cnpg_cluster: 'db', severity: 'warning' },
      { cnpg_cluster: 'db', severity: 'critical' },
    ]);
  });
});

test('prometheusDuration writes the largest whole unit', () => {
  expect([Duration.seconds(90), Duration.minutes(10), Duration.hours(2), Duration.minutes(90)].map(prometheusDuration))
    .toEqual(['90s', '10m', '2h', '90m']);
});

test('the PromQL parser of the tests rejects broken expressions', () => {
  expect(parsePromql('sum(rate(x[5m])').errors).not.toEqual([]);
  expect(parsePromql('no_such_function(x)').errors).not.toEqual([]);
  expect(parsePromql('sum by (le) (rate(a_bucket{b="c"}[$__rate_interval]))')).toEqual({ errors: [], metrics: ['a_bucket'] });
});
