import { describe, expect, it } from 'vitest';
import {
  findCondition,
  hashOf,
  isSubset,
  readyCondition,
  setCondition,
  stableStringify,
} from '../src/index.ts';

describe('conditions', () => {
  const t1 = '2026-11-23T10:00:00Z';
  const t2 = '2026-11-23T11:00:00Z';

  it('keeps lastTransitionTime while the status is unchanged, even when reason and message change', () => {
    const first = setCondition(undefined, readyCondition(true, 'Ready', 'all good', 1), t1);
    const again = setCondition(first, readyCondition(true, 'Ready', 'still good', 2), t2);
    expect(findCondition(again, 'Ready')).toEqual({
      type: 'Ready',
      status: 'True',
      reason: 'Ready',
      message: 'still good',
      lastTransitionTime: t1,
      observedGeneration: 2,
    });
  });

  it('moves lastTransitionTime when the status changes, and keeps other types', () => {
    const list = setCondition(
      setCondition(undefined, readyCondition(true, 'Ready'), t1),
      { type: 'Bootstrapped', status: 'True', reason: 'Restored' },
      t1,
    );
    const flipped = setCondition(list, readyCondition(false, 'Unavailable', '0/1 ready'), t2);
    expect(flipped.map((c) => [c.type, c.status, c.lastTransitionTime])).toEqual([
      ['Ready', 'False', t2],
      ['Bootstrapped', 'True', t1],
    ]);
  });
});

describe('semantic comparison', () => {
  it('treats defaults and other managers fields in the live object as equal, lists by position', () => {
    expect(
      isSubset(
        { spec: { replicas: 1, template: { labels: { a: 'b' } } } },
        { spec: { replicas: 1, strategy: {}, template: { labels: { a: 'b', c: 'd' } } } },
      ),
    ).toBe(true);
    expect(isSubset({ spec: { replicas: 2 } }, { spec: { replicas: 1 } })).toBe(false);
    expect(isSubset({ ports: [{ port: 1 }] }, { ports: [{ port: 1, protocol: 'TCP' }] })).toBe(true);
    expect(isSubset({ ports: [{ port: 1 }] }, { ports: [{ port: 1 }, { port: 2 }] })).toBe(false);
  });

  it('hashes independently of key order', () => {
    expect(stableStringify({ b: 1, a: [{ d: 1, c: 2 }] })).toBe('{"a":[{"c":2,"d":1}],"b":1}');
    expect(hashOf({ a: 1, b: 2 })).toBe(hashOf({ b: 2, a: 1 }));
  });
});
