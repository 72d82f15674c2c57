import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { Schedule as VeleroSchedule } from '../../imports/velero.io';
import { check } from '../core/errors';
import { Kind, Kinds, checkProps } from '../core/kinds';
import { recommendedLabels } from '../core/labels';
import { boundedName } from '../core/names';
import { keepOnPrune } from '../core/protection';
import { durationSeconds } from '../core/quantities';
import { checkDnsSubdomain } from '../core/validate';
import { SCHEDULE_KIND, Schedule } from '../workload/schedule';
import { IWorkload, WORKLOAD_KIND } from '../workload/workload';
import { VELERO_KIND, Velero, declareVelero } from './velero';

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
   * named `<name>-<timestamp>`. At most 63 characters: each backup carries it as a label.
   * @default - `<namespace>-<workload name>`, cut with a hash of the whole when it is longer than 63 characters
   */
  readonly name?: string;
  /** When backups are taken, in the Velero server's time zone (UTC unless its pod sets another). @default Schedule.cron('0 3 * * *'): 03:00 every day */
  readonly schedule?: Schedule;
  /** How long each backup is kept before Velero deletes it and its data (`ttl`). @default Duration.days(30) */
  readonly retention?: Duration;
}

const VOLUME_BACKUP_SCHEDULE_KINDS: Kinds<VolumeBackupScheduleProps> = {
  workload: WORKLOAD_KIND,
  velero: VELERO_KIND,
  name: Kind.STRING.optional(),
  schedule: SCHEDULE_KIND.optional(),
  retention: Kind.DURATION.optional(),
};

/**
 * The longest Schedule name: Velero labels each backup of a Schedule `velero.io/schedule-name: <name>` (velero v1.18.1
 * pkg/builder/backup_builder.go, FromSchedule), and a label value holds 63 characters.
 */
const MAX_NAME = 63;
/**
 * The longest retention, in hours: Velero reads `ttl` as a Go duration (metav1.Duration, time.ParseDuration), which
 * holds at most 2562047 hours (the int64 nanoseconds of time.Duration); a longer one fails to decode.
 */
const MAX_RETENTION_HOURS = 2562047;

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
    checkProps(this, props, VOLUME_BACKUP_SCHEDULE_KINDS, 'VolumeBackupScheduleProps');
    const { workload, velero } = props;
    velero.check(this, 'velero');
    this.name = props.name ?? boundedName(`${workload.namespace}-${workload.name}`, MAX_NAME);
    this.namespace = velero.namespace;
    checkDnsSubdomain(this, 'name', this.name);
    check(this.name.length <= MAX_NAME, this, 'name', this.name,
      `must be at most ${MAX_NAME} characters: Velero labels each of its backups velero.io/schedule-name with it, and a label value holds ${MAX_NAME}`);
    const schedule = props.schedule ?? Schedule.cron('0 3 * * *');
    const scheduleProblem = schedule.problem();
    check(scheduleProblem === undefined, this, 'schedule', schedule.expression, scheduleProblem ?? '');
    const retention = props.retention ?? Duration.days(30);
    const seconds = durationSeconds(retention);
    const hours = seconds / 3600;
    check(Number.isInteger(hours) && hours >= 1, this, 'retention', `${seconds}s`,
      'must be a whole number of hours, at least 1: a backup kept shorter than the time between two is no backup');
    check(hours <= MAX_RETENTION_HOURS, this, 'retention', `${seconds}s`,
      `must be at most ${MAX_RETENTION_HOURS} hours: Velero reads it as a Go duration, which holds no more`);

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
