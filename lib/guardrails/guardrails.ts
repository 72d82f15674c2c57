import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { check } from '../errors';
import { Tier, tierOf } from '../tier';
import { GuardrailObject, ObjectIndex } from './objects';
import { GuardrailFinding, GuardrailReport, UnknownSuppression } from './report';
import { GuardrailRule, RuleLevel } from './rule';
import { BUILTIN_RULES } from './rules';

/** Annotation prefix that records a suppression on the object it covers: `<prefix><rule-id>: <reason>`. */
export const SUPPRESSION_ANNOTATION_PREFIX = 'guardrails.cdk8s-golden-path/suppress.';

const SUPPRESSION_METADATA = 'cdk8s-golden-path:guardrails:suppress';
/** Rule ids become annotation key names (at most 63 characters with the `suppress.` prefix). */
const RULE_ID = /^[a-z0-9]([-a-z0-9]{0,52}[a-z0-9])?$/;
const APPLIED = new WeakMap<IConstruct, Guardrails>();

/** Props of {@link Guardrails}. */
export interface GuardrailsProps {
  /** Rules of your own, checked after the built-in ones and with the same levels and suppressions. @default - the built-in rules only */
  readonly rules?: readonly GuardrailRule[];
}

interface Suppression {
  readonly ruleId: string;
  readonly reason: string;
}

/**
 * Production guardrails for a cdk8s app: every rule runs over every API object of the tree
 * (whether a construct of this library, cdk8s-plus or an L1 object wrote it) when the app synthesizes.
 *
 * In the production tier (see {@link tierOf}) a violation of an error-level rule fails synthesis
 * before anything is written, with the construct path, the object, the rule and the fix; in the
 * development tier every violation is a warning in the report. A deliberate exception is a
 * {@link Guardrails.suppress} with a reason, recorded on the object and in the report.
 */
export class Guardrails {
  /**
   * Checks `root` (usually the App) whenever it synthesizes. Call once per app.
   * @returns the guardrails, whose `report` holds the findings of the last synthesis
   */
  public static apply(root: IConstruct, props: GuardrailsProps = {}): Guardrails {
    check(!APPLIED.has(root), root, 'guardrails', root.node.path, 'are already applied to this construct: apply them once per app');
    const guardrails = new Guardrails(root, props);
    APPLIED.set(root, guardrails);
    return guardrails;
  }

  /** The guardrails applied to `root`, if any. */
  public static of(root: IConstruct): Guardrails | undefined {
    return APPLIED.get(root);
  }

  /**
   * Accepts violations of rule `ruleId` by every object at or below `scope`, for `reason`.
   * The reason is required: it is recorded as an annotation on each object whose violation it
   * accepts, and in the report.
   */
  public static suppress(scope: IConstruct, ruleId: string, reason: string): void {
    check(RULE_ID.test(ruleId), scope, 'ruleId', ruleId, 'must be a guardrail rule id: lowercase letters, digits and \'-\'');
    check(reason.trim() !== '', scope, 'reason', reason, 'must say why the exception is safe');
    scope.node.addMetadata(SUPPRESSION_METADATA, { ruleId, reason: reason.trim() } satisfies Suppression);
  }

  /** The rules checked: the built-in pack, then the rules of your own. */
  public readonly rules: readonly GuardrailRule[];
  private lastReport?: GuardrailReport;
  /** The synthesis under way through {@link Guardrails.synthesizing}: its validation result and the renderings it keeps. */
  private synthesis?: { errors?: string[]; readonly kept: ApiObject[] };
  private readonly errorsByNode = new Map<IConstruct, string[]>();
  private readonly validated = new WeakSet<IConstruct>();

  private constructor(private readonly root: IConstruct, props: GuardrailsProps) {
    this.rules = [...BUILTIN_RULES, ...props.rules ?? []];
    const ids = new Set<string>();
    for (const rule of this.rules) {
      check(RULE_ID.test(rule.id), root, 'rules.id', rule.id, 'must be lowercase letters, digits and \'-\', at most 54 characters');
      check(!ids.has(rule.id), root, 'rules.id', rule.id, 'is already the id of another rule: ids are unique');
      ids.add(rule.id);
    }
    root.node.addValidation({ validate: () => this.validate() });
  }

  /** The findings of the last synthesis, or `undefined` before the first. */
  public get report(): GuardrailReport | undefined {
    return this.lastReport;
  }

  /** Checks the tree as it is now, without annotating or failing anything. */
  public evaluate(): GuardrailReport {
    return evaluate(this.root, this.rules).report;
  }

  /**
   * Runs when the app synthesizes, before anything is written. The root is validated first, so
   * the errors are handed to each violating object's own validation, and cdk8s prints them under
   * that object's construct path.
   */
  /**
   * Runs `synth`, a synthesis of the root, checking the tree once. cdk8s validates the whole app
   * again for every chart it writes, and the tree cannot change during a synthesis, so the first
   * validation's result stands for the others; and each object checked is not rendered again for
   * writing (see {@link reuseRendering}).
   * @internal
   */
  public synthesizing<T>(synth: () => T): T {
    this.synthesis = { kept: [] };
    try {
      return synth();
    } finally {
      this.synthesis.kept.forEach(forgetRendering);
      this.synthesis = undefined;
    }
  }

  private validate(): string[] {
    if (this.synthesis?.errors !== undefined) {
      return this.synthesis.errors;
    }
    const { report, constructs, unknownScopes } = evaluate(this.root, this.rules);
    this.lastReport = report;
    this.errorsByNode.clear();
    const annotated = new Set<ApiObject>();
    for (const finding of report.findings) {
      const construct = constructs.get(finding.object)!;
      if (finding.suppression !== undefined) {
        construct.metadata.addAnnotation(`${SUPPRESSION_ANNOTATION_PREFIX}${finding.rule.id}`, finding.suppression);
        annotated.add(construct);
      } else if (finding.level === RuleLevel.ERROR) {
        this.addError(construct, `${finding.object.title} violates guardrail ${finding.rule.id}: ${finding.message}; fix: ${finding.rule.fix}`);
      }
    }
    for (const [unknown, scope] of unknownScopes) {
      this.addError(scope, `suppresses the unknown guardrail '${unknown.ruleId}'; known rules are listed in cdk8s-golden-path/docs/guardrails.md`);
    }
    const errors = this.errorsByNode.get(this.root) ?? [];
    if (this.synthesis !== undefined) {
      this.synthesis.errors = errors;
      if (this.errorsByNode.size === 0) {
        for (const [object, construct] of constructs) {
          if (!annotated.has(construct)) {
            reuseRendering(construct, object.manifest);
            this.synthesis.kept.push(construct);
          }
        }
      }
    }
    return errors;
  }

  private addError(construct: IConstruct, message: string): void {
    const errors = this.errorsByNode.get(construct) ?? [];
    errors.push(message);
    this.errorsByNode.set(construct, errors);
    if (construct !== this.root && !this.validated.has(construct)) {
      this.validated.add(construct);
      construct.node.addValidation({ validate: () => this.errorsByNode.get(construct) ?? [] });
    }
  }
}

interface Evaluation {
  readonly report: GuardrailReport;
  /** The construct of each object checked. */
  readonly constructs: ReadonlyMap<GuardrailObject, ApiObject>;
  /** The scope each unknown suppression was set on. */
  readonly unknownScopes: ReadonlyMap<UnknownSuppression, IConstruct>;
}

/** Checks every API object below `root` against `rules`; each object is rendered (`toJson`) once. */
function evaluate(root: IConstruct, rules: readonly GuardrailRule[]): Evaluation {
  const objects: GuardrailObject[] = [];
  const constructs = new Map<GuardrailObject, ApiObject>();
  const suppressionsOf = new Map<GuardrailObject, ReadonlyMap<string, string>>();
  const declared: Array<{ ruleId: string; scope: IConstruct }> = [];

  const visit = (node: IConstruct, inherited: ReadonlyMap<string, string>): void => {
    let suppressions = inherited;
    for (const entry of node.node.metadata) {
      if (entry.type === SUPPRESSION_METADATA) {
        const { ruleId, reason } = entry.data as Suppression;
        suppressions = new Map([...suppressions, [ruleId, reason]]);
        declared.push({ ruleId, scope: node });
      }
    }
    if (ApiObject.isApiObject(node)) {
      const object = new GuardrailObject(node.node.path, node.toJson(), tierOf(node));
      objects.push(object);
      constructs.set(object, node);
      suppressionsOf.set(object, suppressions);
    }
    for (const child of node.node.children) {
      visit(child, suppressions);
    }
  };
  visit(root, new Map());

  const index = new ObjectIndex(objects);
  const findings: GuardrailFinding[] = [];
  const order = new Map(objects.map((o, i) => [o, i]));
  for (const rule of rules) {
    const candidates = rule.kinds === undefined ? objects : rule.kinds.flatMap((kind) => index.ofKind(kind));
    for (const object of candidates) {
      if (rule.tiers !== undefined && !rule.tiers.includes(object.tier)) {
        continue;
      }
      for (const message of rule.check(object, index)) {
        findings.push({
          rule,
          object,
          message,
          level: object.tier === Tier.DEVELOPMENT ? RuleLevel.WARNING : rule.level,
          suppression: suppressionsOf.get(object)?.get(rule.id),
        });
      }
    }
  }
  const ruleOrder = new Map(rules.map((r, i) => [r, i]));
  findings.sort((a, b) => (order.get(a.object)! - order.get(b.object)!) || (ruleOrder.get(a.rule)! - ruleOrder.get(b.rule)!));

  const known = new Set(rules.map((r) => r.id));
  const unknownScopes = new Map<UnknownSuppression, IConstruct>(declared.filter((s) => !known.has(s.ruleId))
    .map(({ ruleId, scope }) => [{ ruleId, path: scope.node.path }, scope]));
  return { report: new GuardrailReport(rules, objects.length, findings, [...unknownScopes.keys()]), constructs, unknownScopes };
}

/**
 * Rendering every object (`toJson`) is the largest cost of a synthesis after writing the YAML, and
 * the guardrails have just rendered each object of a tree that nothing changes before it is
 * written. So that the synthesis does not render it a second time, the object's next `toJson()`
 * returns that rendering, once; after that, or when the synthesis ends, the object renders afresh.
 * Objects annotated with a suppression, and every object of a tree with violations (whose
 * synthesis fails), render afresh.
 */
function reuseRendering(object: ApiObject, manifest: unknown): void {
  Object.defineProperty(object, 'toJson', {
    configurable: true,
    writable: true,
    value: () => {
      forgetRendering(object);
      return manifest;
    },
  });
}

/** Drops a rendering kept by {@link reuseRendering} that synthesis did not use. */
function forgetRendering(object: ApiObject): void {
  if (Object.prototype.hasOwnProperty.call(object, 'toJson')) {
    delete (object as { toJson?: unknown }).toJson;
  }
}
