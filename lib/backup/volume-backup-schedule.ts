import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { Schedule as VeleroSchedule } from '../../imports/velero.io';
import { check } from '../core/errors';
import { recommendedLabels } from '../core/labels';
import { keepOnPrune } from '../core/protection';
import { checkDnsLabel } from '../core/validate';
import { Schedule } from '../workload/schedule';
import { IWorkload } from '../workload/workload';
import { Velero, checkVelero, declareVelero } from './velero';

/** Props of a {@link VolumeBackupSchedule}. */
export interface VolumeBackupScheduleProps {
  /**
   * The workload whose volumes are backed up (a `StatefulApp`'s claims, a `ProductionApp`'s persistent
   * volume): the Schedule selects the objects of its namespace that carry its selector labels, its
   * claims and pods among them.
   */
  readonly workload: IWorkload;
  /** The cluster's Velero: the Schedule goes to its namespace and backs up with its method. */
  readonly velero: Velero;
  /**
   * Name of the Schedule, unique in Velero's namespace, which every stage and app shares; its backups are
   * named `<name>-<timestamp>`.
   * @default - `<namespace>-<workload name>`
   */
  readonly name?: string;
  /** When backups are taken, in the Velero server's time zone (UTC unless its pod sets another). @default Schedule.cron('0 3 * * *'): 03:00 every day */
  readonly schedule?: Schedule;
  /** How long each backup is kept before Velero deletes it and its data (`ttl`). @default Duration.days(30) */
  readonly retention?: Duration;
}

/**
 * Backups of a workload's volumes on a schedule, with a retention: a Velero `Schedule` (velero.io/v1)
 * in Velero's namespace, whose backups include the workload's namespace and the objects that carry its
 * selector labels. Velero copies the claims' data by the installation's method (CSI snapshots with or
 * without data movement, or file-system backup) and deletes each backup after `retention`.
 *
 * The Schedule carries the GitOps keep annotations, so the volumes a prune keeps go on being backed up;
 * its backups never belong to it (`useOwnerReferencesInBackup: false`), so deleting it deletes no backup.
 *
 * Restore: `velero restore create --from-schedule <name>` (the latest successful backup), see the
 * README, "Upgrading".
 * @see https://velero.io/docs/v1.18/api-types/schedule/
 */
export class VolumeBackupSchedule extends Construct {
  /** Name of the Schedule. */
  public readonly name: string;
  /** Velero's namespace, where the Schedule lives. */
  public readonly namespace: string;
  /** The Schedule. */
  public readonly schedule: VeleroSchedule;

  public constructor(scope: Construct, id: string, props: VolumeBackupScheduleProps) {
    super(scope, id);
    const { workload, velero } = props;
    checkVelero(this, 'velero', velero);
    this.name = props.name ?? `${workload.namespace}-${workload.name}`;
    this.namespace = velero.namespace;
    checkDnsLabel(this, 'name', this.name);
    const schedule = props.schedule ?? Schedule.cron('0 3 * * *');
    const scheduleProblem = schedule.problem();
    check(scheduleProblem === undefined, this, 'schedule', schedule.expression, scheduleProblem ?? '');
    const retention = props.retention ?? Duration.days(30);
    const hours = retention.toSeconds({ integral: false }) / 3600;
    check(Number.isInteger(hours) && hours >= 1, this, 'retention', `${retention.toSeconds({ integral: false })}s`,
      'must be a whole number of hours, at least 1: a backup kept shorter than the time between two is no backup');

    const { method } = velero;
    this.schedule = keepOnPrune(new VeleroSchedule(this, 'Resource', {
      metadata: {
        name: this.name,
        namespace: this.namespace,
        labels: recommendedLabels({ name: workload.name, instance: workload.name, component: 'volume-backup' }),
      },
      spec: {
        schedule: schedule.expression,
        useOwnerReferencesInBackup: false,
        template: {
          includedNamespaces: [workload.namespace],
          labelSelector: { matchLabels: { ...workload.selectorLabels } },
          snapshotVolumes: method.snapshotVolumes,
          snapshotMoveData: method.snapshotMoveData ? true : undefined,
          defaultVolumesToFsBackup: method.fileSystemBackup ? true : undefined,
          storageLocation: velero.storageLocation,
          ttl: `${hours}h0m0s`,
        },
      },
    }));
    declareVelero(this, velero);
  }
}
