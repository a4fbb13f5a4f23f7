import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { readBoundedFile } from '../../../lib/config/readBoundedFile.js';
import { writeText } from '../../support/runCli.js';

/** A FIFO in the test's scratch folder, fed by a separate process (a read here blocks this one). */
function fifoFedBy(script: string): { path: string; writer: ReturnType<typeof spawn> } {
  const path = join(dirname(writeText('placeholder', '')), 'fifo');
  execFileSync('mkfifo', [path]);
  const writer = spawn(process.execPath, ['-e', script, path], { stdio: 'ignore' });
  return { path, writer };
}

describe('readBoundedFile', () => {
  test('returns the whole file when it is within the limit, even exactly at it', () => {
    const path = writeText('f.json', 'x'.repeat(200_000));
    assert.equal(readBoundedFile(path, 200_000)?.length, 200_000);
    assert.equal(readBoundedFile(writeText('empty', ''), 10)?.length, 0);
  });

  test('returns undefined once the file proves longer than the limit', () => {
    assert.equal(readBoundedFile(writeText('f.json', 'x'.repeat(200_001)), 200_000), undefined);
  });

  test('stops reading /dev/zero at the limit (fstat says 0 bytes, it never ends)', () => {
    assert.equal(readBoundedFile('/dev/zero', 1024 * 1024), undefined);
  });

  test('stops reading an endless FIFO at the limit', async () => {
    const { path, writer } = fifoFedBy("const out = require('fs').createWriteStream(process.argv[1]); out.on('error', () => process.exit(0)); const w = () => { while (out.write('x'.repeat(4096))); out.once('drain', w); }; w();");
    try {
      assert.equal(readBoundedFile(path, 1024 * 1024), undefined);
    } finally {
      writer.kill();
    }
    await once(writer, 'close');
  });

  test('reads a FIFO that ends (process substitution, a pipe) in full', async () => {
    const { path, writer } = fifoFedBy("require('fs').writeFileSync(process.argv[1], '{\"a\": 1}');");
    assert.equal(readBoundedFile(path, 100)?.toString(), '{"a": 1}');
    await once(writer, 'close');
  });

  test('throws file system errors as they are', () => {
    assert.throws(() => readBoundedFile('/nonexistent/f.json', 10), { code: 'ENOENT' });
    assert.throws(() => readBoundedFile(dirname(writeText('f', '')), 10), { code: 'EISDIR' });
  });
});
