import { parser } from '@prometheus-io/lezer-promql';

/** Grafana's interval variables: Grafana replaces them with a duration before it queries Prometheus. */
const GRAFANA_INTERVALS = /\$__(rate_interval|interval|range)/g;

/** A vector selector of an expression: the metric and its label matchers (label name and the quoted value). */
export interface PromqlSelector {
  readonly metric: string;
  readonly matchers: ReadonlyArray<{ readonly label: string; readonly op: string; readonly value: string }>;
}

/** What the PromQL parser makes of an expression. */
export interface ParsedPromql {
  /** Offsets of syntax errors; empty when the expression is valid PromQL. */
  readonly errors: number[];
  /** Names of the metrics the expression selects. */
  readonly metrics: string[];
  /** Every vector selector, in order. */
  readonly selectors: PromqlSelector[];
  /** Every label the expression names: in matchers, `by`/`without` and `on`/`ignoring`. */
  readonly labels: string[];
}

/** Parses `expr` with Prometheus's own grammar (the one its web UI uses). */
export function parsePromql(expr: string): ParsedPromql {
  const text = expr.replace(GRAFANA_INTERVALS, '5m');
  const errors: number[] = [];
  const metrics = new Set<string>();
  const labels = new Set<string>();
  const selectors: PromqlSelector[] = [];
  const slice = (node: { from: number; to: number } | null) => (node ? text.slice(node.from, node.to) : '');
  parser.parse(text).iterate({
    enter: (node) => {
      if (node.type.isError) {
        errors.push(node.from);
      }
      if (node.name === 'LabelName') {
        labels.add(slice(node));
      }
      if (node.name === 'VectorSelector') {
        const metric = slice(node.node.getChild('Identifier'));
        if (metric !== '') {
          metrics.add(metric);
        }
        const matchers = node.node.getChild('LabelMatchers')?.getChildren('UnquotedLabelMatcher') ?? [];
        selectors.push({
          metric,
          matchers: matchers.map((m) => ({ label: slice(m.getChild('LabelName')), op: slice(m.getChild('MatchOp')), value: JSON.parse(slice(m.getChild('StringLiteral'))) })),
        });
      }
    },
  });
  return { errors, metrics: [...metrics], selectors, labels: [...labels] };
}
