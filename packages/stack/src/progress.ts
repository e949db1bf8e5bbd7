// The start command's live view of a bot: one line per BotModule with its phase, replicas and, when it is not
// Ready, the reason its status gives. Pure functions of the BotModules read, so they are unit-tested.

export interface ModuleRow {
  name: string;
  phase: string;
  ready: number;
  desired: number;
  /** Why it is not Ready yet (the first False condition's message), empty when Ready. */
  why: string;
}

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

interface ModuleLike {
  metadata: { name: string };
  status?: {
    phase?: string;
    readyReplicas?: number;
    replicas?: number;
    conditions?: Condition[];
  };
}

export const isSettled = (row: ModuleRow): boolean => row.phase === 'Ready' || row.phase === 'Disabled';

/** Rows sorted by name; a module without status yet reads as Pending. */
export function moduleRows(modules: ModuleLike[]): ModuleRow[] {
  return modules
    .map((m) => {
      const s = m.status ?? {};
      const phase = s.phase ?? 'Pending';
      const blocking = (s.conditions ?? []).find(
        (c) =>
          (c.type === 'Degraded' && c.status === 'True') || (c.type !== 'Degraded' && c.status === 'False'),
      );
      const progressing = (s.conditions ?? []).find((c) => c.type === 'Progressing' && c.status === 'True');
      const why =
        phase === 'Ready' || phase === 'Disabled'
          ? ''
          : blocking
            ? `${blocking.type}: ${blocking.message || blocking.reason || blocking.status}`
            : progressing
              ? `${progressing.message || progressing.reason || 'progressing'}`
              : 'waiting for the module-controller';
      return { name: m.metadata.name, phase, ready: s.readyReplicas ?? 0, desired: s.replicas ?? 0, why };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The table, plus a summary line ("9/12 modules Ready"). `width` cuts long reasons to the terminal. */
export function renderProgress(rows: ModuleRow[], elapsedSeconds: number, width = 120): string {
  const nameWidth = Math.max(6, ...rows.map((r) => r.name.length));
  const phaseWidth = Math.max(5, ...rows.map((r) => r.phase.length));
  const lines = rows.map((r) => {
    const mark = isSettled(r) ? '✔' : '…';
    const line = `${mark} ${r.name.padEnd(nameWidth)}  ${r.phase.padEnd(phaseWidth)}  ${`${r.ready}/${r.desired}`.padStart(5)}  ${r.why}`;
    return line.length > width ? `${line.slice(0, width - 1)}…` : line;
  });
  const settled = rows.filter(isSettled).length;
  return [
    `  ${'MODULE'.padEnd(nameWidth)}  ${'PHASE'.padEnd(phaseWidth)}  READY`,
    ...lines,
    `${settled}/${rows.length} modules Ready (${Math.round(elapsedSeconds)} s)`,
  ].join('\n');
}
