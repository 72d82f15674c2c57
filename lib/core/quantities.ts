import { Size, SizeRoundingBehavior } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';

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
