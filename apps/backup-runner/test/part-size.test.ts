import { describe, expect, it } from 'vitest';
import { GIB, MAX_PARTS, MIB } from '../src/copy-parts.ts';
import { DEFAULT_PART_BYTES, uploadPartSize } from '../src/part-size.ts';

describe('uploadPartSize', () => {
  it('uses the default for ordinary volumes', () => {
    expect(uploadPartSize(0)).toBe(DEFAULT_PART_BYTES);
    expect(uploadPartSize(10 * GIB)).toBe(DEFAULT_PART_BYTES);
  });

  it('grows for large volumes so 10,000 parts hold the archive with a margin', () => {
    const size = uploadPartSize(500 * GIB);
    expect(size % MIB).toBe(0);
    expect(size * MAX_PARTS).toBeGreaterThanOrEqual(500 * GIB * 1.25);
  });

  it('refuses volumes larger than one S3 object', () => {
    expect(() => uploadPartSize(60_000 * GIB)).toThrow(/more than one S3 object can store/);
  });
});
