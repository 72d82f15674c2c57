import { Schedule } from '../../lib';

// What Kubernetes accepts is what github.com/robfig/cron/v3 `ParseStandard` accepts (kubernetes
// pkg/apis/batch/validation `validateScheduleFormat`, and the CronJob controller in pkg/controller/cronjob):
// 5 fields, minute 0-59, hour 0-23, day of month 1-31, month 1-12 or jan-dec, day of week 0-6 or sun-sat
// (7 is "end of range (7) above maximum (6)"), `*` and `?`, ranges, steps, lists, and the descriptors.
// The API server also refuses any schedule containing "TZ" in a new CronJob (validateScheduleFormat), from
// Kubernetes 1.29 (kubernetes/kubernetes#116252, kubernetes/website#43654); 1.28 answers with a warning.
// `@every <duration>` passes ParseStandard and the controller (pkg/controller/cronjob/utils.go handles it), but
// is not among the macros the CronJob documentation lists, and runs from the last run, not by the clock: refused here.
describe('Schedule', () => {
  test.each([
    '30 3 * * *',
    '*/15 * * * *',
    '0 0-23/6 * * mon-fri',
    '5/15 * * * *',
    '0 9 1,15 * *',
    '0 0 29 2 *',
    '0 12 ? JAN-MAR SUN',
    '0 0 31 2 1',
    '  0 4 * * *  ',
    '@hourly', '@daily', '@midnight', '@weekly', '@monthly', '@yearly', '@annually',
  ])('accepts %p', (expression) => {
    expect(Schedule.cron(expression).problem()).toBeUndefined();
  });

  test('the shorthands are the macros', () => {
    expect([Schedule.hourly(), Schedule.daily(), Schedule.weekly(), Schedule.monthly()].map((s) => s.expression))
      .toEqual(['@hourly', '@daily', '@weekly', '@monthly']);
  });

  test.each<[string, string, RegExp]>([
    ['a time zone in the schedule', 'CRON_TZ=Europe/Paris 0 3 * * *', /must not set TZ or CRON_TZ: the API server refuses them in a new CronJob; set the time zone with timeZone/],
    ['@every', '@every 1h', /must be a 5-field cron expression or one of @yearly, .*: @every counts from the last run/],
    ['a macro in upper case', '@Daily', /must be a 5-field cron expression or one of/],
    ['six fields (seconds)', '0 30 3 * * *', /must have 5 fields \(minute, hour, day of month, month, day of week\), not 6/],
    ['four fields', '30 3 * *', /must have 5 fields .*, not 4/],
    ['a minute above 59', '61 * * * *', /minute '61' is outside 0-59/],
    ['a day of week of 7', '0 0 * * 7', /day of week '7' is outside 0-6/],
    ['a day of month of 0', '0 0 0 * *', /day of month '0' is outside 1-31/],
    ['a name in the hour field', '0 mon * * *', /hour 'mon' has 'mon', which is not a number of the field/],
    ['an unknown month name', '0 0 1 foo *', /month 'foo' has 'foo', which is not a number or a name of the field/],
    ['a backwards range', '0 17-9 * * *', /hour '17-9' has a range from 17 down to 9: write the lower bound first/],
    ['a range with two dashes', '0 1-2-3 * * *', /hour '1-2-3' has more than one '-' in a range/],
    ['two slashes', '*/5/2 * * * *', /minute '\*\/5\/2' has more than one '\/' in an item/],
    ['a zero step', '*/0 * * * *', /minute '\*\/0' has a step '0' that is not a positive whole number/],
    ['a step that is not a number', '*/x * * * *', /has a step 'x' that is not a positive whole number/],
    ['a step wider than the field', '*/61 * * * *', /minute '\*\/61' has a step of 61, which selects only 0 from 0 to 59: write 0/],
    ['an empty list item', '0 1,,2 * * *', /hour '1,,2' has '', which is not a number of the field/],
    ['a negative number', '-5 * * * *', /minute '-5' has '', which is not a number of the field/],
    ['a day no chosen month has', '0 0 30 2 *', /never runs: no month of '2' has a day '30'/],
    ['days no chosen month has, in a list', '0 0 31 apr,jun,sep,nov *', /never runs: no month of 'apr,jun,sep,nov' has a day '31'/],
  ])('refuses %s', (_, expression, message) => {
    expect(Schedule.cron(expression).problem()).toMatch(message);
  });
});
