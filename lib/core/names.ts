import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { IConstruct } from 'constructs';
import { check } from './errors';
import { checkNamespaceName } from './validate';

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

/**
 * The namespace of a construct's objects: the one it was given, else its chart's; it must be set
 * and a valid namespace name. `kind` names the construct in the error, `why` says why it is needed.
 */
export function resolveNamespace(scope: IConstruct, kind: string, given: string | undefined,
  why = 'every object belongs to a namespace'): string {
  const namespace = given ?? Chart.of(scope).namespace;
  check(namespace !== undefined && namespace !== '', scope, 'namespace', given, `must be set on the ${kind} or its Chart: ${why}`);
  checkNamespaceName(scope, 'namespace', namespace);
  return namespace;
}
