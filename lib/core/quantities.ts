import { Duration, Size, SizeRoundingBehavior } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { check } from './errors';
import { Kind } from './kinds';
import { INT32_MAX } from './validate';

/** The Kubernetes quantity of a CPU amount, e.g. `250m` or `2`. */
export function cpuQuantity(cpu: Cpu): string {
  return cpu.amount;
}

/** CPU in millicores, for comparisons. */
export function cpuMillis(cpu: Cpu): number {
  const amount = cpu.amount;
  return amount.endsWith('m') ? Number(amount.slice(0, -1)) : Number(amount) * 1000;
}

/** A size in kibibytes, unrounded, for comparisons and arithmetic. */
export function kib(size: Size): number {
  return size.toKibibytes({ rounding: SizeRoundingBehavior.NONE });
}

/** The Kubernetes quantity of a size, in the largest binary unit that keeps it whole (`512Mi`, `2Gi`). */
export function sizeQuantity(size: Size): string {
  const kibibytes = kib(size);
  const units: Array<[string, number]> = [['Ti', 1024 ** 3], ['Gi', 1024 ** 2], ['Mi', 1024], ['Ki', 1]];
  for (const [suffix, factor] of units) {
    if (kibibytes >= factor && Number.isInteger(kibibytes / factor)) {
      return `${kibibytes / factor}${suffix}`;
    }
  }
  return `${Math.ceil(kibibytes)}Ki`;
}

/**
 * A CPU amount, checked as a prop: a `Cpu` (a plain JavaScript caller may pass `'250m'`), a whole
 * number of millicores (the API's precision), at least `min` millicores.
 */
export function checkCpu(scope: IConstruct, prop: string, cpu: Cpu, min = 0): void {
  Kind.CPU.check(scope, prop, cpu);
  const millis = cpuMillis(cpu);
  check(Number.isInteger(millis) && millis >= min, scope, prop, cpu.amount,
    `must be a whole number of millicores, ${min > 0 ? `at least ${min}m` : 'not negative'}`);
}

/** A size, checked as a prop: a `Size` (not a string such as `'512Mi'`), finite, at least `min` kibibytes. */
export function checkSize(scope: IConstruct, prop: string, size: Size, min = 0): void {
  Kind.SIZE.check(scope, prop, size);
  const kibibytes = kib(size);
  check(Number.isFinite(kibibytes) && kibibytes >= min, scope, prop, Number.isFinite(kibibytes) ? sizeQuantity(size) : `${kibibytes}Ki`,
    min > 0 ? `must be at least ${min}Ki` : 'must be a finite size');
}

/** Seconds of a duration, fractions included (`Duration.toSeconds()` throws on a fraction before a check can name the prop). */
export function durationSeconds(duration: Duration): number {
  return duration.toMilliseconds({ integral: false }) / 1000;
}

/**
 * A duration the API writes as whole seconds (`periodSeconds`, `terminationGracePeriodSeconds`, ...),
 * checked as a prop: a `Duration`, a whole number of seconds from `min` to `max`.
 */
export function checkWholeSeconds(scope: IConstruct, prop: string, duration: Duration, min: number, max = Number.MAX_SAFE_INTEGER): void {
  Kind.DURATION.check(scope, prop, duration);
  const seconds = durationSeconds(duration);
  const ranged = max < INT32_MAX;
  check(Number.isInteger(seconds) && seconds >= min && (!ranged || seconds <= max), scope, prop, `${seconds}s`,
    ranged ? `must be a whole number of seconds from ${min} to ${max}` : `must be a whole number of seconds, at least ${min}`);
  check(seconds <= max, scope, prop, `${seconds}s`, `must be at most ${max} seconds${max === INT32_MAX ? ': the API stores it in a 32-bit integer' : ''}`);
}
