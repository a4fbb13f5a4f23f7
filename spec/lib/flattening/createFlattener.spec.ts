import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InputError } from '../../../lib/errors.js';
import { MAX_FLATTENING_DEPTH, createFlattener } from '../../../lib/flattening/createFlattener.js';
import type { JsonSchema } from '../../../lib/streams/streamDefinition.js';

// The example of the SDK's flatten_schema docstring: foo.bar.baz.qux.
const nested = (type: string | string[]): JsonSchema => ({
  type: 'object',
  properties: {
    id: { type: 'string' },
    foo: { type, properties: { bar: { type, properties: { baz: { type, properties: { qux: { type: 'string' } } } } } } },
  },
});
const record = { id: 'x', foo: { bar: { baz: { qux: 'deep' } } } };

describe('createFlattener: SCHEMA (the SDK flatten_schema examples)', () => {
  test('depth 0 leaves the schema and the record alone', () => {
    const flattener = createFlattener(nested('object'), 0);
    assert.deepEqual(flattener.schema, nested('object'));
    assert.equal(flattener.flatten(record), record);
  });

  test('depth 1, 2 and 3: one more level becomes columns, the rest one JSON string', () => {
    assert.deepEqual(createFlattener(nested('object'), 1).schema, { type: 'object', properties: { id: { type: 'string' }, foo__bar: { type: 'string' } } });
    assert.deepEqual(createFlattener(nested('object'), 2).schema, { type: 'object', properties: { id: { type: 'string' }, foo__bar__baz: { type: 'string' } } });
    assert.deepEqual(createFlattener(nested('object'), 3).schema, { type: 'object', properties: { id: { type: 'string' }, foo__bar__baz__qux: { type: 'string' } } });
  });

  test('a nullable object flattens to a nullable JSON string', () => {
    assert.deepEqual(createFlattener(nested(['object', 'null']), 1).schema.properties, { id: { type: 'string' }, foo__bar: { type: ['string', 'null'] } });
    assert.deepEqual(createFlattener(nested(['object', 'null']), 2).schema.properties, { id: { type: 'string' }, foo__bar__baz: { type: ['string', 'null'] } });
  });

  test('arrays are JSON strings; typeless properties nullable strings (SDK #1886)', () => {
    const schema: JsonSchema = { type: 'object', properties: { id: { type: 'string' }, changes: { type: 'object', properties: { field: { type: 'string' }, OldValue: {}, list: { type: ['array', 'null'], items: { type: 'integer' } } } } } };
    assert.deepEqual(createFlattener(schema, 1).schema.properties, { id: { type: 'string' }, changes__field: { type: 'string' }, changes__OldValue: { type: ['null', 'string'] }, changes__list: { type: ['string', 'null'] } });
  });

  test('anyOf/oneOf stay as they are unless a branch is an object or an array, which makes a JSON string', () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: {
        name: { oneOf: [{ type: 'string' }, { type: 'object', properties: { first: { type: 'string' } } }] },
        id: { oneOf: [{ type: 'integer' }, { type: 'string', format: 'uuid' }] },
        mixed: { anyOf: [{ type: 'integer' }, { type: 'array' }] },
      },
    };
    assert.deepEqual(createFlattener(schema, 1).schema.properties, {
      name: { type: ['string', 'null'] },
      id: { oneOf: [{ type: 'integer' }, { type: 'string', format: 'uuid' }] },
      mixed: { type: ['string', 'integer', 'null'] },
    });
  });

  test('required keeps the columns that still exist; other keywords stay', () => {
    const schema: JsonSchema = { type: 'object', $schema: 'x', required: ['id', 'foo'], properties: nested('object').properties! };
    assert.deepEqual(createFlattener(schema, 1).schema, { type: 'object', $schema: 'x', required: ['id'], properties: { id: { type: 'string' }, foo__bar: { type: 'string' } } });
  });

  test('two properties that flatten to one column are a config error naming the stream', () => {
    const schema: JsonSchema = { type: 'object', properties: { a__b: { type: 'string' }, a: { type: 'object', properties: { b: { type: 'string' } } } } };
    assert.throws(() => createFlattener(schema, 1, { stream: 'things' }), (error: unknown) => error instanceof InputError && error.message === "flattening stream 'things' would produce the column 'a__b' twice; rename one of the properties with stream_maps");
  });

  test('long column names are abbreviated as the SDK does, and the record follows', () => {
    const long = 'a'.repeat(20);
    const schema: JsonSchema = { type: 'object', properties: { [long]: { type: 'object', properties: { [long]: { type: 'string' } } } } };
    const flattener = createFlattener(schema, 1, { maxKeyLength: 30 });
    const [column] = Object.keys(flattener.schema.properties!);
    assert.equal(column, `aaa__${long}`);
    assert.deepEqual(flattener.flatten({ [long]: { [long]: 'v' } }), { [column!]: 'v' });
  });

  test('a custom separator', () => {
    assert.deepEqual(Object.keys(createFlattener(nested('object'), 3, { separator: '.' }).schema.properties!), ['id', 'foo.bar.baz.qux']);
  });
});

describe('createFlattener: RECORDs (the SDK flatten_record cases)', () => {
  const schema: JsonSchema = {
    type: 'object',
    properties: {
      key_1: { type: ['null', 'integer'] },
      key_2: { type: 'object', properties: { key_3: { type: ['null', 'string'] }, key_4: { type: 'object', properties: { key_5: { type: ['null', 'integer'] }, key_6: { type: ['null', 'array'] } } } } },
    },
  };
  const input = { key_1: 1, key_2: { key_3: 'value', key_4: { key_5: 1, key_6: ['a', 'b'] } } };

  test('down to the depth, then compact JSON', () => {
    assert.deepEqual(createFlattener(schema, 1).flatten(input), { key_1: 1, key_2__key_3: 'value', key_2__key_4: '{"key_5":1,"key_6":["a","b"]}' });
    assert.deepEqual(createFlattener(schema, 99).flatten(input), { key_1: 1, key_2__key_3: 'value', key_2__key_4__key_5: 1, key_2__key_4__key_6: '["a","b"]' });
  });

  test('typeless values: objects become JSON, scalars stay (SDK #1886)', () => {
    const typeless: JsonSchema = { type: 'object', properties: { changes: { type: 'object', properties: { OldValue: {}, NewValue: {} } } } };
    assert.deepEqual(createFlattener(typeless, 1).flatten({ changes: { OldValue: { nested: 'object', with: ['array', 'values'] }, NewValue: 'simple string' } }), {
      changes__OldValue: '{"nested":"object","with":["array","values"]}',
      changes__NewValue: 'simple string',
    });
  });

  test('non-ASCII text inside JSON columns is escaped as the SDK’s simplejson writes it', () => {
    assert.deepEqual(createFlattener(schema, 1).flatten({ key_2: { key_4: { name: 'Zoë 🚀' } } }), { key_2__key_4: '{"name":"Zo\\u00eb \\ud83d\\ude80"}' });
  });

  test('like the SDK, a null object stays one column, and an object the schema does not know is flattened', () => {
    assert.deepEqual(createFlattener(schema, 2).flatten({ key_1: 1, key_2: null, extra: { a: 1, b: { c: 2 } } }), { key_1: 1, key_2: null, extra__a: 1, extra__b__c: 2 });
  });

  test('everyColumn: every column of the schema, in its order, null where the record has nothing (a null object too)', () => {
    const flattener = createFlattener(schema, 2, { everyColumn: true });
    assert.deepEqual(Object.entries(flattener.flatten({ key_2: null, key_1: 1, extra: { a: 1 } })), [
      ['key_1', 1],
      ['key_2__key_3', null],
      ['key_2__key_4__key_5', null],
      ['key_2__key_4__key_6', null],
      ['extra__a', 1],
    ]);
    assert.deepEqual(Object.keys(flattener.flatten({ key_2: { key_4: { key_6: [] } } })), Object.keys(flattener.schema.properties!));
  });

  test('everyColumn: a column allows null unless every record has a value for it', () => {
    const owner: JsonSchema = { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } }, required: ['id'] };
    const flattened = createFlattener({ type: 'object', properties: { owner, maybeOwner: { ...owner, type: ['object', 'null'] } } }, 1, { everyColumn: true }).schema.properties;
    assert.deepEqual(flattened, {
      owner__id: { type: 'string' },
      owner__name: { type: ['string', 'null'] },
      maybeOwner__id: { type: ['string', 'null'] },
      maybeOwner__name: { type: ['string', 'null'] },
    });
  });

  test('key properties and other top-level scalars keep their names and values', () => {
    const flattener = createFlattener({ type: 'object', properties: { workbookId: { type: 'string' }, updatedAt: { type: 'string', format: 'date-time' }, owner: { type: 'object', properties: { id: { type: 'string' } } } } }, 1);
    assert.deepEqual(flattener.flatten({ workbookId: 'w', updatedAt: 't', owner: { id: 'o' } }), { workbookId: 'w', updatedAt: 't', owner__id: 'o' });
  });

  test('a "__proto__" key in the data stays a plain column', () => {
    const flat = createFlattener(schema, 1).flatten(JSON.parse('{"__proto__": 5, "key_1": 1}'));
    assert.equal(Object.getPrototypeOf(flat), Object.prototype);
    assert.deepEqual(Object.keys(flat), ['__proto__', 'key_1']);
  });

  test('the input record is not changed', () => {
    const copy = structuredClone(input);
    createFlattener(schema, 2).flatten(input);
    assert.deepEqual(input, copy);
  });
});

describe('createFlattener: deep input never overflows the stack', () => {
  const deep = (levels: number, leaf: unknown): unknown => {
    let value = leaf;
    for (let i = 0; i < levels; i += 1) value = { n: value };
    return value;
  };

  test('a value far deeper than the depth becomes one JSON string, even past JSON.stringify’s own limit', () => {
    const levels = 200_000;
    const flat = createFlattener({ type: 'object', properties: { payload: { type: 'object', properties: { n: { type: 'object' } } } } }, 1).flatten({ payload: deep(levels, [1]) as Record<string, unknown> });
    assert.equal(flat['payload__n'], '{"n":'.repeat(levels - 1) + '[1]' + '}'.repeat(levels - 1));
  });

  test('a huge flattening_max_depth recurses at most MAX_FLATTENING_DEPTH levels into unknown objects', () => {
    const flat = createFlattener({ type: 'object', properties: {} }, Number.MAX_SAFE_INTEGER).flatten({ x: deep(50_000, 'leaf') as Record<string, unknown> });
    const [column] = Object.keys(flat);
    assert.equal(column!.split('__').length, MAX_FLATTENING_DEPTH + 1);
    assert.equal(typeof flat[column!], 'string');
  });
});
