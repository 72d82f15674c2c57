import { ApiObject, Chart, Testing } from 'cdk8s';
import { Guardrails, Tier, setTier } from '../../lib';
import { KEEP_ANNOTATIONS } from '../../lib/core/protection';

// Argo CD v3.5.0 docs/user-guide/sync-options.md (Prune=false, Delete=false; options comma-separated, white
// space trimmed); kustomize-controller v1.9.4 docs/spec/v1/kustomizations.md (label or annotation
// kustomize.toolkit.fluxcd.io/prune: disabled excludes an object from garbage collection and from deletion).

const ARGO = 'has no Prune=false and Delete=false in argocd.argoproj.io/sync-options: Argo CD deletes it when it leaves the manifests or the Application is deleted';
const FLUX = 'has no kustomize.toolkit.fluxcd.io/prune: disabled: Flux deletes it when it leaves the manifests or the Kustomization is deleted';

/** The messages of data-kept-on-prune for `manifest`, in a chart of `tier`. */
function messages(manifest: Record<string, any>, tier = Tier.PRODUCTION): string[] {
  const app = Testing.app();
  const chart = new Chart(app, 'data', { namespace: 'test' });
  setTier(chart, tier);
  new ApiObject(chart, 'Object', manifest as any);
  return Guardrails.apply(app).evaluate().findings.filter((f) => f.rule.id === 'data-kept-on-prune').map((f) => `${f.level}: ${f.message}`);
}

const claimTemplate = { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } };
const statefulSet = (spec: Record<string, any> = {}, annotations?: Record<string, string>) => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: 'cache', annotations },
  spec: { serviceName: 'cache', selector: {}, template: { spec: { containers: [] } }, volumeClaimTemplates: [claimTemplate], ...spec },
});

describe('data-kept-on-prune', () => {
  test.each([
    ['a Namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'test' } }],
    ['a PersistentVolumeClaim', { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: {} }],
    ['a StatefulSet with volume claims', statefulSet()],
    ['a CloudNativePG Cluster', { apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: 'db' }, spec: { instances: 3 } }],
  ])('fails %s without the keep annotations of Argo CD and Flux', (_, manifest) => {
    expect(messages(manifest)).toEqual([`error: ${ARGO}`, `error: ${FLUX}`]);
  });

  test('passes an object with KEEP_ANNOTATIONS', () => {
    expect(messages(statefulSet({}, { ...KEEP_ANNOTATIONS }))).toEqual([]);
  });

  test.each([
    ['Prune=false only', 'Prune=false', 'has no Delete=false in argocd.argoproj.io/sync-options'],
    ['Delete=false only', 'Delete=false', 'has no Prune=false in argocd.argoproj.io/sync-options'],
    ['confirmation instead of false', 'Prune=confirm,Delete=confirm', 'has no Prune=false and Delete=false in argocd.argoproj.io/sync-options'],
  ])('names the Argo CD option missing with %s', (_, options, message) => {
    const found = messages(statefulSet({}, { ...KEEP_ANNOTATIONS, 'argocd.argoproj.io/sync-options': options }));
    expect(found).toEqual([`error: ${message}: Argo CD deletes it when it leaves the manifests or the Application is deleted`]);
  });

  test('reads Argo CD options among others, in any order, with white space', () => {
    expect(messages(statefulSet({}, { ...KEEP_ANNOTATIONS, 'argocd.argoproj.io/sync-options': 'ServerSideApply=true, Delete=false ,Prune=false' }))).toEqual([]);
  });

  test('accepts the Flux setting as a label', () => {
    const manifest: Record<string, any> = statefulSet({}, { 'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false' });
    manifest.metadata.labels = { 'kustomize.toolkit.fluxcd.io/prune': 'disabled' };
    expect(messages(manifest)).toEqual([]);
  });

  test('fails a Flux value other than disabled', () => {
    expect(messages(statefulSet({}, { ...KEEP_ANNOTATIONS, 'kustomize.toolkit.fluxcd.io/prune': 'enabled' }))).toEqual([`error: ${FLUX}`]);
  });

  test('fails a StatefulSet that deletes its claims with it', () => {
    expect(messages(statefulSet({ persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Retain' } }, { ...KEEP_ANNOTATIONS })))
      .toEqual(['error: deletes its PersistentVolumeClaims with it (persistentVolumeClaimRetentionPolicy.whenDeleted: Delete)']);
  });

  test('passes a StatefulSet without claims, and a Cluster of another API group', () => {
    expect(messages(statefulSet({ volumeClaimTemplates: [] }))).toEqual([]);
    expect(messages({ apiVersion: 'example.com/v1', kind: 'Cluster', metadata: { name: 'c' } })).toEqual([]);
  });

  test('is a warning in development', () => {
    expect(messages(statefulSet(), Tier.DEVELOPMENT)).toEqual([`warning: ${ARGO}`, `warning: ${FLUX}`]);
  });
});
