// Writes crds/ from the zod schemas:  pnpm --filter @eevee/crds generate
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { generatedFiles } from '../src/generated-files.ts';

const out = join(import.meta.dirname, '..', '..', '..', 'crds');
const files = generatedFiles();
// Remove stale generated files (a renamed kind), keep the hand-written README and examples.
for (const name of await readdir(out)) if (name.endsWith('.yaml') && !files.has(name)) await rm(join(out, name));
for (const [name, content] of files) {
  await mkdir(dirname(join(out, name)), { recursive: true });
  await writeFile(join(out, name), content);
}
console.log(`wrote ${files.size} files to ${out}`);
