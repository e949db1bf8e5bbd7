import { setTimeout as sleep } from 'node:timers/promises';
import type { Instance, StartedProcess } from './processes.ts';

export class StartupError extends Error {}

/**
 * Polls `probe` until it returns true. Fails at once when one of `watch` exits (with its log), and on timeout
 * with the tails of every component log of the instance, so a failed start says why.
 */
export async function waitFor(
  what: string,
  probe: () => Promise<boolean>,
  options: { instance: Instance; watch?: StartedProcess[]; timeoutMs?: number; intervalMs?: number },
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 90_000);
  let exited: { name: string; code: string } | undefined;
  for (const p of options.watch ?? []) {
    void p.exited.then((code) => {
      exited ??= { name: p.name, code };
    });
  }
  while (Date.now() < deadline) {
    if (exited) {
      const tail = await options.instance.logTail(exited.name, 60);
      throw new StartupError(`${exited.name} exited (${exited.code}) while waiting for ${what}:\n${tail}`);
    }
    try {
      if (await probe()) return;
    } catch {
      // not ready yet
    }
    await sleep(options.intervalMs ?? 200);
  }
  throw new StartupError(
    `timed out waiting for ${what}; component logs:\n${await options.instance.allLogTails()}`,
  );
}
