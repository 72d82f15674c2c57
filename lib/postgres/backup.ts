import { ApiObject, Duration } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import {
  Backup, BackupSpecMethod, BackupSpecTarget, ScheduledBackup, ScheduledBackupSpecBackupOwnerReference, ScheduledBackupSpecMethod,
  ScheduledBackupSpecTarget,
} from '../../imports/postgresql.cnpg.io';
import { CRON_MACROS, SECONDS_FIELDS, cronProblem } from '../core/cron';
import { check } from '../core/errors';
import { shortHash } from '../core/hashing';
import { Kind } from '../core/kinds';
import { checkWholeSeconds, durationSeconds } from '../core/quantities';
import { UpgradeStep, markUpgradeStep, upgradeStepOf } from '../core/upgrade-steps';
import { INT32_MAX } from '../core/validate';
import { BARMAN_CLOUD_PLUGIN, BARMAN_SERVER_NAME } from './_cnpg';
import { OBJECT_STORE_LOCATION_KINDS, ObjectStoreLocation, checkObjectStore } from './object-store';

/**
 * The annotation that records, on the Cluster, why it runs without backups.
 * Reviewers and policy engines find deliberate exceptions by it.
 */
export const BACKUPS_SUPPRESSED_ANNOTATION = 'cdk8s-golden-path/backups-suppressed';

/**
 * The guardrails that a Cluster without backups violates, and that `PostgresBackup.none({ reason })` accepts for it.
 * @internal
 */
export const BACKUP_RULE_IDS = ['postgres-wal-archive', 'postgres-scheduled-backup', 'postgres-pre-upgrade-backup'];

/** When base backups are taken. */
export class BackupSchedule {
  /** Every day at `hour`:`minute`, in the operator's time zone (UTC unless configured otherwise). */
  public static daily(hour = 2, minute = 0): BackupSchedule {
    return new BackupSchedule(`0 ${minute} ${hour} * * *`, Number.isInteger(hour) && hour >= 0 && hour <= 23 && Number.isInteger(minute) && minute >= 0 && minute <= 59
      ? undefined : 'must be a time of day: an hour from 0 to 23 and a minute from 0 to 59');
  }

  /**
   * A cron expression with six fields, seconds first (`0 30 1 * * *` is 01:30:00 every day), or a
   * descriptor such as `@daily`. CloudNativePG reads a five-field expression seconds first too (its
   * parser makes the day of week optional, and its webhook only warns), so `30 3 * * *` would run at
   * minute 3 of every hour: a five-field expression is refused here.
   * @see https://pkg.go.dev/github.com/robfig/cron#hdr-CRON_Expression_Format
   */
  public static cron(expression: string): BackupSchedule {
    return new BackupSchedule(expression, backupCronProblem(expression));
  }

  private constructor(
    /** The schedule as the ScheduledBackup receives it. */
    public readonly expression: string,
    private readonly problemText: string | undefined,
  ) {}

  /** Why this schedule cannot be used, or `undefined` when it can. */
  public problem(): string | undefined {
    return this.problemText;
  }
}

/** Why `expression` cannot schedule base backups, or `undefined` when it can. */
function backupCronProblem(expression: string): string | undefined {
  const form = 'must be a cron expression with six fields, seconds first (e.g. \'0 0 2 * * *\'), or a descriptor such as \'@daily\'';
  if (typeof expression !== 'string') {
    return form;
  }
  const text = expression.trim();
  if (text.startsWith('@')) {
    return CRON_MACROS.includes(text) ? undefined : `${form}: ${CRON_MACROS.join(', ')}`;
  }
  if (text.split(/\s+/).length !== SECONDS_FIELDS.length) {
    return form;
  }
  const problem = cronProblem(text, SECONDS_FIELDS);
  return problem === undefined ? undefined : `${form}: ${problem}`;
}

/** Options of {@link PostgresBackup.toObjectStore}. */
export interface ObjectStoreBackupOptions extends ObjectStoreLocation {
  /** How long base backups and the WAL needed to restore them are kept. @default Duration.days(30) */
  readonly retention?: Duration;
  /** When base backups are taken. @default BackupSchedule.daily(2, 0) */
  readonly schedule?: BackupSchedule;
  /** Age of the newest base backup above which the `PostgresBackupTooOld` alert fires. @default Duration.hours(26), a daily schedule with slack */
  readonly maxAge?: Duration;
  /**
   * Folder of this cluster's backups in the store. Give a recovered cluster a new one, so that it
   * never archives over the backups it came from.
   * @default - the cluster name
   */
  readonly serverName?: string;
  /**
   * Take a base backup before each upgrade: an on-demand `Backup` (`<name>-pre-upgrade-<hash>`) named
   * after the database and the migrations that connect to it (`OneOffJob.prepares`), so that a release
   * that changes either (a new image of the migrations, a new PostgreSQL image or setting) gets its own
   * backup, taken after the database is up and before the migrations and the workloads roll out (with
   * `ApplyOrder`: an Argo CD `Sync` hook of the backup layer). Argo CD waits for it only with a health
   * check for `Backup`, which version 3.5 does not ship: the prerequisites name the setting.
   * @default true
   */
  readonly beforeUpgrade?: boolean;
}

/**
 * Continuous WAL archiving plus scheduled base backups, or an explicit decision to go without.
 * @see https://cloudnative-pg.io/plugin-barman-cloud/docs/usage/
 */
export class PostgresBackup {
  /** Archive the WAL continuously and take base backups on a schedule, through the Barman Cloud plugin. */
  public static toObjectStore(options: ObjectStoreBackupOptions): PostgresBackup {
    return new PostgresBackup(options, undefined);
  }

  /**
   * No backups, for `reason`, which is recorded on the Cluster (annotation `cdk8s-golden-path/backups-suppressed`)
   * and as the exception that the backup guardrails (`postgres-wal-archive`, `postgres-scheduled-backup`) accept.
   */
  public static none(options: { readonly reason: string }): PostgresBackup {
    return new PostgresBackup(undefined, options?.reason ?? '');
  }

  private constructor(
    /** Where backups go, when they are taken. */
    public readonly objectStore: ObjectStoreBackupOptions | undefined,
    /** Why there are no backups, when there are none (and so no backup before upgrades either). */
    public readonly suppressionReason: string | undefined,
  ) {}
}

/**
 * Checks the backups of a database in `namespace`: a reason when there are none; otherwise the object
 * store and its credentials, the retention (whole days), the schedule, the age alert and the folder name.
 * @internal
 */
export function checkBackup(scope: IConstruct, backup: PostgresBackup, namespace: string): void {
  if (backup.suppressionReason !== undefined) {
    check(typeof backup.suppressionReason === 'string' && backup.suppressionReason.trim() !== '', scope, 'backup.reason', backup.suppressionReason,
      'must explain why the database runs without backups: the reason is recorded on the Cluster');
  }
  const archive = backup.objectStore;
  if (archive === undefined) {
    return;
  }
  OBJECT_STORE_BACKUP_KIND.check(scope, 'backup', archive);
  checkObjectStore(scope, 'backup', archive, namespace);
  const retention = archive.retention ?? Duration.days(30);
  const days = durationSeconds(retention) / 86400;
  check(Number.isInteger(days) && days >= 1, scope, 'backup.retention', `${durationSeconds(retention)}s`,
    'must be a whole number of days, at least 1: the plugin keeps backups by days, weeks or months');
  const schedule = archive.schedule ?? BackupSchedule.daily();
  const scheduleProblem = schedule.problem();
  check(scheduleProblem === undefined, scope, 'backup.schedule', schedule.expression, scheduleProblem ?? '');
  if (archive.maxAge !== undefined) {
    checkWholeSeconds(scope, 'backup.maxAge', archive.maxAge, 0, INT32_MAX);
    check(durationSeconds(archive.maxAge) >= 3600, scope, 'backup.maxAge', `${durationSeconds(archive.maxAge)}s`, 'must be at least one hour');
  }
  if (archive.serverName !== undefined) {
    check(BARMAN_SERVER_NAME.test(archive.serverName), scope, 'backup.serverName', archive.serverName,
      'must be a folder name: letters, digits, \'-\', \'_\' and \'.\'');
  }
}

/**
 * {@link ObjectStoreBackupOptions}, as a prop's kind.
 * @internal
 */
export const OBJECT_STORE_BACKUP_KIND = Kind.object<ObjectStoreBackupOptions>('an ObjectStoreBackupOptions object (destinationPath, credentials, ...)', {
  ...OBJECT_STORE_LOCATION_KINDS,
  retention: Kind.DURATION.optional(),
  schedule: Kind.instance(BackupSchedule, 'a BackupSchedule (BackupSchedule.daily or BackupSchedule.cron)').optional(),
  maxAge: Kind.DURATION.optional(),
  serverName: Kind.STRING.optional(),
  beforeUpgrade: Kind.BOOLEAN.optional(),
});

/**
 * How long the plugin keeps base backups and WAL, as its retention policy (`30d`).
 * @internal
 */
export function retentionPolicy(archive: ObjectStoreBackupOptions): string {
  return `${durationSeconds(archive.retention ?? Duration.days(30)) / 86400}d`;
}

/**
 * The ScheduledBackup of `cluster`: base backups through the plugin on the archive's schedule, one
 * at once, taken from a standby when there is one.
 * @internal
 */
export function addScheduledBackup(scope: Construct, id: string, metadata: { name: string; namespace: string; labels: Record<string, string> },
  cluster: string, archive: ObjectStoreBackupOptions): ScheduledBackup {
  return new ScheduledBackup(scope, id, {
    metadata,
    spec: {
      cluster: { name: cluster },
      schedule: (archive.schedule ?? BackupSchedule.daily()).expression,
      method: ScheduledBackupSpecMethod.PLUGIN,
      pluginConfiguration: { name: BARMAN_CLOUD_PLUGIN },
      immediate: true,
      target: ScheduledBackupSpecTarget.PREFER_HYPHEN_STANDBY,
      backupOwnerReference: ScheduledBackupSpecBackupOwnerReference.SELF,
    },
  });
}

/** Characters of the hash of the release in the name of a pre-upgrade backup. */
const RELEASE_HASH_LENGTH = 10;

/**
 * A `Backup` named after the release it protects: the rendered specs `release` returns, hashed. A
 * CloudNativePG Backup runs once (its spec is immutable, and a completed or failed one is never
 * processed again: cloudnative-pg v1.30.0 `internal/controller/backup_controller.go`), so a new release
 * needs a new name; the same release keeps its name, and a backup that completed is not taken again.
 */
class ReleaseNamedBackup extends Backup {
  public constructor(scope: Construct, id: string, props: ConstructorParameters<typeof Backup>[2], private readonly release: () => unknown) {
    super(scope, id, props);
  }

  public toJson(): any {
    const json = super.toJson();
    json.metadata.name = `${this.name}-${shortHash(JSON.stringify(this.release()), RELEASE_HASH_LENGTH)}`;
    return json;
  }
}

/**
 * The backup of `cluster` before an upgrade: an on-demand base backup through the Barman Cloud plugin,
 * from a standby when there is one, named `<cluster>-pre-upgrade-<hash>` after the specs of the Cluster
 * and of the migrations among `clients` (their Jobs recorded as migration steps), and recorded as the
 * backup step of the upgrade. Only those are rendered for the name, not every client: a synthesis
 * renders each object once, and a service connected to the database is rendered by it alone.
 *
 * Deleting the object leaves the backup in the store: CloudNativePG 1.30 puts no finalizer on a Backup,
 * and the plugin's retention deletes the data, then the objects of the backups it deleted
 * (plugin-barman-cloud v0.14.0 `internal/cnpgi/instance/retention.go`, `deleteBackupsNotInCatalog`).
 * @internal
 */
export function addPreUpgradeBackup(scope: Construct, id: string, metadata: { name: string; namespace: string; labels: Record<string, string> },
  cluster: ApiObject, clients: readonly IConstruct[]): Backup {
  const release = (): ApiObject[] => [cluster, ...clients.flatMap((client) => client.node.findAll()
    .filter((c): c is ApiObject => ApiObject.isApiObject(c) && upgradeStepOf(c) === UpgradeStep.MIGRATION))];
  const backup = new ReleaseNamedBackup(scope, id, {
    metadata: { ...metadata, name: `${cluster.name}-pre-upgrade` },
    spec: {
      cluster: { name: cluster.name },
      method: BackupSpecMethod.PLUGIN,
      pluginConfiguration: { name: BARMAN_CLOUD_PLUGIN },
      target: BackupSpecTarget.PREFER_HYPHEN_STANDBY,
    },
  }, () => release().map(specOf));
  markUpgradeStep(backup, UpgradeStep.BACKUP);
  return backup;
}

/** What an object asks for, without its metadata: the name and the annotations the synthesis adds (waves, suppressions) are not part of a release. */
function specOf(object: ApiObject): unknown {
  const { metadata: _metadata, ...rest } = object.toJson();
  return rest;
}
