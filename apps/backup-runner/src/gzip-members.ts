// Compresses a byte stream as a sequence of gzip members (RFC 1952 2.2: "a gzip file consists of a series of
// members"); gunzip, GNU tar, busybox and node-tar read them as one stream. Independent members are what make
// two things possible that one deflate stream cannot do:
// - blocks compress in parallel on libuv's thread pool, off the main thread that reads files and talks to S3;
// - blocks that do not compress (media, already-compressed files, random bytes) are stored instead of being run
//   through deflate, which on such data costs a lot of CPU (node's level 1: ~55 MiB/s) for nothing.
import { promisify } from 'node:util';
import { crc32, deflateRaw, gzip } from 'node:zlib';
import { blocksOf } from './blocks.ts';

const gzipAsync = promisify(gzip);
const deflateRawAsync = promisify(deflateRaw);

export interface GzipMembersOptions {
  /** zlib level for blocks that compress; 0 stores everything. */
  level: number;
  /** Uncompressed bytes per member. Small enough to adapt to a mixed tree, large enough to keep overhead ~0. */
  blockBytes?: number;
  /** Blocks compressed at once; with the output order kept, memory is about 2 × concurrency × blockBytes. */
  concurrency?: number;
}

export const DEFAULT_BLOCK_BYTES = 1024 * 1024;
export const DEFAULT_CONCURRENCY = 2;

const SAMPLE_BYTES = 4096;
const SAMPLES = 3;
/** Samples that deflate cannot shrink below 90 % mark the block as not worth compressing. */
const COMPRESSIBLE_RATIO = 0.9;
/** Largest payload of a deflate stored block (RFC 1951 3.2.4: LEN is 16 bits). */
const STORED_BLOCK_MAX = 65_535;

/** Whether deflate gains anything on a few samples spread over the block (cheap: ~1 % of the block). */
export async function looksCompressible(block: Buffer): Promise<boolean> {
  let sample = block;
  if (block.length > SAMPLE_BYTES * SAMPLES) {
    const step = Math.floor((block.length - SAMPLE_BYTES) / (SAMPLES - 1));
    sample = Buffer.concat(
      Array.from({ length: SAMPLES }, (_, i) => block.subarray(i * step, i * step + SAMPLE_BYTES)),
    );
  }
  const out = await deflateRawAsync(sample, { level: 1 });
  return out.length < sample.length * COMPRESSIBLE_RATIO;
}

/**
 * `data` as one gzip member of stored (uncompressed) deflate blocks, written directly: a header, 5 bytes per
 * 64 KiB, CRC-32 and length. zlib at level 0 produces the same bytes at several times the cost.
 */
export function storedMember(data: Buffer): Buffer {
  const blocks = Math.max(1, Math.ceil(data.length / STORED_BLOCK_MAX));
  const out = Buffer.allocUnsafe(10 + blocks * 5 + data.length + 8);
  // ID1 ID2, CM=deflate, FLG=0, MTIME=0, XFL=0, OS=3 (Unix): what gzip -n writes.
  out.set([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3], 0);
  let at = 10;
  for (let i = 0; i < blocks; i += 1) {
    const start = i * STORED_BLOCK_MAX;
    const length = Math.min(STORED_BLOCK_MAX, data.length - start);
    out[at] = i === blocks - 1 ? 1 : 0; // BFINAL on the last block, BTYPE=00 (stored)
    out.writeUInt16LE(length, at + 1);
    out.writeUInt16LE(~length & 0xffff, at + 3);
    data.copy(out, at + 5, start, start + length);
    at += 5 + length;
  }
  out.writeUInt32LE(crc32(data), at);
  out.writeUInt32LE(data.length % 2 ** 32, at + 4);
  return out;
}

async function compressBlock(block: Buffer, level: number): Promise<Buffer> {
  // One output chunk per block: zlib's default 16 KiB chunks cost a main-thread callback each, plus a concat.
  if (level > 0 && (await looksCompressible(block)))
    return gzipAsync(block, { level, chunkSize: block.length + 1024 });
  return storedMember(block);
}

/** `source` as gzip members, in order, at most `concurrency` blocks in flight. */
export async function* gzipMembers(
  source: AsyncIterable<Uint8Array>,
  options: GzipMembersOptions,
): AsyncGenerator<Buffer> {
  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
  const blockBytes = options.blockBytes ?? DEFAULT_BLOCK_BYTES;
  // Input blocks are recycled once compressed (the output never points into them): a GiB archived allocates
  // concurrency + 1 blocks instead of a thousand, which keeps the garbage collector's backlog (and RSS) down.
  const free: Buffer[] = [];
  const allocate = () => free.pop() ?? Buffer.allocUnsafe(blockBytes);
  const inFlight: Promise<Buffer>[] = [];
  let emitted = false;
  for await (const block of blocksOf(source, blockBytes, allocate)) {
    const compressed = compressBlock(block, options.level).then((out) => {
      if (block.length === blockBytes && free.length <= concurrency) free.push(block);
      return out;
    });
    // Observed now so a failure while we wait on the source is not "unhandled"; it is rethrown when awaited.
    compressed.catch(() => undefined);
    inFlight.push(compressed);
    if (inFlight.length >= concurrency) {
      const next = inFlight.shift();
      if (next !== undefined) yield await next;
      emitted = true;
    }
  }
  for (let next = inFlight.shift(); next !== undefined; next = inFlight.shift()) {
    yield await next;
    emitted = true;
  }
  // An empty input is still a valid (empty) gzip file, not zero bytes.
  if (!emitted) yield storedMember(Buffer.alloc(0));
}
