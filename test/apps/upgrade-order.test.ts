import { Testing } from 'cdk8s';
import { Platform } from '../../apps/platform';
import { DEV, PROD, STAGES, StageConfig } from '../../apps/stages';
import { ApplyLayer, ApplyOrder, HOOK_ANNOTATION, HOOK_DELETE_POLICY_ANNOTATION, SYNC_WAVE_ANNOTATION } from '../../lib';
import { Manifest, ofKind, one } from '../util';

function synthStage(stage: StageConfig): Manifest[] {
  return Testing.synth(new Platform(Testing.app(), 'platform', stage)) as Manifest[];
}

/** The sync wave of `manifest`, as Argo CD parses it (`strconv.Atoi`: argo-cd v3.5.0 `gitops-engine/pkg/sync/syncwaves/waves.go`). */
function waveOf(manifest: Manifest): number {
  const text = manifest.metadata.annotations?.[SYNC_WAVE_ANNOTATION];
  if (typeof text !== 'string' || !/^-?\d+$/.test(text)) {
    throw new Error(`${manifest.kind} ${manifest.metadata.name} has no integer sync wave: ${text}`);
  }
  return Number(text);
}

const waves = (manifests: Manifest[], kind: string) => ofKind(manifests, kind).map(waveOf);
const wave = (layer: ApplyLayer) => ApplyOrder.waveOf(layer);

describe.each(STAGES.map((s) => [s.name, s] as const))('the apply order of %s', (_name, stage) => {
  const manifests = synthStage(stage);

  test('every object has an integer sync wave, and only the layers\' waves are used', () => {
    const used = new Set(manifests.map(waveOf));
    const layers = new Set(Object.values(ApplyLayer).map(wave));
    expect([...used].filter((w) => !layers.has(w))).toEqual([]);
  });

  test('the namespace and its baseline come first: quota, limits, every NetworkPolicy, ServiceAccounts, Roles and ConfigMaps', () => {
    // A pod starts behind the default deny: its allow rules (the database's from the operator among them) must exist
    // before it, or the database never becomes healthy and no later wave starts.
    for (const kind of ['Namespace', 'ResourceQuota', 'LimitRange', 'NetworkPolicy', 'ServiceAccount', 'ConfigMap', 'Role', 'RoleBinding']) {
      expect(waves(manifests, kind)).toEqual(ofKind(manifests, kind).map(() => wave(ApplyLayer.NAMESPACE)));
    }
  });

  test('secrets, then the database, then the migrations, then the workloads, then the routes', () => {
    const secrets = Math.max(...waves(manifests, 'ExternalSecret'), ...waves(manifests, 'ClusterIssuer'));
    const database = waveOf(one(manifests, 'Cluster'));
    const migrations = waveOf(one(manifests, 'Job'));
    const workloads = [...waves(manifests, 'Deployment'), ...waves(manifests, 'CronJob'), ...waves(manifests, 'Service')];
    const routes = [...waves(manifests, 'Ingress'), ...waves(manifests, 'HTTPRoute'), ...waves(manifests, 'Gateway'), ...waves(manifests, 'Certificate')];
    expect(Math.min(...waves(manifests, 'ExternalSecret'))).toBeGreaterThan(waveOf(one(manifests, 'Namespace')));
    expect(database).toBeGreaterThan(secrets);
    expect(migrations).toBeGreaterThan(database);
    expect(Math.min(...workloads)).toBeGreaterThan(migrations);
    expect(routes.length).toBeGreaterThan(0);
    expect(Math.min(...routes)).toBeGreaterThan(Math.max(...workloads));
  });

  test('the migrations are an ordinary object of their wave, not a hook: Argo CD waits for the Job to complete before the workloads', () => {
    // In a sync of several waves, Argo CD waits for a running non-hook task until it is healthy (a Job: complete) and
    // fails the sync when it is degraded (a failed Job), before it chooses the next wave (argo-cd v3.5.0
    // gitops-engine/pkg/sync/sync_context.go, the health of running tasks and `multiStep`; health/health_job.go).
    const job = one(manifests, 'Job');
    expect(job.metadata.name).toMatch(/^aishell-migrate-[0-9a-f]{10}$/);
    expect(waveOf(job)).toBe(wave(ApplyLayer.MIGRATIONS));
    expect(job.metadata.annotations?.[HOOK_ANNOTATION]).toBeUndefined();
  });
});

describe('the pre-upgrade backup', () => {
  test('prod takes one after the database and before the migrations, as a Sync hook deleted only when it fails', () => {
    // A PreSync hook would run before the database exists on the first sync, and CloudNativePG keeps a Backup of a missing
    // Cluster pending, retried every 30 s (cloudnative-pg v1.30.0 internal/controller/backup_controller.go, getCluster).
    // Hooks are never pruned (argo-cd v3.5.0 gitops-engine/pkg/sync/sync_context.go, getSyncTasks skips them) and do not
    // count for the Application's sync status (controller/state.go): the Backups of earlier releases stay until the
    // plugin's retention deletes them. Without BeforeHookCreation (the default when no policy is given:
    // gitops-engine/pkg/sync/hook/delete_policy.go), a later sync of the same release applies the completed Backup again
    // instead of deleting it and taking a new one.
    const prod = synthStage(PROD);
    const backup = one(prod, 'Backup');
    expect(backup.metadata.name).toMatch(/^aishell-db-pre-upgrade-[0-9a-f]{10}$/);
    expect(backup.spec).toEqual({
      cluster: { name: 'aishell-db' }, method: 'plugin', pluginConfiguration: { name: 'barman-cloud.cloudnative-pg.io' }, target: 'prefer-standby',
    });
    expect(backup.metadata.annotations).toEqual({
      [SYNC_WAVE_ANNOTATION]: String(wave(ApplyLayer.BACKUP)),
      [HOOK_ANNOTATION]: 'Sync',
      [HOOK_DELETE_POLICY_ANNOTATION]: 'HookFailed',
    });
    expect(waveOf(backup)).toBeGreaterThan(waveOf(one(prod, 'Cluster')));
    expect(waveOf(backup)).toBeLessThan(waveOf(one(prod, 'Job')));
  });

  test('a new image of the migrations is a new release, with a backup of its own', () => {
    const before = one(synthStage(PROD), 'Backup').metadata.name;
    const after = one(synthStage({ ...PROD, imageTag: '2.0.1' }), 'Backup').metadata.name;
    const sameRelease = one(synthStage({ ...PROD, runbookBaseUrl: 'https://runbooks.example.com/other' }), 'Backup').metadata.name;
    expect(after).not.toBe(before);
    expect(sameRelease).toBe(before);
  });

  test('dev skips it with the database\'s backups', () => {
    expect(ofKind(synthStage(DEV), 'Backup')).toEqual([]);
  });
});
