// Follows a namespace's BotModules until every one is Ready (or Disabled), redrawing the table in place on a
// terminal and printing it when it changes otherwise; after `timeoutMs` it returns with what is not Ready.
import { RESOURCES } from '@eevee/runtime';
import type { KubeClient, KubeObject } from '@eevee/runtime';
import type { ModuleRow } from './progress.ts';
import { isSettled, moduleRows, renderProgress } from './progress.ts';

export async function followModules(
  client: KubeClient,
  namespace: string,
  options: { timeoutMs: number; out?: NodeJS.WriteStream },
): Promise<{ ready: boolean; rows: ModuleRow[] }> {
  const out = options.out ?? process.stdout;
  const started = Date.now();
  let drawn = 0;
  let last = '';
  let lastPrint = 0;
  for (;;) {
    const list = await client.list<KubeObject & Parameters<typeof moduleRows>[0][number]>(
      RESOURCES.BotModule,
      {
        namespace,
      },
    );
    const rows = moduleRows(list.items);
    const ready = rows.length > 0 && rows.every(isSettled);
    const timedOut = Date.now() - started > options.timeoutMs;
    const table = renderProgress(rows, (Date.now() - started) / 1000, out.columns ?? 120);
    if (out.isTTY) {
      // Move up over the previous table and clear it: a live view.
      out.write(`${drawn > 0 ? `\x1b[${drawn}A\x1b[J` : ''}${table}\n`);
      drawn = table.split('\n').length;
    } else if (
      table.replace(/\(\d+ s\)$/, '') !== last ||
      ready ||
      timedOut ||
      Date.now() - lastPrint > 15_000
    ) {
      out.write(`${table}\n\n`);
      last = table.replace(/\(\d+ s\)$/, '');
      lastPrint = Date.now();
    }
    if (ready || timedOut) return { ready, rows };
    await new Promise((r) => setTimeout(r, 1000));
  }
}
