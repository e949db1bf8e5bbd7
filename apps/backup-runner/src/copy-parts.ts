// Byte ranges of a multipart server-side copy (UploadPartCopy). CopyObject stops at 5 GiB, so bigger archives are
// copied in parts: S3 allows 10,000 parts of 5 MiB to 5 GiB each (the last one may be smaller).
export const MIB = 1024 * 1024;
export const GIB = 1024 * MIB;
export const MAX_SINGLE_COPY_BYTES = 5 * GIB;
export const MIN_PART_BYTES = 5 * MIB;
export const MAX_PART_BYTES = 5 * GIB;
export const MAX_PARTS = 10_000;

export interface CopyPart {
  partNumber: number;
  /** First byte, inclusive. */
  start: number;
  /** Last byte, inclusive, as in an HTTP Range (`bytes=start-end`). */
  end: number;
}

/**
 * Splits `size` bytes into parts of `preferredPartBytes`, grown when that would need more than 10,000 parts.
 * Throws for sizes S3 cannot hold in one object (over 10,000 × 5 GiB).
 */
export function copyPartRanges(size: number, preferredPartBytes: number = 512 * MIB): CopyPart[] {
  if (!Number.isSafeInteger(size) || size <= 0)
    throw new RangeError(`cannot copy an object of ${size} bytes`);
  if (size > MAX_PARTS * MAX_PART_BYTES) throw new RangeError(`${size} bytes exceed S3's largest object`);
  const partBytes = Math.min(
    MAX_PART_BYTES,
    Math.max(MIN_PART_BYTES, preferredPartBytes, Math.ceil(size / MAX_PARTS)),
  );
  const parts: CopyPart[] = [];
  for (let start = 0, partNumber = 1; start < size; start += partBytes, partNumber += 1) {
    parts.push({ partNumber, start, end: Math.min(size, start + partBytes) - 1 });
  }
  return parts;
}
