import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { InputError } from '../../../lib/errors.js';
import { readStreamMaps } from '../../../lib/maps/readStreamMaps.js';

function assertShapeError(raw: unknown, message: string): void {
  assert.throws(() => readStreamMaps(raw), (error: unknown) => error instanceof InputError && error.message === message && !error.message.includes('\n'));
}

describe('readStreamMaps', () => {
  test('reads every operation in config order', () => {
    assert.deepEqual(
      readStreamMaps({
        customers: { __alias__: 'people', __filter__: 'count > 1', __key_properties__: ['id'], email: null, phone: '__NULL__', domain: "email.split('@')[1]", __else__: '__NULL__' },
        addresses: null,
        pii: { __source__: 'customers', __filter__: null, __key_properties__: null },
        __else__: null,
      }),
      {
        dropUnmapped: true,
        entries: [
          {
            key: 'customers',
            kind: 'map',
            source: undefined,
            alias: 'people',
            filter: 'count > 1',
            keyProperties: ['id'],
            onlyMapped: true,
            properties: [
              { name: 'email', expression: null },
              { name: 'phone', expression: null },
              { name: 'domain', expression: "email.split('@')[1]" },
            ],
          },
          { key: 'addresses', kind: 'drop' },
          { key: 'pii', kind: 'map', source: 'customers', alias: undefined, filter: undefined, keyProperties: null, onlyMapped: false, properties: [] },
        ],
      },
    );
  });

  test('no stream_maps is no maps', () => {
    assert.deepEqual(readStreamMaps(undefined), { dropUnmapped: false, entries: [] });
    assert.deepEqual(readStreamMaps(null), { dropUnmapped: false, entries: [] });
  });

  test('each wrong shape is one line naming where it is', () => {
    assertShapeError([], 'config: stream_maps: must be an object of stream names to maps, got an array');
    assertShapeError({ __else__: 'keep' }, 'config: stream_maps.__else__: only null (or "__NULL__") is supported, got the string "keep"');
    assertShapeError({ __filter__: 'x' }, "config: stream_maps.__filter__: unknown option (the only top-level option is '__else__')");
    assertShapeError({ customers: 'rename' }, 'config: stream_maps.customers: expected a map object, null or "__NULL__", got the string "rename"');
    assertShapeError({ customers: 3 }, 'config: stream_maps.customers: expected a map object, null or "__NULL__", got number 3');
    assertShapeError({ customers: { email: 5 } }, 'config: stream_maps.customers.email: expected an expression string, null or "__NULL__", got number 5');
    assertShapeError({ customers: { email: '  ' } }, 'config: stream_maps.customers.email: expected an expression string, null or "__NULL__", got the string "  "');
    assertShapeError({ customers: { __filters__: 'x' } }, 'config: stream_maps.customers.__filters__: unknown option (expected __alias__, __source__, __filter__, __key_properties__ or __else__)');
    assertShapeError({ customers: { __key_properties__: 'id' } }, 'config: stream_maps.customers.__key_properties__: expected a list of property names or null, got the string "id"');
    assertShapeError({ customers: { __else__: 'x' } }, 'config: stream_maps.customers.__else__: only null (or "__NULL__") is supported, got the string "x"');
    assertShapeError({ copy: { __source__: 'a', __alias__: 'b' } }, "config: stream_maps.copy: use either __source__ (the key 'copy' names the copy) or __alias__, not both");
    assertShapeError({ copy: { __source__: '' } }, 'config: stream_maps.copy.__source__: expected the name (or glob) of the stream to copy, got the string ""');
  });

  test('a "__proto__" key from JSON is refused like any unknown option', () => {
    assertShapeError(JSON.parse('{"__proto__": {"x": "1"}}'), "config: stream_maps.__proto__: unknown option (the only top-level option is '__else__')");
    assertShapeError(JSON.parse('{"s": {"__proto__": "1"}}'), 'config: stream_maps.s.__proto__: unknown option (expected __alias__, __source__, __filter__, __key_properties__ or __else__)');
  });
});
