import { parser } from '@prometheus-io/lezer-promql';

/** Grafana's interval variables (`$__rate_interval`, `${__interval}`, ...): Grafana puts a duration in their place before it queries Prometheus. */
const GRAFANA_INTERVALS = /\$(\{__(rate_interval|interval|range)\}|__(rate_interval|interval|range))/g;

/**
 * Why `expr` is no PromQL expression, or `undefined` when it is one: parsed with Prometheus's own
 * grammar (`@prometheus-io/lezer-promql`, the parser of its web UI), so that an unbalanced bracket, a
 * missing operand or a stray character fails synth instead of the rule group (Prometheus refuses to
 * load a PrometheusRule group with one bad expression) or the dashboard panel. With `grafana`, Grafana's
 * interval variables stand for a duration. The grammar checks syntax, not types: `rate(x)` without a
 * range parses.
 */
export function promqlProblem(expr: string, options: { readonly grafana?: boolean } = {}): string | undefined {
  if (typeof expr !== 'string' || expr.trim() === '') {
    return 'must be a PromQL expression';
  }
  const text = options.grafana ? expr.replace(GRAFANA_INTERVALS, '5m') : expr;
  let error: number | undefined;
  parser.parse(text).iterate({
    enter: (node) => {
      if (error === undefined && node.type.isError) {
        error = node.from;
      }
      return error === undefined;
    },
  });
  if (error === undefined) {
    return undefined;
  }
  const at = error >= text.length ? 'at the end' : `at character ${error + 1} ('${text.slice(Math.max(0, error - 10), error + 10)}')`;
  return `must be valid PromQL: a syntax error ${at}`;
}
