import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, test } from 'node:test';
import { INPUT_FILE_LIMITS, readJsonObject } from '../../../lib/config/readJsonObject.js';
import { InputError } from '../../../lib/errors.js';
import { writeText } from '../../support/runCli.js';

const rejects = (read: () => unknown, message: RegExp): void => {
  assert.throws(read, (error: unknown) => error instanceof InputError && message.test(error.message) && !error.message.includes('\n'));
};

describe('readJsonObject', () => {
  test('reads a JSON object; a UTF-8 byte order mark is dropped', () => {
    assert.deepEqual(readJsonObject(writeText('c.json', '{"a": "é"}'), 'config'), { a: 'é' });
    assert.deepEqual(readJsonObject(writeText('c.json', '\uFEFF{"a": 1}'), 'config'), { a: 1 });
  });

  test('limits config to 1 MiB and catalog and state to 64 MiB', () => {
    assert.deepEqual(INPUT_FILE_LIMITS, { config: 1024 * 1024, catalog: 64 * 1024 * 1024, state: 64 * 1024 * 1024 });
  });

  test('refuses a file over its limit, naming role, path and limit', () => {
    const path = writeText('s.json', JSON.stringify({ pad: 'x'.repeat(2000) }));
    assert.ok(readJsonObject(path, 'state', 4096));
    rejects(() => readJsonObject(path, 'state', 1000), /^state file .*s\.json: larger than 1000 bytes, the limit for a state file$/);
    rejects(() => readJsonObject(writeText('c.json', ' '.repeat(1024 * 1024 + 1)), 'config'), /^config file .*c\.json: larger than 1 MiB, the limit for a config file$/);
  });

  test('stops at the limit on /dev/zero for each role', () => {
    rejects(() => readJsonObject('/dev/zero', 'config'), /^config file \/dev\/zero: larger than 1 MiB/);
    rejects(() => readJsonObject('/dev/zero', 'catalog'), /^catalog file \/dev\/zero: larger than 64 MiB/);
    rejects(() => readJsonObject('/dev/zero', 'state'), /^state file \/dev\/zero: larger than 64 MiB/);
  });

  test('names a missing file, a directory and bytes that are not UTF-8', () => {
    rejects(() => readJsonObject('/nonexistent/c.json', 'config'), /^config file \/nonexistent\/c\.json: no such file$/);
    rejects(() => readJsonObject(dirname(writeText('c.json', '{}')), 'catalog'), /^catalog file .*: is a directory$/);
    const latin1 = writeText('s.json', '');
    writeFileSync(latin1, Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xe9, 0x22, 0x7d]));
    rejects(() => readJsonObject(latin1, 'state'), /^state file .*s\.json: not valid UTF-8$/);
  });

  test('passes syntax, __proto__ and root errors through with the file named', () => {
    rejects(() => readJsonObject(writeText('c.json', '{"a":1,}'), 'config'), /^config file .*c\.json: not valid JSON \(line 1, column 8\)$/);
    rejects(() => readJsonObject(writeText('c.json', '{"__proto__": {"concurrency": 64}}'), 'config'), /^config file .*c\.json: the key __proto__ is not allowed \(at the root\)$/);
    rejects(() => readJsonObject(writeText('c.json', '[]'), 'catalog'), /^catalog file .*c\.json: the root must be a JSON object$/);
  });
});
