import { ARGOCD_SYNC_OPTIONS_ANNOTATION, FLUX_PRUNE_ANNOTATION, KEEP_ANNOTATIONS } from '../../core/protection';
import { groupOf } from '../identity';
import { GuardrailObject } from '../objects';
import { GuardrailRule, RuleLevel, RuleSource } from '../rule';

/**
 * Objects whose deletion deletes data, by `group/Kind`, and whether a given one does: a Namespace takes
 * every claim in it along, a claim is the data, a StatefulSet's claims are deleted with it when its
 * retention policy says so, a CloudNativePG Cluster owns its instances' claims. A kind that holds data
 * (a cache with storage) adds its row here.
 */
const HOLDS_DATA: Readonly<Record<string, (object: GuardrailObject) => boolean>> = {
  '/Namespace': () => true,
  '/PersistentVolumeClaim': () => true,
  'apps/StatefulSet': (o) => (o.manifest.spec?.volumeClaimTemplates ?? []).length > 0,
  'postgresql.cnpg.io/Cluster': () => true,
  'redis.redis.opstreelabs.in/Redis': (o) => o.manifest.spec?.storage?.volumeClaimTemplate?.spec !== undefined,
  'redis.redis.opstreelabs.in/RedisReplication': (o) => o.manifest.spec?.storage?.volumeClaimTemplate?.spec !== undefined,
};

/**
 * Objects whose controller deletes their claims when they are deleted, by `group/Kind`, and what says so. The
 * Redis Operator v0.26.0 deletes a Redis's or RedisReplication's claims in its finalizer unless `storage.keepAfterDelete`
 * (internal/k8sutils/finalizer.go; the field defaults to false).
 */
const DELETES_CLAIMS: Readonly<Record<string, (object: GuardrailObject) => string | undefined>> = {
  'apps/StatefulSet': (o) => o.manifest.spec?.persistentVolumeClaimRetentionPolicy?.whenDeleted === 'Delete'
    ? 'persistentVolumeClaimRetentionPolicy.whenDeleted: Delete' : undefined,
  'redis.redis.opstreelabs.in/Redis': redisClaimsDeleted,
  'redis.redis.opstreelabs.in/RedisReplication': redisClaimsDeleted,
};

function redisClaimsDeleted(o: GuardrailObject): string | undefined {
  return o.manifest.spec?.storage?.keepAfterDelete !== true ? 'storage.keepAfterDelete is not true: the operator\'s finalizer deletes them' : undefined;
}

/** The Argo CD sync options `KEEP_ANNOTATIONS` asks for: `Prune=false` and `Delete=false`. */
const ARGOCD_KEEP_OPTIONS = KEEP_ANNOTATIONS[ARGOCD_SYNC_OPTIONS_ANNOTATION].split(',');
const FLUX_KEEP = KEEP_ANNOTATIONS[FLUX_PRUNE_ANNOTATION];

/** What would let a GitOps prune, or the deletion of the GitOps application, delete `o`'s data. */
function unprotected(o: GuardrailObject): string[] {
  // Argo CD 3.5, sync options page of the user guide: options are comma-separated, white space trimmed.
  const options = (o.annotations[ARGOCD_SYNC_OPTIONS_ANNOTATION] ?? '').split(',').map((option) => option.trim());
  const missing = ARGOCD_KEEP_OPTIONS.filter((option) => !options.includes(option));
  // kustomize-controller v1.9.4: a label or an annotation; lowercase `disabled` is what every version accepts.
  const flux = o.annotations[FLUX_PRUNE_ANNOTATION] ?? o.manifest.metadata?.labels?.[FLUX_PRUNE_ANNOTATION];
  const deleted = DELETES_CLAIMS[`${groupOf(o.manifest.apiVersion)}/${o.kind}`]?.(o);
  return [
    ...missing.length > 0
      ? [`has no ${missing.join(' and ')} in ${ARGOCD_SYNC_OPTIONS_ANNOTATION}: Argo CD deletes it when it leaves the manifests or the Application is deleted`] : [],
    ...flux !== FLUX_KEEP
      ? [`has no ${FLUX_PRUNE_ANNOTATION}: ${FLUX_KEEP}: Flux deletes it when it leaves the manifests or the Kustomization is deleted`] : [],
    ...deleted !== undefined ? [`deletes its PersistentVolumeClaims with it (${deleted})`] : [],
  ];
}

/** Data survives a GitOps prune. */
export const PROTECTION_RULES: readonly GuardrailRule[] = [
  {
    id: 'data-kept-on-prune',
    rule: 'objects that hold data (Namespaces, PersistentVolumeClaims, StatefulSets with volume claims, CloudNativePG Clusters, Redis Operator resources with volume claims) must be kept when Argo CD or Flux prunes',
    reason: 'a prune, or deleting the Application or Kustomization, deletes a database with its volumes; a renamed object or a moved folder is enough to trigger it',
    fix: `annotate the object with ${ARGOCD_SYNC_OPTIONS_ANNOTATION}: ${KEEP_ANNOTATIONS[ARGOCD_SYNC_OPTIONS_ANNOTATION]} and ${FLUX_PRUNE_ANNOTATION}: ${FLUX_KEEP}`
      + ' (the library\'s constructs do), and keep its claims on deletion (persistentVolumeClaimRetentionPolicy Retain, the Redis Operator\'s storage.keepAfterDelete: true);'
      + ' delete such an object on purpose, by hand',
    sources: [RuleSource.DESIGN],
    level: RuleLevel.ERROR,
    kinds: Object.keys(HOLDS_DATA).map((key) => key.slice(key.indexOf('/') + 1)),
    check: (o) => HOLDS_DATA[`${groupOf(o.manifest.apiVersion)}/${o.kind}`]?.(o) === true ? unprotected(o) : [],
  },
];
