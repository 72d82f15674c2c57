import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { IConstruct } from 'constructs';
import { check } from './errors';
import { shortHash } from './hashing';
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

/** Characters of the hash that stands for the part of a name cut off by {@link boundedName}. */
const NAME_HASH_LENGTH = 10;

/**
 * `base` and `suffix` as one name of at most `max` characters: unchanged when it fits, otherwise
 * `base` cut short, a dash and a hash of the whole of `base`, then `suffix` (`<long host>-tls` becomes
 * `<first 238 characters>-<hash>-tls`). The same input gives the same name, two bases that differ
 * give different names, and the cut never leaves a dash or dot before the hash, so a DNS name stays one.
 */
export function boundedName(base: string, max: number, suffix = ''): string {
  if (base.length + suffix.length <= max) {
    return `${base}${suffix}`;
  }
  const kept = base.slice(0, Math.max(0, max - suffix.length - NAME_HASH_LENGTH - 1)).replace(/[-.]+$/, '');
  return `${kept}${kept !== '' ? '-' : ''}${shortHash(base, NAME_HASH_LENGTH)}${suffix}`;
}
