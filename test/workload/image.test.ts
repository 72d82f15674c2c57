import { Image } from '../../lib';

describe('Image', () => {
  test.each([
    ['nginx:1.27.0', 'nginx', '1.27.0', undefined],
    ['registry.example.com:5000/team/app:2.0.0', 'registry.example.com:5000/team/app', '2.0.0', undefined],
    [`ghcr.io/acme/api@sha256:${'b'.repeat(64)}`, 'ghcr.io/acme/api', undefined, `sha256:${'b'.repeat(64)}`],
    [`ghcr.io/acme/api:1.0@sha256:${'c'.repeat(64)}`, 'ghcr.io/acme/api', '1.0', `sha256:${'c'.repeat(64)}`],
  ])('parses %s', (reference, repository, tag, digest) => {
    const image = Image.fromReference(reference);
    expect([image.repository, image.tag, image.digestValue]).toEqual([repository, tag, digest]);
    expect(image.problem()).toBeUndefined();
  });

  test('reports the tag as the version, or the short digest', () => {
    expect(Image.pinned('a/b', 'v1.2.3').version).toBe('v1.2.3');
    expect(Image.digest('a/b', `sha256:${'0123456789ab'.repeat(5)}abcd`).version).toBe('0123456789ab');
  });

  test.each(['latest', 'LATEST', 'dev', 'main', 'master', 'nightly', 'edge', 'stable'])('refuses the floating tag %s', (tag) => {
    expect(Image.pinned('nginx', tag).problem()).toMatch(/not the floating tag/);
  });

  test('refuses a registry port without a tag (the port is not a tag)', () => {
    expect(Image.fromReference('localhost:5000/app').problem()).toMatch(/not left to the implicit latest/);
  });
});
