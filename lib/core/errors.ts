import { IConstruct } from 'constructs';
import { credentialInValue } from './credential-values';

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

/** Longest text of a value in a message; a longer one is cut, with its length. */
const MAX_TEXT = 120;

/**
 * A value as a message shows it, whatever a caller without a type checker passed: strings quoted
 * (cut when long, and never a credential: a value that holds one shows as `<redacted>`), `NaN` and
 * `Infinity` by name, BigInts with their `n`, functions and symbols by name, circular objects
 * without recursing.
 */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'undefined':
      return 'unset';
    case 'string':
      return credentialInValue(value) !== undefined ? '\'<redacted>\'' : cut(`'${value}'`, value.length, 'characters');
    case 'number':
    case 'boolean':
      return String(value);
    case 'bigint':
      return `${value}n`;
    case 'symbol':
      return value.toString();
    case 'function':
      return value.name !== '' ? `function ${value.name}` : 'a function';
  }
  if (value === null) {
    return 'null';
  }
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  }
  const text = json(value as object);
  return cut(text, text.length, 'characters of JSON');
}

function cut(text: string, length: number, unit: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 20)}... (${length} ${unit})` : text;
}

/** `value` as JSON, with what JSON cannot hold written as a message shows it. */
function json(value: object): string {
  const seen = new WeakSet<object>();
  return JSON.stringify(value, (_, v: unknown) => {
    if (typeof v === 'object' && v !== null) {
      if (seen.has(v)) {
        return '[circular]';
      }
      seen.add(v);
      return v;
    }
    switch (typeof v) {
      case 'string':
        return credentialInValue(v) !== undefined ? '<redacted>' : v;
      case 'number':
        return Number.isFinite(v) ? v : describeValue(v);
      case 'bigint':
      case 'function':
      case 'symbol':
        return describeValue(v);
      default:
        return v;
    }
  }) ?? describeValue(undefined);
}

/**
 * Throws when `condition` is false for an argument that belongs to no construct (the root given to
 * `Guardrails.apply`, the app given to `synthWithGuardrails`, a plugin's properties), in the format
 * of {@link ValidationError} with the function in place of the construct path:
 * `synthWithGuardrails: 'app' (undefined) must be a cdk8s App`.
 */
export function checkArgument(condition: boolean, source: string, prop: string, value: unknown, rule: string): asserts condition {
  if (!condition) {
    throw new TypeError(`${source}: '${prop}' (${describeValue(value)}) ${rule}`);
  }
}
