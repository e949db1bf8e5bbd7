// The upstream restart body's validation messages: upstream's for a missing field, and for anything else the
// actual cause (a too-long name used to answer "must be a string").
import { describe, expect, it } from 'vitest';
import { restartModuleRequestSchema } from '../src/schemas.ts';

const message = (body: unknown): string | undefined => {
  const r = restartModuleRequestSchema.safeParse(body);
  return r.success ? 'ok' : r.error.issues[0]?.message;
};

describe('the upstream restart request', () => {
  it('keeps upstream’s messages for a missing field, moduleName first', () => {
    expect(message({})).toBe('moduleName is required');
    expect(message({ moduleName: '', namespace: 'x' })).toBe('moduleName is required');
    expect(message({ moduleName: 'echo' })).toBe('namespace is required');
    expect(message({ moduleName: 'echo', namespace: '' })).toBe('namespace is required');
    expect(message({ moduleName: 'echo', namespace: 'eevee-bot' })).toBe('ok');
    expect(message({ moduleName: 'echo.v2', namespace: 'eevee-bot' })).toBe('ok');
  });

  it('says a value of another type is not a string', () => {
    expect(message({ moduleName: 5, namespace: 'x' })).toBe('moduleName must be a string');
    expect(message({ moduleName: ['echo'], namespace: 'x' })).toBe('moduleName must be a string');
    expect(message({ moduleName: 'echo', namespace: null })).toBe('namespace must be a string');
  });

  it('says a name is too long, at the Kubernetes limits', () => {
    expect(message({ moduleName: 'e'.repeat(253), namespace: 'n'.repeat(63) })).toBe('ok');
    expect(message({ moduleName: 'e'.repeat(254), namespace: 'x' })).toBe(
      'moduleName must be at most 253 characters',
    );
    expect(message({ moduleName: 'echo', namespace: 'n'.repeat(64) })).toBe(
      'namespace must be at most 63 characters',
    );
  });

  it('says a name is not one Kubernetes allows', () => {
    for (const moduleName of ['Echo', '-echo', 'echo-', 'echo/../x', 'echo\u0000'])
      expect(message({ moduleName, namespace: 'x' }), moduleName).toMatch(
        /^moduleName must be a DNS-1123 subdomain \(/,
      );
    // A namespace is a label: no dots.
    for (const namespace of ['Bots', 'eevee.bot', 'bots-', '..'])
      expect(message({ moduleName: 'echo', namespace }), namespace).toMatch(
        /^namespace must be a DNS-1123 label \(/,
      );
  });
});
