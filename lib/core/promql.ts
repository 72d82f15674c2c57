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
  // The text of a string literal never decides whether the expression parses (the grammar's string token takes any
  // content), so expressions that differ only in their label values, as every app's do, share one parse. Only where
  // quotes can be told apart on one line as the lexer tells them: no comment, raw string or line break.
  const shape = SHAPELESS.test(text) ? undefined : text.replace(STRING_LITERALS, '""');
  if (shape !== undefined && VALID_SHAPES.has(shape)) {
    return undefined;
  }
  const problem = syntaxProblem(text);
  if (problem === undefined && shape !== undefined && VALID_SHAPES.size < MAX_VALID_SHAPES) {
    VALID_SHAPES.add(shape);
  }
  return problem;
}

/** What the shape of an expression is not taken for: a comment, a raw string or a line break. */
const SHAPELESS = /[#`\n\r]/;

/**
 * PromQL's quoted string literals as the lezer-promql grammar reads them: double- or single-quoted, with backslash
 * escapes. An unterminated one is not matched, and stays for the parser to refuse.
 */
const STRING_LITERALS = /"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g;
/** The shapes (expressions with their strings emptied) known to parse; bounded, so that a long run holds no more. */
const VALID_SHAPES = new Set<string>();
const MAX_VALID_SHAPES = 10_000;

/** Where `text` stops being PromQL, as a message, or `undefined` when it parses. */
function syntaxProblem(text: string): string | undefined {
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
