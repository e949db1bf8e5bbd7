import { describe, expect, it } from 'vitest';
import { symlinkLeavesVolume } from '../src/symlinks.ts';

describe('symlinkLeavesVolume', () => {
  it('accepts targets inside the volume', () => {
    expect(symlinkLeavesVolume('./link', 'file')).toBe(false);
    expect(symlinkLeavesVolume('./a/b/link', '../../file')).toBe(false);
    expect(symlinkLeavesVolume('./a/link', './sub/../x')).toBe(false);
  });

  it('flags absolute targets and targets above the volume', () => {
    expect(symlinkLeavesVolume('./link', '/etc/passwd')).toBe(true);
    expect(symlinkLeavesVolume('./link', '..')).toBe(true);
    expect(symlinkLeavesVolume('./a/link', '../../outside')).toBe(true);
  });
});
