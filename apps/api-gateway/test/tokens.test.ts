import { describe, expect, it } from 'vitest';
import { bearerToken } from '../src/auth/bearer.ts';
import { allows, entryOf, parseTokenFile, verifyToken } from '../src/auth/tokens.ts';
import type { ApiError } from '../src/http/errors.ts';

describe('token files', () => {
  it('reads one token per line with an optional scope, skipping blanks and comments', () => {
    const entries = parseTokenFile(
      '# rotation: new first\nnew-token\n\nold-token restart\nviewer read\n',
      'f',
    );
    expect(entries.map((e) => e.scope)).toEqual(['restart', 'restart', 'read']);
    expect(verifyToken(entries, 'new-token')).toBe('restart');
    expect(verifyToken(entries, 'old-token')).toBe('restart');
    expect(verifyToken(entries, 'viewer')).toBe('read');
    expect(verifyToken(entries, 'nope')).toBeUndefined();
  });

  it('takes a Secret key file with a trailing newline (or CRLF) as one token', () => {
    expect(verifyToken(parseTokenFile('s3cr3t\r\n', 'f'), 's3cr3t')).toBe('restart');
  });

  it('refuses an unknown scope word without printing the token', () => {
    expect(() => parseTokenFile('ok\nhunter2 admin\n', '/etc/tokens')).toThrow(
      '/etc/tokens line 2: expected "<token>" or "<token> read|restart"',
    );
    try {
      parseTokenFile('hunter2 admin', 'f');
    } catch (err) {
      expect((err as Error).message).not.toContain('hunter2');
    }
  });

  it('compares whole tokens: prefixes, suffixes and other lengths do not match', () => {
    const entries = [entryOf('abcdef')];
    for (const guess of ['abcde', 'abcdefg', 'ABCDEF', '', 'abcdef '])
      expect(verifyToken(entries, guess)).toBeUndefined();
  });

  it('grants the widest scope when a token is listed twice', () => {
    expect(verifyToken([entryOf('t', 'read'), entryOf('t', 'restart')], 't')).toBe('restart');
    expect(allows('read', 'restart')).toBe(false);
    expect(allows('read', 'read')).toBe(true);
    expect(allows('restart', 'read')).toBe(true);
  });
});

describe('the Authorization header (upstream errors)', () => {
  const error = (header: string | undefined): string => {
    try {
      bearerToken(header);
      return 'accepted';
    } catch (err) {
      return `${(err as ApiError).status} ${(err as ApiError).body.error}`;
    }
  };

  it('answers upstream’s messages', () => {
    expect(error(undefined)).toBe('401 Authorization header required');
    expect(error('')).toBe('401 Authorization header required');
    expect(error('Bearer')).toBe('401 Invalid authorization format');
    expect(error('Bearer a b')).toBe('401 Invalid authorization format');
    expect(error('Basic dXNlcjpwdw==')).toBe('401 Invalid authorization format');
    expect(error('Bearer  token')).toBe('401 Invalid authorization format');
    expect(error('Bearer token')).toBe('accepted');
    expect(error('bearer token')).toBe('accepted');
    expect(bearerToken('Bearer abc')).toBe('abc');
  });
});
