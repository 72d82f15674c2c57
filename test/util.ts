import * as fs from 'fs';
import { ApiObject, Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { parseAllDocuments } from 'yaml';
import { RegistryCredentials, RegistryCredentialsProps, SecretStoreRef } from '../lib';

/** A synthesized Kubernetes object, as plain JSON. */
export type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; [key: string]: any }; [key: string]: any };

/** A chart in namespace `test`, the way an application team's chart would look. */
export function testChart(namespace = 'test'): Chart {
  return new Chart(Testing.app(), 'test', { namespace, disableResourceNameHashes: true });
}

/** Every object of `chart` as JSON. */
export function synth(chart: Chart): Manifest[] {
  return Testing.synth(chart) as Manifest[];
}

/** The objects of `kind` (and `name`, when given) in `manifests`. */
export function ofKind(manifests: Manifest[], kind: string, name?: string): Manifest[] {
  return manifests.filter((m) => m.kind === kind && (name === undefined || m.metadata.name === name));
}

/** The one object of `kind` (and `name`), failing the test when there is not exactly one. */
export function one(manifests: Manifest[], kind: string, name?: string): Manifest {
  const found = ofKind(manifests, kind, name);
  if (found.length !== 1) {
    throw new Error(`expected one ${kind}${name ? ` '${name}'` : ''}, found ${found.length}: ${manifests.map((m) => `${m.kind}/${m.metadata.name}`).join(', ')}`);
  }
  return found[0];
}

/** Registry credentials in the namespace of `chart`, from a ClusterSecretStore, as a stage gives its pods. */
export function registryIn(chart: Chart, id = 'Registry', props: Partial<RegistryCredentialsProps> = {}): RegistryCredentials {
  return new RegistryCredentials(chart, id, {
    registry: 'registry.example.com', store: SecretStoreRef.cluster('vault'), username: { key: 'registry/username' }, password: { key: 'registry/password' }, ...props,
  });
}

/**
 * The objects of the YAML file `file` under a construct `id` of `scope`, with the ids and the YAML 1.1 reading of
 * cdk8s' `Include` (cdk8s 2.70 lib/include.js, lib/yaml.js), without the node process `Include` starts to read a
 * file (Yaml.load runs a script per file, about 0.2 s each).
 */
export function includeFile(scope: Construct, id: string, file: string): Construct {
  const include = new Construct(scope, id);
  const objects = parseAllDocuments(fs.readFileSync(file, 'utf8'), { version: '1.1' }).map((document) => document.toJSON())
    .filter((object) => object !== null && object !== undefined && !(typeof object === 'object' && Object.keys(object).length === 0));
  let order = 0;
  for (const object of objects) {
    const name = object.metadata?.name ?? `object${order++}`;
    new ApiObject(include, [name, object.kind?.toLowerCase(), object.metadata?.namespace].filter((part) => part).join('-'), object);
  }
  return include;
}
