import { Testing } from 'cdk8s';
import { OrdersPlatform } from '../examples/platform/src/orders-platform';
import { STAGES } from '../examples/platform/src/stages';
import { Guardrails } from '../lib';

// The examples build against the packed library in CI (npm run check:consumers, which needs the
// registry); here they run against the sources, so that a change of the library that breaks them
// fails npm test already.
describe('examples/platform', () => {
  test.each(STAGES.map((s) => [s.name, s] as const))('%s synthesizes and passes its guardrails', (_name, stage) => {
    const app = Testing.app();
    const chart = new OrdersPlatform(app, 'orders', stage);
    expect(Guardrails.apply(app).evaluate().errors).toEqual([]);
    expect(Testing.synth(chart).filter((o) => o.kind === 'Deployment')).toHaveLength(2);
  });
});
