// Reconciles one S3Store: validate, read the credentials, test the bucket when due, report status. A test is due
// when none ran yet in this process for the current spec and Secrets, or testIntervalSeconds have passed since
// the last one; otherwise the reconcile writes nothing and asks to come back when the next test is due.
import { crossNamespaceSecretReferences, formatZodError } from '@eevee/crds';
import type { S3Store } from '@eevee/crds';
import { s3Client, testConnection } from '@eevee/backups';
import type { ConnectionTestResult } from '@eevee/backups';
import { RESOURCES, applyStatus, readyCondition, setCondition } from '@eevee/runtime';
import type { ControllerContext, KubeObject, ReconcileResult, Request } from '@eevee/runtime';
import { readSecretKey, secretVersions } from '../secrets.ts';
import { locationOf } from '../store-access.ts';

type Ctx = ControllerContext<S3Store>;
type Status = NonNullable<S3Store['status']>;

export function reconcileS3Store(options: { now?: () => number } = {}) {
  const now = options.now ?? Date.now;
  /** What the last test in this process was run against (generation + Secret versions), per store. */
  const testedInputs = new Map<string, string>();
  return async ({ key, namespace, name }: Request, ctx: Ctx): Promise<ReconcileResult | void> => {
    const owner = ctx.primary.get(namespace, name);
    if (!owner || owner.metadata.deletionTimestamp) {
      testedInputs.delete(key);
      return;
    }
    const store = validate(ctx, owner);
    const generation = owner.metadata.generation ?? 0;
    const current = owner.status as Status | undefined;
    if (typeof store === 'string') {
      await report(ctx, owner, current, { generation, ready: [false, 'InvalidSpec', store] });
      return;
    }
    const ns = namespace ?? '';
    const inputs = `${generation}|${secretVersions(ctx, ns, [store.spec.accessId.secretKeyRef.secret.name, store.spec.accessKey.secretKeyRef.secret.name])}`;
    const dueIn = nextTestIn(current, store, now());
    if (testedInputs.get(key) === inputs && dueIn > 0) return { requeueAfterMs: dueIn };

    const [id, secret] = await Promise.all([
      readSecretKey(ctx, ns, store.spec.accessId),
      readSecretKey(ctx, ns, store.spec.accessKey),
    ]);
    if (!id.ok || !secret.ok) {
      const message = `Failed to resolve S3 credentials: ${[id, secret].flatMap((v) => (v.ok ? [] : [v.message])).join('; ')}`;
      await report(ctx, owner, current, { generation, ready: [false, 'SecretNotFound', message] });
      testedInputs.set(key, inputs);
      return { requeueAfterMs: store.spec.testIntervalSeconds * 1000 };
    }
    const location = locationOf(store);
    const client = s3Client(location, { accessKeyId: id.value, secretAccessKey: secret.value });
    const result = await testConnection(client, location).finally(() => client.destroy());
    testedInputs.set(key, inputs);
    await report(ctx, owner, current, {
      generation,
      ready: result.success
        ? [true, 'ConnectionSuccessful', 'S3 connection test succeeded']
        : [false, 'ConnectionFailed', `S3 connection test failed: ${result.message}`],
      test: result,
      at: now(),
    });
    return { requeueAfterMs: store.spec.testIntervalSeconds * 1000 };
  };
}

/** The parsed spec, or why it is invalid (admission rejects most of this already). */
function validate(ctx: Ctx, owner: KubeObject): S3Store | string {
  const parsed = ctx.primary.getTyped(owner.metadata.namespace, owner.metadata.name);
  if (!parsed) return 'S3Store not in cache';
  if (!parsed.success) return formatZodError(parsed.error).replace(/\n/g, '; ');
  const problems = crossNamespaceSecretReferences('S3Store', parsed.data);
  return problems.length ? problems.join('; ') : parsed.data;
}

/** Milliseconds until the next periodic test (0: due now). */
function nextTestIn(status: Status | undefined, store: S3Store, at: number): number {
  const last = status?.lastConnectionTest?.time;
  if (!last || status?.observedGeneration !== store.metadata.generation) return 0;
  return Math.max(0, Date.parse(last) + store.spec.testIntervalSeconds * 1000 - at);
}

async function report(
  ctx: Ctx,
  owner: KubeObject,
  current: Status | undefined,
  what: {
    generation: number;
    ready: [boolean, string, string];
    test?: ConnectionTestResult;
    at?: number;
  },
): Promise<void> {
  const [ok, reason, message] = what.ready;
  const status: Status = {
    observedGeneration: what.generation,
    conditions: setCondition(current?.conditions, readyCondition(ok, reason, message, what.generation)),
    ...(what.test && what.at !== undefined
      ? {
          lastConnectionTest: {
            time: new Date(what.at).toISOString().replace(/\.\d{3}Z$/, 'Z'),
            success: what.test.success,
            message: what.test.message,
            latencyMs: what.test.latencyMs,
          },
        }
      : current?.lastConnectionTest
        ? { lastConnectionTest: current.lastConnectionTest }
        : {}),
  };
  const before = current?.conditions?.find((c) => c.type === 'Ready');
  if (await applyStatus(ctx.client, RESOURCES.S3Store, owner, status, ctx.fieldManager)) {
    if (before?.status !== (ok ? 'True' : 'False') || before?.reason !== reason)
      await ctx.events.record(owner, ok ? 'Normal' : 'Warning', reason, message);
  }
}
