export const DEFAULT_SEPARATOR = '__';
export const DEFAULT_MAX_KEY_LENGTH = 255;

/**
 * The column name of a nested property: its path joined with the separator, as the Meltano SDK's
 * `flatten_key` builds it. A name that reaches `maxKeyLength` is shortened one segment at a time, from
 * the outermost: the segment is camelized (`inflection.camelize`) and its lowercase letters dropped
 * (`first_name` → `FN` → `fn`), or cut to its first three characters when that would leave one letter.
 * @example flattenKey(['user', 'first_name'], '__', 255) // 'user__first_name'
 * @example flattenKey(['customer_profile', 'first_name'], '__', 20) // 'cp__first_name'
 */
export function flattenKey(path: readonly string[], separator: string, maxKeyLength: number): string {
  const joined = path.join(separator);
  if (joined.length < maxKeyLength) return joined;
  const segments = [...path];
  for (let i = 0; i < segments.length && segments.join(separator).length >= maxKeyLength; i += 1) {
    const segment = segments[i]!;
    const reduced = segment.replace(/(?:^|_)(.)/g, (_match, first: string) => first.toUpperCase()).replace(/[a-z]/g, '');
    segments[i] = (reduced.length > 1 ? reduced : segment.slice(0, 3)).toLowerCase();
  }
  return segments.join(separator);
}
