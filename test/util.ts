import { Chart, Testing } from 'cdk8s';
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
