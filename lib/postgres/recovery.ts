import { IConstruct } from 'constructs';
import { check } from '../core/errors';
import { Kind } from '../core/kinds';
import { BARMAN_SERVER_NAME } from './_cnpg';
import { ObjectStoreBackupOptions } from './backup';
import { OBJECT_STORE_LOCATION_KINDS, ObjectStoreLocation, checkObjectStore } from './object-store';

/** Options of {@link PostgresRecovery.fromObjectStore}. */
export interface ObjectStoreRecoveryOptions extends ObjectStoreLocation {
  /** Folder of the source cluster's backups in the store: its `serverName`, by default its cluster name. */
  readonly serverName: string;
  /** Recover up to this moment (point-in-time recovery). @default - the end of the archived WAL */
  readonly targetTime?: Date;
}

/**
 * Where a new cluster gets its data: recovery from another cluster's backups instead of an empty `initdb`.
 * @see https://cloudnative-pg.io/plugin-barman-cloud/docs/usage/#restoring-a-cluster
 */
export class PostgresRecovery {
  /** The newest base backup before `targetTime` in the object store, replayed with the archived WAL. */
  public static fromObjectStore(options: ObjectStoreRecoveryOptions): PostgresRecovery {
    return new PostgresRecovery(options);
  }

  private constructor(
    /** The object store and backup folder the data comes from. */
    public readonly source: ObjectStoreRecoveryOptions,
  ) {}
}

/**
 * Checks the source of a recovery, and that a cluster recovered into the store it came from
 * archives into another folder (`cluster` is the recovered cluster's name, in `namespace`).
 * @internal
 */
export function checkRecovery(scope: IConstruct, recovery: ObjectStoreRecoveryOptions, archive: ObjectStoreBackupOptions | undefined,
  cluster: string, namespace: string): void {
  Kind.object<ObjectStoreRecoveryOptions>('an ObjectStoreRecoveryOptions object (destinationPath, credentials, serverName, ...)', {
    ...OBJECT_STORE_LOCATION_KINDS,
    serverName: Kind.STRING,
    targetTime: Kind.DATE.optional(),
  }).check(scope, 'recovery', recovery);
  checkObjectStore(scope, 'recovery', recovery, namespace);
  check(BARMAN_SERVER_NAME.test(recovery.serverName), scope, 'recovery.serverName', recovery.serverName,
    'must be the folder name of the source cluster\'s backups: letters, digits, \'-\', \'_\' and \'.\'');
  if (recovery.targetTime !== undefined) {
    check(!Number.isNaN(recovery.targetTime.getTime()), scope, 'recovery.targetTime', String(recovery.targetTime), 'must be a valid date');
  }
  const [backupIdentity, recoveryIdentity] = [archive?.credentials.identity, recovery.credentials.identity];
  if (backupIdentity !== undefined && recoveryIdentity !== undefined) {
    check(backupIdentity.id === recoveryIdentity.id, scope, 'recovery.credentials', recoveryIdentity.id,
      `must assume the identity of the backups ('${backupIdentity.id}'): the Cluster has one ServiceAccount, which names one identity`);
  }
  if (archive?.region !== undefined && recovery.region !== undefined) {
    check(archive.region === recovery.region, scope, 'recovery.region', recovery.region,
      `must be the backups' region ('${archive.region}'): the plugin gives the Cluster's pods one AWS_DEFAULT_REGION, the first ObjectStore's`);
  }
  if (archive && archive.destinationPath === recovery.destinationPath) {
    check((archive.serverName ?? cluster) !== recovery.serverName, scope, 'backup.serverName', archive.serverName ?? cluster,
      `must differ from 'recovery.serverName' when both use ${archive.destinationPath}: a recovered cluster must not archive over the backups it was restored from`);
  }
}

/**
 * A {@link PostgresRecovery}, as a prop's kind.
 * @internal
 */
export const POSTGRES_RECOVERY_KIND = Kind.instance(PostgresRecovery, 'a PostgresRecovery (PostgresRecovery.fromObjectStore)');
