import { GuardrailObject, ObjectIndex } from './objects';
import { Tier } from './tier';

/** What a violation of a rule does to synthesis. */
export enum RuleLevel {
  /** Fails synthesis of a production tree; nothing is written. */
  ERROR = 'error',
  /** Reported in the summary and the SARIF file; synthesis goes on. */
  WARNING = 'warning',
}

/** Where a rule comes from: the guide or public checker whose advice it encodes. */
export class RuleSource {
  /** The pre-deployment checklist of the Aileron guide (`seeds/003`). */
  public static readonly SEED_CHECKLIST = new RuleSource('Aileron pre-deployment checklist');
  /** The production practice of the project's design (`DESIGN.md`, from the seeds). */
  public static readonly DESIGN = new RuleSource('golden path design');
  /** Pod Security Standards, `restricted` profile (which includes `baseline`). */
  public static readonly PSS_RESTRICTED = new RuleSource('Pod Security Standards restricted');
  /** kube-score. */
  public static readonly KUBE_SCORE = new RuleSource('kube-score');
  /** kube-linter. */
  public static readonly KUBE_LINTER = new RuleSource('kube-linter');
  /** Polaris. */
  public static readonly POLARIS = new RuleSource('Polaris');
  /** Checkov's Kubernetes checks. */
  public static readonly CHECKOV = new RuleSource('Checkov');
  /** CIS Kubernetes Benchmark, section 5 (policies). */
  public static readonly CIS_5 = new RuleSource('CIS Kubernetes Benchmark 5.x');

  /** A source of your own, e.g. `RuleSource.of('ACME platform policy 4.2')`. */
  public static of(name: string): RuleSource {
    return new RuleSource(name);
  }

  private constructor(
    /** The name shown in the docs, the summary and the SARIF rule properties. */
    public readonly name: string,
  ) {}
}

/**
 * A guardrail: one production rule checked against every API object of an app.
 * The built-in pack and rules of your own use this same interface.
 */
export interface GuardrailRule {
  /** Stable identifier in kebab-case, used by suppressions and in the SARIF report; never reuse one. */
  readonly id: string;
  /** The rule in one line, e.g. `containers must not run privileged`. */
  readonly rule: string;
  /** Why the rule exists: what goes wrong in production without it. */
  readonly reason: string;
  /** How to fix a violation. */
  readonly fix: string;
  /** The guides and checkers the rule comes from. */
  readonly sources: readonly RuleSource[];
  /** Level of a violation in the production tier. */
  readonly level: RuleLevel;
  /**
   * Level of a violation in the development tier: an error only for what breaks the manifests in any
   * cluster (two objects with one identity), never for what production asks more of.
   * @default RuleLevel.WARNING
   */
  readonly developmentLevel?: RuleLevel;
  /** Tiers the rule applies to; availability rules apply to production only. @default - every tier */
  readonly tiers?: readonly Tier[];
  /** Kinds the rule looks at, so that the rule runs only on them. @default - every kind */
  readonly kinds?: readonly string[];
  /**
   * Checks one object and returns one message per problem (empty when the object complies).
   * A message says what is wrong with this object, in lowercase without a trailing period:
   * `container 'api' runs privileged`. `index` answers questions about the other objects of the app.
   */
  check(object: GuardrailObject, index: ObjectIndex): readonly string[];
}
