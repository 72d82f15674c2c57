import { promqlProblem } from '../../lib/core/promql';

// Parsed with @prometheus-io/lezer-promql 0.315.0, the grammar of Prometheus's own web UI.
describe('promqlProblem', () => {
  test.each([
    'up == 0',
    'sum by (namespace) (increase(celery_task_failed_total{namespace="shop"}[15m])) > 5',
    'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))',
    '(count(cnpg_collector_up{pod=~"db-[0-9]+"} == 1) or vector(0)) < 3',
  ])('accepts %s', (expr) => {
    expect(promqlProblem(expr)).toBeUndefined();
  });

  test.each([
    ['a bracket is not closed', 'sum(rate(x[5m])', 'must be valid PromQL: a syntax error at the end'],
    ['a matcher is not closed', 'up{job="api" == 0', 'must be valid PromQL: a syntax error at character 14 (\'job="api" == 0\')'],
    ['an operand is missing', 'up ==', 'must be valid PromQL: a syntax error at the end'],
    ['a bracket closes nothing', 'up )', 'must be valid PromQL: a syntax error at character 4 (\'up )\')'],
    ['it is empty', '  ', 'must be a PromQL expression'],
    ['it is no string', 42 as unknown as string, 'must be a PromQL expression'],
  ])('fails when %s', (_, expr, problem) => {
    expect(promqlProblem(expr)).toBe(problem);
  });

  test('reads Grafana\'s interval variables as durations in a dashboard query, and only there', () => {
    expect(promqlProblem('rate(x[$__rate_interval])', { grafana: true })).toBeUndefined();
    expect(promqlProblem('rate(x[${__interval}])', { grafana: true })).toBeUndefined();
    expect(promqlProblem('rate(x[$__rate_interval])')).toMatch(/must be valid PromQL/);
  });
});
