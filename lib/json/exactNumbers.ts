import { randomBytes } from 'node:crypto';

/**
 * Numbers JavaScript cannot hold exactly (integers beyond 2^53, values beyond the double range) are
 * kept as their source text. While the tap holds them they are strings that
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

/**
 * Whether a number token loses its value as a JavaScript number: beyond the double range (1e400),
 * below it (1e-400 is not 0), or an integer beyond 2^53. Even an integer a double holds exactly
 * (9223372036854775808 is 2^63) is written back as other digits (9223372036854776000), which a target
 * reading integers exactly takes for another number. Decimal fractions round as doubles do everywhere
 * (0.1), which is not a loss of value.
 */
export function losesPrecision(token: string): boolean {
  const value = Number(token);
  if (!Number.isFinite(value)) return true;
  if (value === 0) return /[1-9]/.test(token.split(/[eE]/)[0]!);
  return !/[.eE]/.test(token) && !Number.isSafeInteger(value);
}

/**
 * A copy of `value` with every exact-number string replaced by the number's text (`"1e400"`,
 * `"9223372036854775808"`): what library users get, since no JavaScript number holds such a value and
 * the marker is the tap's own business. Records nest at most MAX_RECORD_DEPTH levels, so recursion is safe.
 */
export function withExactNumbersAsText(value: unknown): unknown {
  if (isExactNumber(value)) return exactNumberText(value);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(withExactNumbersAsText);
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) copy[key] = withExactNumbersAsText(item);
  return copy;
}
