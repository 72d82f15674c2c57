import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { ApplyOrder } from '../../lib';
import { APPLY_LAYERS } from '../../lib/upgrade/apply-layer';

const README = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
const UPGRADING = README.slice(README.indexOf('## Upgrading\n'), README.indexOf('\n## Examples\n'));

/** The fenced blocks of `language` in `text`. */
function blocks(text: string, language: string): string[] {
  return [...text.matchAll(new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``, 'g'))].map((m) => m[1]);
}

describe('README, Upgrading', () => {
  test('lists every layer with its wave, in the order ApplyOrder applies them', () => {
    const rows = [...UPGRADING.matchAll(/^\| (\d+) \| `([a-z]+)` \|/gm)].map((m) => [Number(m[1]), m[2]]);
    expect(rows).toEqual(APPLY_LAYERS.map((layer) => [ApplyOrder.waveOf(layer), layer]));
  });

  test('the Flux Kustomizations keep one wave each, and each depends on the layer before it', () => {
    const kustomizations = blocks(UPGRADING, 'yaml').flatMap((block) => parseAllDocuments(block).map((d) => d.toJS()))
      .filter((o) => o?.kind === 'Kustomization');
    expect(kustomizations.length).toBeGreaterThanOrEqual(2);
    kustomizations.forEach((k, i) => {
      expect(k.metadata.name).toBe(`aishell-prod-${i}-${APPLY_LAYERS[i]}`);
      expect(k.spec.patches).toEqual([{
        target: { annotationSelector: `argocd.argoproj.io/sync-wave!=${ApplyOrder.waveOf(APPLY_LAYERS[i])}` },
        patch: '$patch: delete\napiVersion: v1\nkind: Any\nmetadata:\n  name: any\n',
      }]);
      expect(k.spec.wait).toBe(true);
      expect(k.spec.dependsOn).toEqual(i === 0 ? undefined : [{ name: kustomizations[i - 1].metadata.name }]);
    });
  });

  test('the kubectl loop applies every wave, in order', () => {
    const script = blocks(UPGRADING, 'sh').find((b) => b.includes('for wave in'))!;
    expect(/for wave in ([\d ]+); do/.exec(script)![1].split(' ').map(Number)).toEqual(APPLY_LAYERS.map((layer) => ApplyOrder.waveOf(layer)));
  });
});
