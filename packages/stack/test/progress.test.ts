import { describe, expect, it } from 'vitest';
import { moduleRows, renderProgress } from '../src/progress.ts';

const module = (name: string, status?: Record<string, unknown>) => ({ metadata: { name }, status });

describe('the start command progress table', () => {
  it('says why a module is not Ready, from its conditions', () => {
    const rows = moduleRows([
      module('router', { phase: 'Ready', readyReplicas: 1, replicas: 1 }),
      module('seen', {
        phase: 'WaitingForBackup',
        conditions: [
          { type: 'Ready', status: 'False', reason: 'WaitingForBackup', message: 'no backup of seen yet' },
        ],
      }),
      module('echo', {
        phase: 'Updating',
        conditions: [{ type: 'Progressing', status: 'True', message: 'rolling out 1 of 2' }],
      }),
      module('admin'),
    ]);
    expect(rows.map((r) => [r.name, r.phase, r.why])).toEqual([
      ['admin', 'Pending', 'waiting for the module-controller'],
      ['echo', 'Updating', 'rolling out 1 of 2'],
      ['router', 'Ready', ''],
      ['seen', 'WaitingForBackup', 'Ready: no backup of seen yet'],
    ]);
  });

  it('renders one line per module and a summary, cut to the terminal width', () => {
    const table = renderProgress(
      moduleRows([
        module('router', { phase: 'Ready', readyReplicas: 2, replicas: 2 }),
        module('seen', {
          phase: 'Degraded',
          conditions: [{ type: 'Degraded', status: 'True', message: 'x'.repeat(200) }],
        }),
      ]),
      12.4,
      60,
    );
    const lines = table.split('\n');
    expect(lines[0]).toMatch(/MODULE\s+PHASE\s+READY/);
    expect(lines[1]).toMatch(/^✔ router\s+Ready\s+2\/2/);
    expect(lines[2]).toMatch(/^… seen\s+Degraded\s+0\/0\s+Degraded: x+…$/);
    expect(lines[2]!.length).toBe(60);
    expect(lines[3]).toBe('1/2 modules Ready (12 s)');
  });
});
