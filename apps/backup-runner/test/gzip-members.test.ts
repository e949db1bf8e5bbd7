import { randomBytes } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { blocksOf } from '../src/blocks.ts';
import { gzipMembers, looksCompressible } from '../src/gzip-members.ts';

async function collect(source: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of source) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function* chunked(data: Buffer, sizes: number[]): AsyncGenerator<Buffer> {
  let offset = 0;
  for (let i = 0; offset < data.length; i += 1) {
    const size = sizes[i % sizes.length] ?? 1;
    await nextTurn();
    yield data.subarray(offset, offset + size);
    offset += size;
  }
}

const text = Buffer.from('the eevee bot says hello to the channel\n'.repeat(40_000));

describe('blocksOf', () => {
  it('re-chunks any input into blocks of the given size', async () => {
    const data = randomBytes(10_000);
    const blocks: Buffer[] = [];
    for await (const block of blocksOf(chunked(data, [1, 999, 4096, 7]), 1024)) blocks.push(block);
    expect(blocks.slice(0, -1).every((b) => b.length === 1024)).toBe(true);
    expect(blocks.at(-1)?.length).toBe(10_000 % 1024);
    expect(Buffer.concat(blocks).equals(data)).toBe(true);
  });
});

describe('looksCompressible', () => {
  it('tells text from random bytes', async () => {
    expect(await looksCompressible(text.subarray(0, 1 << 20))).toBe(true);
    expect(await looksCompressible(randomBytes(1 << 20))).toBe(false);
    expect(await looksCompressible(Buffer.alloc(100))).toBe(true);
  });
});

describe('gzipMembers', () => {
  it('produces a gzip stream that gunzips to the input, compressing text and storing random bytes', async () => {
    const random = randomBytes(3 << 20);
    const input = Buffer.concat([text, random, text]);
    const output = await collect(
      gzipMembers(chunked(input, [65_536, 1_000_003]), { level: 1, blockBytes: 1 << 20 }),
    );
    expect(gunzipSync(output).equals(input)).toBe(true);
    // Text shrinks a lot; the random part is stored, not inflated beyond a few header bytes.
    expect(output.length).toBeLessThan(random.length + 0.1 * text.length * 2);
    expect(output.length).toBeGreaterThan(random.length);
  });

  it('stores everything at level 0 and still makes valid gzip', async () => {
    const output = await collect(gzipMembers(chunked(text, [100_000]), { level: 0 }));
    expect(gunzipSync(output).equals(text)).toBe(true);
    expect(output.length).toBeGreaterThan(text.length);
  });

  it('turns an empty input into an empty gzip file, not zero bytes', async () => {
    const output = await collect(gzipMembers(chunked(Buffer.alloc(0), [1]), { level: 1 }));
    expect(output.length).toBeGreaterThan(0);
    expect(gunzipSync(output).length).toBe(0);
  });

  it('passes a failure of the source on', async () => {
    async function* failing(): AsyncGenerator<Buffer> {
      yield text.subarray(0, 5000);
      await nextTurn();
      throw new Error('disk on fire');
    }
    await expect(collect(gzipMembers(failing(), { level: 1 }))).rejects.toThrow('disk on fire');
  });
});

describe('storedMember', () => {
  it('writes a valid gzip member of stored blocks, whatever the size', async () => {
    const { storedMember } = await import('../src/gzip-members.ts');
    for (const size of [0, 1, 65_535, 65_536, 200_000]) {
      const data = randomBytes(size);
      const member = storedMember(data);
      expect(gunzipSync(member).equals(data), `size ${size}`).toBe(true);
      expect(member.length).toBe(10 + Math.max(1, Math.ceil(size / 65_535)) * 5 + size + 8);
    }
  });
});
