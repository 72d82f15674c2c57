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
 * Health checks Argo CD needs in `argocd-cm` for the order to hold, by the key they go under
 * (`resource.customizations.health.<group>_<Kind>`, argo-cd v3.5.0, operator manual "Resource Health").
 */
export const ARGO_CD_HEALTH_CHECKS: Readonly<Record<string, string>> = {
  'resource.customizations.health.postgresql.cnpg.io_Backup': CNPG_BACKUP_HEALTH_LUA,
};

/** The `argocd-cm` key of the health check `object` needs, when Argo CD 3.5 has none built in and the order waits for it. */
export function healthCheckKeyOf(object: ApiObject): string | undefined {
  const key = `resource.customizations.health.${object.apiGroup}_${object.kind}`;
  return key in ARGO_CD_HEALTH_CHECKS ? key : undefined;
}

/** The `argocd-cm` setting `key` as a prerequisite of the objects that wait for it. */
export function healthCheckPrerequisite(key: string): Prerequisite {
  return Prerequisite.controllerSetting('Argo CD 3.5 (ConfigMap argocd-cm)', `${key}: the health check of ARGO_CD_HEALTH_CHECKS (README, "Upgrading")`,
    'the order waits for the pre-upgrade backup before the migrations and the workloads: without this health check Argo CD counts the backup '
    + 'as done as soon as it is created (Argo CD 3.5 has none built in for Backup); Flux: healthCheckExprs, kubectl: kubectl wait (README, "Upgrading")');
}
