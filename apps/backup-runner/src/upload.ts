// Streams the archive into one S3 object with a multipart upload: parts are uploaded while later ones are still
// being produced, nothing touches disk. Parts are filled into a fixed pool of queueSize + 1 buffers that are reused
// for the whole upload, so memory is that pool whatever the volume size. lib-storage's Upload (the benchmark's
// baseline) allocates and concatenates a fresh buffer per part instead.
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import type { CompletedPart, S3Client } from '@aws-sdk/client-s3';
import { blocksOf } from './blocks.ts';

export const ARCHIVE_CONTENT_TYPE = 'application/gzip';

export interface UploadTarget {
  bucket: string;
  key: string;
  partSize: number;
  queueSize: number;
}

/** The multipart upload under way: its id once started, its parts in flight and done. */
class MultipartUpload {
  readonly #client: S3Client;
  readonly #target: UploadTarget;
  #uploadId: string | undefined;
  readonly #done: CompletedPart[] = [];
  readonly #inFlight = new Set<Promise<void>>();
  #failure: Error | undefined;

  constructor(client: S3Client, target: UploadTarget) {
    this.#client = client;
    this.#target = target;
  }

  get started(): boolean {
    return this.#uploadId !== undefined;
  }

  async start(): Promise<void> {
    const { bucket, key } = this.#target;
    const created = await this.#client.send(
      new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ContentType: ARCHIVE_CONTENT_TYPE }),
    );
    if (created.UploadId === undefined) throw new Error('S3 returned no upload id');
    this.#uploadId = created.UploadId;
  }

  /** Starts uploading `body` as part `partNumber`; `release` runs once S3 answered (the buffer is free again). */
  send(partNumber: number, body: Buffer, release: () => void): void {
    const { bucket, key } = this.#target;
    const sent = this.#client
      .send(
        new UploadPartCommand({
          Bucket: bucket,
          Key: key,
          UploadId: this.#uploadId,
          PartNumber: partNumber,
          Body: body,
        }),
      )
      .then(
        (answer) => void this.#done.push({ PartNumber: partNumber, ETag: answer.ETag }),
        (err: unknown) => void (this.#failure ??= err instanceof Error ? err : new Error(String(err))),
      )
      .finally(() => {
        release();
        this.#inFlight.delete(sent);
      });
    this.#inFlight.add(sent);
  }

  /** Waits until fewer than `limit` parts are in flight; throws the first part failure. */
  async waitBelow(limit: number): Promise<void> {
    while (this.#inFlight.size >= limit) await Promise.race(this.#inFlight);
    if (this.#failure !== undefined) throw this.#failure;
  }

  async complete(): Promise<string | undefined> {
    await this.waitBelow(1);
    const { bucket, key } = this.#target;
    const parts = this.#done.toSorted((a, b) => (a.PartNumber ?? 0) - (b.PartNumber ?? 0));
    const completed = await this.#client.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        UploadId: this.#uploadId,
        MultipartUpload: { Parts: parts },
      }),
    );
    return completed.ETag;
  }

  /** Leaves no parts behind (they would be billed and never collected). Best effort: the cause is reported. */
  async abort(): Promise<void> {
    await Promise.allSettled(this.#inFlight);
    if (this.#uploadId === undefined) return;
    const { bucket, key } = this.#target;
    await this.#client
      .send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: this.#uploadId }))
      .catch(() => undefined);
  }
}

/**
 * Uploads `body`; an archive smaller than one part is a single PutObject. On any failure (of the body or of S3)
 * the multipart upload is aborted, leaving no parts.
 */
export async function uploadArchive(
  client: S3Client,
  target: UploadTarget,
  body: AsyncIterable<Uint8Array>,
): Promise<{ etag: string | undefined }> {
  const { partSize, queueSize } = target;
  // At most queueSize parts are in flight when the next one is filled, so the pool never needs more buffers.
  const free: Buffer[] = [];
  const allocate = () => free.pop() ?? Buffer.allocUnsafe(partSize);
  const upload = new MultipartUpload(client, target);
  let partNumber = 0;
  try {
    for await (const block of blocksOf(body, partSize, allocate)) {
      // Only the last block can be short: a short first block is the whole archive.
      if (block.length < partSize && !upload.started) return await putWhole(client, target, block);
      if (!upload.started) await upload.start();
      await upload.waitBelow(queueSize);
      partNumber += 1;
      upload.send(partNumber, block, () => {
        if (block.length === partSize) free.push(block);
      });
    }
    if (!upload.started) return await putWhole(client, target, Buffer.alloc(0));
    return { etag: await upload.complete() };
  } catch (err) {
    await upload.abort();
    throw err;
  }
}

async function putWhole(
  client: S3Client,
  target: UploadTarget,
  body: Buffer,
): Promise<{ etag: string | undefined }> {
  const put = await client.send(
    new PutObjectCommand({
      Bucket: target.bucket,
      Key: target.key,
      Body: body,
      ContentType: ARCHIVE_CONTENT_TYPE,
    }),
  );
  return { etag: put.ETag };
}
