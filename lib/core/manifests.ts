import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, DependencyGraph, Names, YamlOutputType } from 'cdk8s';
import { IConstruct } from 'constructs';
import { dump } from 'js-yaml';

/** An API object and its rendering (`toJson()`), as it is written. */
export interface RenderedObject {
  /** The object. */
  readonly object: ApiObject;
  /** Its rendering. */
  readonly manifest: unknown;
}

/** How {@link writeManifests} checks what it writes. */
export interface WriteManifestsOptions {
  /**
   * Called once with every object's rendering, after validation and before anything is written:
   * throw to write nothing. Returns new renderings for the objects it changed (e.g. annotated).
   * @default - the renderings are written as they are
   */
  readonly beforeWrite?: (rendered: readonly RenderedObject[]) => ReadonlyMap<ApiObject, unknown>;
}

/**
 * Synthesizes `app` the way `app.synth()` does (validation, dependency order, one file per chart,
 * named as cdk8s names them), but validates the tree once and renders each object once (cdk8s
 * validates the whole app again, and resolves its dependencies again, for every chart it renders),
 * and writes the YAML with js-yaml instead of the `yaml` package cdk8s uses: the same data in a
 * compatible style, at a fraction of the cost, and in time that grows linearly with the number of
 * objects (cdk8s' serializer slows down per object as an app grows: on the benchmark's platform of
 * 3000 services it took 32 s, js-yaml 2.3 s).
 *
 * Every object is rendered, and `beforeWrite` called, before the first file is written, and the
 * files are written atomically ({@link writeAtomically}): a validation error, a guardrail violation
 * or a value that cannot be written as YAML leaves the output folder as it was. Strings that any
 * YAML 1.1 or 1.2 parser would read as another type (`yes`, `on`, `0775`, `2020-01-01`, ...) are
 * quoted, as cdk8s quotes them for YAML 1.1 readers such as kubectl. Output types other than one
 * file per chart are left to `app.synth()`, without `beforeWrite`, and are written atomically too.
 */
export function writeManifests(app: App, options: WriteManifestsOptions = {}): void {
  writeAtomically(app.outdir, (staging) => writeManifestsInto(app, staging, options));
}

/** A document {@link writeManifestsInto} wrote: its file (relative to the folder), its first line, and what it holds. */
export interface WrittenDocument {
  /** The file, relative to the folder written into (`platform.k8s.yaml`). */
  readonly file: string;
  /** The document's first line in the file, from 1 (the line after its `---`). */
  readonly line: number;
  /** The object as written: its rendering, or what `beforeWrite` put in its place. */
  readonly manifest: any;
}

/**
 * Writes the manifests of `app` into `dir` as {@link writeManifests} does, without the atomic move:
 * for a caller that writes more beside them and moves everything at once. Returns the documents it
 * wrote, with where; `undefined` for output types other than one file per chart, which `app.synth()` writes.
 */
export function writeManifestsInto(app: App, dir: string, options: WriteManifestsOptions = {}): WrittenDocument[] | undefined {
  if (app.yamlOutputType !== YamlOutputType.FILE_PER_CHART) {
    synthInto(app, dir);
    return undefined;
  }
  throwValidationErrors(app.node.findAll().flatMap((construct) => construct.node.validate().map((error) => ({ construct, error }))));
  const numbered = resolveDependencies(app);
  const charts = app.charts.map((chart) => ({ chart, objects: objectsOf(chart).map((object) => ({ object, manifest: object.toJson() })) }));
  const replaced = options.beforeWrite?.(charts.flatMap((c) => c.objects)) ?? new Map<ApiObject, unknown>();
  const documents: WrittenDocument[] = [];

  charts.forEach(({ chart, objects }, i) => {
    const name = `${numbered ? `${String(i).padStart(4, '0')}-` : ''}${Names.toDnsLabel(chart)}`;
    const fileName = `${name}${app.outputFileExtension}`;
    const file = fs.openSync(path.join(dir, fileName), 'w');
    let line = 1;
    try {
      // One document at a time, so that the text of the whole file is never held in memory.
      objects.forEach(({ object, manifest }, j) => {
        const written = replaced.has(object) ? replaced.get(object) : manifest;
        const text = `${j > 0 ? '---\n' : ''}${documentYaml(written)}`;
        fs.writeSync(file, text);
        documents.push({ file: fileName, line: j > 0 ? line + 1 : line, manifest: written });
        line += lineBreaks(text);
      });
    } finally {
      fs.closeSync(file);
    }
  });
  return documents;
}

/** How many line breaks `text` holds. */
function lineBreaks(text: string): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) {
    count++;
  }
  return count;
}

/** `app.synth()`, with its output in `dir`: cdk8s writes to `app.outdir`, which points there for the time of the synthesis. */
function synthInto(app: App, dir: string): void {
  const mutable = app as { outdir: string };
  const outdir = mutable.outdir;
  mutable.outdir = dir;
  try {
    app.synth();
  } finally {
    mutable.outdir = outdir;
  }
}

/**
 * Runs `write` with an empty staging folder beside `outdir` (in its parent, so that a rename never
 * crosses file systems), then moves everything it wrote into `outdir`, each file with one rename
 * that replaces the file of the same name; files of `outdir` it did not write stay. When `write`
 * throws, the staging folder is removed and `outdir` is as it was (and not created when it did not
 * exist): a synthesis that fails partway never leaves a truncated manifest behind.
 */
export function writeAtomically<T>(outdir: string, write: (staging: string) => T): T {
  const target = path.resolve(outdir);
  const parent = path.dirname(target);
  const createdParent = fs.mkdirSync(parent, { recursive: true });
  const staging = fs.mkdtempSync(path.join(parent, `.${path.basename(target)}.synth-`));
  try {
    const result = write(staging);
    fs.mkdirSync(target, { recursive: true });
    moveInto(staging, target);
    return result;
  } catch (error) {
    if (createdParent !== undefined) {
      fs.rmSync(createdParent, { recursive: true, force: true });
    }
    throw error;
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** Moves every file below `from` to the same place below `to`, creating folders as needed. */
function moveInto(from: string, to: string): void {
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const [source, target] = [path.join(from, entry.name), path.join(to, entry.name)];
    if (entry.isDirectory() && fs.existsSync(target)) {
      moveInto(source, target);
    } else {
      fs.renameSync(source, target);
    }
  }
}

/** An error of one construct, as cdk8s reports validation errors. */
export interface ConstructError {
  /** The construct the error is about. */
  readonly construct: IConstruct;
  /** What is wrong. */
  readonly error: string;
}

/**
 * Throws `errors`, if any, in the form `app.synth()` reports failed validations: one
 * `[construct path] error` line each, in the order given.
 */
export function throwValidationErrors(errors: readonly ConstructError[]): void {
  if (errors.length > 0) {
    throw new Error(`Validation failed with the following errors:\n  ${errors.map((e) => `[${e.construct.node.path}] ${e.error}`).join('\n  ')}`);
  }
}

/** Kubernetes objects as one multi-document YAML text, in the layout cdk8s writes (`---` between documents). */
export function toYaml(objects: readonly unknown[]): string {
  return objects.map(documentYaml).join('---\n');
}

function documentYaml(object: unknown): string {
  return object === undefined ? '\n' : dump(object, { lineWidth: -1, noRefs: true, quoteStyle: 'double' });
}

/**
 * Turns the dependencies between constructs into the ones cdk8s orders the output by, as
 * `app.synth()` does before it writes: a chart depends on the charts nested in it and on the charts
 * of whatever its constructs depend on; within a chart, every API object below a construct depends
 * on every API object below the construct it depends on. Returns whether any chart depends on
 * another, in which case the file names are numbered in dependency order.
 */
function resolveDependencies(app: App): boolean {
  const constructs = app.node.findAll();
  let chartsDepend = false;
  for (const parent of constructs.filter(Chart.isChart)) {
    for (const nested of parent.node.children.filter(Chart.isChart)) {
      parent.node.addDependency(nested);
      chartsDepend = true;
    }
  }
  for (const source of constructs) {
    for (const target of source.node.dependencies) {
      if (Chart.of(source) !== Chart.of(target)) {
        Chart.of(source).node.addDependency(Chart.of(target));
        chartsDepend = true;
      }
    }
  }
  for (const source of constructs) {
    for (const target of source.node.dependencies) {
      const targetObjects = objectsBelow(target);
      for (const dependent of objectsBelow(source)) {
        targetObjects.filter((object) => object !== dependent).forEach((object) => dependent.node.addDependency(object));
      }
    }
  }
  return chartsDepend;
}

/** The API objects at or below `scope` that belong to its chart (not to a chart nested in it). */
function objectsBelow(scope: IConstruct): ApiObject[] {
  const chart = Chart.of(scope);
  return scope.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c) && Chart.of(c) === chart);
}

/** The API objects of `chart` (not of the charts nested in it), in dependency order. */
function objectsOf(chart: Chart): ApiObject[] {
  return new DependencyGraph(chart.node).topology().filter((c): c is ApiObject => ApiObject.isApiObject(c) && Chart.of(c) === chart);
}
