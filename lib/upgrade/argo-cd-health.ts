import { ApiObject } from 'cdk8s';
import { Prerequisite } from '../core/prerequisites';

/**
 * The health of a CloudNativePG `Backup` for Argo CD, as Lua: Healthy when `status.phase` is
 * `completed`, Degraded when it is `failed`, `walArchivingFailing` or `invalid backup definition`
 * (cloudnative-pg v1.30.0 `api/v1/backup_types.go`), Progressing otherwise. Argo CD 3.5 ships no health
 * check for `Backup` (argo-cd v3.5.0 `resource_customizations/postgresql.cnpg.io/` holds `Cluster` only),
 * and a hook without one counts as done as soon as it is created (`gitops-engine/pkg/sync/sync_context.go`,
 * `getOperationPhase`): the next wave would not wait for the backup.
 */
export const CNPG_BACKUP_HEALTH_LUA = `local hs = {}
local phase = nil
if obj.status ~= nil then
  phase = obj.status.phase
end
if phase == "completed" then
  hs.status = "Healthy"
  hs.message = "Backup completed"
elseif phase == "failed" or phase == "walArchivingFailing" or phase == "invalid backup definition" then
  hs.status = "Degraded"
  hs.message = "Backup " .. phase .. ": " .. tostring(obj.status.error)
else
  hs.status = "Progressing"
  hs.message = "Backup " .. tostring(phase or "pending")
end
return hs
`;

/**
 * The health of a CloudNativePG `Cluster` for Argo CD, as Lua, in place of the one Argo CD 3.5 ships
 * (argo-cd v3.5.0 `resource_customizations/postgresql.cnpg.io/Cluster/health.lua`). That one counts the phases of a
 * rolling update as Degraded: "Applying configuration", the primary's restarts, a switchover, a failover, an online
 * upgrade (cloudnative-pg v1.30.0 `api/v1/cluster_types.go`), and Argo CD fails a sync task whose object is Degraded
 * (`gitops-engine/pkg/sync/sync_context.go`): a release that changes a parameter needing a restart (`shared_buffers`
 * follows the memory) or the image would stop at the database's wave, before the backup, the migrations and the
 * workloads. Here those phases are Progressing, so the sync waits for the rollout; the phases that need a person
 * (user action, a delayed upgrade, a missing binary, a plugin error, an invalid definition) stay Degraded, the ones the
 * built-in check calls Suspended stay Suspended, and a hibernated or unreconciled cluster is Suspended as there.
 */
export const CNPG_CLUSTER_HEALTH_LUA = `local hs = {}
local phases = {
  ["Cluster in healthy state"] = "Healthy",
  ["Setting up primary"] = "Progressing",
  ["Creating a new replica"] = "Progressing",
  ["Upgrading cluster"] = "Progressing",
  ["Waiting for the instances to become active"] = "Progressing",
  ["Promoting to primary cluster"] = "Progressing",
  ["Switchover in progress"] = "Progressing",
  ["Failing over"] = "Progressing",
  ["Upgrading Postgres major version"] = "Progressing",
  ["Primary instance is being restarted in-place"] = "Progressing",
  ["Primary instance is being restarted without a switchover"] = "Progressing",
  ["Online upgrade in progress"] = "Progressing",
  ["Applying configuration"] = "Progressing",
  ["Cluster upgrade delayed"] = "Degraded",
  ["Waiting for user action"] = "Degraded",
  ["Cluster cannot execute instance online upgrade due to missing architecture binary"] = "Degraded",
  ["Cluster cannot proceed to reconciliation due to an error while interacting with plugins"] = "Degraded",
  ["Invalid cluster definition"] = "Degraded",
  ["Unable to create required cluster objects"] = "Suspended",
  ["Cluster cannot proceed to reconciliation due to an unknown plugin being required"] = "Suspended",
  ["Cluster has incomplete or invalid image catalog"] = "Suspended",
  ["Cluster is unrecoverable and needs manual intervention"] = "Suspended",
}
if obj.metadata ~= nil and obj.metadata.annotations ~= nil and obj.metadata.annotations["cnpg.io/reconciliationLoop"] == "disabled" then
  hs.status = "Suspended"
  hs.message = "Cluster reconciliation is suspended"
  return hs
end
if obj.status == nil then
  hs.status = "Progressing"
  hs.message = "Cluster pending"
  return hs
end
if obj.status.conditions ~= nil then
  for _, condition in pairs(obj.status.conditions) do
    if condition.type == "cnpg.io/hibernation" then
      if condition.status == "True" then
        hs.status = "Suspended"
      else
        hs.status = "Degraded"
      end
      hs.message = tostring(condition.message)
      return hs
    end
  end
end
local phase = obj.status.phase
hs.status = phases[phase or ""] or "Progressing"
hs.message = tostring(phase or "pending") .. ": " .. tostring(obj.status.phaseReason or "")
return hs
`;

/**
 * The health of a CloudNativePG `Pooler` for Argo CD, as Lua: Healthy when `status.phase` is `active` (or `paused`,
 * which is deliberate), Degraded when `failed`, Progressing otherwise (`inactive`: a prerequisite such as the cluster's
 * secrets is missing yet; no status: not reconciled yet) (cloudnative-pg v1.30.0 `api/v1/pooler_types.go`,
 * `internal/controller/pooler_status.go`). Argo CD 3.5 has none for `Pooler`, so the database's wave would not wait
 * for it. The phase says the operator made the PgBouncer Deployment, not that its pods are ready
 * (`status.instances` counts the Deployment's pods, ready or not): the migration Job's retries cover the seconds
 * PgBouncer takes to start.
 */
export const CNPG_POOLER_HEALTH_LUA = `local hs = {}
local phase = nil
if obj.status ~= nil then
  phase = obj.status.phase
end
if phase == "active" or phase == "paused" then
  hs.status = "Healthy"
  hs.message = "Pooler " .. phase
elseif phase == "failed" then
  hs.status = "Degraded"
  hs.message = "Pooler failed: " .. tostring(obj.status.phaseReason)
else
  hs.status = "Progressing"
  hs.message = "Pooler " .. tostring(phase or "pending")
end
return hs
`;

/**
 * The health of an OT-CONTAINER-KIT `RedisReplication` for Argo CD, as Lua: Healthy once the operator has found or
 * elected a master (`status.masterNode`), Progressing before (redis-operator v0.26.0
 * `api/redisreplication/v1beta2/redisreplication_types.go`: the master is the only state it reports). Argo CD 3.5 has
 * none for the Redis operator's kinds. `Redis` and `RedisSentinel` report no status at all (their status types are
 * empty), so nothing tells Argo CD when they are up: the workloads' readiness holds their wave instead.
 */
export const REDIS_REPLICATION_HEALTH_LUA = `local hs = {}
if obj.status ~= nil and obj.status.masterNode ~= nil and obj.status.masterNode ~= "" then
  hs.status = "Healthy"
  hs.message = "master " .. obj.status.masterNode
else
  hs.status = "Progressing"
  hs.message = "no master elected yet"
end
return hs
`;

const HEALTH_KEY_PREFIX = 'resource.customizations.health.';

/** Each health check: its script, and what the order waits for with it. */
const HEALTH_CHECKS: Readonly<Record<string, { readonly script: string; readonly waitsFor: string }>> = {
  'postgresql.cnpg.io_Backup': {
    script: CNPG_BACKUP_HEALTH_LUA,
    waitsFor: 'the order waits for the pre-upgrade backup before the migrations and the workloads: without this health check Argo CD counts the backup '
      + 'as done as soon as it is created (Argo CD 3.5 has none built in for Backup)',
  },
  'postgresql.cnpg.io_Cluster': {
    script: CNPG_CLUSTER_HEALTH_LUA,
    waitsFor: 'a release that restarts the database (a parameter that needs a restart, a new image) waits for the rolling update: Argo CD 3.5\'s '
      + 'built-in check calls its phases Degraded and fails the sync at the database\'s wave, before the backup, the migrations and the workloads',
  },
  'postgresql.cnpg.io_Pooler': {
    script: CNPG_POOLER_HEALTH_LUA,
    waitsFor: 'the migrations wait until the operator has made the pooler (Argo CD 3.5 has no health check for Pooler)',
  },
  'redis.redis.opstreelabs.in_RedisReplication': {
    script: REDIS_REPLICATION_HEALTH_LUA,
    waitsFor: 'the workloads wait until the replication has a master (Argo CD 3.5 has no health check for the Redis operator\'s kinds)',
  },
};

/**
 * Health checks Argo CD needs in `argocd-cm` for the order to hold, by the key they go under
 * (`resource.customizations.health.<group>_<Kind>`, argo-cd v3.5.0, operator manual "Resource Health"): for the
 * kinds Argo CD 3.5 has none for (CloudNativePG `Backup` and `Pooler`, the Redis operator's `RedisReplication`), and
 * in place of its CloudNativePG `Cluster` check, which fails a sync during a rolling update.
 */
export const ARGO_CD_HEALTH_CHECKS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(HEALTH_CHECKS).map(([kind, { script }]) => [`${HEALTH_KEY_PREFIX}${kind}`, script]),
);

/** The `argocd-cm` key of the health check `object` needs for the order to hold, if any. */
export function healthCheckKeyOf(object: ApiObject): string | undefined {
  const kind = `${object.apiGroup}_${object.kind}`;
  return kind in HEALTH_CHECKS ? `${HEALTH_KEY_PREFIX}${kind}` : undefined;
}

/** The `argocd-cm` setting `key` (from {@link healthCheckKeyOf}) as a prerequisite of the objects that wait for it. */
export function healthCheckPrerequisite(key: string): Prerequisite {
  const { waitsFor } = HEALTH_CHECKS[key.slice(HEALTH_KEY_PREFIX.length)];
  return Prerequisite.controllerSetting('Argo CD 3.5 (ConfigMap argocd-cm)', `${key}: the health check of ARGO_CD_HEALTH_CHECKS (README, "Upgrading")`,
    `${waitsFor}; Flux: healthCheckExprs, kubectl: kubectl wait (README, "Upgrading")`);
}
