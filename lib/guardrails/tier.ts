import { IConstruct } from 'constructs';
import { checkArgument } from '../core/errors';

const CONTEXT_KEY = 'cdk8s-golden-path:tier';

/**
 * How strict the rules are for a part of the construct tree. Constructs never ask which stage
 * they are in; the stage config sets a tier on its chart and the rules that differ between tiers
 * (backups required, plaintext secrets refused, guardrail violations fatal) read it.
 */
export enum Tier {
  /** Development: availability may be relaxed (one replica, no backups); security never is. */
  DEVELOPMENT = 'development',
  /** Production: every rule applies in full. The tier of a tree that sets none. */
  PRODUCTION = 'production',
}

/** Sets the tier of `scope` and everything below it; call it before adding children. */
export function setTier(scope: IConstruct, tier: Tier): void {
  checkArgument(typeof scope?.node?.setContext === 'function', 'setTier', 'scope', scope, 'must be a construct: the part of the tree the tier applies to');
  checkArgument(Object.values(Tier).includes(tier), 'setTier', 'tier', tier, `must be a Tier: ${Object.values(Tier).map((t) => `'${t}'`).join(', ')}`);
  scope.node.setContext(CONTEXT_KEY, tier);
}

/** The tier of `scope`: the nearest one set above it, else {@link Tier.PRODUCTION}. */
export function tierOf(scope: IConstruct): Tier {
  return scope.node.tryGetContext(CONTEXT_KEY) === Tier.DEVELOPMENT ? Tier.DEVELOPMENT : Tier.PRODUCTION;
}
