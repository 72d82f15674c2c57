// The one parser of cron expressions, for the two forms the manifests carry: the five fields of a
// Kubernetes CronJob and the six fields, seconds first, of a CloudNativePG ScheduledBackup. Both
// controllers parse with robfig/cron, whose field grammar and bounds this follows.

/** A field of a cron expression: its name, its bounds, and the names it accepts for its values. */
export interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const SECOND: CronField = { name: 'second', min: 0, max: 59 };
const MINUTE: CronField = { name: 'minute', min: 0, max: 59 };
const HOUR: CronField = { name: 'hour', min: 0, max: 23 };
const DAY_OF_MONTH: CronField = { name: 'day of month', min: 1, max: 31 };
const MONTH: CronField = { name: 'month', min: 1, max: 12, names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] };
const DAY_OF_WEEK: CronField = { name: 'day of week', min: 0, max: 6, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] };

/**
 * The five fields of the standard parser Kubernetes validates a CronJob schedule with
 * (`cron.ParseStandard` of github.com/robfig/cron/v3, called by kubernetes `pkg/apis/batch/validation`
 * `validateScheduleFormat` and by the CronJob controller): day of week is 0 (Sunday) to 6, `7` is an
 * error; month and day names are case-insensitive.
 */
export const STANDARD_FIELDS: readonly CronField[] = [MINUTE, HOUR, DAY_OF_MONTH, MONTH, DAY_OF_WEEK];

/**
 * The six fields, seconds first, of `cron.Parse` of github.com/robfig/cron v1.2.0, which
 * CloudNativePG 1.30 validates and runs a ScheduledBackup's schedule with
 * (`internal/webhook/v1/scheduledbackup_webhook.go`, `internal/controller/scheduledbackup_controller.go`).
 * The same bounds as the standard fields, and seconds from 0 to 59.
 */
export const SECONDS_FIELDS: readonly CronField[] = [SECOND, ...STANDARD_FIELDS];

/** The descriptors both robfig/cron versions accept, as the Kubernetes documentation lists them; they are matched exactly (lowercase). */
export const CRON_MACROS: readonly string[] = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];

/** Days of each month, February with its leap day. */
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Why the cron expression `expression` (its fields as `fields` lists them) is refused by the
 * parser, or would never run, or `undefined` when it is fine. Descriptors are the caller's business.
 */
export function cronProblem(expression: string, fields: readonly CronField[]): string | undefined {
  const texts = expression.trim().split(/\s+/);
  if (texts.length !== fields.length) {
    return `must have ${fields.length} fields (${fields.map((f) => f.name).join(', ')}), not ${texts.length}`;
  }
  const values: Array<Set<number>> = [];
  for (const [i, field] of fields.entries()) {
    const parsed = parseField(texts[i], field);
    if (typeof parsed === 'string') {
      return `${field.name} '${texts[i]}' ${parsed}`;
    }
    values.push(parsed);
  }
  return neverRuns(fields, texts, values);
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
function neverRuns(fields: readonly CronField[], texts: readonly string[], values: ReadonlyArray<Set<number>>): string | undefined {
  const [days, months, weekdays] = [DAY_OF_MONTH, MONTH, DAY_OF_WEEK].map((field) => fields.indexOf(field));
  const dayOfWeekIsStar = texts[weekdays] === '*' || texts[weekdays] === '?';
  if (!dayOfWeekIsStar || [...values[months]].some((month) => [...values[days]].some((day) => day <= DAYS_IN_MONTH[month - 1]))) {
    return undefined;
  }
  return `never runs: no month of '${texts[months]}' has a day '${texts[days]}'`;
}
