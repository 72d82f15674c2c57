import { createHash } from 'crypto';

/** The first `length` hex digits of the SHA-256 of `text`: a short, stable identifier of content. */
export function shortHash(text: string, length: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/** A short, stable hash of a string map: sorted keys, so that order does not matter. */
export function contentHash(data: Record<string, string>): string {
  const sorted = Object.keys(data).sort().map((k) => [k, data[k]]);
  return shortHash(JSON.stringify(sorted), 10);
}
