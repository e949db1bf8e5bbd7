// NATS control-plane events: hints one controller sends so another reconciles sooner. Never the source of
// truth (status is), never carrying a secret. Subject: eevee.operator.<kind>.<namespace>.<name>.<event>
import { z } from 'zod';
import type { KindName } from './constants.ts';

export const EVENT_SUBJECT_ROOT = 'eevee.operator';

export const eventKindSchema = z.enum(['botmodule', 'ipcconfig', 's3store', 'backupschedule', 'backuprestore']);
export type EventKind = z.infer<typeof eventKindSchema>;

export const eventNameSchema = z.enum([
  'ready',
  'unavailable',
  'rolledout',
  'waitingforbackup',
  'restore.started',
  'restore.succeeded',
  'restore.failed',
  'backup.succeeded',
  'backup.failed',
  'changed',
  'restart.requested',
]);
export type EventName = z.infer<typeof eventNameSchema>;

const dnsName = z.string().min(1).max(253).regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/);

export const operatorEventSchema = z.object({
  kind: eventKindSchema,
  namespace: dnsName,
  name: dnsName,
  event: eventNameSchema,
  generation: z.number().int().min(0),
  observedAt: z.iso.datetime({ offset: true }),
  reason: z.string().max(1024).optional(),
  message: z.string().max(4096).optional(),
});
export type OperatorEvent = z.infer<typeof operatorEventSchema>;

export function eventKindOf(kind: KindName): EventKind {
  return kind.toLowerCase() as EventKind;
}

// Object names may contain '.', which separates NATS tokens; '_' never occurs in them, so it stands in.
const token = (name: string): string => name.replaceAll('.', '_');
const untoken = (t: string): string => t.replaceAll('_', '.');

export function eventSubject(e: Pick<OperatorEvent, 'kind' | 'namespace' | 'name' | 'event'>): string {
  return `${EVENT_SUBJECT_ROOT}.${e.kind}.${token(e.namespace)}.${token(e.name)}.${e.event}`;
}

/** A subscription subject: everything, one kind, or one kind in one namespace. */
export function eventSubscription(kind?: EventKind, namespace?: string): string {
  if (!kind) return `${EVENT_SUBJECT_ROOT}.>`;
  return namespace ? `${EVENT_SUBJECT_ROOT}.${kind}.${token(namespace)}.>` : `${EVENT_SUBJECT_ROOT}.${kind}.>`;
}

export function parseEventSubject(subject: string): Pick<OperatorEvent, 'kind' | 'namespace' | 'name' | 'event'> | undefined {
  const prefix = `${EVENT_SUBJECT_ROOT}.`;
  if (!subject.startsWith(prefix)) return undefined;
  const [kind, namespace, name, ...event] = subject.slice(prefix.length).split('.');
  const parsed = z
    .object({ kind: eventKindSchema, namespace: dnsName, name: dnsName, event: eventNameSchema })
    .safeParse({ kind, namespace: untoken(namespace ?? ''), name: untoken(name ?? ''), event: event.join('.') });
  return parsed.success ? parsed.data : undefined;
}

/** Encodes an event after validating it (a malformed event is a bug in the sender). */
export function encodeEvent(e: OperatorEvent): { subject: string; data: string } {
  const event = operatorEventSchema.parse(e);
  return { subject: eventSubject(event), data: JSON.stringify(event) };
}

/** Decodes a received event, or undefined when it is malformed (never trusted beyond a wake-up hint). */
export function decodeEvent(data: string): OperatorEvent | undefined {
  try {
    const parsed = operatorEventSchema.safeParse(JSON.parse(data));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
