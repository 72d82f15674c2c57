import { parser } from '@prometheus-io/lezer-promql';

/** Grafana's interval variables: Grafana replaces them with a duration before it queries Prometheus. */
const GRAFANA_INTERVALS = /\$__(rate_interval|interval|range)/g;

/** What the PromQL parser makes of an expression. */
export interface ParsedPromql {
  /** Offsets of syntax errors; empty when the expression is valid PromQL. */
  readonly errors: number[];
  /** Names of the metrics the expression selects. */
  readonly metrics: string[];
}

/** Parses `expr` with Prometheus's own grammar (the one its web UI uses). */
export function parsePromql(expr: string): ParsedPromql {
  const text = expr.replace(GRAFANA_INTERVALS, '5m');
  const errors: number[] = [];
  const metrics = new Set<string>();
  parser.parse(text).iterate({
    enter: (node) => {
      if (node.type.isError) {
        errors.push(node.from);
      }
      if (node.name === 'VectorSelector') {
        const identifier = node.node.getChild('Identifier');
        if (identifier) {
          metrics.add(text.slice(identifier.from, identifier.to));
        }
      }
    },
  });
  return { errors, metrics: [...metrics] };
}
