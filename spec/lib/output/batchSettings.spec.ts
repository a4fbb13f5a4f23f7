import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, test } from 'node:test';
import { InputError } from '../../../lib/errors.js';
import { readBatchSettings } from '../../../lib/output/batchSettings.js';

const fails = (raw: unknown, message: string): void => {
  assert.throws(
    () => readBatchSettings(raw),
    (error: unknown) => {
      assert.ok(error instanceof InputError, String(error));
      assert.equal(error.message, message);
      return true;
    },
  );
};

describe('readBatchSettings', () => {
  test('absent: no BATCH output', () => {
    assert.equal(readBatchSettings(undefined), undefined);
    assert.equal(readBatchSettings(null), undefined);
  });

  test('the SDK documentation’s config: jsonl, gzip, a file:// root and a prefix; batch_size defaults to 10000', () => {
    assert.deepEqual(readBatchSettings({ encoding: { format: 'jsonl', compression: 'gzip' }, storage: { root: 'file:///tmp/sigma-batches', prefix: 'batch-' } }), {
      encoding: { format: 'jsonl', compression: 'gzip' },
      folder: '/tmp/sigma-batches',
      prefix: 'batch-',
      batchSize: 10000,
    });
  });

  test('compression defaults to gzip (what the SDK always writes); none is plain JSON Lines; a path root is resolved', () => {
    assert.deepEqual(readBatchSettings({ encoding: { format: 'jsonl' }, storage: { root: 'batches' }, batch_size: 500 }), {
      encoding: { format: 'jsonl', compression: 'gzip' },
      folder: resolve('batches'),
      prefix: '',
      batchSize: 500,
    });
    assert.equal(readBatchSettings({ encoding: { format: 'jsonl', compression: 'none' }, storage: { root: '/srv/b' } })?.encoding.compression, 'none');
    assert.equal(readBatchSettings({ encoding: { format: 'jsonl' }, storage: { root: 'file:///srv/with%20space' } })?.folder, '/srv/with space');
  });

  test('what tap-sigma does not write is one line naming the option', () => {
    fails('file:///tmp', 'config: batch_config: must be an object with encoding and storage');
    fails({ storage: { root: '/tmp' } }, 'config: batch_config.encoding: must be an object such as {"format": "jsonl", "compression": "gzip"}');
    fails({ encoding: { format: 'parquet' }, storage: { root: '/tmp' } }, 'config: batch_config.encoding.format: only "jsonl" is supported, got "parquet"');
    fails({ encoding: { format: 'jsonl', compression: 'zstd' }, storage: { root: '/tmp' } }, 'config: batch_config.encoding.compression: must be "gzip" or "none", got "zstd"');
    fails({ encoding: { format: 'jsonl' } }, 'config: batch_config.storage: must be an object such as {"root": "file:///path/to/folder"}');
    fails({ encoding: { format: 'jsonl' }, storage: {} }, 'config: batch_config.storage.root: is required: a file:// URL or a path of a local folder');
    fails({ encoding: { format: 'jsonl' }, storage: { root: 's3://bucket/batches' } }, 'config: batch_config.storage.root: only local folders (file://) are supported, got "s3://bucket/batches"');
    fails({ encoding: { format: 'jsonl' }, storage: { root: '/tmp', prefix: '../up-' } }, 'config: batch_config.storage.prefix: must be a file name prefix without slashes, got "../up-"');
    fails({ encoding: { format: 'jsonl' }, storage: { root: '/tmp' }, batch_size: 0 }, 'config: batch_config.batch_size: must be an integer of at least 1, got 0');
    fails({ encoding: { format: 'jsonl' }, storage: { root: '/tmp', params: {} } }, 'config: batch_config.storage.params: unknown option (expected root, prefix)');
    fails({ encoding: { format: 'jsonl' }, storage: { root: '/tmp' }, batchSize: 5 }, 'config: batch_config.batchSize: unknown option (expected encoding, storage, batch_size)');
  });
});
