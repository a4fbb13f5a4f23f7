/**
 * Generates the two schema files derived from Sigma's OpenAPI document:
 * - `pipelines/schemas/sigma-get-operations.json`: per GET path, its pagination style, page-size
 *   cap, parameters and the schema of ONE record (read by the tap at run time);
 * - `spec/openapi/get-responses.json`: per GET path, the schema of the whole 200 body (read by
 *   the tests that hold the simulator to the official document).
 *
 * Usage: `npm run generate-schemas [-- <openapi.json>]`; the default document is
 * `../shared/sigma-openapi/sigma-rest-api.openapi.json` relative to the project root.
 * Prints one summary line on stderr; on failure, one error line and exit code 1.
 *
 * Secrets: record schemas of `/v2/api-credentials*` lose every property that could carry a
 * credential (today only `credential` on the detail endpoint), see scripts/openapi/redactSecrets.ts.
 * Recursion (the api-connector parameter shape) is cut to `{}`, see scripts/openapi/dereference.ts.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSchemaFiles, type SchemaFiles } from './openapi/generateSchemaFiles.js';
import { toOpenApiDocument } from './openapi/openApiDocument.js';
import { PAGINATION_STYLES } from './openapi/paginationStyle.js';
import { stableJson } from './openapi/stableJson.js';

/** dist/scripts/generate-schemas.js → the project root. */
const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DEFAULT_OPENAPI = '../shared/sigma-openapi/sigma-rest-api.openapi.json';
export const GET_OPERATIONS_FILE = 'pipelines/schemas/sigma-get-operations.json';
export const GET_RESPONSES_FILE = 'spec/openapi/get-responses.json';

/** One line such as `122 GET operations: pageLimit=59 pageToken=24 …`. */
export function summarize(files: SchemaFiles): string {
  const rows = Object.values(files.getOperations);
  const counts = PAGINATION_STYLES.map((style) => `${style}=${rows.filter((r) => r.pagination === style).length}`);
  return `generate-schemas: ${rows.length} GET operations: ${counts.join(' ')}`;
}

/** Generates both files; returns the process exit code. */
export function main(argv: readonly string[]): number {
  const source = argv[0] === undefined ? resolve(PROJECT_ROOT, DEFAULT_OPENAPI) : resolve(argv[0]);
  try {
    const files = generateSchemaFiles(toOpenApiDocument(JSON.parse(readFileSync(source, 'utf8'))));
    for (const [file, content] of [[GET_OPERATIONS_FILE, files.getOperations], [GET_RESPONSES_FILE, files.getResponses]] as const) {
      const target = resolve(PROJECT_ROOT, file);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, stableJson(content));
    }
    process.stderr.write(`${summarize(files)} (from ${relative(PROJECT_ROOT, source)})\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`generate-schemas: ${source}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

// Import-safe: runs only as the entry point (`node dist/scripts/generate-schemas.js [openapi.json]`).
if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
