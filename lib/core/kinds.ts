import { IConstruct } from 'constructs';
import { check } from './errors';

/**
 * Record keys cdk8s cannot render (cdk8s 2.70 resolves objects by assignment): it drops a
 * `__proto__` key without a word and fails on a `constructor` key ("can't render non-simple object").
 */
const UNRENDERABLE_KEYS = new Set(['__proto__', 'constructor']);

type Accepts = (value: unknown) => boolean;
type Inner = (scope: IConstruct, prop: string, value: any) => void;

/**
 * What kind of JavaScript value a prop must be, for callers without a type checker (plain
 * JavaScript, values read from JSON or YAML). Each construct checks the kind of every prop it
 * receives before it reads it, so that a string where a `Size` belongs fails with the construct path
 * and the prop (`[Platform/Api] 'resources.memory.limit' ('512Mi') must be a Size (Size.mebibytes,
 * Size.gibibytes, ...)`) instead of `size.toKibibytes is not a function`.
 */
export class Kind {
  public static readonly STRING = new Kind('a string', (v) => typeof v === 'string');
  /** A string that may be a credential: a wrong value is never printed. */
  public static readonly SECRET_STRING = new Kind('a string', (v) => typeof v === 'string', undefined, true);
  /** Any number: ranges (and `NaN`) are the checks' business, which print the value. */
  public static readonly NUMBER = new Kind('a number', (v) => typeof v === 'number');
  public static readonly BOOLEAN = new Kind('true or false', (v) => typeof v === 'boolean');
  public static readonly DATE = new Kind('a Date', (v) => v instanceof Date);
  public static readonly FUNCTION = new Kind('a function', (v) => typeof v === 'function');
  /** A `Cpu` of cdk8s-plus (any version: recognised by its `amount`). */
  public static readonly CPU = new Kind('a Cpu (Cpu.millis or Cpu.units)', (v) => isObject(v) && typeof v.amount === 'string');
  /** A cdk8s `Size`. */
  public static readonly SIZE = new Kind('a Size (Size.mebibytes, Size.gibibytes, ...)', (v) => isObject(v) && typeof v.toKibibytes === 'function');
  /** A cdk8s `Duration`. */
  public static readonly DURATION = new Kind('a Duration (Duration.seconds, Duration.minutes, ...)',
    (v) => isObject(v) && typeof v.toSeconds === 'function' && typeof v.toMilliseconds === 'function');
  /** A construct of the tree. */
  public static readonly CONSTRUCT = new Kind('a construct', (v) => isObject(v) && isObject(v.node) && typeof v.node.path === 'string');

  /** An array whose every item is of kind `item` (named `<prop>[<index>]`). */
  public static array(item: Kind): Kind {
    return new Kind(`an array (each item ${item.description})`, Array.isArray,
      (scope, prop, value: unknown[]) => value.forEach((v, i) => item.check(scope, `${prop}[${i}]`, v)));
  }

  /**
   * A plain object used as a map whose every value is of kind `value` (named `<prop>.<key>`); keys
   * cdk8s cannot render (`__proto__`, `constructor`) are refused.
   */
  public static record(value: Kind): Kind {
    return new Kind(`an object (each value ${value.description})`, isRecord, (scope, prop, record: Record<string, unknown>) => {
      for (const key of Object.keys(record)) {
        check(!UNRENDERABLE_KEYS.has(key), scope, `${prop}.${key}`, key,
          'must not be __proto__ or constructor: cdk8s drops a __proto__ key and fails on a constructor key when it renders the object');
        value.check(scope, `${prop}.${key}`, record[key]);
      }
    }, value.redacted);
  }

  /** A plain object with the props of `kinds` (each named `<prop>.<member>`), as an interface `description` names it. */
  public static object<T>(description: string, kinds: Kinds<T>): Kind {
    return new Kind(description, isRecord, (scope, prop, value: Record<string, unknown>) => checkMembers(scope, `${prop}.`, value, kinds));
  }

  /** An instance of the class `type`, made with its factories, as `description` says. */
  // `Function`: the value classes have private constructors, which no constructor type admits.
  public static instance(type: Function, description: string): Kind {
    return new Kind(description, (v) => v instanceof type);
  }

  /** One of the values of an enum (or a list), e.g. `Kind.oneOf(AccessMode, 'an AccessMode')`. */
  public static oneOf(values: Readonly<Record<string, string>> | readonly string[], description: string): Kind {
    const allowed: readonly string[] = Array.isArray(values) ? values : Object.values(values);
    return new Kind(`${description}: ${allowed.map((v) => `'${v}'`).join(', ')}`, (v) => typeof v === 'string' && allowed.includes(v));
  }

  /** An object that has each of `members`, as an interface (`IWorkload`, `ISecretProducer`, ...) `description` names it. */
  public static shape(description: string, members: readonly string[]): Kind {
    return new Kind(description, (v) => isObject(v) && members.every((m) => v[m] !== undefined && v[m] !== null));
  }

  private constructor(
    /** What the value must be, as the message says it: `a string`, `an Image (Image.pinned, ...)`. */
    public readonly description: string,
    /** Whether `value` is of this kind (without its members' kinds). */
    public readonly accepts: Accepts,
    private readonly inner?: Inner,
    /** Whether a wrong value stays out of the message (it may be a credential). */
    private readonly redacted = false,
  ) {}

  /** The same kind, or `undefined` (not `null`: an optional prop is left out, or set). */
  public optional(): Kind {
    return new Kind(`${this.description}, or left unset`, (v) => v === undefined || this.accepts(v),
      (scope, prop, value) => {
        if (value !== undefined) {
          this.inner?.(scope, prop, value);
        }
      }, this.redacted);
  }

  /** Throws a `ValidationError` naming `prop` of `scope` unless `value` is of this kind. */
  public check(scope: IConstruct, prop: string, value: unknown): void {
    check(this.accepts(value), scope, prop, this.redacted && value !== undefined ? '<redacted>' : value, `must be ${this.description}`);
    this.inner?.(scope, prop, value);
  }
}

/** The kind of every prop of `T`: the compiler makes a new prop fail until its kind is written down. */
export type Kinds<T> = { readonly [K in keyof T]-?: Kind };

/**
 * Checks that `props` is an object (a plain JavaScript caller may pass none, or `null`) and that
 * every prop is of its kind, before a construct reads any of them.
 */
export function checkProps<T>(scope: IConstruct, props: T, kinds: Kinds<T>, description: string): void {
  check(isRecord(props), scope, 'props', props, `must be an object of ${description}`);
  checkMembers(scope, '', props as Record<string, unknown>, kinds);
}

function checkMembers<T>(scope: IConstruct, prefix: string, value: Record<string, unknown>, kinds: Kinds<T>): void {
  for (const [member, kind] of Object.entries(kinds as Record<string, Kind>)) {
    kind.check(scope, `${prefix}${member}`, value[member]);
  }
}

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null;
}

/** An object with props: not an array, a function, `null` or a collection (a Map's entries are no props). */
function isRecord(value: unknown): value is Record<string, unknown> {
  return isObject(value) && !Array.isArray(value) && !(value instanceof Map) && !(value instanceof Set) && !(value instanceof Date);
}
