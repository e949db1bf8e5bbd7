import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estimateArchiveBound, estimateTarBytes } from '../src/volume-size.ts';

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'volume-size-'));
  await mkdir(join(root, 'dir'));
  await writeFile(join(root, 'dir/a'), Buffer.alloc(1000));
  await writeFile(join(root, 'b'), Buffer.alloc(512));
  await mkdir(join(root, '.eevee-restore-x'));
  await writeFile(join(root, '.eevee-restore-x/huge'), Buffer.alloc(100_000));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('estimateTarBytes', () => {
  it('bounds the tar size: padded file sizes, a header allowance per entry, work dirs left out', async () => {
    // dir, dir/a (1024 padded), b (512): 3 entries × 1536 + 1536 data + 1024 end blocks.
    expect(await estimateTarBytes(root)).toBe(3 * 1536 + 1024 + 512 + 1024);
  });
});

describe('estimateArchiveBound', () => {
  it('takes the filesystem usage when it is small enough not to matter', async () => {
    const bound = await estimateArchiveBound(root, Number.MAX_SAFE_INTEGER);
    expect(bound).toBeGreaterThan(0);
    expect(bound).not.toBe(await estimateTarBytes(root));
  });

  it('walks the tree when the filesystem usage is large', async () => {
    expect(await estimateArchiveBound(root, 0)).toBe(await estimateTarBytes(root));
  });
});
