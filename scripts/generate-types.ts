/**
 * Writes `pipelines/recordTypes.generated.ts`: one TypeScript interface per stream, from the record
 * schemas `--discover` prints, and `StreamRecords` (stream name → record type), which types
 * `createTap(…).records(stream)`. The output is committed; spec/scripts/generate-types.spec.ts fails
 * when it is stale.
 *
 * Usage: `npm run generate-types`. Prints one summary line on stderr; on failure, one error line and
 * exit code 1.
 */
import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { streams } from '../pipelines/index.js';
import { RECORD_TYPES_FILE, renderRecordTypes } from './renderRecordTypes.js';

/** dist/scripts/generate-types.js → the project root. */
const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Generates the file; returns the process exit code. */
export function main(): number {
  try {
    writeFileSync(resolve(PROJECT_ROOT, RECORD_TYPES_FILE), renderRecordTypes(streams));
    process.stderr.write(`generate-types: ${streams.length} record interfaces in ${RECORD_TYPES_FILE}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`generate-types: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

// Import-safe: runs only as the entry point (`node dist/scripts/generate-types.js`).
if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main();
}
