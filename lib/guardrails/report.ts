import { shortHash } from '../core/hashing';
import { GuardrailObject } from './objects';
import { GuardrailRule, RuleLevel } from './rule';

/** One violation of a rule by one object. */
export interface GuardrailFinding {
  /** The rule violated. */
  readonly rule: GuardrailRule;
  /** The object that violates it. */
  readonly object: GuardrailObject;
  /** What is wrong, e.g. `container 'api' runs privileged`. */
  readonly message: string;
  /** The level in the object's tier: the rule's level in production, its development level (a warning unless the rule says otherwise) in development. */
  readonly level: RuleLevel;
  /** Why the violation is accepted, when a suppression covers it. */
  readonly suppression?: string;
}

/** A suppression that names no known rule (a typo, or a rule that was removed). */
export interface UnknownSuppression {
  /** Construct path of the scope the suppression was set on. */
  readonly path: string;
  /** The rule id it names. */
  readonly ruleId: string;
}

/** Where an object was written: a manifest file and the line its document starts on. */
export interface ManifestLocation {
  /** Path of the manifest, as the SARIF file names it (relative to the repository root). */
  readonly uri: string;
  /** Line (1-based) where the object's document starts. */
  readonly line: number;
}

/** How a report is written as SARIF. */
export interface SarifOptions {
  /** Finds where an object was written. @default - results carry no file location, only the construct path */
  readonly locate?: (object: GuardrailObject) => ManifestLocation | undefined;
}

const TOOL_NAME = 'cdk8s-golden-path-guardrails';

/** The outcome of checking an app against its guardrails. */
export class GuardrailReport {
  /** Violations that fail a production synth: errors without suppression. */
  public readonly errors: readonly GuardrailFinding[];
  /** Violations reported without failing synth: warnings without suppression. */
  public readonly warnings: readonly GuardrailFinding[];
  /** Violations accepted by a suppression, with its reason. */
  public readonly suppressed: readonly GuardrailFinding[];

  public constructor(
    /** The rules checked. */
    public readonly rules: readonly GuardrailRule[],
    /** Number of objects checked. */
    public readonly objectCount: number,
    /** Every violation, sorted by construct path, then rule. */
    public readonly findings: readonly GuardrailFinding[],
    /** Suppressions that name no known rule. */
    public readonly unknownSuppressions: readonly UnknownSuppression[],
  ) {
    this.errors = findings.filter((f) => f.suppression === undefined && f.level === RuleLevel.ERROR);
    this.warnings = findings.filter((f) => f.suppression === undefined && f.level === RuleLevel.WARNING);
    this.suppressed = findings.filter((f) => f.suppression !== undefined);
  }

  /** A short readable summary: one line of totals, then one line per finding. */
  public summary(): string {
    const lines = [
      `guardrails: ${this.objectCount} objects, ${this.rules.length} rules: `
        + `${this.errors.length} errors, ${this.warnings.length} warnings, ${this.suppressed.length} suppressed`,
    ];
    for (const f of [...this.errors, ...this.warnings, ...this.suppressed]) {
      const label = f.suppression !== undefined ? 'suppressed' : f.level;
      const because = f.suppression !== undefined ? ` (suppressed: ${f.suppression})` : '';
      lines.push(`  ${label} ${f.rule.id}: ${f.object.title} [${f.object.path}] ${f.message}${because}`);
    }
    return lines.join('\n');
  }

  /**
   * The report as a SARIF 2.1.0 log, as code-scanning UIs read it. Deterministic: no timestamps,
   * rules in pack order, results in construct-path order, fingerprints from content.
   * @see https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
   */
  public toSarif(options: SarifOptions = {}): object {
    const ruleIndex = new Map(this.rules.map((r, i) => [r.id, i]));
    return {
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs: [{
        tool: {
          driver: {
            name: TOOL_NAME,
            rules: this.rules.map((r) => ({
              id: r.id,
              shortDescription: { text: r.rule },
              fullDescription: { text: r.reason },
              help: { text: r.fix },
              defaultConfiguration: { level: r.level },
              properties: {
                sources: r.sources.map((s) => s.name),
                ...r.tiers !== undefined ? { tiers: [...r.tiers] } : {},
                ...r.developmentLevel !== undefined ? { developmentLevel: r.developmentLevel } : {},
              },
            })),
          },
        },
        results: this.findings.map((f) => {
          const location = options.locate?.(f.object);
          return {
            ruleId: f.rule.id,
            ruleIndex: ruleIndex.get(f.rule.id),
            level: f.level,
            message: { text: `${f.object.title} ${f.message}; fix: ${f.rule.fix}` },
            locations: [{
              ...location !== undefined ? {
                physicalLocation: {
                  artifactLocation: { uri: location.uri, uriBaseId: '%SRCROOT%' },
                  region: { startLine: location.line },
                },
              } : {},
              logicalLocations: [{ name: f.object.title, fullyQualifiedName: f.object.path, kind: 'resource' }],
            }],
            partialFingerprints: {
              'guardrailFinding/v1': shortHash(`${f.rule.id}\n${f.object.path}\n${f.message}`, 32),
            },
            ...f.suppression !== undefined ? { suppressions: [{ kind: 'inSource', justification: f.suppression }] } : {},
          };
        }),
      }],
    };
  }
}
