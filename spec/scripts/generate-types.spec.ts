import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { StreamRecords, WorkbookPagesRecord } from '../../pipelines/recordTypes.generated.js';
import { streams } from '../../pipelines/index.js';
import { RECORD_TYPES_FILE, recordTypeName, renderRecordTypes, schemaType } from '../../scripts/renderRecordTypes.js';

/** dist/spec/scripts/ → the project root. */
const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

describe('generate-types', () => {
  test('the committed pipelines/recordTypes.generated.ts is what the stream definitions generate (run `npm run generate-types`)', () => {
    const committed = readFileSync(resolve(PROJECT_ROOT, RECORD_TYPES_FILE), 'utf8');
    assert.equal(committed, renderRecordTypes(streams), `${RECORD_TYPES_FILE} is stale: run \`npm run generate-types\` and commit it`);
  });

  test('has one interface per stream and a StreamRecords entry for each', () => {
    const source = renderRecordTypes(streams);
    for (const stream of streams) {
      assert.ok(source.includes(`export interface ${recordTypeName(stream.name)} {`), stream.name);
      assert.ok(source.includes(`  ${stream.name}: ${recordTypeName(stream.name)};`), stream.name);
    }
  });

  test('names a stream\'s interface in PascalCase with a Record suffix', () => {
    assert.equal(recordTypeName('workbooks'), 'WorkbooksRecord');
    assert.equal(recordTypeName('workbook_page_elements'), 'WorkbookPageElementsRecord');
    assert.equal(recordTypeName('whoami'), 'WhoamiRecord');
  });

  test('maps JSON Schema types, nullability, enums, arrays, nested objects and maps', () => {
    assert.equal(schemaType({ type: ['string', 'null'] }), 'string | null');
    assert.equal(schemaType({ type: 'integer' }), 'number');
    assert.equal(schemaType({ type: ['string', 'null'], enum: ['a', 'b', null] }), '"a" | "b" | null');
    assert.equal(schemaType({ type: 'array', items: { type: 'string' } }), 'Array<string>');
    assert.equal(schemaType({ type: 'array' }), 'unknown[]');
    assert.equal(schemaType({}), 'unknown');
    assert.equal(schemaType({ anyOf: [{ type: 'number' }, { type: 'null' }] }), 'number | null');
    assert.equal(schemaType({ type: 'object', additionalProperties: { type: 'boolean' } }), 'Record<string, boolean>');
    assert.equal(schemaType({ type: 'object' }), 'Record<string, unknown>');
    assert.equal(
      schemaType({ type: 'object', properties: { id: { type: 'string' }, 'odd-name': { type: 'number' } }, required: ['id'] }),
      '{\n  id: string;\n  "odd-name"?: number;\n}',
    );
  });

  test('gives child records their parent keys as required strings (checked by the compiler)', () => {
    const keys: Pick<WorkbookPagesRecord, 'workbookId' | 'pageId'> = { workbookId: 'w1', pageId: 'p1' };
    const sameType: Pick<StreamRecords['workbook_pages'], 'workbookId'> = keys;
    assert.equal(sameType.workbookId, 'w1');
  });
});
