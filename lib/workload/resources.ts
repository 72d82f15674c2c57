import { Size, SizeRoundingBehavior } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { check } from '../core/errors';

/** A request and a limit of one resource. */
export interface ResourceRange<T> {
  /** What the scheduler reserves for the container. */
  readonly request: T;
  /** What the container may use at most. */
  readonly limit: T;
}

/**
 * Requests and limits of a container: CPU, memory and ephemeral storage, all required,
 * so that no container can starve its neighbours or be evicted first for lack of a request.
 */
export interface ContainerResources {
  /** CPU, e.g. `{ request: Cpu.millis(250), limit: Cpu.units(1) }`. */
  readonly cpu: ResourceRange<Cpu>;
  /** Memory, e.g. `{ request: Size.mebibytes(256), limit: Size.mebibytes(512) }`. */
  readonly memory: ResourceRange<Size>;
  /** Local ephemeral storage (logs, emptyDir, writable layers). */
  readonly ephemeralStorage: ResourceRange<Size>;
}

/** The Kubernetes quantity of a CPU amount, e.g. `250m` or `2`. */
export function cpuQuantity(cpu: Cpu): string {
  return cpu.amount;
}

/** CPU in millicores, for comparisons. */
export function cpuMillis(cpu: Cpu): number {
  const amount = cpu.amount;
  return amount.endsWith('m') ? Number(amount.slice(0, -1)) : Number(amount) * 1000;
}

/** The Kubernetes quantity of a size, in the largest binary unit that keeps it whole (`512Mi`, `2Gi`). */
export function sizeQuantity(size: Size): string {
  const kib = size.toKibibytes({ rounding: SizeRoundingBehavior.NONE });
  const units: Array<[string, number]> = [['Ti', 1024 ** 3], ['Gi', 1024 ** 2], ['Mi', 1024], ['Ki', 1]];
  for (const [suffix, factor] of units) {
    if (kib >= factor && Number.isInteger(kib / factor)) {
      return `${kib / factor}${suffix}`;
    }
  }
  return `${Math.ceil(kib)}Ki`;
}

/** Checks that every request is positive and no larger than its limit. */
export function checkResources(scope: IConstruct, prop: string, resources: ContainerResources): void {
  const pairs: Array<[string, number, number, string, string]> = [
    ['cpu', cpuMillis(resources.cpu.request), cpuMillis(resources.cpu.limit), cpuQuantity(resources.cpu.request), cpuQuantity(resources.cpu.limit)],
    ['memory', kib(resources.memory.request), kib(resources.memory.limit), sizeQuantity(resources.memory.request), sizeQuantity(resources.memory.limit)],
    ['ephemeralStorage', kib(resources.ephemeralStorage.request), kib(resources.ephemeralStorage.limit),
      sizeQuantity(resources.ephemeralStorage.request), sizeQuantity(resources.ephemeralStorage.limit)],
  ];
  for (const [name, request, limit, requestText, limitText] of pairs) {
    check(Number.isFinite(request) && request > 0, scope, `${prop}.${name}.request`, requestText, 'must be greater than zero');
    check(request <= limit, scope, `${prop}.${name}.request`, requestText, `must not exceed the limit (${limitText})`);
  }
}

/** The container `resources` block. */
export function renderResources(resources: ContainerResources): k8s.ResourceRequirements {
  return {
    requests: {
      'cpu': k8s.Quantity.fromString(cpuQuantity(resources.cpu.request)),
      'memory': k8s.Quantity.fromString(sizeQuantity(resources.memory.request)),
      'ephemeral-storage': k8s.Quantity.fromString(sizeQuantity(resources.ephemeralStorage.request)),
    },
    limits: {
      'cpu': k8s.Quantity.fromString(cpuQuantity(resources.cpu.limit)),
      'memory': k8s.Quantity.fromString(sizeQuantity(resources.memory.limit)),
      'ephemeral-storage': k8s.Quantity.fromString(sizeQuantity(resources.ephemeralStorage.limit)),
    },
  };
}

function kib(size: Size): number {
  return size.toKibibytes({ rounding: SizeRoundingBehavior.NONE });
}
