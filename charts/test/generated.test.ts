// The chart's generated parts are what the generator writes now: a schema or a controller's calls changed
// without `pnpm --filter @eevee/charts generate` fails here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHARTS_DIR, chartGeneratedFiles } from '../src/generated-files.ts';

describe('generated chart files', () => {
  for (const [path, content] of chartGeneratedFiles()) {
    it(`charts/${path} is up to date`, () => {
      expect(readFileSync(join(CHARTS_DIR, path), 'utf8')).toBe(content);
    });
  }
});
