import { InputError } from '../errors.js';
import { type JsonPathSegment, isJsonObject, jsonPath } from '../json/jsonShape.js';
import { jsonSyntaxErrorOffset } from './jsonSyntaxErrorOffset.js';

/**
 * Levels of nesting an input may have: far deeper than any config, catalog or state a tap or Meltano
 * writes, and shallow enough for the recursive code that later walks them (structuredClone gives up
 * near 2000 levels, schema selection recurses per property level).
 */
export const MAX_JSON_DEPTH = 256;

/**
 * JSON.parse keeps `"__proto__"` as an own key, but copying such an object with assignment
 * (Object.assign, spread into a literal) replaces the target's prototype: `{"__proto__": {"concurrency": 64}}`
 * would make every unset key read 64. No config, catalog or state needs the key, so it is refused.
 * `constructor` and `prototype` stay ordinary keys: nothing here merges deeply or reads inherited keys.
 */
const PROTOTYPE_KEY = '__proto__';

interface Pending {
  readonly value: unknown;
  readonly key: JsonPathSegment | undefined;
  readonly parent: Pending | undefined;
  readonly depth: number;
}

/**
 * Parses JSON text whose root must be an object; `where` starts every error line ("state file s.json").
 * Errors say where the syntax breaks (line and column, never the text around it, which may hold a
 * secret), which object holds a `__proto__` key, or that the nesting is too deep.
 */
export function parseJsonObject(text: string, where: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InputError(`${where}: not valid JSON${syntaxProblem(text)}`);
  }
  if (!isJsonObject(value)) throw new InputError(`${where}: the root must be a JSON object`);
  checkKeysAndDepth(value, where);
  return value;
}

function syntaxProblem(text: string): string {
  if (text.trim() === '') return ' (empty)';
  const offset = jsonSyntaxErrorOffset(text);
  if (offset === undefined) return '';
  if (offset === text.length) return ' (it ends too early)';
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const line = text.slice(0, lineStart).split('\n').length;
  return ` (line ${line}, column ${offset - lineStart + 1})`;
}

/** Iterative, so a document nested a million levels deep is refused instead of overflowing the stack. */
function checkKeysAndDepth(root: Record<string, unknown>, where: string): void {
  const stack: Pending[] = [{ value: root, key: undefined, parent: undefined, depth: 1 }];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (node.depth > MAX_JSON_DEPTH) throw new InputError(`${where}: nested deeper than ${MAX_JSON_DEPTH} levels`);
    const container = node.value as Record<string, unknown> | unknown[];
    if (!Array.isArray(container) && Object.hasOwn(container, PROTOTYPE_KEY)) {
      throw new InputError(`${where}: the key ${PROTOTYPE_KEY} is not allowed (at ${jsonPath(pathOf(node))})`);
    }
    const entries: Array<[JsonPathSegment, unknown]> = Array.isArray(container) ? container.map((v, i) => [i, v]) : Object.entries(container);
    for (const [key, child] of entries) {
      if (child !== null && typeof child === 'object') stack.push({ value: child, key, parent: node, depth: node.depth + 1 });
    }
  }
}

function pathOf(node: Pending): JsonPathSegment[] {
  const path: JsonPathSegment[] = [];
  for (let at: Pending | undefined = node; at?.key !== undefined; at = at.parent) path.unshift(at.key);
  return path;
}
