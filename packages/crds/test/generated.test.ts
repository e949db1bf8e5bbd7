// The committed crds/ are exactly what the schemas generate: nobody edits them by hand.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, it } from 'vitest';
import { generatedFiles } from '../src/index.ts';
import { crdsDir } from './examples.ts';

function committedYaml(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'examples' ? [] : committedYaml(path);
    return entry.name.endsWith('.yaml') ? [relative(crdsDir, path)] : [];
  });
}

it('crds/ matches the generator output (run pnpm --filter @eevee/crds generate)', () => {
  const files = generatedFiles();
  expect(committedYaml(crdsDir).sort()).toEqual([...files.keys()].sort());
  for (const [name, content] of files) expect(readFileSync(join(crdsDir, name), 'utf8'), name).toBe(content);
});
