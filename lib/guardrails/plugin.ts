import * as fs from 'fs';
import { ApiObject, App, Chart } from 'cdk8s';
import { load } from 'js-yaml';
import { checkArgument } from '../core/errors';
import { Tier, setTier } from './tier';
import { Guardrails, SUPPRESSION_ANNOTATION_PREFIX, readsManifestsOnly } from './guardrails';
import { GuardrailFinding } from './report';

/** Properties of {@link GuardrailsValidation}, as written under `properties` in `cdk8s.yaml`. */
export interface GuardrailsValidationProps {
  /** Tier the manifests are checked for. @default 'production' */
  readonly tier?: string;
}

/** An object that violates a rule, as cdk8s-cli's validation report lists it. */
export interface GuardrailsViolatingResource {
  /**
   * The object's `metadata.name`, which cdk8s-cli looks up in the app's construct metadata to
   * show its construct path; `Kind namespace/name` when several objects share the name, so that
   * the report shows no construct path rather than another object's.
   */
  readonly resourceName: string;
  /** One entry per problem: the object, the line its document starts on, and what is wrong. */
  readonly locations: string[];
  /** The manifest the object was read from. */
  readonly manifestPath: string;
}

/** A rule violated by one or more objects, as cdk8s-cli's validation report lists it. */
export interface GuardrailsViolation {
  /** The rule id and its level in the tier, e.g. `pss-privileged (error)`. */
  readonly ruleName: string;
  /** The rule. */
  readonly recommendation: string;
  /** How to fix a violation. */
  readonly fix: string;
  /** The objects that violate the rule. */
  readonly violatingResources: GuardrailsViolatingResource[];
}

/** The members of cdk8s-cli's validation context that the plugin uses (cdk8s-cli is not a runtime dependency). */
export interface GuardrailsValidationContext {
  /** Paths of the synthesized manifests. */
  readonly manifests: readonly string[];
  /** Where the plugin reports. */
  readonly report: {
    addViolation(violation: GuardrailsViolation): void;
    submit(status: 'success' | 'failure', metadata?: Record<string, string>): void;
  };
}

/**
 * The guardrails as a cdk8s validation plugin, for apps that synthesize with `cdk8s synth` and do
 * not apply {@link Guardrails} themselves: the plugin checks the written manifests. Each violation
 * names the rule, and each object its manifest, the line its document starts on and what is wrong;
 * cdk8s-cli adds the construct path when the app recorded construct metadata (it does when
 * `cdk8s.yaml` has validations) and the object's name is unique in the app. A suppression recorded
 * on an object (the annotation `guardrails.cdk8s-golden-path/suppress.<rule-id>: <reason>`)
 * accepts that rule's violations by the object, as {@link Guardrails.suppress} does in code.
 *
 * cdk8s-cli loads a local package when its path starts with `./` and requires a `version` even
 * then (it only prints it):
 *
 * ```yaml
 * validations:
 *   - package: ./node_modules/cdk8s-golden-path
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
    checkArgument(typeof props === 'object' && props !== null && !Array.isArray(props), 'GuardrailsValidation', 'properties', props,
      'must be an object: the properties of the validation in cdk8s.yaml');
    const tier = props.tier ?? Tier.PRODUCTION;
    checkArgument(tier === Tier.PRODUCTION || tier === Tier.DEVELOPMENT, 'GuardrailsValidation', 'tier', tier, `must be '${Tier.PRODUCTION}' or '${Tier.DEVELOPMENT}'`);
    this.tier = tier;
  }

  /** Checks every manifest; error-level violations fail the validation, warnings are reported only. */
  public async validate(context: GuardrailsValidationContext): Promise<void> {
    const app = new App();
    setTier(app, this.tier);
    readsManifestsOnly(app);
    const guardrails = Guardrails.apply(app);
    const ruleIds = new Set(guardrails.rules.map((r) => r.id));
    const sources = new Map<string, { readonly manifestPath: string; readonly line: number }>();
    context.manifests.forEach((manifestPath, i) => {
      const chart = new Chart(app, `manifest${i}`);
      for (const { line, object } of readDocuments(manifestPath)) {
        const apiObject = new ApiObject(chart, `line${line}`, object);
        sources.set(apiObject.node.path, { manifestPath, line });
        for (const [key, reason] of Object.entries<unknown>(object.metadata?.annotations ?? {})) {
          const ruleId = key.slice(SUPPRESSION_ANNOTATION_PREFIX.length);
          if (key.startsWith(SUPPRESSION_ANNOTATION_PREFIX) && ruleIds.has(ruleId) && typeof reason === 'string' && reason.trim() !== '') {
            Guardrails.suppress(apiObject, ruleId, reason);
          }
        }
      }
    });
    const report = guardrails.evaluate();

    const objectsNamed = new Map<string, number>();
    for (const object of app.node.findAll().filter(ApiObject.isApiObject)) {
      objectsNamed.set(object.name, (objectsNamed.get(object.name) ?? 0) + 1);
    }
    const byRule = new Map<string, GuardrailFinding[]>();
    for (const finding of [...report.errors, ...report.warnings]) {
      const ruleName = `${finding.rule.id} (${finding.level})`;
      const findings = byRule.get(ruleName) ?? [];
      findings.push(finding);
      byRule.set(ruleName, findings);
    }
    for (const [ruleName, findings] of byRule) {
      const resources = new Map<string, GuardrailsViolatingResource>();
      for (const finding of findings) {
        const { manifestPath, line } = sources.get(finding.object.path)!;
        let resource = resources.get(finding.object.path);
        if (resource === undefined) {
          const unique = objectsNamed.get(finding.object.name) === 1;
          resource = { resourceName: unique ? finding.object.name : finding.object.title, locations: [], manifestPath };
          resources.set(finding.object.path, resource);
        }
        resource.locations.push(`${finding.object.title}, line ${line}: ${finding.message}`);
      }
      context.report.addViolation({
        ruleName,
        recommendation: findings[0].rule.rule,
        fix: findings[0].rule.fix,
        violatingResources: [...resources.values()],
      });
    }
    context.report.submit(report.errors.length === 0 ? 'success' : 'failure', {
      objects: String(report.objectCount),
      errors: String(report.errors.length),
      warnings: String(report.warnings.length),
      suppressed: String(report.suppressed.length),
    });
  }
}

/**
 * The Kubernetes objects of a manifest, each with the line its document starts on. Documents are
 * separated by `---` lines, as cdk8s writes them; empty documents and other YAML are skipped.
 */
function readDocuments(manifestPath: string): Array<{ readonly line: number; readonly object: any }> {
  const chunks: Array<{ start: number; lines: string[] }> = [{ start: 0, lines: [] }];
  fs.readFileSync(manifestPath, 'utf8').split('\n').forEach((text, i) => {
    if (/^---\s*$/.test(text)) {
      chunks.push({ start: i + 1, lines: [] });
    } else {
      chunks[chunks.length - 1].lines.push(text);
    }
  });
  const documents: Array<{ line: number; object: any }> = [];
  for (const { start, lines } of chunks) {
    const first = lines.findIndex((l) => l.trim() !== '' && !l.startsWith('#'));
    const object: any = first === -1 ? undefined : load(lines.join('\n'));
    if (typeof object?.apiVersion === 'string' && typeof object?.kind === 'string') {
      documents.push({ line: start + 1 + first, object });
    }
  }
  return documents;
}
