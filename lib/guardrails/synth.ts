import * as fs from 'fs';
import * as path from 'path';
import { App, YamlOutputType } from 'cdk8s';
import { check, checkArgument } from '../core/errors';
import { Kind, checkProps } from '../core/kinds';
import { WrittenDocument, writeAtomically, writeManifestsInto } from '../core/manifests';
import { Prerequisite } from '../core/prerequisites';
import { PREREQUISITES_JSON, PREREQUISITES_MARKDOWN, prerequisitesJson, prerequisitesMarkdown } from '../core/prerequisites-file';
import { Guardrails, GuardrailsProps, RULE_KIND } from './guardrails';
import { GuardrailReport, ManifestLocation } from './report';

/** How {@link synthWithGuardrails} synthesizes and reports. */
export interface GuardrailSynthOptions extends GuardrailsProps {
  /** Name of the SARIF report, written into the app's output folder beside the manifests. @default 'guardrails.sarif' */
  readonly sarifFile?: string;
  /**
   * Path of the app's output folder as the SARIF report names manifest files, relative to the
   * repository root (code scanning resolves it against `%SRCROOT%`).
   * @default - the output folder relative to the working directory
   */
  readonly manifestRoot?: string;
  /** What the prerequisites file is about, in its heading. @default - the name of the output folder */
  readonly title?: string;
  /**
   * Where the summary goes.
   * @default - printed to stderr (console.error): `cdk8s synth` shows the app's stderr and discards its stdout
   */
  readonly log?: (summary: string) => void;
}

/**
 * Synthesizes `app` with guardrails: applies them (unless already applied), synthesizes, which
 * fails before writing when a production object violates an error-level rule, then writes beside the
 * manifests the SARIF report and the prerequisites the app declared (`PREREQUISITES.md` for people,
 * `prerequisites.jsonc` for machines), and logs the summary with where the prerequisites are.
 * For any cdk8s app: call it instead of `app.synth()`.
 *
 * With one file per chart (cdk8s' default) the tree is validated once and each object rendered once:
 * the guardrails check the renderings that are then written. Other output types go through
 * `app.synth()`, whose validation runs the guardrails.
 */
export function synthWithGuardrails(app: App, options: GuardrailSynthOptions = {}): GuardrailReport {
  checkSynthOptions(app, options);
  const guardrails = Guardrails.of(app) ?? Guardrails.apply(app, options);
  const manifestRoot = options.manifestRoot ?? path.relative(process.cwd(), app.outdir);
  // The manifests, the SARIF report and the prerequisites are written together, or not at all.
  const { report, prerequisites } = writeAtomically(app.outdir, (dir) => {
    const documents = app.yamlOutputType === YamlOutputType.FILE_PER_CHART
      ? guardrails.checkingRenderingsDuring(() => writeManifestsInto(app, dir, { beforeWrite: (rendered) => guardrails.checkRendered(rendered) }))
      : writeManifestsInto(app, dir);
    const written = guardrails.report!;
    const locations = documents !== undefined ? documentLocations(documents, manifestRoot) : manifestLocations(dir, app.outputFileExtension, manifestRoot);
    const sarif = written.toSarif({ locate: (o) => locations.get(identity(o.kind, o.namespace, o.name)) });
    fs.writeFileSync(path.join(dir, options.sarifFile ?? 'guardrails.sarif'), `${JSON.stringify(sarif, null, 2)}\n`);
    const declared = Prerequisite.declaredIn(app);
    const title = options.title ?? path.basename(path.resolve(app.outdir));
    fs.writeFileSync(path.join(dir, PREREQUISITES_MARKDOWN), prerequisitesMarkdown(title, declared));
    fs.writeFileSync(path.join(dir, PREREQUISITES_JSON), prerequisitesJson(title, declared));
    return { report: written, prerequisites: declared };
  });
  const where = path.posix.join(...manifestRoot.split(path.sep), PREREQUISITES_MARKDOWN);
  (options.log ?? console.error)(`${report.summary()}; prerequisites: ${where} (${prerequisites.length})`);
  return report;
}

/** What `synthWithGuardrails` is given, checked for callers without a type checker. */
function checkSynthOptions(app: App, options: GuardrailSynthOptions): void {
  checkArgument(app instanceof App, 'synthWithGuardrails', 'app', app, 'must be a cdk8s App');
  checkProps<GuardrailSynthOptions>(app, options, {
    rules: Kind.array(RULE_KIND).optional(),
    sarifFile: Kind.STRING.optional(),
    manifestRoot: Kind.STRING.optional(),
    title: Kind.STRING.optional(),
    log: Kind.FUNCTION.optional(),
  }, 'GuardrailSynthOptions');
  if (options.sarifFile !== undefined) {
    check(/^[^/\\]+$/.test(options.sarifFile) && !['.', '..'].includes(options.sarifFile), app, 'sarifFile', options.sarifFile,
      'must be a file name, without a folder: the report is written beside the manifests');
  }
}

function identity(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}/${namespace ?? ''}/${name}`;
}

/** Where each object was written, from the documents the library wrote. */
function documentLocations(documents: readonly WrittenDocument[], manifestRoot: string): Map<string, ManifestLocation> {
  const root = manifestRoot.split(path.sep);
  const locations = new Map<string, ManifestLocation>();
  for (const { file, line, manifest } of documents) {
    const metadata = manifest?.metadata ?? {};
    if (manifest?.kind !== undefined && metadata.name !== undefined) {
      locations.set(identity(manifest.kind, metadata.namespace, metadata.name), { uri: path.posix.join(...root, file), line });
    }
  }
  return locations;
}

/**
 * Where each object was written, read from the manifests cdk8s just wrote (for the output types it writes). Reads only the lines
 * that identify a document (top-level `kind`, and `name` and `namespace` under `metadata`), which
 * is how cdk8s writes them, so the cost stays one pass over the text.
 */
function manifestLocations(outdir: string, extension: string, manifestRoot: string): Map<string, ManifestLocation> {
  const locations = new Map<string, ManifestLocation>();
  const files = fs.readdirSync(outdir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith(extension)).sort();
  for (const file of files) {
    const uri = path.posix.join(...manifestRoot.split(path.sep), ...file.split(path.sep));
    let doc: { line: number; kind?: string; name?: string; namespace?: string; inMetadata: boolean } = { line: 1, inMetadata: false };
    const flush = () => {
      if (doc.kind !== undefined && doc.name !== undefined) {
        locations.set(identity(doc.kind, doc.namespace, doc.name), { uri, line: doc.line });
      }
    };
    fs.readFileSync(path.join(outdir, file), 'utf8').split('\n').forEach((line, i) => {
      if (line === '---') {
        flush();
        doc = { line: i + 2, inMetadata: false };
      } else if (!line.startsWith(' ')) {
        doc.inMetadata = line === 'metadata:';
        if (line.startsWith('kind: ')) {
          doc.kind = unquote(line.slice(6));
        }
      } else if (doc.inMetadata && line.startsWith('  name: ')) {
        doc.name = unquote(line.slice(8));
      } else if (doc.inMetadata && line.startsWith('  namespace: ')) {
        doc.namespace = unquote(line.slice(13));
      }
    });
    flush();
  }
  return locations;
}

function unquote(value: string): string {
  return value.replace(/^"(.*)"$/, '$1');
}
