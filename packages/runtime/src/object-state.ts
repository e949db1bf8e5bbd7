// Gauges of the custom resources' state, read from the status each reconciler states (applyStatus), in the
// manner of kube-state-metrics' custom-resource-state: alerts on "module Unavailable for 10 minutes", "S3Store
// not Ready", "backup too old" need the objects' state, not only the controllers' own counters.
//
//   eevee_object_phase{kind,namespace,name,phase}                   1, for the current status.phase only
//   eevee_object_condition{kind,namespace,name,type,status}         1, per condition, for its current status
//   eevee_object_status_time_seconds{kind,namespace,name,field,item} a timestamp of the status, in unix seconds
//
// The series hold the latest status each object was reconciled to (a snapshot per object, rebuilt on scrape),
// so a phase change or a condition flip replaces the old series instead of leaving it at 0 or stale, and a
// deleted object's series go with it. Only the leader reconciles, so only the leader exports them; rules
// aggregate with max by (namespace, name) so that a leader change does not matter.
//
// Cardinality: per object one phase series (if it has a phase), one per condition (a BotModule has Ready,
// Progressing and Degraded; an IpcConfig up to 3; the other kinds 1 or 2) and one per timestamp (an S3Store 1,
// a BackupRestore up to 2, a BackupSchedule 1 plus 2 per module it backs up). A thousand BotModules are about
// 4,000 series; a condition's old status and a module's old phase are replaced, never accumulated.
import { Gauge } from 'prom-client';
import type { Registry } from 'prom-client';

/** Which object a series belongs to. `namespace` is '' for a cluster-scoped object. */
interface ObjectLabels {
  kind: string;
  namespace: string;
  name: string;
}

export interface StatusTime {
  /** Path of the field in the status, e.g. lastSuccessfulTime, lastConnectionTest.time, modules.lastScheduleTime. */
  field: string;
  /** For a field in the items of a list keyed by name (status.modules[]): the item's name. */
  item?: string;
  seconds: number;
}

export interface ObjectState {
  phase: string | undefined;
  conditions: { type: string; status: string }[];
  times: StatusTime[];
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A timestamp field: `time` or a name ending in Time (lastSuccessfulTime, startTime), not lastTransitionTime. */
const isTimeField = (key: string): boolean => key === 'time' || key.endsWith('Time');

function seconds(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms / 1000 : undefined;
}

/** Timestamp fields directly in `object`, as `<prefix><key>`. */
function timesIn(object: Record<string, unknown>, prefix: string, item?: string): StatusTime[] {
  const times: StatusTime[] = [];
  for (const [key, value] of Object.entries(object)) {
    const s = isTimeField(key) ? seconds(value) : undefined;
    if (s !== undefined)
      times.push({ field: `${prefix}${key}`, ...(item !== undefined ? { item } : {}), seconds: s });
  }
  return times;
}

/**
 * The state a status shows: its phase, its conditions (metav1.Condition: type and status) and its timestamps
 * (RFC 3339 strings in fields named `time` or `…Time`) at the top level, in a nested object (lastConnectionTest.time)
 * and in the items of a list keyed by `name` (modules[].lastSuccessfulTime, with item = the item's name).
 */
export function objectState(status: Record<string, unknown> | undefined): ObjectState {
  const state: ObjectState = { phase: undefined, conditions: [], times: [] };
  if (!status) return state;
  if (typeof status.phase === 'string' && status.phase !== '') state.phase = status.phase;
  if (Array.isArray(status.conditions)) {
    for (const c of status.conditions as unknown[]) {
      if (isRecord(c) && typeof c.type === 'string' && typeof c.status === 'string')
        state.conditions.push({ type: c.type, status: c.status });
    }
  }
  state.times.push(...timesIn(status, ''));
  for (const [key, value] of Object.entries(status)) {
    if (key === 'conditions') continue;
    if (isRecord(value)) state.times.push(...timesIn(value, `${key}.`));
    else if (Array.isArray(value)) {
      for (const entry of value as unknown[]) {
        if (isRecord(entry) && typeof entry.name === 'string')
          state.times.push(...timesIn(entry, `${key}.`, entry.name));
      }
    }
  }
  return state;
}

const objectKey = (o: ObjectLabels): string => `${o.kind}\u0000${o.namespace}\u0000${o.name}`;

export class ObjectStateMetrics {
  readonly phase: Gauge<'kind' | 'namespace' | 'name' | 'phase'>;
  readonly condition: Gauge<'kind' | 'namespace' | 'name' | 'type' | 'status'>;
  readonly statusTime: Gauge<'kind' | 'namespace' | 'name' | 'field' | 'item'>;
  private readonly objects = new Map<string, { labels: ObjectLabels; state: ObjectState }>();

  constructor(registry: Registry) {
    const objects = this.objects;
    const registers = [registry];
    // Each gauge is rebuilt from the snapshots on scrape: nothing outlives the state it describes.
    this.phase = new Gauge({
      name: 'eevee_object_phase',
      help: "The phase in the object's status: 1 for the current phase (the leader exports it)",
      labelNames: ['kind', 'namespace', 'name', 'phase'],
      registers,
      collect() {
        this.reset();
        for (const { labels, state } of objects.values())
          if (state.phase !== undefined) this.set({ ...labels, phase: state.phase }, 1);
      },
    });
    this.condition = new Gauge({
      name: 'eevee_object_condition',
      help: "The conditions in the object's status: 1 for each condition's current status (True, False or Unknown)",
      labelNames: ['kind', 'namespace', 'name', 'type', 'status'],
      registers,
      collect() {
        this.reset();
        for (const { labels, state } of objects.values())
          for (const c of state.conditions) this.set({ ...labels, type: c.type, status: c.status }, 1);
      },
    });
    this.statusTime = new Gauge({
      name: 'eevee_object_status_time_seconds',
      help: "Timestamps in the object's status (field: its path; item: the list item's name), in unix seconds",
      labelNames: ['kind', 'namespace', 'name', 'field', 'item'],
      registers,
      collect() {
        this.reset();
        for (const { labels, state } of objects.values())
          for (const t of state.times)
            this.set(
              { ...labels, field: t.field, ...(t.item !== undefined ? { item: t.item } : {}) },
              t.seconds,
            );
      },
    });
  }

  /** Records the status an object was reconciled to, replacing what was recorded for it before. */
  observe(
    kind: string,
    object: { namespace?: string | undefined; name: string },
    status: Record<string, unknown> | undefined,
  ): void {
    const labels = { kind, namespace: object.namespace ?? '', name: object.name };
    this.objects.set(objectKey(labels), { labels, state: objectState(status) });
  }

  /** Drops every series of an object (it was deleted). */
  forget(kind: string, namespace: string | undefined, name: string): void {
    this.objects.delete(objectKey({ kind, namespace: namespace ?? '', name }));
  }

  has(kind: string, namespace: string | undefined, name: string): boolean {
    return this.objects.has(objectKey({ kind, namespace: namespace ?? '', name }));
  }

  /** Drops every series (leadership lost: the new leader exports them). */
  clear(): void {
    this.objects.clear();
  }

  get size(): number {
    return this.objects.size;
  }
}
