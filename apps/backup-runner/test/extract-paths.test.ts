import { describe, expect, it } from 'vitest';
import { normalizeEntryPath } from '../src/extract.ts';

describe('normalizeEntryPath', () => {
  it('maps tar entry paths to plain relative paths', () => {
    expect(normalizeEntryPath('./')).toBe('');
    expect(normalizeEntryPath('.')).toBe('');
    expect(normalizeEntryPath('./a/b/')).toBe('a/b');
    expect(normalizeEntryPath('a/b/')).toBe('a/b');
    expect(normalizeEntryPath('./a//b/./c/')).toBe('a/b/c');
  });
});
