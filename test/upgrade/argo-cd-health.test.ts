import * as fs from 'fs';
import * as path from 'path';
import { ARGO_CD_HEALTH_CHECKS, CNPG_BACKUP_HEALTH_LUA } from '../../lib';

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
