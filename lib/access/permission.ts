import { describeValue } from '../core/errors';

/** Verbs that read: `list` and `watch` return whole objects, as `get` does. */
const READ = ['get', 'list', 'watch'];

/** One RBAC rule of a {@link Permission}: verbs on resources of one API group. */
export interface PermissionRule {
  /** API group, `''` for the core group. */
  readonly apiGroup: string;
  /** Resources, or `resource/subresource`. */
  readonly resources: readonly string[];
  /** Verbs. */
  readonly verbs: readonly string[];
}

/**
 * Resources a {@link Permission.read} may never name: Secrets (`list` and `watch` return their values as `get`
 * does), and the subresources that run code or open connections, which kubectl reaches with a WebSocket `GET`
 * and which API servers before 1.35 authorize with `get` alone.
 */
const NEVER_READ: Readonly<Record<string, readonly string[]>> = {
  '': ['secrets', 'pods/exec', 'pods/attach', 'pods/portforward', 'pods/proxy', 'services/proxy', 'nodes/proxy', 'serviceaccounts/token'],
};
const RESOURCE = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(\/[a-z0-9]([-a-z0-9]*[a-z0-9])?)?$/;
const API_GROUP = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)?$/;

/**
 * What people may do in a namespace: named RBAC rules without wildcards, which a {@link TeamAccess} grant
 * combines into one namespaced Role. The catalogue covers the objects of this library's bundle; `read` adds others.
 *
 * No permission grants Secrets: `get`, and `list` or `watch` as much, reveal their values.
 * @see https://kubernetes.io/docs/concepts/security/rbac-good-practices/#listing-secrets
 */
export class Permission {
  /**
   * Read (`get`, `list`, `watch`) the workloads and what serves them: pods, Deployments, ReplicaSets,
   * StatefulSets, Jobs, CronJobs, Services, endpoints, events, volume claims, autoscalers, disruption budgets,
   * NetworkPolicies, Ingresses and Gateway API routes, the namespace's quota and limits, and the objects of the
   * operators the bundle targets (CloudNativePG, the Barman Cloud plugin, External Secrets, Sealed Secrets,
   * cert-manager, prometheus-operator), whose specs name Secrets but never hold their values. Not ConfigMaps
   * ({@link Permission.READ_CONFIG}), not Secrets, not Roles.
   */
  public static readonly READ_WORKLOADS = new Permission('read-workloads', false, [
    { apiGroup: '', resources: ['pods', 'services', 'endpoints', 'events', 'persistentvolumeclaims', 'resourcequotas', 'limitranges'], verbs: READ },
    { apiGroup: 'apps', resources: ['deployments', 'replicasets', 'statefulsets', 'daemonsets', 'controllerrevisions'], verbs: READ },
    { apiGroup: 'batch', resources: ['jobs', 'cronjobs'], verbs: READ },
    { apiGroup: 'autoscaling', resources: ['horizontalpodautoscalers'], verbs: READ },
    { apiGroup: 'policy', resources: ['poddisruptionbudgets'], verbs: READ },
    { apiGroup: 'discovery.k8s.io', resources: ['endpointslices'], verbs: READ },
    { apiGroup: 'events.k8s.io', resources: ['events'], verbs: READ },
    { apiGroup: 'networking.k8s.io', resources: ['ingresses', 'networkpolicies'], verbs: READ },
    { apiGroup: 'gateway.networking.k8s.io', resources: ['gateways', 'httproutes'], verbs: READ },
    { apiGroup: 'postgresql.cnpg.io', resources: ['clusters', 'poolers', 'backups', 'scheduledbackups'], verbs: READ },
    { apiGroup: 'barmancloud.cnpg.io', resources: ['objectstores'], verbs: READ },
    { apiGroup: 'external-secrets.io', resources: ['externalsecrets', 'secretstores'], verbs: READ },
    { apiGroup: 'bitnami.com', resources: ['sealedsecrets'], verbs: READ },
    { apiGroup: 'cert-manager.io', resources: ['certificates', 'certificaterequests', 'issuers'], verbs: READ },
    { apiGroup: 'acme.cert-manager.io', resources: ['orders', 'challenges'], verbs: READ },
    { apiGroup: 'monitoring.coreos.com', resources: ['servicemonitors', 'podmonitors', 'prometheusrules'], verbs: READ },
  ]);

  /**
   * Read ConfigMaps: the configuration the pods run with. This library refuses credential-looking values in the
   * ConfigMaps it writes (and the `no-secret-literals` guardrail reports them in any ConfigMap), so reading them
   * reveals settings, not secrets; a team that keeps sensitive settings in ConfigMaps leaves this out.
   */
  public static readonly READ_CONFIG = new Permission('read-config', false, [
    { apiGroup: '', resources: ['configmaps'], verbs: READ },
  ]);

  /** Read the logs of the pods (`kubectl logs`): `get` on `pods/log`, and finding the pods. */
  public static readonly READ_LOGS = new Permission('read-logs', false, [
    { apiGroup: '', resources: ['pods'], verbs: ['get', 'list'] },
    { apiGroup: '', resources: ['pods/log'], verbs: ['get'] },
  ]);

  /**
   * Forward local ports to pods (`kubectl port-forward pod/...` or `svc/...`): `create` on `pods/portforward`,
   * and `get`, which kubectl's WebSocket connection is authorized with on API servers before 1.35 (from 1.35,
   * `AuthorizePodWebsocketUpgradeCreatePermission` checks `create` as well).
   */
  public static readonly PORT_FORWARD = new Permission('port-forward', false, [
    { apiGroup: '', resources: ['pods', 'services'], verbs: ['get', 'list'] },
    { apiGroup: '', resources: ['pods/portforward'], verbs: ['get', 'create'] },
  ]);

  /**
   * Run commands in the containers (`kubectl exec`): `create` on `pods/exec`, and `get` for the WebSocket
   * connection of kubectl 1.30 and later on API servers before 1.35. Exec gives the pod's identity, its mounted
   * Secrets and a shell inside its network policy: the `rbac-no-pod-exec` guardrail reports a Role that grants
   * it unless its grant records why (`reason`), as a break-glass grant does.
   */
  public static readonly EXEC = new Permission('exec', true, [
    { apiGroup: '', resources: ['pods'], verbs: ['get', 'list'] },
    { apiGroup: '', resources: ['pods/exec'], verbs: ['get', 'create'] },
  ]);

  /**
   * Read (`get`, `list`, `watch`) `resources` of `apiGroup` (`''` for the core group), e.g. the custom resources
   * of an operator the bundle adds. Secrets and the subresources that run code or open connections are refused.
   */
  public static read(apiGroup: string, resources: string[]): Permission {
    // A caller without a type checker may pass one resource for the list: it is kept as given, for `problem` to refuse.
    const listed = Array.isArray(resources) ? [...resources] : resources;
    const name = `read:${String(apiGroup)}/${Array.isArray(resources) ? resources.map(String).join(',') : String(resources)}`;
    return new Permission(name, false, [{ apiGroup, resources: listed, verbs: READ }], true);
  }

  private constructor(
    /** Name of the permission in messages. */
    public readonly name: string,
    /** Whether it runs code in the pods: a Role that grants it needs a recorded reason. */
    public readonly interactive: boolean,
    /** Its RBAC rules. */
    public readonly rules: readonly PermissionRule[],
    /** Whether the rules come from the user ({@link Permission.read}), and so are checked when granted. */
    private readonly userDefined = false,
  ) {}

  /**
   * Why this permission cannot be granted, or `undefined` when it can: a wildcard, a malformed name, or a resource a
   * read may never name. The catalogue's permissions always can.
   * @internal
   */
  public problem(): string | undefined {
    if (!this.userDefined) {
      return undefined;
    }
    for (const rule of this.rules) {
      if (typeof rule.apiGroup !== 'string' || !API_GROUP.test(rule.apiGroup)) {
        return `names the API group ${describeValue(rule.apiGroup)}, which is not a DNS subdomain (no wildcards), or '' for the core group`;
      }
      if (!Array.isArray(rule.resources)) {
        return `names the resources ${describeValue(rule.resources)}, which are not an array of strings`;
      }
      if (rule.resources.length === 0) {
        return 'names no resource';
      }
      for (const resource of rule.resources) {
        if (typeof resource !== 'string' || !RESOURCE.test(resource)) {
          return `names the resource ${describeValue(resource)}, which is not a lowercase resource or resource/subresource (no wildcards)`;
        }
        if ((NEVER_READ[rule.apiGroup] ?? []).includes(resource)) {
          return `reads '${resource}': its values, or a shell, would come with it`;
        }
      }
    }
    return undefined;
  }
}
