import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { OutputItem } from '../../../lib/output/singerOutput.js';
import { tableVersionAt, tableVersions } from '../../../lib/output/tableVersions.js';
import type { RecordBatch } from '../../../lib/singer/messages.js';
import { SyncReport } from '../../../lib/tap/syncReport.js';
import { memoryLogger, testPlan } from '../../support/testPlan.js';

const VERSION = 1_717_200_000;
const batch = (stream: string): RecordBatch => ({ stream, records: [{ id: 1 }], timeExtracted: '2024-06-01T00:00:00.000Z' });
/** Items as short text: `AV members`, `RECORD members v1717200000`. */
const show = (items: readonly OutputItem[]): string[] =>
  items.map((item) =>
    item.kind === 'records'
      ? `RECORD ${item.batch.stream}${item.batch.version === undefined ? '' : ` v${item.batch.version}`}`
      : item.message.type === 'ACTIVATE_VERSION'
        ? `AV ${item.message.stream} v${item.message.version}`
        : item.message.type,
  );

function setUp(outputNamesOf: (stream: string) => readonly string[] = (stream) => [stream]) {
  // members is chosen FULL_TABLE; teams stays INCREMENTAL; team_members and account_types have no replication key.
  const plan = testPlan(['members', 'teams', 'team_members', 'account_types'], ['members']);
  const { logger, lines } = memoryLogger();
  const report = new SyncReport(logger, ['members', 'teams', 'team_members', 'account_types']);
  return { versions: tableVersions({ plan, outputNamesOf, report, logger, version: VERSION }), report, lines };
}

describe('tableVersionAt', () => {
  test('is the instant in epoch seconds, as the SDK numbers table versions', () => {
    assert.equal(tableVersionAt(new Date('2024-06-01T00:00:00.999Z')), 1_717_200_000);
  });
});

describe('tableVersions', () => {
  test('opens a FULL_TABLE stream with ACTIVATE_VERSION before its first batch, and stamps every batch with the version', () => {
    const { versions } = setUp();
    assert.deepEqual(show(versions.stamp(batch('members'))), [`AV members v${VERSION}`, `RECORD members v${VERSION}`]);
    assert.deepEqual(show(versions.stamp(batch('members'))), [`RECORD members v${VERSION}`]);
    assert.deepEqual(show(versions.stamp(batch('team_members'))), [`AV team_members v${VERSION}`, `RECORD team_members v${VERSION}`]);
  });

  test('leaves INCREMENTAL streams alone', () => {
    const { versions } = setUp();
    assert.deepEqual(show(versions.stamp(batch('teams'))), ['RECORD teams']);
    assert.deepEqual(show(versions.treeDone('teams')), [`AV team_members v${VERSION}`], 'the tree of teams closes only its FULL_TABLE child');
  });

  test('closes each output stream of a finished tree once, whether it had records or not', () => {
    const { versions } = setUp((stream) => (stream === 'members' ? ['people', 'people_pii'] : [stream]));
    assert.deepEqual(show(versions.stamp(batch('people'))), [`AV people v${VERSION}`, `RECORD people v${VERSION}`]);
    assert.deepEqual(show(versions.treeDone('members')), [`AV people v${VERSION}`, `AV people_pii v${VERSION}`]);
    assert.deepEqual(show(versions.treeDone('account_types')), [`AV account_types v${VERSION}`], 'an empty table is a table without rows');
  });

  test('does not close a stream the sync could not read whole, and says why', () => {
    const { versions, report, lines } = setUp();
    report.parentSkipped('team_members', 'teamId=t1 (HTTP 403)');
    report.streamUnavailable({ stream: 'account_types', status: 403, reason: 'HTTP 403' }, []);
    assert.deepEqual(show(versions.treeDone('teams')), []);
    assert.deepEqual(show(versions.treeDone('account_types')), []);
    assert.ok(lines.some((line) => line.includes('team_members: no closing ACTIVATE_VERSION')), lines.join('\n'));
  });
});
