import { ApiObject } from 'cdk8s';

/**
 * Argo CD's sync options for one object: never pruned when it leaves the manifests, and kept when
 * the Application is deleted. Options in one annotation are separated by commas.
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/sync-options/ (argo-cd v3.5.0, the sync options page of its user guide)
 */
export const ARGOCD_SYNC_OPTIONS_ANNOTATION = 'argocd.argoproj.io/sync-options';
/** The value of {@link ARGOCD_SYNC_OPTIONS_ANNOTATION} that keeps an object. */
export const ARGOCD_KEEP = 'Prune=false,Delete=false';
/**
 * Flux kustomize-controller: an object with this annotation set to `disabled` is neither garbage
 * collected when it leaves the source nor deleted with its Kustomization.
 * @see https://fluxcd.io/flux/components/kustomize/kustomizations/#prune (kustomize-controller v1.9.4)
 */
export const FLUX_PRUNE_ANNOTATION = 'kustomize.toolkit.fluxcd.io/prune';
/** The value of {@link FLUX_PRUNE_ANNOTATION} that keeps an object. */
export const FLUX_KEEP = 'disabled';

/** The annotations that keep an object holding data from being pruned or deleted by Argo CD and Flux. */
export const KEEP_ANNOTATIONS: Readonly<Record<string, string>> = {
  [ARGOCD_SYNC_OPTIONS_ANNOTATION]: ARGOCD_KEEP,
  [FLUX_PRUNE_ANNOTATION]: FLUX_KEEP,
};

/**
 * Marks `object`, which holds data (a Namespace, a database cluster, a PersistentVolumeClaim), so that
 * a GitOps prune or the deletion of the Application or Kustomization leaves it in place: deleting it
 * takes a deliberate `kubectl delete` of that object. `kubectl delete -f` of the manifests does not
 * read these annotations: leave such objects out of it.
 */
export function keepOnPrune<T extends ApiObject>(object: T): T {
  for (const [key, value] of Object.entries(KEEP_ANNOTATIONS)) {
    object.metadata.addAnnotation(key, value);
  }
  return object;
}
