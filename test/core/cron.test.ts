import { SECONDS_FIELDS, STANDARD_FIELDS, cronProblem } from '../../lib/core/cron';

// The bounds are robfig/cron's (v1.2.0 for CloudNativePG 1.30's ScheduledBackup, v3 for the Kubernetes CronJob):
// seconds and minutes 0-59, hours 0-23, days of month 1-31, months 1-12, days of week 0-6 (robfig/cron spec.go).
describe('cronProblem with six fields, seconds first (a CloudNativePG ScheduledBackup)', () => {
  test.each(['0 0 2 * * *', '*/30 * * * * *', '0 30 1 1,15 * mon-fri', '0 0 0 1 jan *', '0 0 */6 * * ?'])('accepts %s', (expression) => {
    expect(cronProblem(expression, SECONDS_FIELDS)).toBeUndefined();
  });

  test.each([
    ['every field is out of range', '99 99 99 * * *', 'second \'99\' is outside 0-59'],
    ['the minute is 60', '0 60 2 * * *', 'minute \'60\' is outside 0-59'],
    ['the hour is 24', '0 0 24 * * *', 'hour \'24\' is outside 0-23'],
    ['the day of month is 0', '0 0 2 0 * *', 'day of month \'0\' is outside 1-31'],
    ['the month is 13', '0 0 2 * 13 *', 'month \'13\' is outside 1-12'],
    ['the day of week is 7', '0 0 2 * * 7', 'day of week \'7\' is outside 0-6'],
    ['it has the five fields of crontab', '0 2 * * *', 'must have 6 fields (second, minute, hour, day of month, month, day of week), not 5'],
    ['a day never comes', '0 0 0 31 feb *', 'never runs: no month of \'feb\' has a day \'31\''],
  ])('fails when %s', (_, expression, problem) => {
    expect(cronProblem(expression, SECONDS_FIELDS)).toBe(problem);
  });
});

describe('cronProblem with five fields (a Kubernetes CronJob)', () => {
  test('shares the field grammar: the same item is refused in both forms', () => {
    expect(cronProblem('99 * * * *', STANDARD_FIELDS)).toBe('minute \'99\' is outside 0-59');
    expect(cronProblem('0 99 * * * *', SECONDS_FIELDS)).toBe('minute \'99\' is outside 0-59');
  });
});
