import { randomBytes } from 'node:crypto';

/**
 * Numbers JavaScript cannot hold exactly (integers beyond 2^53 that no double equals, values beyond
 * the double range) are kept as their source text. While the tap holds them they are strings that
 * start with this marker; when a record is serialized the marker string becomes the number token
 * again, so a target reads exactly what Sigma sent. The random part makes a collision with a string
 * Sigma really sent impossible in practice.
 */
export const EXACT_NUMBER_MARKER = `\u0000#${randomBytes(6).toString('hex')}#`;

/** The marker as JSON.stringify writes it (the NUL becomes \u0000). */
const SERIALIZED_MARKER = JSON.stringify(EXACT_NUMBER_MARKER).slice(1, -1);
const SERIALIZED_EXACT = new RegExp(`"${SERIALIZED_MARKER.replace(/\\/g, '\\\\')}(-?[0-9][0-9.eE+-]*)"`, 'g');

/** True for a value the parser kept as an exact number. */
export function isExactNumber(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(EXACT_NUMBER_MARKER);
}

/** The number token an exact-number value stands for. */
export function exactNumberText(value: string): string {
  return value.slice(EXACT_NUMBER_MARKER.length);
}

/** Serialized JSON with every exact-number string turned back into its number token. */
export function restoreExactNumbers(json: string): string {
  return json.includes(SERIALIZED_MARKER) ? json.replace(SERIALIZED_EXACT, '$1') : json;
}

/** Whether a number token loses its value as a JavaScript number. */
export function losesPrecision(token: string): boolean {
  const value = Number(token);
  if (!Number.isFinite(value)) return true;
  if (Number.isSafeInteger(value) || /[.eE]/.test(token)) return false;
  return BigInt(token) !== BigInt(value);
}
