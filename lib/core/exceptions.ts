import { IConstruct } from 'constructs';

/** Metadata type of a recorded exception on a construct node. */
const EXCEPTION_METADATA = 'cdk8s-golden-path:exception';

/**
 * A deliberate exception to a guardrail rule: the objects at or below the scope it is recorded on
 * may violate the rule, for a reason that is written into the output.
 */
export interface RuleException {
  /** Id of the guardrail rule whose violations are accepted. */
  readonly ruleId: string;
  /** Why the exception is safe. */
  readonly reason: string;
}

/**
 * Records an exception to rule `ruleId` for `scope` and everything below it. The one place every
 * exception is written: `Guardrails.suppress` and the constructs that accept a documented exception
 * (`PostgresBackup.none({ reason })`) call it; the guardrails read it back with {@link exceptionsOn}.
 * The callers check the rule id and the reason.
 */
export function recordException(scope: IConstruct, ruleId: string, reason: string): void {
  scope.node.addMetadata(EXCEPTION_METADATA, { ruleId, reason } satisfies RuleException);
}

/** The exceptions recorded on `scope` itself, in the order they were recorded (those of its parents are not included). */
export function exceptionsOn(scope: IConstruct): RuleException[] {
  return scope.node.metadata.filter((entry) => entry.type === EXCEPTION_METADATA).map((entry) => entry.data as RuleException);
}
