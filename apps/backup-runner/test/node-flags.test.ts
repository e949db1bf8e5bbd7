// The image starts the runner with the V8 flags the benchmark measured it with.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RUNNER_NODE_FLAGS } from '../src/node-flags.ts';

const dockerfile = join(import.meta.dirname, '..', '..', '..', 'Dockerfile');

describe('RUNNER_NODE_FLAGS', () => {
  it('are the flags of the image entrypoint and of the backup.sh/restore.sh wrappers', async () => {
    const text = await readFile(dockerfile, 'utf8');
    const stage = text.slice(text.indexOf('FROM runtime AS backup-runner'));
    const entrypoint = /^ENTRYPOINT (\[.*\])$/m.exec(stage)?.[1];
    expect(JSON.parse(entrypoint ?? '[]')).toEqual(['node', ...RUNNER_NODE_FLAGS, '/app/main.js']);
    expect(text).toContain(`exec node ${RUNNER_NODE_FLAGS.join(' ')} /app/main.js %s`);
  });
});
