import { App, Testing } from 'cdk8s';
import { Guardrails, GuardrailsValidation, RuleLevel, RuleSource, Tier, setTier, synthWithGuardrails } from '../../lib';

const RULE = { id: 'team-owner', rule: 'r', reason: 'r', fix: 'f', sources: [RuleSource.of('ACME policy')], level: RuleLevel.ERROR, check: () => [] };

describe('guardrails with bad input', () => {
  test.each([
    ['apply gets no construct', () => Guardrails.apply(undefined as any), /^Guardrails.apply: 'root' \(unset\) must be a construct/],
    ['a rule of your own has no check', () => Guardrails.apply(Testing.app(), { rules: [{ ...RULE, check: undefined }] as any }),
      /'rules\[0\].check' \(unset\) must be a function/],
    ['a rule of your own has a level that is none', () => Guardrails.apply(Testing.app(), { rules: [{ ...RULE, level: 'fatal' }] as any }),
      /'rules\[0\].level' \('fatal'\) must be a RuleLevel: 'error', 'warning'/],
    ['a rule of your own names a source as a string', () => Guardrails.apply(Testing.app(), { rules: [{ ...RULE, sources: ['ACME'] }] as any }),
      /'rules\[0\].sources\[0\]' \('ACME'\) must be a RuleSource/],
    ['the rules are no array', () => Guardrails.apply(Testing.app(), { rules: RULE } as any), /'rules' \(.*\) must be an array/],
    ['suppress gets no construct', () => Guardrails.suppress('platform' as any, 'job-ttl', 'reason'), /^Guardrails.suppress: 'scope' \('platform'\) must be a construct/],
    ['suppress gets a rule id that is a number', () => Guardrails.suppress(Testing.app(), 5 as any, 'reason'), /'ruleId' \(5\) must be a guardrail rule id/],
    ['suppress gets no reason', () => Guardrails.suppress(Testing.app(), 'job-ttl', undefined as any), /'reason' \(unset\) must say why the exception is safe/],
    ['setTier gets a tier that is none', () => setTier(Testing.app(), 'staging' as Tier), /^setTier: 'tier' \('staging'\) must be a Tier: 'development', 'production'/],
    ['setTier gets no construct', () => setTier(undefined as any, Tier.PRODUCTION), /^setTier: 'scope' \(unset\) must be a construct/],
    ['the validation plugin gets no properties object', () => new GuardrailsValidation(null as any),
      /^GuardrailsValidation: 'properties' \(null\) must be an object: the properties of the validation in cdk8s.yaml/],
    ['synthWithGuardrails gets a log that is no function', () => synthWithGuardrails(new App({ outdir: 'never-written' }), { log: 'stderr' } as any),
      /'log' \('stderr'\) must be a function, or left unset/],
    ['synthWithGuardrails gets a report name that is a number', () => synthWithGuardrails(new App({ outdir: 'never-written' }), { sarifFile: 5 } as any),
      /'sarifFile' \(5\) must be a string, or left unset/],
  ])('fails when %s', (_, run, message) => {
    expect(run).toThrow(message);
  });
});
