// A failure reading the volume (not S3's): reported as such instead of as a failed upload.
export class VolumeReadError extends Error {}

/** Passes `source` through; an error it throws becomes a VolumeReadError naming the volume. */
export async function* readingVolume<T>(root: string, source: AsyncIterable<T>): AsyncGenerator<T> {
  try {
    yield* source;
  } catch (err) {
    throw new VolumeReadError(`reading the volume ${root}: ${(err as Error).message}`, { cause: err });
  }
}
