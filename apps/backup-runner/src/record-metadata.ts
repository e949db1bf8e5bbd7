// Records the archive's checksum and size as user metadata (x-amz-meta-eevee-sha256 / -size). They are only
// known once the last byte is uploaded, and S3 takes metadata only when an upload starts, so the object is
// copied onto itself with new metadata: server-side, no bytes through this process.
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { copyPartRanges, MAX_SINGLE_COPY_BYTES } from './copy-parts.ts';
import type { CopyPart } from './copy-parts.ts';

export const SHA256_METADATA = 'eevee-sha256';
export const SIZE_METADATA = 'eevee-size';

/** A server-side copy of a large part can take minutes; the client's 30 s would abort a healthy copy. */
const COPY_REQUEST_TIMEOUT_MS = 15 * 60_000;
const COPY_CONCURRENCY = 4;

export interface MetadataTarget {
  bucket: string;
  key: string;
  size: number;
  /** Only this version is copied (If-Match), so a concurrent writer of the same key cannot slip in. */
  etag: string | undefined;
  contentType: string;
  metadata: Record<string, string>;
  /** Objects up to this size take one CopyObject; bigger ones a multipart copy. Lowered in tests. */
  singleCopyLimit?: number;
  /** Preferred part size of a multipart copy (see copyPartRanges). */
  copyPartBytes?: number;
}

/** `bucket/key` for x-amz-copy-source: URL-encoded, but with the key's slashes kept. */
export function copySource(bucket: string, key: string): string {
  return `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
}

export async function recordMetadata(client: S3Client, target: MetadataTarget): Promise<void> {
  const source = copySource(target.bucket, target.key);
  if (target.size <= (target.singleCopyLimit ?? MAX_SINGLE_COPY_BYTES)) {
    await client.send(
      new CopyObjectCommand({
        Bucket: target.bucket,
        Key: target.key,
        CopySource: source,
        CopySourceIfMatch: target.etag,
        MetadataDirective: 'REPLACE',
        ContentType: target.contentType,
        Metadata: target.metadata,
      }),
      { requestTimeout: COPY_REQUEST_TIMEOUT_MS },
    );
    return;
  }
  await multipartCopy(client, target, source, copyPartRanges(target.size, target.copyPartBytes));
}

async function multipartCopy(
  client: S3Client,
  target: MetadataTarget,
  source: string,
  ranges: CopyPart[],
): Promise<void> {
  const { UploadId } = await client.send(
    new CreateMultipartUploadCommand({
      Bucket: target.bucket,
      Key: target.key,
      ContentType: target.contentType,
      Metadata: target.metadata,
    }),
  );
  if (UploadId === undefined) throw new Error('S3 started a multipart copy without an upload id');
  try {
    const parts: { PartNumber: number; ETag: string | undefined }[] = [];
    const queue = [...ranges];
    const worker = async (): Promise<void> => {
      for (let range = queue.shift(); range !== undefined; range = queue.shift()) {
        const out = await client.send(
          new UploadPartCopyCommand({
            Bucket: target.bucket,
            Key: target.key,
            UploadId,
            PartNumber: range.partNumber,
            CopySource: source,
            CopySourceIfMatch: target.etag,
            CopySourceRange: `bytes=${range.start}-${range.end}`,
          }),
          { requestTimeout: COPY_REQUEST_TIMEOUT_MS },
        );
        parts.push({ PartNumber: range.partNumber, ETag: out.CopyPartResult?.ETag });
      }
    };
    await Promise.all(Array.from({ length: Math.min(COPY_CONCURRENCY, ranges.length) }, worker));
    parts.sort((a, b) => a.PartNumber - b.PartNumber);
    await client.send(
      new CompleteMultipartUploadCommand({
        Bucket: target.bucket,
        Key: target.key,
        UploadId,
        MultipartUpload: { Parts: parts },
      }),
      { requestTimeout: COPY_REQUEST_TIMEOUT_MS },
    );
  } catch (err) {
    // The original object is untouched until Complete succeeds; only the started copy needs cleaning up.
    await client
      .send(new AbortMultipartUploadCommand({ Bucket: target.bucket, Key: target.key, UploadId }))
      .catch(() => undefined);
    throw err;
  }
}
