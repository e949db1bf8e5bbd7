// The volume path from BACKUP_PVC_PATH, checked before any S3 traffic so a wrong mount fails fast and clearly.
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';

export async function openVolume(path: string): Promise<string> {
  const root = resolve(path);
  const info = await stat(root).catch((err: NodeJS.ErrnoException) => {
    throw new Error(`volume ${root} (BACKUP_PVC_PATH) is not accessible: ${err.code ?? err.message}`);
  });
  if (!info.isDirectory()) throw new Error(`volume ${root} (BACKUP_PVC_PATH) is not a directory`);
  return root;
}
