import { CRON_MACROS, STANDARD_FIELDS, cronProblem } from '../core/cron';
import { Kind } from '../core/kinds';

/**
 * When a {@link ScheduledJob} runs: a five-field cron expression (minute, hour, day of month, month,
 * day of week), in the CronJob's time zone.
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#schedule-syntax
 */
export class Schedule {
  /**
   * A cron expression, e.g. `'30 3 * * *'` (03:30 every day) or `'0 0-23/6 * * mon-fri'`, or one of
   * the macros `@hourly`, `@daily` (`@midnight`), `@weekly`, `@monthly`, `@yearly` (`@annually`). Each
   * field takes `*` (or `?`), numbers, ranges (`1-5`), steps (a star, a range or a start, then `/15`:
   * `0-30/10`, and `5/15` for 5 to the end of the field) and lists (`1,15`); month and day of week
   * also take names (`jan`, `mon-fri`).
   */
  public static cron(expression: string): Schedule {
    return new Schedule(expression);
  }

  /** At minute 0 of every hour (`@hourly`). */
  public static hourly(): Schedule {
    return new Schedule('@hourly');
  }

  /** At 00:00 every day (`@daily`). */
  public static daily(): Schedule {
    return new Schedule('@daily');
  }

  /** At 00:00 every Sunday (`@weekly`). */
  public static weekly(): Schedule {
    return new Schedule('@weekly');
  }

  /** At 00:00 on the first of every month (`@monthly`). */
  public static monthly(): Schedule {
    return new Schedule('@monthly');
  }

  private constructor(
    /** The expression as the CronJob's `spec.schedule` receives it. */
    public readonly expression: string,
  ) {}

  /**
   * Why Kubernetes would refuse this schedule, or why it would never run, or `undefined` when it is
   * fine. Checked when a construct receives the schedule.
   */
  public problem(): string | undefined {
    if (typeof this.expression !== 'string') {
      return 'must be a cron expression (a string)';
    }
    const expression = this.expression.trim();
    if (expression.includes('TZ')) {
      // kubernetes validateScheduleFormat refuses TZ and CRON_TZ in the schedule of a new CronJob from 1.29
      // (kubernetes/kubernetes#116252; 1.28 warns), and timeZone is the supported way (GA in 1.27).
      return 'must not set TZ or CRON_TZ: the API server refuses them in a new CronJob; set the time zone with timeZone';
    }
    if (expression.startsWith('@')) {
      return CRON_MACROS.includes(expression) ? undefined
        : `must be a 5-field cron expression or one of ${CRON_MACROS.join(', ')}: @every counts from the last run instead of the clock and is not in the Kubernetes documentation`;
    }
    return cronProblem(expression, STANDARD_FIELDS);
  }
}

/**
 * A {@link Schedule}, as a prop's kind.
 * @internal
 */
export const SCHEDULE_KIND = Kind.instance(Schedule, 'a Schedule (Schedule.cron, Schedule.hourly, Schedule.daily, ...)');
