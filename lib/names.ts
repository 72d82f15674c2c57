import { ApiObject, Chart, JsonPatch } from 'cdk8s';

/**
 * The default name of a construct's objects: its id in kebab-case (`BackgroundWorker` becomes
 * `background-worker`), which the construct then validates like any name it is given.
 */
export function nameFromId(id: string): string {
  return id.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/[^A-Za-z0-9-]+/g, '-').toLowerCase();
}

/**
 * Keeps a cluster-scoped object (Namespace, ClusterIssuer, ...) free of the namespace that a
 * namespaced chart gives every object in it.
 */
export function clusterScoped<T extends ApiObject>(object: T): T {
  if (Chart.of(object).namespace !== undefined) {
    object.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  }
  return object;
}
