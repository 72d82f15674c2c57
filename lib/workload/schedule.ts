/** A field of a cron expression: its name, its bounds, and the names it accepts for its values. */
interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

/**
 * The five fields of the standard parser Kubernetes validates a CronJob schedule with
 * (`cron.ParseStandard` of github.com/robfig/cron/v3, called by kubernetes `pkg/apis/batch/validation`
 * `validateScheduleFormat` and by the CronJob controller): day of week is 0 (Sunday) to 6, `7` is an
 * error; month and day names are case-insensitive.
 */
const FIELDS: readonly CronField[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] },
  { name: 'day of week', min: 0, max: 6, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
];

/** The macros the Kubernetes CronJob documentation lists; robfig/cron matches them exactly (lowercase). */
const MACROS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);
/** Days of each month, February with its leap day. */
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

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
    const expression = this.expression.trim();
    if (expression.includes('TZ')) {
      // kubernetes validateScheduleFormat refuses TZ and CRON_TZ in the schedule of a new CronJob from 1.29
      // (kubernetes/kubernetes#116252; 1.28 warns), and timeZone is the supported way (GA in 1.27).
      return 'must not set TZ or CRON_TZ: the API server refuses them in a new CronJob; set the time zone with timeZone';
    }
    if (expression.startsWith('@')) {
      return MACROS.has(expression) ? undefined
        : `must be a 5-field cron expression or one of ${[...MACROS].join(', ')}: @every counts from the last run instead of the clock and is not in the Kubernetes documentation`;
    }
    const fields = expression.split(/\s+/);
    if (fields.length !== FIELDS.length) {
      return `must have 5 fields (minute, hour, day of month, month, day of week), not ${fields.length}`;
    }
    const values: Array<Set<number>> = [];
    for (const [i, field] of FIELDS.entries()) {
      const parsed = parseField(fields[i], field);
      if (typeof parsed === 'string') {
        return `${field.name} '${fields[i]}' ${parsed}`;
      }
      values.push(parsed);
    }
    return neverRuns(fields, values);
  }
}

/** The values a field selects, or why it is invalid. */
function parseField(text: string, field: CronField): Set<number> | string {
  const values = new Set<number>();
  for (const item of text.split(',')) {
    const [range, step, ...extraSlashes] = item.split('/');
    if (extraSlashes.length > 0) {
      return 'has more than one \'/\' in an item';
    }
    const bounds = parseRange(range, field, step !== undefined);
    if (typeof bounds === 'string') {
      return bounds;
    }
    const stepValue = step === undefined ? 1 : parseNumber(step);
    if (stepValue === undefined || stepValue < 1) {
      return `has a step '${step}' that is not a positive whole number`;
    }
    if (step !== undefined && stepValue > bounds[1] - bounds[0]) {
      return `has a step of ${stepValue}, which selects only ${bounds[0]} from ${bounds[0]} to ${bounds[1]}: write ${bounds[0]}`;
    }
    for (let value = bounds[0]; value <= bounds[1]; value += stepValue) {
      values.add(value);
    }
  }
  return values;
}

/** The first and last value of a range item (`*`, `?`, `5`, `mon-fri`; `5` with a step runs to the field's end), or why it is invalid. */
function parseRange(text: string, field: CronField, stepped: boolean): [number, number] | string {
  if (text === '*' || text === '?') {
    return [field.min, field.max];
  }
  const ends = text.split('-');
  if (ends.length > 2) {
    return 'has more than one \'-\' in a range';
  }
  const numbers = ends.map((end) => parseValue(end, field));
  const bad = ends.find((_, i) => numbers[i] === undefined);
  if (bad !== undefined) {
    return `has '${bad}', which is not a number${field.names ? ' or a name' : ''} of the field`;
  }
  const [start, end] = [numbers[0] as number, (numbers[1] ?? (stepped ? field.max : numbers[0])) as number];
  if (start < field.min || end > field.max) {
    return `is outside ${field.min}-${field.max}`;
  }
  return start <= end ? [start, end] : `has a range from ${start} down to ${end}: write the lower bound first`;
}

function parseValue(text: string, field: CronField): number | undefined {
  const named = field.names?.indexOf(text.toLowerCase()) ?? -1;
  return named >= 0 ? named + (field.min === 1 ? 1 : 0) : parseNumber(text);
}

function parseNumber(text: string): number | undefined {
  return /^[0-9]{1,4}$/.test(text) ? Number(text) : undefined;
}

/**
 * Why a valid expression would never run: days of the month that no chosen month has (`0 0 30 2 *`),
 * when the day of week is `*` (with both day fields restricted, cron runs on either).
 */
function neverRuns(fields: readonly string[], values: ReadonlyArray<Set<number>>): string | undefined {
  const [, , days, months] = values;
  const dayOfWeekIsStar = fields[4] === '*' || fields[4] === '?';
  if (!dayOfWeekIsStar || [...months].some((month) => [...days].some((day) => day <= DAYS_IN_MONTH[month - 1]))) {
    return undefined;
  }
  return `never runs: no month of '${fields[3]}' has a day '${fields[2]}'`;
}
