// The one-line JSON result: printed as the last stdout line and written to RESULT_FILE, which Kubernetes turns
// into the container's termination message (at most 4096 bytes, so the file copy is shortened to fit).
import { writeFile } from 'node:fs/promises';

export interface BackupResult {
  ok: true;
  action: 'backup';
  backupId: string;
  key: string;
  bytes: number;
  sha256: string;
  durationMs: number;
  deleted: string[];
  warnings: string[];
}

export interface RestoreResult {
  ok: true;
  action: 'restore';
  backupId: string;
  key: string;
  bytes: number;
  sha256: string;
  /** True when the archive's SHA-256 matched the one recorded at backup time; false when none was recorded. */
  verified: boolean;
  clean: boolean;
  durationMs: number;
  warnings: string[];
}

export interface FailureResult {
  ok: false;
  /** The command given (argv[2]), which may not be a valid one when the failure is a usage error. */
  action: string;
  error: string;
}

export type RunResult = BackupResult | RestoreResult | FailureResult;

export const TERMINATION_MESSAGE_LIMIT = 4096;

function byteLength(value: RunResult): number {
  return Buffer.byteLength(JSON.stringify(value));
}

/** `text` cut to at most `maxChars` characters, ending with an ellipsis when cut. */
function cut(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : `${text.slice(0, Math.max(0, maxChars - 1))}…`;
}

/** The longest prefix of `text` (plus an ellipsis) for which `fits` holds; binary search, since JSON escaping
 * and multi-byte characters make the byte cost of a character vary. */
function longestFitting(text: string, fits: (candidate: string) => boolean): string {
  let low = 0;
  let high = text.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (fits(cut(text, mid))) low = mid;
    else high = mid - 1;
  }
  return cut(text, low);
}

/**
 * Drops entries from the end of `list`, replacing them by a count, until `fits`; when nothing fits, only the
 * count remains.
 */
function shortenList(list: string[], fits: (candidate: string[]) => boolean): string[] {
  for (let keep = list.length - 1; keep > 0; keep -= 1) {
    const candidate = [...list.slice(0, keep), `…and ${list.length - keep} more`];
    if (fits(candidate)) return candidate;
  }
  return list.length === 0 ? [] : [`…${list.length} in all`];
}

/**
 * The result shortened to at most `limit` bytes of JSON: the error message is cut, lists of warnings and deleted
 * keys lose their tail (replaced by a count). The fields a controller reads (ok, action, ids, key) stay whole.
 */
export function fitResult(result: RunResult, limit: number = TERMINATION_MESSAGE_LIMIT): RunResult {
  if (byteLength(result) <= limit) return result;
  if (!result.ok) {
    const error = longestFitting(result.error, (e) => byteLength({ ...result, error: e }) <= limit);
    return { ...result, error };
  }
  let fitted: BackupResult | RestoreResult = { ...result, warnings: result.warnings.map((w) => cut(w, 300)) };
  if (byteLength(fitted) > limit) {
    const base = fitted;
    fitted = {
      ...base,
      warnings: shortenList(base.warnings, (w) => byteLength({ ...base, warnings: w }) <= limit),
    };
  }
  if (byteLength(fitted) > limit && fitted.action === 'backup') {
    const base = fitted;
    fitted = {
      ...base,
      deleted: shortenList(base.deleted, (d) => byteLength({ ...base, deleted: d }) <= limit),
    };
  }
  return fitted;
}

/**
 * Writes the (shortened) result to `path`. A missing directory means "not running in Kubernetes" (no
 * /dev/termination-log), which is fine; any other failure is reported to the caller as a warning line.
 */
export async function writeResultFile(path: string, result: RunResult): Promise<string | undefined> {
  try {
    await writeFile(path, JSON.stringify(fitResult(result)));
    return undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return `could not write the result to ${path}: ${(err as Error).message}`;
  }
}
