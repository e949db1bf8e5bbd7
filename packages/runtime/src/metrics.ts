// Prometheus metrics with controller-runtime's names, so existing dashboards and alerts work unchanged.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { ObjectStateMetrics } from './object-state.ts';
import type { QueueObserver } from './workqueue.ts';

const reconcileBuckets = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.25,
  1.5, 1.75, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60,
];
const queueBuckets = Array.from({ length: 12 }, (_, i) => 10e-9 * 10 ** i);

export type ReconcileResult = 'success' | 'error' | 'requeue' | 'requeue_after';

export class RuntimeMetrics {
  readonly registry: Registry;
  readonly reconcileTotal: Counter<'controller' | 'result'>;
  readonly reconcileErrors: Counter<'controller'>;
  readonly reconcileTime: Histogram<'controller'>;
  readonly activeWorkers: Gauge<'controller'>;
  readonly maxConcurrent: Gauge<'controller'>;
  readonly depth: Gauge<'name' | 'controller'>;
  readonly adds: Counter<'name' | 'controller'>;
  readonly queueDuration: Histogram<'name' | 'controller'>;
  readonly workDuration: Histogram<'name' | 'controller'>;
  readonly retries: Counter<'name' | 'controller'>;
  readonly unfinished: Gauge<'name' | 'controller'>;
  readonly longestRunning: Gauge<'name' | 'controller'>;
  readonly leaderStatus: Gauge<'name'>;
  readonly apiWrites: Counter<'verb' | 'resource'>;
  /** The state of the objects this process reconciles (object-state.ts). */
  readonly objects: ObjectStateMetrics;

  constructor(registry = new Registry()) {
    this.registry = registry;
    collectDefaultMetrics({ register: registry });
    const r = [registry];
    this.reconcileTotal = new Counter({
      name: 'controller_runtime_reconcile_total',
      help: 'Total number of reconciliations per controller',
      labelNames: ['controller', 'result'],
      registers: r,
    });
    this.reconcileErrors = new Counter({
      name: 'controller_runtime_reconcile_errors_total',
      help: 'Total number of reconciliation errors per controller',
      labelNames: ['controller'],
      registers: r,
    });
    this.reconcileTime = new Histogram({
      name: 'controller_runtime_reconcile_time_seconds',
      help: 'Length of time per reconciliation per controller',
      labelNames: ['controller'],
      buckets: reconcileBuckets,
      registers: r,
    });
    this.activeWorkers = new Gauge({
      name: 'controller_runtime_active_workers',
      help: 'Number of currently used workers per controller',
      labelNames: ['controller'],
      registers: r,
    });
    this.maxConcurrent = new Gauge({
      name: 'controller_runtime_max_concurrent_reconciles',
      help: 'Maximum number of concurrent reconciles per controller',
      labelNames: ['controller'],
      registers: r,
    });
    const q = ['name', 'controller'] as const;
    this.depth = new Gauge({
      name: 'workqueue_depth',
      help: 'Current depth of workqueue',
      labelNames: q,
      registers: r,
    });
    this.adds = new Counter({
      name: 'workqueue_adds_total',
      help: 'Total number of adds handled by workqueue',
      labelNames: q,
      registers: r,
    });
    this.queueDuration = new Histogram({
      name: 'workqueue_queue_duration_seconds',
      help: 'How long in seconds an item stays in workqueue before being requested',
      labelNames: q,
      buckets: queueBuckets,
      registers: r,
    });
    this.workDuration = new Histogram({
      name: 'workqueue_work_duration_seconds',
      help: 'How long in seconds processing an item from workqueue takes',
      labelNames: q,
      buckets: queueBuckets,
      registers: r,
    });
    this.retries = new Counter({
      name: 'workqueue_retries_total',
      help: 'Total number of retries handled by workqueue',
      labelNames: q,
      registers: r,
    });
    this.unfinished = new Gauge({
      name: 'workqueue_unfinished_work_seconds',
      help: "How many seconds of work has been done that is in progress and hasn't been observed by work_duration. Large values indicate stuck threads.",
      labelNames: q,
      registers: r,
    });
    this.longestRunning = new Gauge({
      name: 'workqueue_longest_running_processor_seconds',
      help: 'How many seconds has the longest running processor for workqueue been running.',
      labelNames: q,
      registers: r,
    });
    this.leaderStatus = new Gauge({
      name: 'leader_election_master_status',
      help: 'Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master.',
      labelNames: ['name'],
      registers: r,
    });
    this.apiWrites = new Counter({
      name: 'eevee_runtime_api_writes_total',
      help: 'Writes (create, update, patch, delete) this process sent to the Kubernetes API, by resource',
      labelNames: ['verb', 'resource'],
      registers: r,
    });
    this.objects = new ObjectStateMetrics(registry);
  }

  /** Pre-initialise a controller's series to 0, as controller-runtime does. */
  registerController(controller: string, concurrency: number): void {
    for (const result of ['success', 'error', 'requeue', 'requeue_after'] as const)
      this.reconcileTotal.inc({ controller, result }, 0);
    this.reconcileErrors.inc({ controller }, 0);
    this.maxConcurrent.set({ controller }, concurrency);
    this.activeWorkers.set({ controller }, 0);
    const labels = { name: controller, controller };
    this.adds.inc(labels, 0);
    this.retries.inc(labels, 0);
    this.depth.set(labels, 0);
    this.unfinished.set(labels, 0);
    this.longestRunning.set(labels, 0);
  }

  queueObserver(controller: string): QueueObserver {
    const labels = { name: controller, controller };
    return {
      add: () => this.adds.inc(labels),
      depth: (d) => this.depth.set(labels, d),
      retry: () => this.retries.inc(labels),
      queued: (s) => this.queueDuration.observe(labels, s),
      worked: (s) => this.workDuration.observe(labels, s),
    };
  }

  /** Updates the in-flight gauges from the queue's current holders (called on scrape). */
  observeInFlight(controller: string, inFlightMs: Map<string, number>): void {
    const labels = { name: controller, controller };
    const values = [...inFlightMs.values()];
    this.unfinished.set(labels, values.reduce((s, v) => s + v, 0) / 1000);
    this.longestRunning.set(labels, values.length ? Math.max(...values) / 1000 : 0);
  }
}
