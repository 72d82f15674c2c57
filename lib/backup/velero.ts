import { IConstruct } from 'constructs';
import { Kind } from '../core/kinds';
import { Operator, Prerequisite } from '../core/prerequisites';
import { checkDnsSubdomain, checkNamespaceName } from '../core/validate';

/**
 * How Velero copies a volume's data. Each needs something of the Velero installation, which the
 * prerequisites list.
 * @see https://velero.io/docs/v1.18/csi-snapshot-data-movement/
 */
export class VolumeBackupMethod {
  /**
   * A CSI snapshot of the volume, whose data Velero's data mover then copies to the backup storage
   * location (`snapshotMoveData`): the backup survives the loss of the volume, the storage system and
   * the cluster. Needs the CSI feature (`--features=EnableCSI`), the node-agent and a VolumeSnapshotClass.
   */
  public static csiSnapshotDataMovement(): VolumeBackupMethod {
    return new VolumeBackupMethod('csi-snapshot-data-movement', true, true, false);
  }

  /**
   * A CSI snapshot of the volume, kept by the storage system: quick to take and to restore, but it lives
   * and dies with the storage system (and Velero deletes it with the backup). Needs the CSI feature and a VolumeSnapshotClass.
   */
  public static csiSnapshots(): VolumeBackupMethod {
    return new VolumeBackupMethod('csi-snapshots', true, false, false);
  }

  /**
   * Velero's file-system backup: the node-agent reads the pod's volumes from the node and copies the
   * files to the backup storage location (`defaultVolumesToFsBackup`), for storage without CSI snapshots.
   * The pod must run while the backup is taken; a hostPath volume cannot be backed up.
   */
  public static fileSystemBackup(): VolumeBackupMethod {
    return new VolumeBackupMethod('file-system-backup', false, false, true);
  }

  private constructor(
    /** Name of the method, as the docs and prerequisites name it. */
    public readonly name: string,
    /** `snapshotVolumes` of the backups. */
    public readonly snapshotVolumes: boolean,
    /** `snapshotMoveData` of the backups. */
    public readonly snapshotMoveData: boolean,
    /** `defaultVolumesToFsBackup` of the backups. */
    public readonly fileSystemBackup: boolean,
  ) {}
}

/** Options of {@link Velero.installed}. */
export interface VeleroOptions {
  /**
   * Namespace of the Velero server. Velero watches its own namespace only (velero v1.18.1
   * `pkg/cmd/server/server.go`, the cache of the server namespace), so every Schedule goes there.
   * @default 'velero'
   */
  readonly namespace?: string;
  /** How volumes are backed up. @default VolumeBackupMethod.csiSnapshotDataMovement() */
  readonly method?: VolumeBackupMethod;
  /** The BackupStorageLocation backups go to. @default - the location marked default */
  readonly storageLocation?: string;
}

/** The Velero installation of a stage's cluster: where it runs and how it backs up volumes. */
export class Velero {
  /** Velero 1.18, installed in `options.namespace`. */
  public static installed(options: VeleroOptions = {}): Velero {
    return new Velero(options?.namespace ?? 'velero', options?.method ?? VolumeBackupMethod.csiSnapshotDataMovement(), options?.storageLocation, options);
  }

  private constructor(
    /** Namespace of the Velero server, and of the Schedules. */
    public readonly namespace: string,
    /** How volumes are backed up. */
    public readonly method: VolumeBackupMethod,
    /** The BackupStorageLocation, or the default one when unset. */
    public readonly storageLocation: string | undefined,
    /** The options as given: a factory never throws, and the construct that receives the installation checks them. */
    private readonly options: VeleroOptions,
  ) {}

  /**
   * Checks the installation, given to `scope` as `prop`: the kinds of its options, a namespace name, a storage location name.
   * @internal
   */
  public check(scope: IConstruct, prop: string): void {
    Kind.object<VeleroOptions>('a VeleroOptions object (namespace, method, storageLocation)', {
      namespace: Kind.STRING.optional(),
      method: Kind.instance(VolumeBackupMethod, 'a VolumeBackupMethod (csiSnapshotDataMovement, csiSnapshots or fileSystemBackup)').optional(),
      storageLocation: Kind.STRING.optional(),
    }).check(scope, prop, this.options);
    checkNamespaceName(scope, `${prop}.namespace`, this.namespace);
    if (this.storageLocation !== undefined) {
      checkDnsSubdomain(scope, `${prop}.storageLocation`, this.storageLocation);
    }
  }
}

/**
 * A {@link Velero}, as a prop's kind.
 * @internal
 */
export const VELERO_KIND = Kind.instance(Velero, 'a Velero installation (Velero.installed({ ... }))');

/** Velero 1.18 in `namespace`: `Schedule`, and the `Backup`s and `Restore`s made from it. */
function veleroOperator(namespace: string): Operator {
  return Operator.of({
    name: 'Velero',
    version: '1.18',
    crds: ['schedules.velero.io', 'backups.velero.io', 'restores.velero.io', 'backupstoragelocations.velero.io'],
    apiVersions: ['velero.io/v1'],
    namespace,
    docs: 'https://velero.io/docs/v1.18/basic-install/',
  });
}

/**
 * Declares on `scope` what backing up volumes with `velero` asks of the cluster.
 * @internal
 */
export function declareVelero(scope: IConstruct, velero: Velero): void {
  const { namespace, method } = velero;
  Prerequisite.declare(scope,
    Prerequisite.operator(veleroOperator(namespace), 'backs up the volumes on the Schedules, and restores them'),
    Prerequisite.object('BackupStorageLocation', namespace, velero.storageLocation ?? '(the one marked default)',
      'where the backups of the Schedules go: an object store outside the cluster'),
    Prerequisite.controllerSetting('Argo CD (AppProject)', `the Application may deploy to namespace ${namespace}`,
      `the Schedules live in Velero's namespace, not the stage's: Velero watches its own namespace only`));
  if (method.snapshotVolumes) {
    Prerequisite.declare(scope,
      Prerequisite.controllerSetting('Velero server', '--features=EnableCSI', `${method.name}: Velero takes CSI snapshots of the volumes`),
      Prerequisite.clusterObject('VolumeSnapshotClass', '(labelled velero.io/csi-volumesnapshot-class=true, one per CSI driver of the volumes)',
        `${method.name}: the class Velero snapshots the volumes with (or the driver's class annotated snapshot.storage.kubernetes.io/is-default-class=true)`));
  }
  if (method.snapshotMoveData || method.fileSystemBackup) {
    Prerequisite.declare(scope, Prerequisite.controllerSetting('Velero server', 'the node-agent DaemonSet (velero install --use-node-agent)',
      `${method.name}: the node-agent ${method.fileSystemBackup ? 'reads the pods\' volumes from the nodes' : 'runs the data mover'}`));
  }
}
