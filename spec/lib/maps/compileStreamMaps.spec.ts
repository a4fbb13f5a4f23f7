import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { InputError } from '../../../lib/errors.js';
import { compileStreamMaps, type StreamMapOptions } from '../../../lib/maps/compileStreamMaps.js';
import { MapEvaluationError } from '../../../lib/maps/mapEvaluationError.js';
import type { MappedStream, StreamShape } from '../../../lib/maps/mappedStream.js';
import type { JsonSchema, SigmaRecord } from '../../../lib/streams/streamDefinition.js';

const md5 = (text: string): string => createHash('md5').update(text).digest('hex');
const str = { type: ['string', 'null'] };
const props = (properties: Record<string, JsonSchema>, extra: Partial<JsonSchema> = {}): JsonSchema => ({ type: 'object', properties, ...extra });

// The SDK documentation's `customers` stream.
const customers: StreamShape = {
  name: 'customers',
  schema: props(
    { customer_id: { type: 'string' }, email: str, full_name: str, owner_email: str, updated_at: { type: 'string', format: 'date-time' } },
    { required: ['customer_id', 'updated_at'] },
  ),
  keyProperties: ['customer_id'],
  replicationKey: 'updated_at',
};
const customer: SigmaRecord = { customer_id: 'c1', email: 'Jane@Example.com', full_name: 'Jane Carter', owner_email: 'owner@corp.example', updated_at: '2024-01-01T00:00:00Z' };
const addresses: StreamShape = { name: 'addresses', schema: props({ id: { type: 'integer' }, city: str }), keyProperties: ['id'] };

// The SDK's tests/core/test_mapper.py sample streams (sample_catalog_dict / sample_stream).
const repositories: StreamShape = { name: 'repositories', schema: props({ name: str, owner_email: str, description: str, create_date: str }), keyProperties: [] };
const foobars: StreamShape = { name: 'foobars', schema: props({ the: str, brown: str }), keyProperties: [] };
const singular: StreamShape = { name: 'singular', schema: props({ foo: str }), keyProperties: [] };
const jellybeanSchema = props({
  id: { type: ['integer', 'null'] },
  custom_fields: { type: ['array', 'null'], items: { type: 'object', properties: { id: { type: ['integer', 'null'] }, value: { anyOf: [{ type: 'string' }, { type: 'integer' }, { type: 'boolean' }] } } } },
});
const nestedJellybean: StreamShape = { name: 'nested_jellybean', schema: jellybeanSchema, keyProperties: [] };
const SAMPLE: Record<string, SigmaRecord[]> = {
  repositories: [
    { name: 'tap-something', owner_email: 'sample1@example.com', description: 'Comment A', create_date: '2019-01-01' },
    { name: 'my-tap-something', owner_email: 'sample2@example.com', description: 'Comment B', create_date: '2020-01-01' },
    { name: 'target-something', owner_email: 'sample3@example.com', description: 'Comment C', create_date: '2021-01-01' },
    { name: 'not-atap', owner_email: 'sample4@example.com', description: 'Comment D', create_date: '2022-01-01' },
  ],
  foobars: [{ the: 'quick' }, { brown: 'fox' }],
  singular: [{ foo: 'bar' }],
  nested_jellybean: [
    { id: 123, custom_fields: [{ id: 1, value: 'abc' }, { id: 2, value: 1212 }, { id: 3, value: null }] },
    { id: 124, custom_fields: [{ id: 1, value: 'foo' }, { id: 2, value: 9009 }, { id: 3, value: true }] },
  ],
};
const SAMPLE_STREAMS = [repositories, foobars, singular, nestedJellybean];

/** What a run emits, stream by stream: the SCHEMA's fields and the records that pass. */
function run(streams: readonly StreamShape[], options: StreamMapOptions, records: Record<string, readonly SigmaRecord[]>): Record<string, { schema: JsonSchema; keys: readonly string[]; records: SigmaRecord[] }> {
  const mapper = compileStreamMaps(streams, options);
  const emitted: Record<string, { schema: JsonSchema; keys: readonly string[]; records: SigmaRecord[] }> = {};
  for (const stream of streams) {
    for (const output of mapper.outputsOf(stream.name)) {
      emitted[output.name] = { schema: output.schema, keys: output.keyProperties, records: (records[stream.name] ?? []).map(output.map).filter((r): r is SigmaRecord => r !== undefined) };
    }
  }
  return emitted;
}

const only = (streams: readonly StreamShape[], options: StreamMapOptions, name = streams[0]!.name): MappedStream => {
  const outputs = compileStreamMaps(streams, options).outputsOf(name);
  assert.equal(outputs.length, 1);
  return outputs[0]!;
};

function assertConfigError(run: () => unknown, message: string | RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof InputError, `expected an InputError, got ${String(error)}`);
    assert.doesNotMatch(error.message, /\n/);
    if (typeof message === 'string') assert.equal(error.message, message);
    else assert.match(error.message, message);
    return true;
  });
}

describe('compileStreamMaps: no maps', () => {
  test('every stream is emitted as it is, and map returns the record itself', () => {
    const output = only([customers], {});
    assert.deepEqual({ ...output, map: undefined }, { name: 'customers', source: 'customers', schema: customers.schema, keyProperties: ['customer_id'], replicationKey: 'updated_at', map: undefined });
    assert.equal(output.map(customer), customer);
    assert.equal(compileStreamMaps([customers]).childFilterOf('customers'), undefined);
  });
});

describe('compileStreamMaps: the SDK documentation examples', () => {
  const streamMapConfig = { hash_seed: '01AWZh7A6DzGm6iJZZ2T' };

  test('PII: remove email, add the email domain and a seeded hash', () => {
    const output = only([customers], {
      streamMaps: { customers: { email: null, email_domain: "owner_email.split('@')[-1]", email_hash: "md5(config['hash_seed'] + owner_email)" } },
      streamMapConfig,
    });
    assert.deepEqual(output.map(customer), { customer_id: 'c1', full_name: 'Jane Carter', owner_email: 'owner@corp.example', updated_at: '2024-01-01T00:00:00Z', email_domain: 'corp.example', email_hash: md5('01AWZh7A6DzGm6iJZZ2T' + 'owner@corp.example') });
    assert.deepEqual(Object.keys(output.schema.properties ?? {}), ['customer_id', 'full_name', 'owner_email', 'updated_at', 'email_domain', 'email_hash']);
    assert.deepEqual(output.schema.properties?.['email_hash'], str);
  });

  test('remove a property with null or "__NULL__": it leaves the SCHEMA and its required list', () => {
    for (const removal of [null, '__NULL__']) {
      const output = only([customers], { streamMaps: { customers: { updated_at: removal } } });
      assert.equal(output.schema.properties?.['updated_at'], undefined);
      assert.deepEqual(output.schema.required, ['customer_id']);
      assert.equal(output.replicationKey, undefined, 'the replication key left the schema, so SCHEMA does not name it');
      assert.deepEqual(Object.keys(output.map(customer)!), ['customer_id', 'email', 'full_name', 'owner_email']);
    }
  });

  test('remove a stream with null: nothing is emitted for it', () => {
    const mapper = compileStreamMaps([customers, addresses], { streamMaps: { addresses: null } });
    assert.deepEqual(mapper.outputsOf('addresses'), []);
    assert.equal(mapper.outputsOf('customers').length, 1);
  });

  test('"__else__": null at the top keeps only the mapped streams', () => {
    const mapper = compileStreamMaps([customers, addresses], { streamMaps: { customers: {}, __else__: null } });
    assert.deepEqual(mapper.outputsOf('addresses'), []);
    assert.deepEqual(mapper.outputsOf('customers')[0]!.map(customer), customer);
  });

  test('"__else__": null in a map keeps only the mapped properties', () => {
    const output = only([customers], { streamMaps: { customers: { customer_id: 'customer_id', __else__: null } } });
    assert.deepEqual(output.map(customer), { customer_id: 'c1' });
    assert.deepEqual(output.schema, { type: 'object', properties: { customer_id: { type: ['string', 'null'] } } });
  });

  test('"__else__": null keeps the key properties, as the documentation says', () => {
    const output = only([customers], { streamMaps: { customers: { email_hash: 'md5(email)', __else__: '__NULL__' } } });
    assert.deepEqual(output.map(customer), { customer_id: 'c1', email_hash: md5('Jane@Example.com') });
    assert.deepEqual(output.schema, { type: 'object', properties: { customer_id: { type: 'string' }, email_hash: str }, required: ['customer_id'] });
    assert.deepEqual(output.keyProperties, ['customer_id']);
  });

  test('__key_properties__ overrides the key: drop customer_id, key on its hash', () => {
    const output = only([customers], { streamMaps: { customers: { customer_id: null, customer_id_hashed: 'md5(customer_id)', __key_properties__: ['customer_id_hashed'] } } });
    assert.deepEqual(output.keyProperties, ['customer_id_hashed']);
    assert.deepEqual(output.map(customer), { email: 'Jane@Example.com', full_name: 'Jane Carter', owner_email: 'owner@corp.example', updated_at: '2024-01-01T00:00:00Z', customer_id_hashed: md5('c1') });
    assert.deepEqual(output.schema.required, ['updated_at']);
  });

  test('__key_properties__ null or [] means no key (SCHEMA gets [], not a missing field)', () => {
    for (const none of [null, []]) assert.deepEqual(only([customers], { streamMaps: { customers: { __key_properties__: none } } }).keyProperties, []);
  });

  test('a string literal needs its own quotes', () => {
    const output = only([customers], { streamMaps: { customers: { a_new_field: '"client-123"' } } });
    assert.equal(output.map(customer)!['a_new_field'], 'client-123');
    assert.deepEqual(output.schema.properties?.['a_new_field'], str);
  });

  test('__alias__ renames the stream; the source stays the input stream (state keeps its name)', () => {
    const output = only([customers], { streamMaps: { customers: { __alias__: 'customers_v2' } } });
    assert.equal(output.name, 'customers_v2');
    assert.equal(output.source, 'customers');
    assert.deepEqual(output.map(customer), customer);
  });

  test('__source__ splits a stream: customers without PII, customers_pii with only PII and the key', () => {
    const result = run([customers], {
      streamMaps: {
        customers: { email: null, full_name: null },
        customers_pii: { __source__: 'customers', customer_id: 'customer_id', email: 'email', full_name: 'full_name', __else__: null },
      },
    }, { customers: [customer] });
    assert.deepEqual(Object.keys(result), ['customers', 'customers_pii']);
    assert.deepEqual(result['customers']!.records, [{ customer_id: 'c1', owner_email: 'owner@corp.example', updated_at: '2024-01-01T00:00:00Z' }]);
    assert.deepEqual(result['customers_pii']!.records, [{ customer_id: 'c1', email: 'Jane@Example.com', full_name: 'Jane Carter' }]);
    assert.deepEqual(result['customers_pii']!.schema.properties, { customer_id: { type: ['string', 'null'] }, email: str, full_name: str });
    assert.deepEqual(result['customers_pii']!.keys, ['customer_id']);
  });

  test('__filter__ keeps the records for which it is true', () => {
    const people = [customer, { ...customer, customer_id: 'c2', email: 'bob@example.com' }];
    const result = run([customers], { streamMaps: { customers: { __filter__: "email.endswith('@example.com')" } } }, { customers: people });
    assert.deepEqual(result['customers']!.records.map((r) => r['customer_id']), ['c2']);
  });

  test('aliasing a property: copy it, then remove the original', () => {
    const output = only([customers], { streamMaps: { customers: { new_field: 'owner_email', owner_email: '__NULL__' } } });
    assert.equal(output.map(customer)!['new_field'], 'owner@corp.example');
    assert.equal(output.map(customer)!['owner_email'], undefined);
    assert.deepEqual(output.schema.properties?.['new_field'], str);
  });

  test('a glob applies one map to several streams, and aliases them with __stream_name__', () => {
    const people: StreamShape = { name: 'people', schema: props({ first_name: str }), keyProperties: [] };
    const result = run([people, { ...people, name: 'staff' }], { streamMaps: { '*': { name: 'first_name', first_name: '__NULL__', __alias__: "__stream_name__ + '_v2'" } } }, { people: [{ first_name: 'Ann' }], staff: [{ first_name: 'Bo' }] });
    assert.deepEqual(result, {
      people_v2: { schema: props({ name: str }), keys: [], records: [{ name: 'Ann' }] },
      staff_v2: { schema: props({ name: str }), keys: [], records: [{ name: 'Bo' }] },
    });
  });
});

describe('compileStreamMaps: the SDK test suite (tests/core/test_mapper.py)', () => {
  test('map transforms: repositories keeps only mapped fields; nested_jellybean reads custom_fields', () => {
    const customField = (id: number): string => `dict([(x["id"], x["value"]) for x in custom_fields]).get(${id})`;
    const result = run(SAMPLE_STREAMS, {
      streamMaps: {
        repositories: { repo_name: "_['name']", email_domain: "owner_email.split('@')[1]", email_hash: "md5(config['hash_seed'] + owner_email)", description: "'[masked]'", description2: "str('[masked]')", int_test: "int('0')", __else__: null },
        nested_jellybean: { custom_fields: '__NULL__', custom_field_1: customField(1), custom_field_2: `int(${customField(2)}) if ${customField(2)} else None`, custom_field_3: `bool(${customField(3)}) if ${customField(3)} else None` },
      },
      streamMapConfig: { hash_seed: 'super_secret_hash_seed' },
    }, SAMPLE);
    assert.deepEqual(result['repositories']!.records[0], { repo_name: 'tap-something', email_domain: 'example.com', email_hash: md5('super_secret_hash_seed' + 'sample1@example.com'), description: '[masked]', description2: '[masked]', int_test: 0 });
    assert.deepEqual(result['repositories']!.schema.properties, { repo_name: str, email_domain: str, email_hash: str, description: str, description2: str, int_test: { type: ['integer', 'null'] } });
    assert.deepEqual(result['nested_jellybean']!.records, [
      { id: 123, custom_field_1: 'abc', custom_field_2: 1212, custom_field_3: null },
      { id: 124, custom_field_1: 'foo', custom_field_2: 9009, custom_field_3: true },
    ]);
    // custom_field_1 is a dict .get(): its type cannot be read, so it is permissive where the SDK says string.
    assert.deepEqual(result['nested_jellybean']!.schema.properties, { id: { type: ['integer', 'null'] }, custom_field_1: {}, custom_field_2: { type: ['integer', 'null'] }, custom_field_3: { type: ['boolean', 'null'] } });
    assert.deepEqual(result['foobars']!.records, SAMPLE['foobars']);
    assert.deepEqual(result['singular']!.records, SAMPLE['singular']);
  });

  test('clone and alias: one alias and two __source__ clones, everything else dropped', () => {
    const result = run(SAMPLE_STREAMS, { streamMaps: { repositories: { __alias__: 'repositories_aliased' }, repositories_clone_1: { __source__: 'repositories' }, repositories_clone_2: { __source__: 'repositories' }, __else__: null } }, SAMPLE);
    assert.deepEqual(Object.keys(result), ['repositories_aliased', 'repositories_clone_1', 'repositories_clone_2']);
    for (const output of Object.values(result)) {
      assert.deepEqual(output.records, SAMPLE['repositories']);
      assert.deepEqual(output.schema, repositories.schema);
    }
  });

  test('filter: "\'tap-\' in name or \'target-\' in name" with only name kept', () => {
    const result = run(SAMPLE_STREAMS, { streamMaps: { repositories: { __filter__: "'tap-' in name or 'target-' in name", name: "_['name']", __else__: null }, __else__: null } }, SAMPLE);
    assert.deepEqual(result, { repositories: { schema: props({ name: str }), keys: [], records: [{ name: 'tap-something' }, { name: 'my-tap-something' }, { name: 'target-something' }] } });
  });

  test('filter with a syntax error fails at start-up, in one line', () => {
    assertConfigError(
      () => compileStreamMaps(SAMPLE_STREAMS, { streamMaps: { repositories: { __filter__: 'this should raise an er!ror' } } }),
      'config: stream_maps.repositories.__filter__: unexpected character \'!\' in "this should raise an er!ror" (at character 24)',
    );
  });

  test('wildcard "*s": db_name added to repositories and foobars, the others untouched', () => {
    const result = run(SAMPLE_STREAMS, { streamMaps: { '*s': { db_name: "'database'" } } }, SAMPLE);
    assert.deepEqual(result['foobars']!.records, [{ the: 'quick', db_name: 'database' }, { brown: 'fox', db_name: 'database' }]);
    assert.deepEqual(result['foobars']!.schema.properties, { the: str, brown: str, db_name: str });
    assert.deepEqual(result['singular']!.records, SAMPLE['singular']);
    assert.deepEqual(result['nested_jellybean']!.schema, jellybeanSchema);
  });
});

// The SDK's MappedStream fixture (tests/core/test_mapper.py), as its snapshots show it.
const mystreamSchema: JsonSchema = {
  properties: {
    email: { type: ['string'] },
    count: { type: ['integer', 'null'] },
    user: {
      properties: {
        id: { type: ['integer', 'null'] },
        sub: { properties: { num: { type: ['integer', 'null'] }, custom_obj: { type: ['string', 'null'] } }, type: ['object', 'null'], additionalProperties: true },
        some_numbers: { items: { type: ['number'] }, type: ['array', 'null'] },
      },
      type: ['object', 'null'],
      additionalProperties: true,
    },
    joined_at: { format: 'date-time', type: ['string', 'null'] },
  },
  type: 'object',
  required: ['email'],
  $schema: 'https://json-schema.org/draft/2020-12/schema',
};
const mystream: StreamShape = { name: 'mystream', schema: mystreamSchema, keyProperties: [] };
const alice: SigmaRecord = { email: 'alice@example.com', count: 21, user: { id: 1, sub: { num: 1, custom_obj: 'obj-hello' }, some_numbers: [3.14, 2.718] }, joined_at: '2022-01-01T00:00:00Z' };
const bob: SigmaRecord = { email: 'bob@example.com', count: 13, user: { id: 2, sub: { num: 2, custom_obj: 'obj-world' }, some_numbers: [10.32, 1.618] }, joined_at: '2022-01-01T00:00:00Z' };

describe('compileStreamMaps: the SDK snapshots (tests/snapshots/mapped_stream)', () => {
  test('only_mapped_fields: md5, sha256 and int() with __else__', () => {
    const output = only([mystream], { streamMaps: { mystream: { email_hash: 'md5(email)', email_hash_sha256: 'sha256(email)', fixed_count: 'int(count-1)', __else__: null } } });
    assert.deepEqual(output.schema, { type: 'object', properties: { email_hash: str, email_hash_sha256: str, fixed_count: { type: ['integer', 'null'] } }, $schema: 'https://json-schema.org/draft/2020-12/schema' });
    assert.deepEqual(output.map(alice), { email_hash: 'c160f8cc69a4f0bf2b0362752353d060', email_hash_sha256: 'ff8d9819fc0e12bf0d24892e45987e249a28dce836a85cad60e28eaaa8c6d976', fixed_count: 20 });
  });

  test('changed_key_properties: the hash becomes the key', () => {
    const output = only([mystream], { streamMaps: { mystream: { email_hash: 'md5(email)', __key_properties__: ['email_hash'], __else__: null } } });
    assert.deepEqual(output.keyProperties, ['email_hash']);
    assert.deepEqual(output.map(bob), { email_hash: '4b9bb80620f03eb3719e0a061c14283d' });
  });

  test('sourced_stream_1: the original dropped, its copy emitted', () => {
    const mapper = compileStreamMaps([mystream], { streamMaps: { mystream: null, sourced_stream_1: { __source__: 'mystream' } } });
    assert.deepEqual(mapper.outputsOf('mystream').map((o) => [o.name, o.map(alice)]), [['sourced_stream_1', alice]]);
  });

  test('aliases: plain, not an expression, quoted, and built from __stream_name__', () => {
    const aliasOf = (alias: string): string => only([mystream], { streamMaps: { mystream: { __alias__: alias } } }).name;
    assert.equal(aliasOf('aliased_stream'), 'aliased_stream');
    assert.equal(aliasOf('aliased.stream'), 'aliased.stream');
    assert.equal(aliasOf("'__stream_name__'"), '__stream_name__');
    assert.equal(aliasOf("'aliased_' + __stream_name__"), 'aliased_mystream');
    assert.equal(aliasOf('__stream_name__.upper()'), 'MYSTREAM');
  });

  test('builtin variables: __stream_name__ is the alias, __original_stream_name__ the input', () => {
    const output = only([mystream], { streamMaps: { mystream: { __alias__: "'aliased'", stream_name: '__stream_name__', original_stream_name: '__original_stream_name__' } } });
    assert.deepEqual(output.map(alice), { ...alice, stream_name: 'aliased', original_stream_name: 'mystream' });
  });

  test('builtin_variable_self and _underscore', () => {
    for (const expression of ['self.upper()', "_['email'].upper()"]) {
      const output = only([mystream], { streamMaps: { mystream: { email: expression, __else__: null } } });
      assert.deepEqual(output.map(alice), { email: 'ALICE@EXAMPLE.COM' });
      assert.deepEqual(output.schema.properties, { email: str });
    }
  });

  test('non_pk_passthrough keeps the property type; record_to_column nests the whole record', () => {
    assert.deepEqual(only([mystream], { streamMaps: { mystream: { count: 'count', __else__: null } } }).schema.properties, { count: { type: ['integer', 'null'] } });
    const output = only([mystream], { streamMaps: { mystream: { _data: 'record', __else__: null } } });
    assert.deepEqual(output.map(alice), { _data: alice });
    assert.deepEqual(output.schema.properties?.['_data'], { ...mystreamSchema, type: ['object', 'null'] });
  });

  test('json_dumps: a Python json.dumps string, typed string', () => {
    const output = only([mystream], { streamMaps: { mystream: { user: 'json.dumps(user, default=str)' } } });
    assert.equal(output.map(alice)!['user'], '{"id": 1, "sub": {"num": 1, "custom_obj": "obj-hello"}, "some_numbers": [3.14, 2.718]}');
    assert.deepEqual(output.schema.properties?.['user'], str);
  });

  test('filter_records: count < 20, also cast with bool()', () => {
    for (const filter of ['count < 20', 'bool(count < 20)']) {
      const output = only([mystream], { streamMaps: { mystream: { __filter__: filter } } });
      assert.deepEqual([alice, bob].map(output.map), [undefined, bob]);
    }
  });

  test('flatten_depth_1, flatten_all (depth 2) and map_and_flatten', () => {
    const depth1 = only([mystream], { flattening: { maxDepth: 1, separator: '__', maxKeyLength: 255 } });
    assert.deepEqual(depth1.map(alice), { email: 'alice@example.com', count: 21, user__id: 1, user__sub: '{"num":1,"custom_obj":"obj-hello"}', user__some_numbers: '[3.14,2.718]', joined_at: '2022-01-01T00:00:00Z' });
    assert.deepEqual(depth1.schema.properties, { email: { type: ['string'] }, count: { type: ['integer', 'null'] }, user__id: { type: ['integer', 'null'] }, user__sub: str, user__some_numbers: str, joined_at: { format: 'date-time', type: ['string', 'null'] } });
    const all = only([mystream], { flattening: { maxDepth: 2, separator: '.', maxKeyLength: 255 } });
    assert.deepEqual(all.map(bob), { email: 'bob@example.com', count: 13, 'user.id': 2, 'user.sub.num': 2, 'user.sub.custom_obj': 'obj-world', 'user.some_numbers': '[10.32,1.618]', joined_at: '2022-01-01T00:00:00Z' });
    const mapped = only([mystream], { streamMaps: { mystream: { email_hash: 'md5(email)', __key_properties__: ['email_hash'] } }, flattening: { maxDepth: 10, separator: '__', maxKeyLength: 255 } });
    assert.deepEqual(mapped.keyProperties, ['email_hash']);
    assert.deepEqual(Object.keys(mapped.map(alice)!), ['email', 'count', 'user__id', 'user__sub__num', 'user__sub__custom_obj', 'user__some_numbers', 'joined_at', 'email_hash']);
    assert.deepEqual(mapped.schema.required, ['email']);
  });
});

describe('compileStreamMaps: SCHEMA of computed properties', () => {
  const typeOf = (expression: string, name = 'computed'): JsonSchema | undefined => only([mystream], { streamMaps: { mystream: { [name]: expression } } }).schema.properties?.[name];

  test('casts and hashes, as the SDK reads them', () => {
    assert.deepEqual(typeOf('str(count)'), str);
    assert.deepEqual(typeOf("int('7')"), { type: ['integer', 'null'] });
    assert.deepEqual(typeOf('float(count)'), { type: ['number', 'null'] });
    assert.deepEqual(typeOf('bool(count)'), { type: ['boolean', 'null'] });
    assert.deepEqual(typeOf('sha256(email)'), str);
    assert.deepEqual(typeOf("json.dumps(user)"), str);
  });

  test('beyond the SDK’s text rules: comparisons, string methods, arithmetic on typed properties', () => {
    assert.deepEqual(typeOf('count >= 20 and email is not None'), { type: ['boolean', 'null'] });
    assert.deepEqual(typeOf('email.lower()'), str);
    assert.deepEqual(typeOf("email.split('@')"), { type: ['array', 'null'], items: { type: 'string' } });
    assert.deepEqual(typeOf('count * 2 + 1'), { type: ['integer', 'null'] });
    assert.deepEqual(typeOf('count / 2'), { type: ['number', 'null'] });
    assert.deepEqual(typeOf("'big' if count > 20 else None"), str);
  });

  test('an unreadable type keeps an overwritten property’s schema, and is permissive for a new one', () => {
    assert.deepEqual(typeOf("config.get('x')", 'count'), { type: ['integer', 'null'] });
    assert.deepEqual(typeOf("config.get('x')"), {});
  });
});

describe('compileStreamMaps: records and parents', () => {
  test('the input record is never changed, and a "__proto__" key in the data stays a plain property', () => {
    const output = only([customers], { streamMaps: { customers: { email: null, hash: 'md5(customer_id)' } } });
    const record = JSON.parse('{"customer_id":"c1","email":"x","__proto__":{"polluted":true}}') as SigmaRecord;
    const frozen = JSON.stringify(record);
    const mapped = output.map(record)!;
    assert.equal(JSON.stringify(record), frozen);
    assert.equal(Object.getPrototypeOf(mapped), Object.prototype);
    assert.deepEqual(Object.keys(mapped), ['customer_id', '__proto__', 'hash']);
    assert.equal(JSON.stringify(mapped), `{"customer_id":"c1","__proto__":{"polluted":true},"hash":"${md5('c1')}"}`);
  });

  test('the primary map’s filter decides which parents’ children sync; copies and dropped streams do not', () => {
    const filtered = compileStreamMaps([customers], { streamMaps: { customers: { __filter__: "customer_id == 'c1'" } } });
    const passes = filtered.childFilterOf('customers')!;
    assert.deepEqual([passes(customer), passes({ ...customer, customer_id: 'c2' })], [true, false]);
    const copyFiltered = compileStreamMaps([customers], { streamMaps: { customers: null, only_c1: { __source__: 'customers', __filter__: "customer_id == 'c1'" } } });
    assert.equal(copyFiltered.childFilterOf('customers'), undefined);
    assert.deepEqual(copyFiltered.outputsOf('customers').map((o) => o.map({ ...customer, customer_id: 'c2' })), [undefined]);
  });

  test('an expression that fails on a record is a MapEvaluationError naming the stream and the property', () => {
    const output = only([customers], { streamMaps: { customers: { domain: "email.split('@')[1]" } } });
    assert.throws(() => output.map({ ...customer, email: null }), (error: unknown) => {
      assert.ok(error instanceof MapEvaluationError);
      assert.equal(error.message, "stream map 'customers', property 'domain': AttributeError: 'NoneType' object has no attribute 'split'");
      return true;
    });
  });

  test('self is the property’s own value, null when the record lacks it', () => {
    const output = only([customers], { streamMaps: { customers: { email: "self.lower() if self else 'none'" } } });
    assert.equal(output.map(customer)!['email'], 'jane@example.com');
    assert.equal(output.map({ customer_id: 'c3' })!['email'], 'none');
  });
});

describe('compileStreamMaps: configuration errors, at start-up, in one line', () => {
  test('removing a key property', () => {
    assertConfigError(
      () => compileStreamMaps([customers], { streamMaps: { customers: { customer_id: null } } }),
      "config: stream_maps.customers.customer_id: removing key property 'customer_id' is not permitted; use __key_properties__ to name new key properties, or null for none",
    );
  });

  test('key properties the mapped stream does not have', () => {
    assertConfigError(() => compileStreamMaps([customers], { streamMaps: { customers: { __key_properties__: ['nope'] } } }), /key property 'nope' of stream 'customers' is not in the mapped stream/);
    assertConfigError(() => compileStreamMaps([customers], { streamMaps: { customers: { full_name: 'full_name', __else__: null, __key_properties__: ['email_hash'] } } }), /key property 'email_hash'/);
  });

  test('an unknown function or name, naming the stream and the property', () => {
    assertConfigError(() => compileStreamMaps([customers], { streamMaps: { customers: { email_hash: 'md6(email)' } } }), 'config: stream_maps.customers.email_hash: unknown function \'md6()\' in "md6(email)" (at character 1)');
    assertConfigError(() => compileStreamMaps([customers, addresses], { streamMaps: { '*': { x: 'emial' } } }), /^config: stream_maps\.\*\.x \(stream 'customers'\): name 'emial' is not defined/);
  });

  test('a map naming a stream the tap does not have, when the full list is known', () => {
    assertConfigError(() => compileStreamMaps([customers], { streamMaps: { custmers: { x: '1' } }, allStreamNames: ['customers', 'addresses'] }), "config: stream_maps.custmers: tap-sigma has no stream named 'custmers'");
    assertConfigError(() => compileStreamMaps([customers], { streamMaps: { copy: { __source__: 'nope' } }, allStreamNames: ['customers'] }), "config: stream_maps.copy.__source__: tap-sigma has no stream named 'nope'");
    // A deselected stream is known: its map simply has nothing to do.
    assert.equal(compileStreamMaps([customers], { streamMaps: { addresses: null }, allStreamNames: ['customers', 'addresses'] }).outputsOf('customers').length, 1);
  });

  test('two outputs with one name', () => {
    assertConfigError(() => compileStreamMaps([customers, addresses], { streamMaps: { addresses: { __alias__: 'customers' } } }), "config: stream_maps: streams 'customers' and 'addresses' would both be emitted as 'customers'; give each output its own name");
    assertConfigError(() => compileStreamMaps([customers, addresses], { streamMaps: { everything: { __source__: '*' } } }), /would both be emitted as 'everything'/);
  });

  test('an alias that is not a stream name', () => {
    assertConfigError(() => compileStreamMaps([customers], { streamMaps: { customers: { __alias__: '1 + 2' } } }), 'config: stream_maps.customers.__alias__: "1 + 2" must give a stream name, got 3');
  });

  test('stream_map_config must be an object', () => {
    assertConfigError(() => compileStreamMaps([customers], { streamMapConfig: ['x'] }), "config: setting 'stream_map_config' must be an object");
  });

  test('flattening that would hide a key property', () => {
    const nestedKey: StreamShape = { name: 'n', schema: props({ key: props({ id: { type: 'string' } }) }), keyProperties: ['key'] };
    assertConfigError(() => compileStreamMaps([nestedKey], { flattening: { maxDepth: 1, separator: '__', maxKeyLength: 255 } }), "config: flattening stream 'n' leaves no column named after its key property 'key'; map the key to a top-level property with stream_maps");
  });
});
