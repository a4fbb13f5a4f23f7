import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { validateConfig } from '../../../lib/config/validateConfig.js';
import { InputError } from '../../../lib/errors.js';
import { exportStreamName, parseExportEntries } from '../../../lib/exports/parseExportEntries.js';

const base = { name: 'audit', workbook_id: 'wb-1', element_id: 'el-1' };

/** The one line a bad `exports` setting gives. */
function problem(value: unknown): string {
  try {
    parseExportEntries(value);
  } catch (error) {
    assert.ok(error instanceof InputError, String(error));
    assert.equal(error.message.includes('\n'), false, 'one line');
    return error.message;
  }
  assert.fail(`accepted ${JSON.stringify(value)}`);
}

describe('parseExportEntries', () => {
  test('fills in the defaults: no parameters, no primary keys, 1,000,000 rows per export', () => {
    assert.deepEqual(parseExportEntries([base]), [{ ...base, parameters: {}, primary_keys: [], row_limit: 1_000_000 }]);
  });

  test('keeps every key it knows', () => {
    const entry = { ...base, parameters: { Region: 'EMEA' }, replication_key: 'Event Time', replication_parameter: 'Event-Date-Range', primary_keys: ['Event Id'], row_limit: 250_000 };
    assert.deepEqual(parseExportEntries([entry]), [entry]);
  });

  test('names the entry and the key at fault, in one line', () => {
    assert.match(problem({}), /'exports' must be an array of objects/);
    assert.match(problem(['audit']), /^config: setting 'exports\[0\]': must be an object/);
    assert.match(problem([{ name: 'audit', element_id: 'e' }]), /^config: setting 'exports\[0\]' \('audit'\): needs a 'workbook_id'/);
    assert.match(problem([base, { name: 'usage', workbook_id: 'w' }]), /^config: setting 'exports\[1\]' \('usage'\): needs an 'element_id'/);
    assert.match(problem([{ ...base, workbook_id: '' }]), /workbook_id must be a non-empty string, got ""/);
    assert.match(problem([{ ...base, element_id: 42 }]), /element_id must be a non-empty string, got 42/);
    assert.match(problem([{ workbook_id: 'w', element_id: 'e' }]), /needs a 'name'/);
    assert.match(problem([{ ...base, name: 'Audit Log' }]), /name must be lowercase letters, digits and underscores/);
    assert.match(problem([{ ...base, row_limit: 1_000_001 }]), /row_limit must be an integer from 1 to 1,000,000, got 1000001/);
    assert.match(problem([{ ...base, row_limit: '10' }]), /row_limit must be an integer/);
    assert.match(problem([{ ...base, primary_keys: 'Event Id' }]), /primary_keys must be an array of column labels/);
    assert.match(problem([{ ...base, parameters: { Region: 3 } }]), /parameters\['Region'\] must be a string/);
    assert.match(problem([{ ...base, parameters: ['Region'] }]), /parameters must be an object/);
    assert.match(problem([{ ...base, replication_parameter: 'Date-Range' }]), /replication_parameter needs a replication_key/);
    assert.match(problem([{ ...base, replication_key: 'At', replication_parameter: 'D', parameters: { D: 'min:,max:' } }]), /parameters must not set 'D': the bookmark sets it/);
    assert.match(problem([{ ...base, workbookId: 'w' }]), /unknown key 'workbookId' \(known: name, workbook_id/);
  });

  test('refuses two entries that would make the same stream', () => {
    assert.match(problem([base, { ...base, name: 'export_audit' }]), /^config: setting 'exports\[1\]' \('export_audit'\): its stream 'export_audit' is also the stream of exports\[0\]/);
    assert.match(problem([base, base]), /exports\[1\]/);
  });

  test('names streams export_<name>, unless the name already says so', () => {
    assert.equal(exportStreamName('audit_log'), 'export_audit_log');
    assert.equal(exportStreamName('export_audit_log'), 'export_audit_log');
  });

  test('is how validateConfig reads the exports setting', () => {
    const config = validateConfig({ api_url: 'https://aws-api.sigmacomputing.com', client_id: 'id', client_secret: 'secret', exports: [base] });
    assert.deepEqual(config.exports, [{ ...base, parameters: {}, primary_keys: [], row_limit: 1_000_000 }]);
    assert.deepEqual(validateConfig({ api_url: 'https://aws-api.sigmacomputing.com', client_id: 'id', client_secret: 'secret' }).exports, []);
  });
});
