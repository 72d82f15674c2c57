import { Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { check } from '../core/errors';
import { Kind } from '../core/kinds';
import { checkCpu, checkSize, cpuMillis, cpuQuantity, kib, sizeQuantity } from '../core/quantities';

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

/**
 * {@link ContainerResources}, as a prop's kind.
 * @internal
 */
export const RESOURCES_KIND = Kind.object('a ContainerResources object (cpu, memory and ephemeralStorage, each a request and a limit)', {
  cpu: Kind.object('a request and a limit of Cpu', { request: Kind.CPU, limit: Kind.CPU }),
  memory: Kind.object('a request and a limit of Size', { request: Kind.SIZE, limit: Kind.SIZE }),
  ephemeralStorage: Kind.object('a request and a limit of Size', { request: Kind.SIZE, limit: Kind.SIZE }),
});

/**
 * Checks that every request and limit is a quantity Kubernetes writes (whole millicores, finite
 * sizes), every request positive and no larger than its limit.
 * @internal
 */
export function checkResources(scope: IConstruct, prop: string, resources: ContainerResources): void {
  RESOURCES_KIND.check(scope, prop, resources);
  for (const name of ['cpu', 'memory', 'ephemeralStorage'] as const) {
    for (const pick of ['request', 'limit'] as const) {
      if (name === 'cpu') {
        checkCpu(scope, `${prop}.cpu.${pick}`, resources.cpu[pick]);
      } else {
        checkSize(scope, `${prop}.${name}.${pick}`, resources[name][pick]);
      }
    }
  }
  const pairs: Array<[string, number, number, string, string]> = [
    ['cpu', cpuMillis(resources.cpu.request), cpuMillis(resources.cpu.limit), cpuQuantity(resources.cpu.request), cpuQuantity(resources.cpu.limit)],
    ['memory', kib(resources.memory.request), kib(resources.memory.limit), sizeQuantity(resources.memory.request), sizeQuantity(resources.memory.limit)],
    ['ephemeralStorage', kib(resources.ephemeralStorage.request), kib(resources.ephemeralStorage.limit),
      sizeQuantity(resources.ephemeralStorage.request), sizeQuantity(resources.ephemeralStorage.limit)],
  ];
  for (const [name, request, limit, requestText, limitText] of pairs) {
    check(request > 0, scope, `${prop}.${name}.request`, requestText, 'must be greater than zero');
    check(request <= limit, scope, `${prop}.${name}.request`, requestText, `must not exceed the limit (${limitText})`);
  }
}

/**
 * The requests (`pick: 'request'`) or limits of `resources` by resource name (`cpu`, `memory`,
 * `ephemeral-storage`), as quantities of the API binding that receives them: `k8s.Quantity` for
 * core objects, the quantity class of a CRD binding, or a LimitRange's defaults.
 * @internal
 */
export function resourceQuantities<Q>(resources: ContainerResources, pick: keyof ResourceRange<unknown>, quantity: (text: string) => Q): Record<string, Q> {
  return {
    'cpu': quantity(cpuQuantity(resources.cpu[pick])),
    'memory': quantity(sizeQuantity(resources.memory[pick])),
    'ephemeral-storage': quantity(sizeQuantity(resources.ephemeralStorage[pick])),
  };
}

/**
 * A container's `resources` block, with requests and limits as quantities of the API binding that
 * receives them: `k8s.Quantity.fromString` for core objects, a CRD binding's quantity classes otherwise.
 * @internal
 */
export function renderResources<R, L>(resources: ContainerResources, request: (text: string) => R, limit: (text: string) => L):
{ requests: Record<string, R>; limits: Record<string, L> } {
  return { requests: resourceQuantities(resources, 'request', request), limits: resourceQuantities(resources, 'limit', limit) };
}
