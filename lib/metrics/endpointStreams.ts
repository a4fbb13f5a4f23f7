import type { StreamDefinition } from '../streams/streamDefinition.js';

/**
 * The stream each endpoint template belongs to, for tagging request events (which carry only the
 * endpoint). An endpoint several streams share (`/v2/grants` serves four grant streams) is left out:
 * its requests cannot be told apart, so they are tagged with the endpoint alone.
 * @example
 * endpointStreams(streams).get('/v2/workbooks/{workbookId}/pages') // 'workbook_pages'
 * endpointStreams(streams).get('/v2/grants')                       // undefined
 */
export function endpointStreams(definitions: readonly StreamDefinition[]): ReadonlyMap<string, string> {
  const byPath = new Map<string, string[]>();
  for (const definition of definitions) byPath.set(definition.path, [...(byPath.get(definition.path) ?? []), definition.name]);
  return new Map([...byPath].filter(([, names]) => names.length === 1).map(([path, names]) => [path, names[0]!]));
}
