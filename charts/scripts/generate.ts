// Writes the chart's generated parts (src/generated-files.ts):  pnpm --filter @eevee/charts generate
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CHARTS_DIR, chartGeneratedFiles } from '../src/generated-files.ts';

for (const [path, content] of chartGeneratedFiles()) {
  const target = join(CHARTS_DIR, path);
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, content);
  process.stdout.write(`wrote charts/${path}\n`);
}
