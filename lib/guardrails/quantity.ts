const DECIMAL: Readonly<Record<string, number>> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
const BINARY: Readonly<Record<string, number>> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/;

/**
 * The value of a Kubernetes quantity (`250m`, `2`, `1.5Gi`, `1e3`) as a number: cores for CPU, bytes for
 * memory and storage; `undefined` for what is not a quantity. A number is its own value.
 * @see https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/
 */
export function parseQuantity(quantity: unknown): number | undefined {
  if (typeof quantity === 'number') {
    return quantity;
  }
  const match = typeof quantity === 'string' ? QUANTITY.exec(quantity.trim()) : null;
  if (match === null) {
    return undefined;
  }
  const [, number, exponent, suffix] = match;
  const factor = exponent !== undefined ? 10 ** Number(exponent.slice(1)) : BINARY[suffix] ?? DECIMAL[suffix ?? ''];
  return Number(number) * factor;
}

/** A CPU amount in cores, briefly: `0.35`, `41.6`, `40`. */
export function formatCores(cores: number): string {
  return String(Number(cores.toFixed(3)));
}

/** A size in bytes, in the binary unit that reads best: `512Mi`, `65.81Gi`. */
export function formatBytes(bytes: number): string {
  for (const [suffix, factor] of [['Ti', 2 ** 40], ['Gi', 2 ** 30], ['Mi', 2 ** 20], ['Ki', 2 ** 10]] as const) {
    if (bytes >= factor) {
      return `${Number((bytes / factor).toFixed(2))}${suffix}`;
    }
  }
  return String(bytes);
}
