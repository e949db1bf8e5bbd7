import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { packageRoot } from './paths.ts';

const run = promisify(execFile);

/**
 * Builds any missing or outdated binary (a no-op taking a fraction of a second when the cache is warm; a cold
 * build of everything takes tens of minutes, see README). Build output goes to the cache's build-logs.
 */
export async function ensureBinaries(): Promise<void> {
  try {
    await run(join(packageRoot, 'scripts', 'build-binaries.sh'), [], { maxBuffer: 16 * 1024 * 1024 });
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr ?? '';
    throw new Error(`building the test cluster binaries failed:\n${stderr}`, { cause: err });
  }
}
