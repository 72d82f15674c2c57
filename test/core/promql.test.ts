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

  describe('parses an expression once per shape (its quoted strings emptied), and never lets a bad one through', () => {
    // Every app's alerts and panels differ only in their label values: one parse stands for all of them.
    test('an expression of a shape already parsed is accepted whatever its strings hold, escapes and other quotes included', () => {
      expect(promqlProblem('sum(rate(http_requests_total{app="shape-a"}[5m])) > 1')).toBeUndefined();
      expect(promqlProblem('sum(rate(http_requests_total{app="sh\\"ape \'b\' # `x`"}[5m])) > 1')).toBeUndefined();
    });

    test.each([
      ['the same shape with a string left open', 'sum(rate(http_requests_total{app="shape-c}[5m])) > 1'],
      ['the same shape with a string whose closing quote is escaped', 'sum(rate(http_requests_total{app="shape-d\\"}[5m])) > 1'],
      ['the same strings in another, broken shape', 'sum(rate(http_requests_total{app="shape-a"}[5m]) > 1'],
      ['a quote outside a string', 'sum(rate(http_requests_total{app="shape-a"}[5m])) > 1"'],
    ])('fails when %s, after the valid shape was parsed', (_, expr) => {
      expect(promqlProblem('sum(rate(http_requests_total{app="shape-a"}[5m])) > 1')).toBeUndefined();
      expect(promqlProblem(expr)).toMatch(/^must be valid PromQL: a syntax error/);
    });

    test('reads an expression with a comment, a raw string or a line break as it is, not by its shape', () => {
      expect(promqlProblem('up{job="a"} # "unclosed')).toBeUndefined();
      expect(promqlProblem('up{job="a"} # "\n)')).toMatch(/^must be valid PromQL/);
      expect(promqlProblem('up{job=`a"`} == 1')).toBeUndefined();
      expect(promqlProblem('up{job=`a\n`} ==')).toMatch(/^must be valid PromQL/);
    });

    test('reports the position in the expression given, not in its shape', () => {
      expect(promqlProblem('up{job="a-long-job-name"} == 0')).toBeUndefined();
      expect(promqlProblem('up{job="a-long-job-name"} ==')).toBe('must be valid PromQL: a syntax error at the end');
      expect(promqlProblem('up{job="a-long-job-name"} )')).toBe('must be valid PromQL: a syntax error at character 27 (\'ob-name"} )\')');
    });
  });
});
