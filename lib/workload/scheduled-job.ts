import { Duration } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { check } from '../core/errors';
import { Kind, checkProps } from '../core/kinds';
import { checkWholeSeconds } from '../core/quantities';
import { INT32_MAX, checkInteger } from '../core/validate';
import { NetworkPeer } from '../network/network-peer';
import { NetworkPolicyRules } from '../network/network-policy-rules';
import { HardenedPodTemplate } from './_pod-template';
import { WorkloadBase } from './_workload-base';
import { addNetworkPolicy } from './_workload-parts';
import { JOB_RUN_KINDS, JobRunProps, newJobParts } from './job-run';
import { SCHEDULE_KIND, Schedule } from './schedule';
import { WorkloadPort } from './workload';

/** The CronJob controller names each Job `<name>-<minutes since the epoch>`, 11 characters more, within 63 (kubernetes `ValidateCronJobCreate`). */
const MAX_NAME_LENGTH = 52;
/** The CronJob controller looks at its CronJobs every 10 s: a shorter starting deadline may miss every run. */
const MIN_STARTING_DEADLINE_SECONDS = 10;

/** What the CronJob does when a run is due while the previous one still runs. */
export enum ConcurrencyPolicy {
  /** Skip the new run: two runs of a maintenance job never work on the same data at once. */
  FORBID = 'Forbid',
  /** Stop the running Job and start the new one. */
  REPLACE = 'Replace',
  /** Run both. */
  ALLOW = 'Allow',
}

/** Props of a {@link ScheduledJob}. */
export interface ScheduledJobProps extends JobRunProps {
  /** Name of the CronJob and its objects: at most 52 characters, as its Jobs are named `<name>-<minutes since the epoch>`. @default - the construct id in kebab-case */
  readonly name?: string;
  /** When it runs, in `timeZone`. */
  readonly schedule: Schedule;
  /**
   * IANA time zone of the schedule, e.g. `Europe/Paris`; the API server refuses unknown names and `Local`.
   * @default 'Etc/UTC' (not the controller manager's local zone, which differs between clusters)
   */
  readonly timeZone?: string;
  /** What happens when a run is due while the previous one still runs. @default ConcurrencyPolicy.FORBID */
  readonly concurrencyPolicy?: ConcurrencyPolicy;
  /**
   * How late a run may start (after a controller outage, or while the previous run blocks it); later,
   * it is skipped. Without it the controller counts every run missed since the last one and stops
   * scheduling the CronJob beyond 100. At least 10 s, the controller's period.
   * @default Duration.minutes(5)
   */
  readonly startingDeadline?: Duration;
  /** Succeeded Jobs kept, with their pods and logs. @default 3 */
  readonly successfulJobsHistoryLimit?: number;
  /** Failed Jobs kept, with their pods and logs. @default 3 */
  readonly failedJobsHistoryLimit?: number;
  /** Whether runs are suspended (the CronJob stays, no Job starts). @default false */
  readonly suspend?: boolean;
}

/**
 * A job on a schedule: ServiceAccount, CronJob and NetworkPolicy, with the pods of every workload of
 * the library. One run at a time by default, a starting deadline, a history of finished Jobs kept by
 * the CronJob's limits (its Jobs set no `ttlSecondsAfterFinished`, which would delete them behind
 * the limits' back), an explicit time zone, and a schedule checked as the API server will.
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/
 */
export class ScheduledJob extends WorkloadBase {
  /** Name of the job's objects and of the CronJob. */
  public readonly name: string;
  /** Namespace of the job's objects. */
  public readonly namespace: string;
  /** Labels that select the job's pods. */
  public readonly selectorLabels: Record<string, string>;
  /** The job's pods as a NetworkPolicy peer. */
  public readonly peer: NetworkPeer;
  /** None: a job serves nothing. */
  public readonly ports: readonly WorkloadPort[] = [];
  /** The CronJob. */
  public readonly cronJob: k8s.KubeCronJob;
  /** The ServiceAccount the pods run as. */
  public readonly serviceAccount: k8s.KubeServiceAccount;
  /** The NetworkPolicy of the pods: nothing in; out to cluster DNS and what the job connects to. */
  public readonly networkPolicy: NetworkPolicyRules;
  /** The ConfigMap, when config is given. */
  public readonly configMap?: k8s.KubeConfigMap;

  protected readonly pod: HardenedPodTemplate;

  public constructor(scope: Construct, id: string, props: ScheduledJobProps) {
    super(scope, id);
    checkProps(this, props, {
      ...JOB_RUN_KINDS,
      schedule: SCHEDULE_KIND,
      timeZone: Kind.STRING.optional(),
      concurrencyPolicy: Kind.oneOf(ConcurrencyPolicy, 'a ConcurrencyPolicy').optional(),
      startingDeadline: Kind.DURATION.optional(),
      successfulJobsHistoryLimit: Kind.NUMBER.optional(),
      failedJobsHistoryLimit: Kind.NUMBER.optional(),
      suspend: Kind.BOOLEAN.optional(),
    }, 'ScheduledJobProps');
    const schedule = props.schedule.problem();
    check(schedule === undefined, this, 'schedule', props.schedule.expression, schedule ?? '');
    const timeZone = props.timeZone ?? 'Etc/UTC';
    checkTimeZone(this, timeZone);
    const startingDeadline = props.startingDeadline ?? Duration.minutes(5);
    checkWholeSeconds(this, 'startingDeadline', startingDeadline, MIN_STARTING_DEADLINE_SECONDS, INT32_MAX);
    const successfulJobsHistoryLimit = props.successfulJobsHistoryLimit ?? 3;
    const failedJobsHistoryLimit = props.failedJobsHistoryLimit ?? 3;
    checkInteger(this, 'successfulJobsHistoryLimit', successfulJobsHistoryLimit, 0, INT32_MAX);
    checkInteger(this, 'failedJobsHistoryLimit', failedJobsHistoryLimit, 0, INT32_MAX);
    const parts = newJobParts(this, id, props, 'ScheduledJob', MAX_NAME_LENGTH,
      'the CronJob controller names each Job \'<name>-<minutes since the epoch>\', 11 characters more, within 63');
    const { settings } = parts;
    this.name = settings.name;
    this.namespace = settings.namespace;
    this.selectorLabels = settings.selectorLabels;
    this.peer = NetworkPeer.pods(this.selectorLabels, this.namespace);
    this.serviceAccount = parts.serviceAccount;
    this.configMap = parts.configMap;
    this.pod = parts.pod;

    this.cronJob = new k8s.KubeCronJob(this, 'Resource', {
      metadata: settings.metadata,
      spec: {
        schedule: props.schedule.expression,
        timeZone,
        concurrencyPolicy: props.concurrencyPolicy ?? ConcurrencyPolicy.FORBID,
        startingDeadlineSeconds: startingDeadline.toSeconds(),
        successfulJobsHistoryLimit,
        failedJobsHistoryLimit,
        suspend: props.suspend ?? false,
        jobTemplate: {
          metadata: { labels: settings.metadata.labels, annotations: settings.metadata.annotations },
          spec: { ...parts.run, template: this.pod.render() },
        },
      },
    });
    this.networkPolicy = addNetworkPolicy(this, settings, props);
  }
}

/** One component of an IANA zone name as the API server accepts it (kubernetes `validateTimeZone`). */
const ZONE_COMPONENT = /^[A-Za-z.\-_0-9+]{1,14}$/;

/**
 * Checks a CronJob time zone as the API server does (kubernetes `pkg/apis/batch/validation`
 * `validateTimeZone`: a name of the IANA database, which kube-apiserver embeds with Go's
 * `time/tzdata`, never `Local`), with the IANA database of Node.js (ICU) standing in for Go's. Names
 * are case-sensitive in Go: `europe/paris` is refused.
 */
function checkTimeZone(scope: IConstruct, timeZone: string): void {
  const components = timeZone.split('/');
  const wellFormed = components.every((c) => ZONE_COMPONENT.test(c) && c !== '.' && c !== '..' && !c.startsWith('-'));
  check(wellFormed && timeZone.toLowerCase() !== 'local', scope, 'timeZone', timeZone,
    'must be an IANA time zone name such as \'Europe/Paris\' or \'Etc/UTC\', not Local');
  const resolved = ianaName(timeZone);
  check(resolved !== undefined, scope, 'timeZone', timeZone, 'is not a time zone of the IANA database');
  const known = [resolved, ...Intl.supportedValuesOf('timeZone')].find((name) => name.toLowerCase() === timeZone.toLowerCase());
  check(known === undefined || known === timeZone, scope, 'timeZone', timeZone, `must be written '${known}': time zone names are case-sensitive`);
}

/** The canonical name of `timeZone` in the IANA database of Node.js, or `undefined` when it has none. */
function ianaName(timeZone: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}
