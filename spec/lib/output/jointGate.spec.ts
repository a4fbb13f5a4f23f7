import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SwitchGate } from '../../../lib/http/demandGate.js';
import { jointGate } from '../../../lib/output/jointGate.js';

describe('jointGate', () => {
  test('is open only while every gate is open', () => {
    const a = new SwitchGate(true);
    const b = new SwitchGate(false);
    const joint = jointGate(a, b);
    assert.equal(joint.open, false);
    b.set(true);
    assert.equal(joint.open, true);
    a.set(false);
    assert.equal(joint.open, false);
  });

  test('calls onOpen once, when all gates are open at the same moment', () => {
    const a = new SwitchGate(false);
    const b = new SwitchGate(false);
    let calls = 0;
    jointGate(a, b).onOpen(() => (calls += 1));
    a.set(true);
    assert.equal(calls, 0);
    a.set(false);
    b.set(true);
    assert.equal(calls, 0, 'b opened while a had closed again');
    a.set(true);
    assert.equal(calls, 1);
    a.set(false);
    a.set(true);
    assert.equal(calls, 1, 'once');
  });

  test('calls onOpen at once when all are open, and never after the wait is cancelled', () => {
    const a = new SwitchGate(true);
    let calls = 0;
    jointGate(a).onOpen(() => (calls += 1));
    assert.equal(calls, 1);
    const b = new SwitchGate(false);
    const cancel = jointGate(a, b).onOpen(() => (calls += 1));
    cancel();
    b.set(true);
    assert.equal(calls, 1);
  });
});
