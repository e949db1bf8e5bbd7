// The generators produce specs the schemas accept (so the round-trip property tests valid input only).
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { formatZodError, resourceSchemas } from '../src/index.ts';
import type { KindName } from '../src/index.ts';
import { specArbitraries } from './arbitraries.ts';

it.each(Object.keys(specArbitraries) as KindName[])('random %s specs are valid', (kind) => {
  fc.assert(
    fc.property(specArbitraries[kind], (spec) => {
      const result = resourceSchemas[kind].safeParse({ apiVersion: 'eevee.bot/v1', kind, metadata: { name: 'x' }, spec });
      expect(result.success ? '' : formatZodError(result.error)).toBe('');
    }),
    { numRuns: 200 },
  );
});
