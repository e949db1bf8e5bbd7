// SHA-256 and length of a byte stream, computed while the bytes pass through (nothing is buffered or re-read).
import { createHash } from 'node:crypto';

export class StreamDigest {
  readonly #hash = createHash('sha256');
  #bytes = 0;
  #hex: string | undefined;

  update(chunk: Uint8Array): void {
    this.#hash.update(chunk);
    this.#bytes += chunk.byteLength;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** The hex digest; valid once the stream has ended. */
  get sha256(): string {
    this.#hex ??= this.#hash.digest('hex');
    return this.#hex;
  }
}

/** Passes `source` through unchanged, feeding every chunk to `digest`. */
export async function* digested<T extends Uint8Array>(
  source: AsyncIterable<T>,
  digest: StreamDigest,
): AsyncGenerator<T> {
  for await (const chunk of source) {
    digest.update(chunk);
    yield chunk;
  }
}
