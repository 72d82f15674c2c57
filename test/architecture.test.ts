import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.join(__dirname, '..');

/**
 * The layers of lib/, lowest first: a folder may import its own files and those of lower layers,
 * never a higher layer or another folder of its own layer. `lib/index.ts` sits on top.
 */
const LAYERS: ReadonlyArray<readonly string[]> = [
  ['core'],
  ['network'],
  ['monitoring'],
  ['workload'],
  ['postgres', 'redis', 'secrets', 'ingress', 'namespace', 'guardrails', 'access', 'upgrade', 'backup'],
];
const MAX_LINES = 400;

/** A TypeScript file and the repository files its relative imports resolve to. */
interface Module {
  /** Path relative to the repository root, with `/`. */
  readonly file: string;
  /** Resolved relative imports: static `import`, `import type`, `export ... from`, `import x = require()`, `import()`. */
  readonly imports: readonly string[];
  readonly lines: number;
}

function filesUnder(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const file = `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      return filesUnder(file);
    }
    return file.endsWith('.ts') && !file.endsWith('.d.ts') ? [file] : [];
  });
}

/** Every module specifier of `source`, type-only imports and re-exports included. */
function specifiers(source: ts.SourceFile): string[] {
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push(node.moduleSpecifier.text);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)
      && ts.isStringLiteral(node.moduleReference.expression)) {
      found.push(node.moduleReference.expression.text);
    } else if (ts.isCallExpression(node) && (node.expression.kind === ts.SyntaxKind.ImportKeyword
      || (ts.isIdentifier(node.expression) && node.expression.text === 'require')) && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0])) {
      found.push(node.arguments[0].text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push(node.argument.literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The repository file a relative `specifier` of `from` resolves to (`x.ts`, or `x/index.ts`). */
function resolveImport(from: string, specifier: string): string {
  const target = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  return fs.existsSync(path.join(ROOT, `${target}.ts`)) ? `${target}.ts` : `${target}/index.ts`;
}

function readModules(dir: string): Module[] {
  return filesUnder(dir).map((file) => {
    const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
    const imports = specifiers(source).filter((s) => s.startsWith('.')).map((s) => resolveImport(file, s));
    return { file, imports, lines: text.split('\n').length - (text.endsWith('\n') ? 1 : 0) };
  });
}

/** Every import cycle among `modules` (strongly connected components of more than one file, or a file importing itself). */
export function findCycles(modules: readonly Module[]): string[][] {
  const edges = new Map(modules.map((m) => [m.file, m.imports.filter((i) => modules.some((n) => n.file === i))]));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const connect = (file: string): void => {
    index.set(file, index.size);
    low.set(file, index.get(file)!);
    stack.push(file);
    for (const next of edges.get(file) ?? []) {
      if (!index.has(next)) {
        connect(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (stack.includes(next)) {
        low.set(file, Math.min(low.get(file)!, index.get(next)!));
      }
    }
    if (low.get(file) === index.get(file)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        component.push(member);
      } while (member !== file);
      if (component.length > 1 || (edges.get(file) ?? []).includes(file)) {
        cycles.push(component.sort());
      }
    }
  };
  for (const m of modules) {
    if (!index.has(m.file)) {
      connect(m.file);
    }
  }
  return cycles;
}

/** The layer of a lib/ file: its folder's rank, `LAYERS.length` for lib/index.ts, `undefined` for a file outside lib/. */
function layerOf(file: string): { folder: string; rank: number } | undefined {
  const parts = file.split('/');
  if (parts[0] !== 'lib') {
    return undefined;
  }
  if (parts.length === 2) {
    return { folder: '', rank: LAYERS.length };
  }
  const rank = LAYERS.findIndex((layer) => layer.includes(parts[1]));
  return { folder: parts[1], rank };
}

/**
 * Imports of lib/ files against the layer direction, between two folders of one layer, or out of lib/
 * (the generated CRD bindings in imports/ are the exception: every layer may use them).
 */
export function findLayerViolations(modules: readonly Module[]): string[] {
  const violations: string[] = [];
  for (const m of modules) {
    const from = layerOf(m.file)!;
    if (from.rank < 0) {
      violations.push(`${m.file} is in a folder that belongs to no layer`);
    }
    for (const target of m.imports) {
      const to = layerOf(target);
      if (target.startsWith('imports/')) {
        continue;
      }
      if (to === undefined) {
        violations.push(`${m.file} imports ${target}, outside lib/ and the generated imports/`);
      } else if (to.folder !== from.folder && to.rank >= from.rank) {
        violations.push(`${m.file} (${from.folder || 'index'}) imports ${target} (${to.folder}): imports point from the concerns to workload, monitoring, network and core, in that order`);
      }
    }
  }
  return violations;
}

/** Imports of apps/ files into lib/ other than the public index. */
export function findAppViolations(modules: readonly Module[]): string[] {
  return modules.flatMap((m) => m.imports
    .filter((target) => target.startsWith('lib/') && target !== 'lib/index.ts')
    .map((target) => `${m.file} imports ${target}: apps use the public API, '../lib', only`));
}

/** Files longer than `max` lines. */
export function findLongFiles(modules: readonly Module[], max = MAX_LINES): string[] {
  return modules.filter((m) => m.lines > max).map((m) => `${m.file} has ${m.lines} lines (at most ${max}): split it by concept`);
}

describe('architecture', () => {
  const lib = readModules('lib');

  test('lib/ has no import cycle, type imports included', () => {
    expect(findCycles(lib)).toEqual([]);
  });

  test('lib/ imports point one way: concerns -> workload -> monitoring -> network -> core', () => {
    expect(findLayerViolations(lib)).toEqual([]);
  });

  test('apps/ import the library through its public index only', () => {
    expect(findAppViolations(readModules('apps'))).toEqual([]);
  });

  test(`no hand-written file in lib/ is longer than ${MAX_LINES} lines`, () => {
    expect(findLongFiles(lib)).toEqual([]);
  });

  test('every lib/ folder is in a layer', () => {
    const folders = fs.readdirSync(path.join(ROOT, 'lib'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
    expect(folders).toEqual(LAYERS.flat().sort());
  });

  describe('the checks find what they look for', () => {
    const module = (file: string, imports: string[] = [], lines = 10): Module => ({ file, imports, lines });

    test('imports of every form, type-only ones and re-exports included', () => {
      const source = ts.createSourceFile('x.ts', [
        'import type { A } from \'./a\';',
        'export { B } from \'./b\';',
        'export type { C } from \'./c\';',
        'export * from \'./d\';',
        'import e = require(\'./e\');',
        'import \'./f\';',
        'type G = import(\'./g\').G;',
      ].join('\n'), ts.ScriptTarget.ES2022, true);
      expect(specifiers(source)).toEqual(['./a', './b', './c', './d', './e', './f', './g']);
    });

    test('a cycle', () => {
      const modules = [module('lib/workload/a.ts', ['lib/workload/b.ts']), module('lib/workload/b.ts', ['lib/workload/a.ts']), module('lib/core/c.ts')];
      expect(findCycles(modules)).toEqual([['lib/workload/a.ts', 'lib/workload/b.ts']]);
    });

    test('an import against the layers, between two concerns, and out of lib/', () => {
      const modules = [
        module('lib/core/names.ts', ['lib/workload/workload.ts']),
        module('lib/postgres/ha-postgres.ts', ['lib/secrets/secrets-binding.ts', 'lib/workload/workload.ts', 'lib/postgres/backup.ts']),
        module('lib/network/network-peer.ts', ['apps/stages.ts', 'imports/k8s.ts']),
      ];
      expect(findLayerViolations(modules)).toEqual([
        expect.stringMatching(/^lib\/core\/names.ts \(core\) imports lib\/workload\/workload.ts/),
        expect.stringMatching(/^lib\/postgres\/ha-postgres.ts \(postgres\) imports lib\/secrets\/secrets-binding.ts/),
        'lib/network/network-peer.ts imports apps/stages.ts, outside lib/ and the generated imports/',
      ]);
    });

    test('an app that reaches past the index', () => {
      const modules = [module('apps/platform.ts', ['lib/index.ts', 'lib/postgres/ha-postgres.ts', 'apps/stages.ts'])];
      expect(findAppViolations(modules)).toEqual([expect.stringMatching(/^apps\/platform.ts imports lib\/postgres\/ha-postgres.ts/)]);
    });

    test('a file over the limit', () => {
      expect(findLongFiles([module('lib/workload/big.ts', [], 401), module('lib/workload/fine.ts', [], 400)]))
        .toEqual(['lib/workload/big.ts has 401 lines (at most 400): split it by concept']);
    });
  });
});
