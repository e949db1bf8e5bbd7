// Multipart upload part size. S3 allows at most 10,000 parts and the size is fixed when the upload starts, while
// the archive's final size is only known at the end; so it is derived from an upper bound of the archive.
import { GIB, MAX_PARTS, MAX_PART_BYTES, MIB } from './copy-parts.ts';

/**
 * Parts of 5 MiB, S3's smallest: with 4 in flight and one being filled, the upload's buffer pool holds 25 MiB (8 MiB
 * parts: 40 MiB, ~15 MiB more peak RSS), and on the benchmark bigger parts bought no throughput (README,
 * "Measured"). 5 MiB × 10,000 parts covers archives up to ~48 GiB; larger volumes get proportionally larger parts.
 */
export const DEFAULT_PART_BYTES = 5 * MIB;
export const UPLOAD_QUEUE_SIZE = 4;

/** Room for the volume growing while it is read, plus gzip's worst case on stored blocks (≪ 1 %). */
const GROWTH_MARGIN = 1.25;

/** The largest archive the default part size holds, margin included. */
export const DEFAULT_PART_LIMIT = Math.floor((DEFAULT_PART_BYTES * MAX_PARTS) / GROWTH_MARGIN);

/** The part size for an archive of at most `estimatedBytes` (its uncompressed tar size), a multiple of 1 MiB. */
export function uploadPartSize(estimatedBytes: number): number {
  const needed = Math.ceil((estimatedBytes * GROWTH_MARGIN) / MAX_PARTS);
  const size = Math.max(DEFAULT_PART_BYTES, Math.ceil(needed / MIB) * MIB);
  if (size > MAX_PART_BYTES) {
    throw new RangeError(
      `the volume holds about ${(estimatedBytes / GIB).toFixed(0)} GiB, more than one S3 object can store`,
    );
  }
  return size;
}
