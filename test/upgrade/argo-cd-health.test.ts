import * as fs from 'fs';
import * as path from 'path';
import { ARGO_CD_HEALTH_CHECKS, CNPG_BACKUP_HEALTH_LUA, CNPG_CLUSTER_HEALTH_LUA, CNPG_POOLER_HEALTH_LUA, REDIS_REPLICATION_HEALTH_LUA } from '../../lib';

// fengari is a Lua 5.3 VM in JavaScript; Argo CD runs health checks with gopher-lua (Lua 5.1). The script uses only what
// both have: tables, `if`/`elseif`, `..`, `tostring`.
const { lua, lauxlib, lualib, to_luastring: toLua, to_jsstring: toJs } = require('fengari');

/** Runs `script` as Argo CD runs a health check: the live object as the global `obj`, the table it returns read back. */
function health(script: string, obj: unknown): { status: string; message: string } {
  const L = lauxlib.luaL_newstate();
  lualib.luaL_openlibs(L);
  pushValue(L, obj);
  lua.lua_setglobal(L, toLua('obj'));
  if (lauxlib.luaL_dostring(L, toLua(script)) !== lua.LUA_OK) {
    throw new Error(toJs(lua.lua_tostring(L, -1)));
  }
  const field = (name: string) => {
    lua.lua_getfield(L, -1, toLua(name));
    const value = toJs(lua.lua_tostring(L, -1));
    lua.lua_pop(L, 1);
    return value;
  };
  return { status: field('status'), message: field('message') };
}

function pushValue(L: unknown, value: unknown): void {
  if (value === null || value === undefined) {
    lua.lua_pushnil(L);
  } else if (typeof value === 'string') {
    lua.lua_pushstring(L, toLua(value));
  } else if (Array.isArray(value)) {
    // A JSON list as gopher-lua's decoder gives it to the script: a table indexed from 1.
    lua.lua_newtable(L);
    value.forEach((child, i) => {
      pushValue(L, child);
      lua.lua_rawseti(L, -2, i + 1);
    });
  } else if (typeof value === 'object') {
    lua.lua_newtable(L);
    for (const [key, child] of Object.entries(value)) {
      pushValue(L, child);
      lua.lua_setfield(L, -2, toLua(key));
    }
  } else {
    throw new Error(`unsupported value ${String(value)}`);
  }
}

const backup = (status?: Record<string, string>) => ({ apiVersion: 'postgresql.cnpg.io/v1', kind: 'Backup', metadata: { name: 'db-pre-upgrade' }, status });

describe('the Argo CD health check of a CloudNativePG Backup', () => {
  // The phases of cloudnative-pg v1.30.0 api/v1/backup_types.go; completed and failed are terminal (backup_funcs.go, IsDone).
  // Argo CD maps Healthy to a succeeded hook, Degraded to a failed one and Progressing to a running one
  // (argo-cd v3.5.0 gitops-engine/pkg/sync/sync_context.go, getOperationPhase).
  test('a completed backup is Healthy: the next wave starts', () => {
    expect(health(CNPG_BACKUP_HEALTH_LUA, backup({ phase: 'completed' }))).toEqual({ status: 'Healthy', message: 'Backup completed' });
  });

  test.each(['failed', 'walArchivingFailing', 'invalid backup definition'])('a backup that is %s is Degraded, with its error: the sync stops', (phase) => {
    expect(health(CNPG_BACKUP_HEALTH_LUA, backup({ phase, error: 'no space left' }))).toEqual({ status: 'Degraded', message: `Backup ${phase}: no space left` });
  });

  test.each(['pending', 'started', 'running', 'finalizing'])('a backup that is %s is Progressing: the sync waits', (phase) => {
    expect(health(CNPG_BACKUP_HEALTH_LUA, backup({ phase }))).toEqual({ status: 'Progressing', message: `Backup ${phase}` });
  });

  test('a backup the operator has not seen yet (no status) is Progressing', () => {
    expect(health(CNPG_BACKUP_HEALTH_LUA, backup())).toEqual({ status: 'Progressing', message: 'Backup pending' });
  });

  test('the README shows the argocd-cm entry of every health check, as the library declares it', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    for (const [key, script] of Object.entries(ARGO_CD_HEALTH_CHECKS)) {
      const indented = script.trimEnd().split('\n').map((line) => `    ${line}`).join('\n');
      expect(readme).toContain(`  ${key}: |\n${indented}\n`);
    }
  });
});

const cluster = (status?: Record<string, unknown>, annotations?: Record<string, string>) =>
  ({ apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: 'db', annotations }, status });

describe('the Argo CD health check of a CloudNativePG Cluster, in place of the built-in one', () => {
  // Every phase of cloudnative-pg v1.30.0 api/v1/cluster_types.go (the Phase* constants), and the health the check gives
  // it. Argo CD fails a sync task whose object is Degraded (argo-cd v3.5.0 gitops-engine/pkg/sync/sync_context.go), and its
  // built-in check (resource_customizations/postgresql.cnpg.io/Cluster/health.lua) calls the rolling-update phases Degraded.
  const PHASES: Record<string, string> = {
    'Cluster in healthy state': 'Healthy',
    'Setting up primary': 'Progressing',
    'Creating a new replica': 'Progressing',
    'Upgrading cluster': 'Progressing',
    'Waiting for the instances to become active': 'Progressing',
    'Promoting to primary cluster': 'Progressing',
    'Switchover in progress': 'Progressing',
    'Failing over': 'Progressing',
    'Upgrading Postgres major version': 'Progressing',
    'Primary instance is being restarted in-place': 'Progressing',
    'Primary instance is being restarted without a switchover': 'Progressing',
    'Online upgrade in progress': 'Progressing',
    'Applying configuration': 'Progressing',
    'Cluster upgrade delayed': 'Degraded',
    'Waiting for user action': 'Degraded',
    'Cluster cannot execute instance online upgrade due to missing architecture binary': 'Degraded',
    'Cluster cannot proceed to reconciliation due to an error while interacting with plugins': 'Degraded',
    'Invalid cluster definition': 'Degraded',
    'Unable to create required cluster objects': 'Suspended',
    'Cluster cannot proceed to reconciliation due to an unknown plugin being required': 'Suspended',
    'Cluster has incomplete or invalid image catalog': 'Suspended',
    'Cluster is unrecoverable and needs manual intervention': 'Suspended',
  };

  test.each(Object.entries(PHASES))('a cluster in phase "%s" is %s', (phase, status) => {
    expect(health(CNPG_CLUSTER_HEALTH_LUA, cluster({ phase, phaseReason: 'why', conditions: [{ type: 'Ready', status: 'True' }] })))
      .toEqual({ status, message: `${phase}: why` });
  });

  test('a release that restarts the database waits instead of failing: "Applying configuration" is Progressing, not Degraded as in Argo CD 3.5', () => {
    expect(health(CNPG_CLUSTER_HEALTH_LUA, cluster({ phase: 'Applying configuration' })).status).toBe('Progressing');
  });

  test('a cluster the operator has not seen yet (no status) is Progressing', () => {
    expect(health(CNPG_CLUSTER_HEALTH_LUA, cluster())).toEqual({ status: 'Progressing', message: 'Cluster pending' });
  });

  test('a phase a later operator adds is Progressing, with the phase in the message', () => {
    expect(health(CNPG_CLUSTER_HEALTH_LUA, cluster({ phase: 'Something new' }))).toEqual({ status: 'Progressing', message: 'Something new: ' });
  });

  test('a hibernated cluster is Suspended, one whose hibernation failed is Degraded, with the condition\'s message', () => {
    const hibernation = (status: string) => cluster({ phase: 'Cluster in healthy state', conditions: [{ type: 'cnpg.io/hibernation', status, message: 'hibernation' }] });
    expect(health(CNPG_CLUSTER_HEALTH_LUA, hibernation('True'))).toEqual({ status: 'Suspended', message: 'hibernation' });
    expect(health(CNPG_CLUSTER_HEALTH_LUA, hibernation('False'))).toEqual({ status: 'Degraded', message: 'hibernation' });
  });

  test('a cluster whose reconciliation is disabled is Suspended, whatever its phase', () => {
    expect(health(CNPG_CLUSTER_HEALTH_LUA, cluster({ phase: 'Failing over' }, { 'cnpg.io/reconciliationLoop': 'disabled' })))
      .toEqual({ status: 'Suspended', message: 'Cluster reconciliation is suspended' });
  });
});

describe('the Argo CD health check of a CloudNativePG Pooler', () => {
  // The phases of cloudnative-pg v1.30.0 api/v1/pooler_types.go (PoolerPhase: active, paused, inactive, failed).
  const pooler = (status?: Record<string, unknown>) => ({ apiVersion: 'postgresql.cnpg.io/v1', kind: 'Pooler', metadata: { name: 'db-pooler' }, status });

  test.each(['active', 'paused'])('a pooler that is %s is Healthy', (phase) => {
    expect(health(CNPG_POOLER_HEALTH_LUA, pooler({ phase }))).toEqual({ status: 'Healthy', message: `Pooler ${phase}` });
  });

  test('a failed pooler is Degraded, with its reason', () => {
    expect(health(CNPG_POOLER_HEALTH_LUA, pooler({ phase: 'failed', phaseReason: 'bad image' }))).toEqual({ status: 'Degraded', message: 'Pooler failed: bad image' });
  });

  test('an inactive pooler (a prerequisite missing yet), or one without status, is Progressing', () => {
    expect(health(CNPG_POOLER_HEALTH_LUA, pooler({ phase: 'inactive' }))).toEqual({ status: 'Progressing', message: 'Pooler inactive' });
    expect(health(CNPG_POOLER_HEALTH_LUA, pooler())).toEqual({ status: 'Progressing', message: 'Pooler pending' });
  });
});

describe('the Argo CD health check of a RedisReplication', () => {
  // redis-operator v0.26.0 api/redisreplication/v1beta2/redisreplication_types.go: the status holds masterNode (and connectionInfo).
  const replication = (status?: Record<string, unknown>) =>
    ({ apiVersion: 'redis.redis.opstreelabs.in/v1beta2', kind: 'RedisReplication', metadata: { name: 'cache' }, status });

  test('a replication with a master is Healthy', () => {
    expect(health(REDIS_REPLICATION_HEALTH_LUA, replication({ masterNode: 'cache-0' }))).toEqual({ status: 'Healthy', message: 'master cache-0' });
  });

  test.each([undefined, {}, { masterNode: '' }])('a replication without a master (status %j) is Progressing', (status) => {
    expect(health(REDIS_REPLICATION_HEALTH_LUA, replication(status))).toEqual({ status: 'Progressing', message: 'no master elected yet' });
  });
});

test('ARGO_CD_HEALTH_CHECKS holds the four checks under the keys Argo CD reads (resource.customizations.health.<group>_<Kind>)', () => {
  expect(ARGO_CD_HEALTH_CHECKS).toEqual({
    'resource.customizations.health.postgresql.cnpg.io_Backup': CNPG_BACKUP_HEALTH_LUA,
    'resource.customizations.health.postgresql.cnpg.io_Cluster': CNPG_CLUSTER_HEALTH_LUA,
    'resource.customizations.health.postgresql.cnpg.io_Pooler': CNPG_POOLER_HEALTH_LUA,
    'resource.customizations.health.redis.redis.opstreelabs.in_RedisReplication': REDIS_REPLICATION_HEALTH_LUA,
  });
});
