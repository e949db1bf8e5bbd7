// The backup pipeline without S3, run by the benchmark as its own process: the volume read, tarred, gzipped and
// hashed exactly as `backup` does, the output discarded. Shows what the CPU can produce when it is not shared
// with an upload and an S3 server. Env: BENCH_PIPELINE_VOLUME, BACKUP_GZIP_LEVEL.
import { digested, StreamDigest } from '../src/digest.ts';
import { gzipMembers } from '../src/gzip-members.ts';
import { tarVolume } from '../src/volume-tar.ts';
import { Warnings } from '../src/warnings.ts';

const digest = new StreamDigest();
const tar = tarVolume(process.env.BENCH_PIPELINE_VOLUME ?? '', new Warnings());
for await (const chunk of digested(
  gzipMembers(tar, { level: Number(process.env.BACKUP_GZIP_LEVEL ?? 1) }),
  digest,
)) {
  void chunk;
}
process.stdout.write(`${JSON.stringify({ bytes: digest.bytes, sha256: digest.sha256 })}\n`);
