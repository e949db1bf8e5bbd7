// The image starts the controller with the V8 flags the benchmark measured it with.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTROLLER_NODE_FLAGS } from '../src/node-flags.ts';

const dockerfile = join(import.meta.dirname, '..', '..', '..', 'Dockerfile');

describe('CONTROLLER_NODE_FLAGS', () => {
  it('are the flags of the module-controller image entrypoint', async () => {
    const text = await readFile(dockerfile, 'utf8');
    const stage = text.slice(text.indexOf('FROM runtime AS module-controller'));
    const entrypoint = /^ENTRYPOINT (\[.*\])$/m.exec(stage)?.[1];
    expect(JSON.parse(entrypoint ?? '[]')).toEqual(['node', ...CONTROLLER_NODE_FLAGS, '/app/main.js']);
  });
});
