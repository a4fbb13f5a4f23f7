import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { GET_OPERATIONS_FILE, GET_RESPONSES_FILE } from '../../scripts/generate-schemas.js';
import { generateSchemaFiles } from '../../scripts/openapi/generateSchemaFiles.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../../scripts/openapi/jsonSchema.js';
import { walkSchemas } from '../../scripts/openapi/mapSubschemas.js';
import { toOpenApiDocument } from '../../scripts/openapi/openApiDocument.js';
import { isSecretBearingPath, SECRET_PROPERTY } from '../../scripts/openapi/redactSecrets.js';

// ajv-formats is CommonJS; under NodeNext its plugin is the `default` of the module object.
const addFormats = addFormatsModule.default;

/** dist/spec/scripts/ → the project root. */
const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
/**
 * Where Sigma's OpenAPI document is: SIGMA_OPENAPI when set (CI sets it, and then it must exist), else
 * the developers' checkout beside the project. A clone with neither skips the regeneration check only:
 * the committed files are what the build and every other test read.
 */
const OPENAPI_FROM_ENV = process.env['SIGMA_OPENAPI'];
const OPENAPI_FILE = OPENAPI_FROM_ENV ?? resolve(PROJECT_ROOT, '../shared/sigma-openapi/sigma-rest-api.openapi.json');
const REGENERATION_SKIPPED = OPENAPI_FROM_ENV === undefined && !existsSync(OPENAPI_FILE)
  ? `skipped: Sigma's OpenAPI document is not at ${OPENAPI_FILE}; set SIGMA_OPENAPI to its path to run this check`
  : false;

function readJsonObject(file: string): JsonObject {
  const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
  assert.ok(isJsonObject(value), `${file} is not a JSON object`);
  return value;
}

/** The rows of a generated file, each checked to be an object. */
function rowsOf(file: string): Map<string, JsonObject> {
  const rows = new Map<string, JsonObject>();
  for (const [path, row] of Object.entries(readJsonObject(resolve(PROJECT_ROOT, file)))) {
    assert.ok(isJsonObject(row), `${file}: row ${path} is not an object`);
    rows.set(path, row);
  }
  return rows;
}

function schemaOf(row: JsonObject | undefined, key: 'entry' | 'response'): JsonObject {
  const schema = row?.[key];
  assert.ok(isJsonObject(schema), `row has no ${key} schema`);
  return schema;
}

function newAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv;
}

/** Every object key at any depth of a JSON value. */
function* keysOf(value: JsonValue): Generator<string> {
  if (Array.isArray(value)) for (const item of value) yield* keysOf(item);
  else if (isJsonObject(value)) {
    for (const [key, sub] of Object.entries(value)) {
      yield key;
      yield* keysOf(sub);
    }
  }
}

const operations = rowsOf(GET_OPERATIONS_FILE);
const responses = rowsOf(GET_RESPONSES_FILE);

describe('generated GET operation schemas', () => {
  test('have one row per GET operation of the spec (122) in both files', () => {
    assert.equal(operations.size, 122);
    assert.deepEqual([...responses.keys()], [...operations.keys()]);
  });

  test('every entry schema compiles with Ajv 8 and ajv-formats', () => {
    const ajv = newAjv();
    for (const [path, row] of operations) {
      assert.doesNotThrow(() => ajv.compile(schemaOf(row, 'entry')), `entry of ${path}`);
    }
  });

  test('every response schema compiles with Ajv 8 and ajv-formats', () => {
    const ajv = newAjv();
    for (const [path, row] of responses) {
      assert.doesNotThrow(() => ajv.compile(schemaOf(row, 'response')), `response of ${path}`);
    }
  });

  test('leave no $ref and no $schema anywhere in either file', () => {
    for (const rows of [operations, responses]) {
      for (const [path, row] of rows) {
        const keys = new Set(keysOf(row));
        assert.ok(!keys.has('$ref') && !keys.has('$schema'), `${path} still has $ref or $schema`);
      }
    }
  });

  test('entry schemas have no oneOf, anyOf or allOf left', () => {
    for (const [path, row] of operations) {
      for (const schema of walkSchemas(schemaOf(row, 'entry'))) {
        assert.ok(!('oneOf' in schema || 'anyOf' in schema || 'allOf' in schema), `${path} keeps a union`);
      }
    }
  });

  test('entry schemas describe objects, except where the spec itself says otherwise', () => {
    // As written in the spec: deployment-policy tenants are bare strings, and /v2/tenants
    // entries are a oneOf of the tenant object and null.
    const asWritten: Readonly<Record<string, JsonValue>> = {
      '/v2/deploymentPolicies/{deploymentPolicyId}/tenants': 'string',
      '/v2/tenants': ['null', 'object'],
    };
    for (const [path, row] of operations) {
      assert.deepEqual(schemaOf(row, 'entry').type, asWritten[path] ?? 'object', `${path} entry type`);
    }
  });

  test('keep format date-time and drop OpenAPI numeric formats', () => {
    const createdAt = schemaOf(operations.get('/v2/workbooks'), 'entry').properties;
    assert.ok(isJsonObject(createdAt));
    assert.deepEqual(createdAt.createdAt, { type: 'string', format: 'date-time' });
    for (const rows of [operations, responses]) {
      const text = JSON.stringify([...rows.values()]);
      assert.doesNotMatch(text, /"format":"(?:double|float|int32|int64)"/);
    }
  });

  const known: ReadonlyArray<readonly [path: string, pagination: string, maxPageSize: number | null]> = [
    ['/v2/workbooks', 'pageLimit', 1000],
    ['/v2/accountTypes', 'pageToken', 1000],
    ['/v2/dataModels/{dataModelId}/sources', 'pageToken', 500],
    ['/v2/dataModels/{dataModelId}/materializationSchedules', 'pageToken', 500],
    ['/v2/workbooks/{workbookId}/sources', 'array', null],
    ['/v2/accountTypes/{accountTypeId}/permissions', 'array', null],
    ['/v2/members', 'arrayOrEnvelope', 1000],
    ['/v2.1/members', 'pageLimit', 1000],
    ['/v2/workbooks/{workbookId}/materialization-schedules', 'pageLimit', 1000],
    ['/v2/workbooks/{workbookId}/elements/{elementId}/query', 'single', null],
    ['/v2/whoami', 'single', null],
    ['/v2/reports/{reportId}/pages', 'pageToken', 1000],
  ];
  for (const [path, pagination, maxPageSize] of known) {
    test(`classifies ${path} as ${pagination} with max page size ${String(maxPageSize)}`, () => {
      const row = operations.get(path);
      assert.ok(row, `${path} missing`);
      assert.deepEqual({ pagination: row.pagination, maxPageSize: row.maxPageSize }, { pagination, maxPageSize });
    });
  }

  test('lists path parameters in template order and only non-paging query parameters', () => {
    const pages = operations.get('/v2/workbooks/{workbookId}/pages');
    assert.deepEqual([pages?.pathParams, pages?.queryParams], [['workbookId'], ['tag', 'bookmarkId']]);
    const elements = operations.get('/v2/reports/{reportId}/pages/{pageId}/elements');
    assert.deepEqual([elements?.pathParams, elements?.queryParams], [['reportId', 'pageId'], ['tagName']]);
  });

  test('merged workbook sources entry accepts one sample of each variant and still requires type', () => {
    const validate = newAjv().compile(schemaOf(operations.get('/v2/workbooks/{workbookId}/sources'), 'entry'));
    const samples = [
      { type: 'data-model', dataModelId: 'dm-1', elementIds: ['el-1'], versionTagId: 'vt-1' },
      { type: 'dataset', inodeId: 'in-1', url: 'https://app.sigmacomputing.com/org/dataset/in-1' },
      { type: 'table', inodeId: 'in-2' },
      { type: 'custom-sql', connectionId: 'c-1', definition: 'select 1', customSqlId: 'sql-1' },
    ];
    for (const sample of samples) {
      assert.ok(validate(sample), `${sample.type}: ${JSON.stringify(validate.errors)}`);
    }
    assert.equal(validate({ inodeId: 'in-2' }), false);
    assert.equal(validate({ type: 'folder', inodeId: 'in-2' }), false);
  });

  test('merged schedule entry of /v2/members/{memberId}/schedules carries both workbookId and reportId, neither required', () => {
    const entry = schemaOf(operations.get('/v2/members/{memberId}/schedules'), 'entry');
    assert.ok(isJsonObject(entry.properties) && Array.isArray(entry.required));
    assert.ok('workbookId' in entry.properties && 'reportId' in entry.properties);
    assert.ok(!entry.required.includes('workbookId') && !entry.required.includes('reportId'));
    assert.ok(entry.required.includes('scheduledNotificationId'));
  });

  test('api-credentials entries declare no secret-like property, while the official response does', () => {
    const secretPaths = [...operations.keys()].filter(isSecretBearingPath);
    assert.deepEqual(secretPaths, ['/v2/api-credentials', '/v2/api-credentials/{apiCredentialId}']);
    for (const path of secretPaths) {
      for (const schema of walkSchemas(schemaOf(operations.get(path), 'entry'))) {
        const names = isJsonObject(schema.properties) ? Object.keys(schema.properties) : [];
        assert.deepEqual(names.filter((n) => SECRET_PROPERTY.test(n)), [], `${path} declares a secret-like property`);
      }
    }
    const official = schemaOf(responses.get('/v2/api-credentials/{apiCredentialId}'), 'response');
    assert.ok(isJsonObject(official.properties) && 'credential' in official.properties);
  });

  test('committed files equal a fresh generation from the OpenAPI document', { skip: REGENERATION_SKIPPED }, () => {
    assert.ok(existsSync(OPENAPI_FILE), `SIGMA_OPENAPI names ${OPENAPI_FILE}, which does not exist`);
    const fresh = generateSchemaFiles(toOpenApiDocument(JSON.parse(readFileSync(OPENAPI_FILE, 'utf8'))));
    assert.deepEqual(fresh.getOperations, readJsonObject(resolve(PROJECT_ROOT, GET_OPERATIONS_FILE)), `${GET_OPERATIONS_FILE} is stale: run npm run generate-schemas`);
    assert.deepEqual(fresh.getResponses, readJsonObject(resolve(PROJECT_ROOT, GET_RESPONSES_FILE)), `${GET_RESPONSES_FILE} is stale: run npm run generate-schemas`);
  });
});
