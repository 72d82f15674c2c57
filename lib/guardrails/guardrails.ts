import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { check, checkArgument } from '../core/errors';
import { exceptionsOn, recordException } from '../core/exceptions';
import { Kind, Kinds, checkProps } from '../core/kinds';
import { ConstructError, RenderedObject, throwValidationErrors } from '../core/manifests';
import { Prerequisite } from '../core/prerequisites';
import { GuardrailObject, Manifest, ObjectIndex } from './objects';
import { GuardrailFinding, GuardrailReport, UnknownSuppression } from './report';
import { GuardrailRule, RuleLevel, RuleSource } from './rule';
import { BUILTIN_RULES } from './rules';
import { Tier, tierOf } from './tier';

/** Annotation prefix that records a suppression on the object it covers: `<prefix><rule-id>: <reason>`. */
export const SUPPRESSION_ANNOTATION_PREFIX = 'guardrails.cdk8s-golden-path/suppress.';

/** Rule ids become annotation key names (at most 63 characters with the `suppress.` prefix). */
const RULE_ID = /^[a-z0-9]([-a-z0-9]{0,52}[a-z0-9])?$/;
const APPLIED = new WeakMap<IConstruct, Guardrails>();
/** Apps built from manifest files ({@link GuardrailsValidation}): no construct declared their prerequisites. */
const MANIFESTS_ONLY = new WeakSet<IConstruct>();

/**
 * Marks `root` as built from manifest files, whose prerequisites nobody declared: rules that accept
 * a declared prerequisite then check only what the manifests can answer.
 * @internal
 */
export function readsManifestsOnly(root: IConstruct): void {
  MANIFESTS_ONLY.add(root);
}

/**
 * A rule of your own, checked for callers without a type checker.
 * @internal
 */
export const RULE_KIND = Kind.object('a GuardrailRule (id, rule, reason, fix, sources, level and check)', {
  id: Kind.STRING,
  rule: Kind.STRING,
  reason: Kind.STRING,
  fix: Kind.STRING,
  sources: Kind.array(Kind.instance(RuleSource, 'a RuleSource (RuleSource.KUBE_SCORE, RuleSource.of(...), ...)')),
  level: Kind.oneOf(RuleLevel, 'a RuleLevel'),
  developmentLevel: Kind.oneOf(RuleLevel, 'a RuleLevel').optional(),
  tiers: Kind.array(Kind.oneOf(Tier, 'a Tier')).optional(),
  kinds: Kind.array(Kind.STRING).optional(),
  check: Kind.FUNCTION,
} satisfies Kinds<GuardrailRule>);

/** Whether `scope` is a construct, for the functions that take one from callers without a type checker. */
function isConstruct(scope: unknown): scope is IConstruct {
  return typeof scope === 'object' && scope !== null && typeof (scope as IConstruct).node?.path === 'string';
}

/** Props of {@link Guardrails}. */
export interface GuardrailsProps {
  /** Rules of your own, checked after the built-in ones and with the same levels and suppressions. @default - the built-in rules only */
  readonly rules?: readonly GuardrailRule[];
}

/**
 * Production guardrails for a cdk8s app: every rule runs over every API object of the tree
 * (whether a construct of this library, cdk8s-plus or an L1 object wrote it) when the app synthesizes.
 *
 * In the production tier (see {@link setTier}) a violation of an error-level rule fails synthesis
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
    checkArgument(isConstruct(root), 'Guardrails.apply', 'root', root, 'must be a construct: the App (or the Chart) whose objects the guardrails check');
    checkProps(root, props, { rules: Kind.array(RULE_KIND).optional() }, 'GuardrailsProps');
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
   * accepts, and in the report. Constructs record their documented exceptions the same way
   * (`PostgresBackup.none({ reason })` accepts the backup rules for its Cluster).
   */
  public static suppress(scope: IConstruct, ruleId: string, reason: string): void {
    checkArgument(isConstruct(scope), 'Guardrails.suppress', 'scope', scope, 'must be a construct: the objects at and below it are excepted');
    check(typeof ruleId === 'string' && RULE_ID.test(ruleId), scope, 'ruleId', ruleId, 'must be a guardrail rule id: lowercase letters, digits and \'-\'');
    check(typeof reason === 'string' && reason.trim() !== '', scope, 'reason', reason, 'must say why the exception is safe');
    recordException(scope, ruleId, reason.trim());
  }

  /** The rules checked: the built-in pack, then the rules of your own. */
  public readonly rules: readonly GuardrailRule[];
  private lastReport?: GuardrailReport;
  /** Whether a synthesis that checks the renderings itself ({@link Guardrails.checkRendered}) is under way. */
  private checkingRenderings = false;
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
   * Runs `synth`, a synthesis that renders every object once and hands the renderings to
   * {@link Guardrails.checkRendered} before it writes (`writeManifests`): the check during the
   * tree's validation, which would render every object a second time, stands aside meanwhile.
   * @internal
   */
  public checkingRenderingsDuring<T>(synth: () => T): T {
    this.checkingRenderings = true;
    try {
      return synth();
    } finally {
      this.checkingRenderings = false;
    }
  }

  /**
   * Checks the objects of a synthesis as they were rendered for writing. Throws, as a failed
   * validation does, on a violation of an error-level rule or an unknown suppression. Otherwise
   * annotates each object whose violation a suppression accepts, and returns its new rendering.
   * @internal
   */
  public checkRendered(rendered: readonly RenderedObject[]): ReadonlyMap<ApiObject, unknown> {
    const evaluation = evaluate(this.root, this.rules, new Map(rendered.map((r) => [r.object, r.manifest])));
    const { errors, suppressed } = this.judge(evaluation);
    const byNode = new Map<IConstruct, string[]>();
    for (const { construct, error } of errors) {
      byNode.set(construct, [...byNode.get(construct) ?? [], error]);
    }
    // Reported as cdk8s reports failed validations: by construct, in tree order.
    throwValidationErrors(byNode.size === 0 ? [] : this.root.node.findAll()
      .flatMap((construct) => (byNode.get(construct) ?? []).map((error) => ({ construct, error }))));
    return new Map([...suppressed].map((object) => [object, object.toJson()]));
  }

  /** Runs when the tree is validated (`app.synth()`): annotates suppressed objects and hands the errors to each violating object's own validation. */
  private validate(): string[] {
    if (this.checkingRenderings) {
      return [];
    }
    const { errors } = this.judge(evaluate(this.root, this.rules));
    this.errorsByNode.clear();
    for (const { construct, error } of errors) {
      this.addError(construct, error);
    }
    return this.errorsByNode.get(this.root) ?? [];
  }

  /**
   * The outcome of an evaluation: the last report, the errors by construct (violations of error-level
   * rules, unknown suppressions), and the objects annotated with the suppressions that accept a violation.
   */
  private judge(evaluation: Evaluation): { errors: ConstructError[]; suppressed: Set<ApiObject> } {
    const { report, constructs, unknownScopes } = evaluation;
    this.lastReport = report;
    const errors: ConstructError[] = [];
    const suppressed = new Set<ApiObject>();
    for (const finding of report.findings) {
      const construct = constructs.get(finding.object)!;
      if (finding.suppression !== undefined) {
        construct.metadata.addAnnotation(`${SUPPRESSION_ANNOTATION_PREFIX}${finding.rule.id}`, finding.suppression);
        suppressed.add(construct);
      } else if (finding.level === RuleLevel.ERROR) {
        errors.push({ construct, error: `${finding.object.title} violates guardrail ${finding.rule.id}: ${finding.message}; fix: ${finding.rule.fix}` });
      }
    }
    for (const [unknown, scope] of unknownScopes) {
      errors.push({ construct: scope, error: `suppresses the unknown guardrail '${unknown.ruleId}'; known rules are listed in cdk8s-golden-path/docs/guardrails.md` });
    }
    return { errors, suppressed };
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

/**
 * Checks every API object below `root` against `rules`, in construct-tree order: each object as
 * `rendered` holds it, or else rendered here (`toJson`), once.
 */
function evaluate(root: IConstruct, rules: readonly GuardrailRule[], rendered?: ReadonlyMap<ApiObject, unknown>): Evaluation {
  const objects: GuardrailObject[] = [];
  const constructs = new Map<GuardrailObject, ApiObject>();
  const suppressionsOf = new Map<GuardrailObject, ReadonlyMap<string, string>>();
  const declared: Array<{ ruleId: string; scope: IConstruct }> = [];

  const visit = (node: IConstruct, inherited: ReadonlyMap<string, string>): void => {
    let suppressions = inherited;
    for (const { ruleId, reason } of exceptionsOn(node)) {
      suppressions = new Map([...suppressions, [ruleId, reason]]);
      declared.push({ ruleId, scope: node });
    }
    if (ApiObject.isApiObject(node)) {
      const manifest = (rendered?.has(node) ? rendered.get(node) : node.toJson()) as Manifest;
      const object = new GuardrailObject(node.node.path, manifest, tierOf(node));
      objects.push(object);
      constructs.set(object, node);
      suppressionsOf.set(object, suppressions);
    }
    for (const child of node.node.children) {
      visit(child, suppressions);
    }
  };
  visit(root, new Map());

  const index = new ObjectIndex(objects, MANIFESTS_ONLY.has(root) ? undefined : Prerequisite.declaredIn(root));
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
          level: object.tier === Tier.DEVELOPMENT ? rule.developmentLevel ?? RuleLevel.WARNING : rule.level,
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
