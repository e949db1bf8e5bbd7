// Streams the archive into one S3 object with a multipart upload: parts are uploaded while later ones are still
// being produced, memory stays at about (queueSize + 1) × partSize whatever the volume size, nothing touches disk.
import { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';

export const ARCHIVE_CONTENT_TYPE = 'application/gzip';

export interface UploadTarget {
  bucket: string;
  key: string;
  partSize: number;
  queueSize: number;
}

/** Uploads `body`; on any failure (of the body or of S3) the multipart upload is aborted, leaving no parts. */
export async function uploadArchive(
  client: S3Client,
  target: UploadTarget,
  body: AsyncIterable<Uint8Array>,
): Promise<{ etag: string | undefined }> {
  const upload = new Upload({
    client,
    params: {
      Bucket: target.bucket,
      Key: target.key,
      Body: Readable.from(body, { objectMode: false }),
      ContentType: ARCHIVE_CONTENT_TYPE,
    },
    partSize: target.partSize,
    queueSize: target.queueSize,
    leavePartsOnError: false,
  });
  const result = await upload.done();
  return { etag: result.ETag };
}
