import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { normalizeInstant } from '../../../lib/config/normalizeInstant.js';

describe('normalizeInstant', () => {
  test('takes a date alone (Meltano date_iso8601) as midnight UTC', () => {
    assert.deepEqual(normalizeInstant('2024-01-01'), { instant: '2024-01-01T00:00:00Z' });
    assert.deepEqual(normalizeInstant('2024-02-29'), { instant: '2024-02-29T00:00:00Z' });
  });

  test('keeps an RFC 3339 date-time, with T and Z upper-cased so Date.parse reads it', () => {
    assert.deepEqual(normalizeInstant('2024-05-01T10:20:30.123456+02:00'), { instant: '2024-05-01T10:20:30.123456+02:00' });
    assert.deepEqual(normalizeInstant('2024-05-01t10:20:30z'), { instant: '2024-05-01T10:20:30Z' });
    assert.equal(Date.parse((normalizeInstant('2024-05-01t10:20:30z') as { instant: string }).instant), Date.UTC(2024, 4, 1, 10, 20, 30));
  });

  test('every accepted value is a valid instant', () => {
    for (const text of ['2000-02-29', '1999-12-31T23:59:59Z', '2024-06-30T00:00:00-12:00', '2024-04-30T23:59:59.999+14:00']) {
      const result = normalizeInstant(text);
      assert.ok('instant' in result, text);
      assert.equal(Number.isNaN(Date.parse(result.instant)), false, text);
    }
  });

  test('rejects dates that do not exist, which Date.parse would roll over', () => {
    assert.deepEqual(normalizeInstant('2024-02-30'), { problem: '2024-02 has no day 30' });
    assert.deepEqual(normalizeInstant('2023-02-29'), { problem: '2023-02 has no day 29' });
    assert.deepEqual(normalizeInstant('1900-02-29'), { problem: '1900-02 has no day 29' });
    assert.deepEqual(normalizeInstant('2024-04-31T00:00:00Z'), { problem: '2024-04 has no day 31' });
    assert.deepEqual(normalizeInstant('2024-01-00'), { problem: '2024-01 has no day 00' });
    assert.deepEqual(normalizeInstant('2024-13-01'), { problem: 'month 13 does not exist' });
    assert.deepEqual(normalizeInstant('2024-00-01'), { problem: 'month 00 does not exist' });
  });

  test('rejects times and offsets out of range', () => {
    assert.deepEqual(normalizeInstant('2024-01-01T25:00:00Z'), { problem: 'hour 25 does not exist' });
    assert.deepEqual(normalizeInstant('2024-01-01T24:00:00Z'), { problem: 'hour 24 does not exist' });
    assert.deepEqual(normalizeInstant('2024-01-01T10:60:00Z'), { problem: 'minute 60 does not exist' });
    assert.deepEqual(normalizeInstant('2016-12-31T23:59:60Z'), { problem: 'second 60 does not exist (leap seconds are not supported)' });
    assert.deepEqual(normalizeInstant('2024-01-01T10:00:00+24:00'), { problem: 'offset +24:00 does not exist' });
  });

  test('rejects other forms', () => {
    for (const text of ['2024-01-01 00:00', '2024-01-01T00:00:00', '2024-1-1', '20240101', '2024-01-01T00:00Z', ' 2024-01-01', 'yesterday', '']) {
      assert.deepEqual(normalizeInstant(text), { problem: 'such as 2024-01-01T00:00:00Z or 2024-01-01' }, text);
    }
  });
});
