import { IConstruct } from 'constructs';

/**
 * A prop or argument that is unsafe or contradicts itself.
 *
 * The message names the construct path, the prop, the value and the rule, in the
 * form cdk8s uses for `node.addValidation` errors:
 * `[Platform/Api] 'replicas' (1) must be at least 2 when a PodDisruptionBudget is enabled`.
 */
export class ValidationError extends Error {
  public readonly path: string;
  public readonly prop: string;

  public constructor(scope: IConstruct, prop: string, value: unknown, rule: string) {
    super(`[${scope.node.path}] '${prop}' (${describeValue(value)}) ${rule}`);
    this.name = 'ValidationError';
    this.path = scope.node.path;
    this.prop = prop;
  }
}

/** Throws a {@link ValidationError} for `prop` of `scope` when `condition` is false. */
export function check(condition: boolean, scope: IConstruct, prop: string, value: unknown, rule: string): asserts condition {
  if (!condition) {
    throw new ValidationError(scope, prop, value, rule);
  }
}

function describeValue(value: unknown): string {
  if (value === undefined) {
    return 'unset';
  }
  if (typeof value === 'string') {
    return `'${value}'`;
  }
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
