import { selects, selectsAll } from '../../lib/guardrails/objects';

describe('label selectors', () => {
  const labels = { app: 'api', tier: 'backend' };

  test('match labels and expressions the way the API server does', () => {
    expect(selects({ matchLabels: { app: 'api' } }, labels)).toBe(true);
    expect(selects({ matchLabels: { app: 'web' } }, labels)).toBe(false);
    expect(selects({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['backend', 'data'] }] }, labels)).toBe(true);
    expect(selects({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['backend'] }] }, labels)).toBe(false);
    expect(selects({ matchExpressions: [{ key: 'canary', operator: 'DoesNotExist' }] }, labels)).toBe(true);
    expect(selects({ matchExpressions: [{ key: 'canary', operator: 'Exists' }] }, labels)).toBe(false);
  });

  test('an empty selector selects every pod, an absent one none', () => {
    expect(selects({}, labels)).toBe(true);
    expect(selectsAll({})).toBe(true);
    expect(selects(undefined, labels)).toBe(false);
    expect(selectsAll({ matchLabels: { app: 'api' } })).toBe(false);
  });
});
