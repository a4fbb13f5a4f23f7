import { type ChildRefreshOverrides, childRefreshRule } from '../config/childRefresh.js';
import { InputError } from '../errors.js';
import type { ChildRefresh, StreamDefinition } from '../streams/streamDefinition.js';

/**
 * Each child's refresh rule, with the `child_refresh` setting applied. The setting names child
 * streams; anything else is a config error, found before any request.
 */
export function childRefreshRules(definitions: readonly StreamDefinition[], overrides: ChildRefreshOverrides): (definition: StreamDefinition) => ChildRefresh | undefined {
  const children = new Set(definitions.filter((d) => d.parent !== undefined).map((d) => d.name));
  for (const name of Object.keys(overrides)) {
    if (children.has(name)) continue;
    const known = definitions.some((d) => d.name === name);
    throw new InputError(`config: setting 'child_refresh' names ${known ? `'${name}', a top-level stream: only child streams follow a parent` : `unknown stream '${name}'`}`);
  }
  return (definition) => {
    const rule = childRefreshRule(overrides, definition.name);
    if (rule === undefined) return definition.refresh;
    return { rule, reason: `the child_refresh setting makes it ${rule}` };
  };
}
