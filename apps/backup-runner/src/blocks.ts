// Fixed-size blocks of a byte stream: the unit gzipMembers compresses and the unit uploadArchive sends as a part.

/**
 * Splits `source` into blocks of exactly `size` bytes (the last one shorter). The input is copied into buffers
 * from `allocate`, so the producer may reuse its buffers as soon as the next chunk is requested.
 */
export async function* blocksOf(
  source: AsyncIterable<Uint8Array>,
  size: number,
  allocate: () => Buffer = () => Buffer.allocUnsafe(size),
): AsyncGenerator<Buffer> {
  let block = allocate();
  let filled = 0;
  for await (const chunk of source) {
    let offset = 0;
    while (offset < chunk.byteLength) {
      const take = Math.min(size - filled, chunk.byteLength - offset);
      block.set(chunk.subarray(offset, offset + take), filled);
      filled += take;
      offset += take;
      if (filled === size) {
        yield block;
        block = allocate();
        filled = 0;
      }
    }
  }
  if (filled > 0) yield block.subarray(0, filled);
}
