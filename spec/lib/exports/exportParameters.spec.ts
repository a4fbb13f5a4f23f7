import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { exportParameters } from '../../../lib/exports/exportParameters.js';
import { parseExportEntries } from '../../../lib/exports/parseExportEntries.js';

const [incremental, plain] = parseExportEntries([
  { name: 'audit', workbook_id: 'w', element_id: 'e', parameters: { Region: 'EMEA' }, replication_key: 'Event Time', replication_parameter: 'Event-Date-Range' },
  { name: 'usage', workbook_id: 'w', element_id: 'e', parameters: { Region: 'EMEA' }, replication_key: 'Day' },
]);

describe('exportParameters', () => {
  test('opens the date-range control at the starting instant, rounded down to its second', () => {
    assert.deepEqual(exportParameters(incremental!, Date.parse('2024-01-02T03:04:05.678Z')), { Region: 'EMEA', 'Event-Date-Range': 'min:2024-01-02T03:04:05,max:' });
    assert.deepEqual(exportParameters(incremental!, Date.parse('2024-01-02T03:04:05Z')), { Region: 'EMEA', 'Event-Date-Range': 'min:2024-01-02T03:04:05,max:' });
  });

  test('sends only the entry’s own parameters without a starting instant or a replication parameter', () => {
    assert.deepEqual(exportParameters(incremental!, undefined), { Region: 'EMEA' });
    assert.deepEqual(exportParameters(plain!, Date.parse('2024-01-02T03:04:05Z')), { Region: 'EMEA' });
  });
});
