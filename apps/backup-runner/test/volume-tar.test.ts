// The tar writer on a real directory: what it archives, and how it copes with a volume that changes under it.
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, truncate, unlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Parser } from 'tar';
import type { ReadEntry } from 'tar';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tarVolume } from '../src/volume-tar.ts';
import { Warnings } from '../src/warnings.ts';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'volume-tar-'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

interface Listed {
  path: string;
  type: string;
  size: number;
  body: Buffer;
}

/** Parses a tar stream with node-tar, collecting every entry and its content. */
async function parse(tar: Buffer): Promise<Listed[]> {
  const entries: Listed[] = [];
  const parser = new Parser({
    strict: true,
    onReadEntry: (entry: ReadEntry) => {
      const chunks: Buffer[] = [];
      entry.on('data', (c: Buffer) => chunks.push(c));
      entry.on('end', () =>
        entries.push({ path: entry.path, type: entry.type, size: entry.size, body: Buffer.concat(chunks) }),
      );
    },
  });
  await new Promise<void>((resolve, reject) => {
    parser.on('end', resolve);
    parser.on('error', reject);
    parser.end(tar);
  });
  return entries;
}

/** The whole stream; chunks are copied because tarVolume reuses its read buffer. */
async function collect(source: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of source) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

describe('tarVolume', () => {
  it('archives the tree relative to the volume, directories before their contents, names sorted', async () => {
    await mkdir(join(root, 'b/c'), { recursive: true });
    await writeFile(join(root, 'b/c/file'), 'content');
    await writeFile(join(root, 'a'), '');
    const warnings = new Warnings();
    const entries = await parse(await collect(tarVolume(root, warnings)));
    expect(entries.map((e) => [e.path, e.type])).toEqual([
      ['./', 'Directory'],
      ['./a', 'File'],
      ['./b/', 'Directory'],
      ['./b/c/', 'Directory'],
      ['./b/c/file', 'File'],
    ]);
    expect(entries.at(-1)?.body.toString()).toBe('content');
    expect(warnings.list()).toEqual([]);
  });

  it('skips sockets with a warning', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(join(root, 'app.sock'), resolve));
    try {
      await writeFile(join(root, 'data'), 'x');
      const warnings = new Warnings();
      const entries = await parse(await collect(tarVolume(root, warnings)));
      expect(entries.map((e) => e.path)).toEqual(['./', './data']);
      expect(warnings.list()).toEqual([
        './app.sock: not a file, directory or symlink (socket, FIFO or device); not archived',
      ]);
    } finally {
      server.close();
    }
  });

  it('skips a file deleted while the backup runs, with a warning, instead of failing', async () => {
    for (let i = 0; i < 100; i += 1)
      await writeFile(join(root, `f${String(i).padStart(3, '0')}`), `file ${i}`);
    const warnings = new Warnings();
    const stream = tarVolume(root, warnings);
    const chunks: Buffer[] = [];
    // The first chunk comes once the first entries are prepared; later ones are not opened yet.
    const first = await stream.next();
    if (!first.done) chunks.push(Buffer.from(first.value));
    await unlink(join(root, 'f090'));
    for await (const chunk of stream) chunks.push(Buffer.from(chunk));
    const entries = await parse(Buffer.concat(chunks));
    expect(entries).toHaveLength(100); // root + 99 files
    expect(entries.map((e) => e.path)).not.toContain('./f090');
    expect(warnings.list()).toEqual(['./f090: disappeared during the backup; not archived']);
  });

  it('pads a file that shrinks while it is read, keeping the archive valid', async () => {
    const big = randomBytes(3 * 1024 * 1024);
    await writeFile(join(root, 'a-big'), big);
    await writeFile(join(root, 'b-after'), 'still here');
    const warnings = new Warnings();
    const stream = tarVolume(root, warnings);
    const chunks: Buffer[] = [];
    let seen = 0;
    // Read past the header and the first megabyte of a-big, then cut the file short.
    while (seen < 1024 * 1024 + 1024) {
      const next = await stream.next();
      if (next.done) break;
      chunks.push(Buffer.from(next.value));
      seen += next.value.length;
    }
    await truncate(join(root, 'a-big'), 1536 * 1024);
    for await (const chunk of stream) chunks.push(Buffer.from(chunk));
    const entries = await parse(Buffer.concat(chunks));
    const bigEntry = entries.find((e) => e.path === './a-big');
    expect(bigEntry?.size).toBe(big.length);
    expect(bigEntry?.body.subarray(0, 1536 * 1024).equals(big.subarray(0, 1536 * 1024))).toBe(true);
    expect(bigEntry?.body.subarray(1536 * 1024).every((b) => b === 0)).toBe(true);
    expect(entries.find((e) => e.path === './b-after')?.body.toString()).toBe('still here');
    expect(warnings.list()).toEqual([
      `./a-big: shrank by ${big.length - 1536 * 1024} bytes while read; padded with zeros`,
    ]);
  });
});
