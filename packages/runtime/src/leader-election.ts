// Leader election on a coordination.k8s.io/v1 Lease, as client-go does it: 15 s lease, renew within 10 s,
// retry every 2 s (jittered). Validity is judged from the local time the record was last seen changing, not
// the remote renewTime, so clock skew between machines does not matter. On graceful shutdown the lease is
// released (holder cleared, 1 s duration) so a standby takes over at once.
import { setTimeout as sleep } from 'node:timers/promises';
import { jitter } from './clock.ts';
import type { KubeClient, KubeObject, ResourceType } from './kube-client.ts';
import { isConflict, isNotFound } from './kube-client.ts';
import type { Logger } from './logger.ts';

const leaseType: ResourceType = {
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  plural: 'leases',
  namespaced: true,
};

interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}
type Lease = KubeObject & { spec?: LeaseSpec };

export interface LeaderElectionOptions {
  namespace: string;
  name: string;
  identity: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  logger?: Logger;
  onStartedLeading: () => void;
  onStoppedLeading: () => void;
}

const microTime = (ms: number): string => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

export class LeaderElector {
  private readonly client: KubeClient;
  private readonly o: Required<Omit<LeaderElectionOptions, 'logger'>> & { logger?: Logger };
  private observed: { record: string; at: number } | undefined;
  private lease: Lease | undefined;
  private leading = false;
  private stopped = false;
  /** True once the first attempt to acquire has settled: we then know whether we lead or stand by. */
  attempted = false;
  /** Local time at which the current holder's lease expires unless we see it renewed. */
  private heldUntil = 0;
  private loop: Promise<void> | undefined;

  constructor(client: KubeClient, options: LeaderElectionOptions) {
    this.client = client;
    this.o = { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000, ...options };
    if (!(
      this.o.leaseDurationMs > this.o.renewDeadlineMs && this.o.renewDeadlineMs > 1.2 * this.o.retryPeriodMs
    )) {
      throw new Error('leader election needs leaseDuration > renewDeadline > 1.2 * retryPeriod');
    }
  }

  isLeader(): boolean {
    return this.leading;
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** Stops campaigning; if leading, releases the lease so a standby takes over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
    if (this.leading) {
      this.leading = false;
      await this.release();
      this.o.onStoppedLeading();
    }
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      // Acquire: poll until the lease is ours.
      while (!this.stopped) {
        const acquired = await this.tryAcquireOrRenew();
        this.attempted = true;
        if (acquired) break;
        // Poll every retry period, but wake exactly when the holder's lease runs out: a dead leader is replaced
        // about leaseDuration after its last renewal, not up to a further retry period later.
        const untilExpiry = this.heldUntil - Date.now();
        await sleep(Math.max(50, Math.min(jitter(this.o.retryPeriodMs, 0.5), untilExpiry + 50)));
      }
      if (this.stopped) return;
      this.leading = true;
      this.o.logger?.info('became leader', {
        lease: `${this.o.namespace}/${this.o.name}`,
        identity: this.o.identity,
      });
      this.o.onStartedLeading();
      // Renew: every retryPeriod; give up when no renewal succeeded within renewDeadline.
      let lastRenew = Date.now();
      while (!this.stopped) {
        await sleep(this.o.retryPeriodMs);
        if (this.stopped) return;
        if (await this.tryAcquireOrRenew()) lastRenew = Date.now();
        else if (Date.now() - lastRenew > this.o.renewDeadlineMs) break;
      }
      if (this.stopped) return;
      this.leading = false;
      this.o.logger?.warn('lost leadership', { lease: `${this.o.namespace}/${this.o.name}` });
      this.o.onStoppedLeading();
    }
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const now = Date.now();
    const mine: LeaseSpec = {
      holderIdentity: this.o.identity,
      leaseDurationSeconds: Math.round(this.o.leaseDurationMs / 1000),
      renewTime: microTime(now),
    };
    try {
      let lease: Lease;
      try {
        lease = await this.client.get<Lease>(leaseType, this.o.namespace, this.o.name);
      } catch (err) {
        if (!isNotFound(err)) throw err;
        this.lease = await this.client.create<Lease>(leaseType, {
          apiVersion: leaseType.apiVersion,
          kind: 'Lease',
          metadata: { name: this.o.name, namespace: this.o.namespace },
          spec: { ...mine, acquireTime: microTime(now), leaseTransitions: 0 },
        });
        this.observe(this.lease);
        return true;
      }
      this.observe(lease);
      const spec = lease.spec ?? {};
      const holder = spec.holderIdentity ?? '';
      const held = holder !== '' && holder !== this.o.identity;
      const expiresAt = (this.observed?.at ?? now) + (spec.leaseDurationSeconds ?? 0) * 1000;
      if (held && expiresAt > now) {
        this.heldUntil = expiresAt;
        return false;
      }
      const body: Lease = {
        ...lease,
        spec: {
          ...spec,
          ...mine,
          acquireTime: holder === this.o.identity ? spec.acquireTime : microTime(now),
          leaseTransitions: (spec.leaseTransitions ?? 0) + (holder === this.o.identity ? 0 : 1),
        },
      };
      this.lease = await this.client.replace<Lease>(leaseType, body);
      this.observe(this.lease);
      return true;
    } catch (err) {
      if (!isConflict(err)) this.o.logger?.warn('lease update failed', { error: (err as Error).message });
      return false;
    }
  }

  private observe(lease: Lease): void {
    const record = JSON.stringify(lease.spec ?? {});
    if (this.observed?.record !== record) this.observed = { record, at: Date.now() };
  }

  private async release(): Promise<void> {
    if (!this.lease) return;
    try {
      await this.client.replace(leaseType, {
        ...this.lease,
        spec: {
          ...this.lease.spec,
          holderIdentity: '',
          leaseDurationSeconds: 1,
          renewTime: microTime(Date.now()),
        },
      });
    } catch (err) {
      this.o.logger?.warn('could not release the lease', { error: (err as Error).message });
    }
  }
}
