import { describe, expect, it } from 'vitest';
import { StatusPacer } from '../src/index.ts';

describe('StatusPacer', () => {
  let now = 1_000;
  const pacer = new StatusPacer({
    paceMs: 2_000,
    significant: ({ phase, observedGeneration }) => ({ phase, observedGeneration }),
    now: () => now,
  });
  const ready = { phase: 'Ready', observedGeneration: 1 };

  it('writes at once when nothing was written yet, or when more than detail changes', () => {
    expect(pacer.holdFor('a', undefined, { ...ready, pods: [] })).toBe(0);
    pacer.wrote('a');
    now += 100;
    expect(
      pacer.holdFor('a', { ...ready, pods: [] }, { phase: 'Updating', observedGeneration: 1, pods: [] }),
    ).toBe(0);
    expect(pacer.holdFor('a', { ...ready, pods: [] }, { ...ready, observedGeneration: 2, pods: [] })).toBe(0);
  });

  it('holds detail-only changes until the pace has passed since the last write', () => {
    pacer.wrote('b');
    now += 500;
    expect(pacer.holdFor('b', { ...ready, pods: [] }, { ...ready, pods: [{ name: 'p' }], replicas: 1 })).toBe(
      1_500,
    );
    now += 1_500;
    expect(pacer.holdFor('b', { ...ready, pods: [] }, { ...ready, pods: [{ name: 'p' }] })).toBe(0);
    pacer.forget('b');
    expect(pacer.holdFor('b', { ...ready, pods: [] }, { ...ready, pods: [{ name: 'q' }] })).toBe(0);
  });
});
