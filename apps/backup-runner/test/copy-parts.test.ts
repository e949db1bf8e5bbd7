import { describe, expect, it } from 'vitest';
import { copyPartRanges, GIB, MAX_PARTS, MIB } from '../src/copy-parts.ts';

function expectContiguous(size: number, parts: ReturnType<typeof copyPartRanges>) {
  expect(parts[0]?.start).toBe(0);
  expect(parts.at(-1)?.end).toBe(size - 1);
  parts.forEach((part, i) => {
    expect(part.partNumber).toBe(i + 1);
    if (i > 0) expect(part.start).toBe((parts[i - 1]?.end ?? -2) + 1);
  });
}

describe('copyPartRanges', () => {
  it('splits into inclusive byte ranges of the preferred size, the last one shorter', () => {
    const parts = copyPartRanges(12 * MIB + 3, 5 * MIB);
    expect(parts).toEqual([
      { partNumber: 1, start: 0, end: 5 * MIB - 1 },
      { partNumber: 2, start: 5 * MIB, end: 10 * MIB - 1 },
      { partNumber: 3, start: 10 * MIB, end: 12 * MIB + 2 },
    ]);
  });

  it('covers an exact multiple without an empty last part', () => {
    const parts = copyPartRanges(10 * MIB, 5 * MIB);
    expect(parts).toHaveLength(2);
    expectContiguous(10 * MIB, parts);
  });

  it('uses 512 MiB parts by default: a 6 GiB archive is 12 parts', () => {
    const size = 6 * GIB;
    const parts = copyPartRanges(size);
    expect(parts).toHaveLength(12);
    expectContiguous(size, parts);
  });

  it('never goes below S3’s 5 MiB minimum part', () => {
    expect(copyPartRanges(20 * MIB, 1)).toHaveLength(4);
  });

  it('grows the parts to stay within 10,000 parts', () => {
    const size = 8000 * GIB;
    const parts = copyPartRanges(size, 5 * MIB);
    expect(parts.length).toBeLessThanOrEqual(MAX_PARTS);
    expectContiguous(size, parts);
    expect((parts[0]?.end ?? 0) + 1).toBeLessThanOrEqual(5 * GIB);
  });

  it('refuses sizes S3 cannot hold', () => {
    expect(() => copyPartRanges(0)).toThrow(RangeError);
    expect(() => copyPartRanges(MAX_PARTS * 5 * GIB + 1)).toThrow(/largest object/);
  });
});
