import { boundedName } from '../../lib/core/names';

describe('boundedName', () => {
  test('keeps a name that fits, with its suffix, unchanged: names within the limits never change', () => {
    expect(boundedName('api-example-com', 253, '-tls')).toBe('api-example-com-tls');
    expect(boundedName('a'.repeat(249), 253, '-tls')).toBe(`${'a'.repeat(249)}-tls`);
  });

  test('cuts a longer name to the limit with a hash of the whole name before the suffix', () => {
    const long = `${'a'.repeat(200)}-${'b'.repeat(100)}`;
    const name = boundedName(long, 253, '-tls');
    expect(name).toHaveLength(253);
    expect(name).toMatch(/^a{200}-b{37}-[0-9a-f]{10}-tls$/);
  });

  test('is deterministic, and gives two long names that share their start different names', () => {
    const [one, two] = [`${'x'.repeat(300)}1`, `${'x'.repeat(300)}2`];
    expect(boundedName(one, 63)).toBe(boundedName(one, 63));
    expect(boundedName(one, 63)).not.toBe(boundedName(two, 63));
  });

  test('never leaves a dash or a dot before the hash, so a DNS name stays one', () => {
    expect(boundedName(`${'a'.repeat(51)}.-b${'c'.repeat(20)}`, 63)).toMatch(/^a{51}-[0-9a-f]{10}$/);
  });
});
