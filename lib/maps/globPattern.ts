/** Whether a stream map key is a glob (`*`, `?`, `[…]`) rather than a stream name. */
export function isGlob(pattern: string): boolean {
  return /[*?[]/.test(pattern);
}

/**
 * A stream-name glob as Python's `fnmatch` reads it (the SDK matches map keys with
 * `fnmatch.fnmatch`): `*` any run, `?` one character, `[abc]` / `[!abc]` a set; case-sensitive, as
 * on POSIX.
 * @example globPattern('*s').test('members') // true
 */
export function globPattern(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const c = pattern[i]!;
    if (c === '*') source += '.*';
    else if (c === '?') source += '.';
    else if (c === '[') {
      const close = pattern.indexOf(']', pattern[i + 1] === '!' || pattern[i + 1] === ']' ? i + 2 : i + 1);
      if (close < 0) {
        source += '\\[';
        continue;
      }
      let set = pattern.slice(i + 1, close);
      const negated = set.startsWith('!');
      if (negated) set = set.slice(1);
      source += `[${negated ? '^' : ''}${set.replace(/[\\\]^]/g, (s) => `\\${s}`)}]`;
      i = close;
    } else {
      source += c.replace(/[.*+?^${}()|[\]\\/]/g, (s) => `\\${s}`);
    }
  }
  return new RegExp(`^${source}$`, 's');
}
