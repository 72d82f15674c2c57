import { ObjectIdentity, describeIdentity, identityKey } from '../identity';
import { GuardrailObject, ObjectIndex, Production } from '../objects';
import { referencesOf } from '../references';
import { GuardrailRule, RuleLevel, RuleSource } from '../rule';

/** ClusterRoles every cluster has: the user-facing ones and the `system:` ones (Kubernetes docs, "Default roles and role bindings"). */
const DEFAULT_CLUSTER_ROLES = new Set(['cluster-admin', 'admin', 'edit', 'view']);

/**
 * Objects Kubernetes itself makes, which an app may name without producing or declaring them: the
 * ServiceAccount `default` of every namespace (the ServiceAccount controller), the ConfigMap
 * `kube-root-ca.crt` of every namespace (the root CA publisher, GA in 1.21), the default ClusterRoles.
 */
function isBuiltIn(identity: ObjectIdentity): boolean {
  switch (`${identity.group}/${identity.kind}`) {
    case '/ServiceAccount': return identity.name === 'default';
    case '/ConfigMap': return identity.name === 'kube-root-ca.crt';
    case 'rbac.authorization.k8s.io/ClusterRole': return DEFAULT_CLUSTER_ROLES.has(identity.name) || identity.name.startsWith('system:');
    default: return false;
  }
}

/**
 * Whether the object `identity` names will exist: the app (or an operator, from an object of the app)
 * makes it, Kubernetes does, or the app declares it as a prerequisite. Manifests read from files
 * declare nothing: there, a reference to a cluster-scoped object (a ClusterIssuer, a ClusterSecretStore,
 * a ClusterRole) is taken as the cluster's, and only references within a namespace are checked.
 */
function resolves(identity: ObjectIdentity, index: ObjectIndex): boolean {
  if (isBuiltIn(identity) || index.producersOf(identity).length > 0) {
    return true;
  }
  return index.knowsPrerequisites ? index.declares(identity) : identity.namespace === undefined;
}

/** `Deployment aishell/api [platform/Api/Resource]`, and what makes the object from it, if not written as is. */
function producedBy(production: Production): string {
  const source = `${production.source.title} [${production.source.path}]`;
  return production.through === undefined ? source : `${source} (${production.through})`;
}

/** The productions of `object` that an earlier object of the app makes too, each with the first that does. */
function collisions(object: GuardrailObject, index: ObjectIndex): Array<[Production, Production]> {
  const seen = new Set<string>();
  return index.productionsOf(object).filter((p) => !p.merges).flatMap((production): Array<[Production, Production]> => {
    const key = identityKey(production.identity);
    const first = index.producersOf(production.identity).find((p) => !p.merges)!;
    // An object that names one Secret twice (two listeners of a Gateway sharing a certificate) makes it once.
    if (first.source === object || seen.has(key)) {
      return [];
    }
    seen.add(key);
    return [[production, first]];
  });
}

/** Every name an object reads exists, and every object is made once. */
export const REFERENCE_RULES: readonly GuardrailRule[] = [
  {
    id: 'references-resolve',
    rule: 'every object a pod or an operator reads by name must be produced in the app or declared as a prerequisite',
    reason: 'a name nothing produces fails at run time, not at apply: a pod waits for its Secret forever, a certificate is never issued, WAL archiving fails from the first segment',
    fix: 'produce the object in the app (a SecretsBinding for a Secret), or, when the cluster provides it, declare it with '
      + 'Prerequisite.declare(scope, Prerequisite.clusterObject(kind, name, reason)) or Prerequisite.object(kind, namespace, name, reason)',
    sources: [RuleSource.DESIGN],
    level: RuleLevel.ERROR,
    check: (o, index) => referencesOf(o).filter((ref) => !resolves(ref.identity, index)).map(({ identity, field }) => {
      const where = identity.namespace !== undefined && identity.namespace !== o.namespace ? ` in namespace '${identity.namespace}'` : '';
      const unknown = index.knowsPrerequisites ? 'nothing in the app produces and no prerequisite declares' : 'none of the manifests produces';
      return `${field} names ${identity.kind} '${identity.name}'${where}, which ${unknown}`;
    }),
  },
  {
    id: 'identities-unique',
    rule: 'no two objects of the app, and no object and an operator working for the app, may make an object with the same group, kind, namespace and name',
    reason: 'they are one object in the cluster: applying both, one silently replaces the other, or the operator and the manifests overwrite each other forever',
    fix: 'give one of them another name (a construct\'s name prop, or its id), or leave the object to the operator that makes it',
    sources: [RuleSource.DESIGN],
    level: RuleLevel.ERROR,
    developmentLevel: RuleLevel.ERROR,
    check: (o, index) => collisions(o, index).map(([production, first]) => production.through === undefined && first.through === undefined
      ? `is also written at [${first.source.path}]: applying both, one replaces the other`
      : `${describeIdentity(production.identity)} has two producers, ${producedBy(first)} and ${producedBy(production)}: one replaces the other`),
  },
];
