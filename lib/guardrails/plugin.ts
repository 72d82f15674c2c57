import { App, Chart, Include } from 'cdk8s';
import { Guardrails } from './guardrails';
import { Tier, setTier } from './tier';

/** Properties of {@link GuardrailsValidation}, as written under `properties` in `cdk8s.yaml`. */
export interface GuardrailsValidationProps {
  /** Tier the manifests are checked for. @default 'production' */
  readonly tier?: string;
}

/** The members of cdk8s-cli's validation context that the plugin uses (cdk8s-cli is not a runtime dependency). */
export interface GuardrailsValidationContext {
  /** Paths of the synthesized manifests. */
  readonly manifests: readonly string[];
  /** Where the plugin reports. */
  readonly report: {
    addViolation(violation: {
      ruleName: string;
      recommendation: string;
      fix: string;
      violatingResources: Array<{ resourceName: string; locations: string[]; manifestPath: string }>;
    }): void;
    submit(status: 'success' | 'failure', metadata?: Record<string, string>): void;
  };
}

/**
 * The guardrails as a cdk8s validation plugin, for apps that synthesize with `cdk8s synth` and
 * cannot call {@link synthWithGuardrails}: the plugin checks the written manifests, so the report
 * names files and objects rather than construct paths.
 *
 * ```yaml
 * validations:
 *   - package: cdk8s-golden-path
 *     version: 0.1.0
 *     class: GuardrailsValidation
 *     properties:
 *       tier: production
 * ```
 * @see https://cdk8s.io/docs/latest/cli/synth/#validation-plugins
 */
export class GuardrailsValidation {
  private readonly tier: Tier;

  public constructor(props: GuardrailsValidationProps = {}) {
    const tier = props.tier ?? Tier.PRODUCTION;
    if (tier !== Tier.PRODUCTION && tier !== Tier.DEVELOPMENT) {
      throw new Error(`GuardrailsValidation: 'tier' (${JSON.stringify(tier)}) must be '${Tier.PRODUCTION}' or '${Tier.DEVELOPMENT}'`);
    }
    this.tier = tier;
  }

  /** Checks every manifest; error-level violations fail the validation, warnings are reported only. */
  public async validate(context: GuardrailsValidationContext): Promise<void> {
    const app = new App();
    setTier(app, this.tier);
    const manifestOf = new Map<string, string>();
    context.manifests.forEach((manifest, i) => {
      const chart = new Chart(app, `manifest${i}`);
      new Include(chart, 'Objects', { url: manifest });
      manifestOf.set(chart.node.path, manifest);
    });
    const report = Guardrails.apply(app).evaluate();
    for (const finding of [...report.errors, ...report.warnings]) {
      context.report.addViolation({
        ruleName: `${finding.rule.id} (${finding.level})`,
        recommendation: `${finding.rule.rule}: ${finding.message}`,
        fix: finding.rule.fix,
        violatingResources: [{
          resourceName: finding.object.title,
          locations: [],
          manifestPath: manifestOf.get(finding.object.path.split('/')[0]) ?? '',
        }],
      });
    }
    context.report.submit(report.errors.length === 0 ? 'success' : 'failure', {
      objects: String(report.objectCount),
      errors: String(report.errors.length),
      warnings: String(report.warnings.length),
    });
  }
}
