import { describe, expect, it } from 'vitest';
import { decodeEvent, encodeEvent, eventSubject, eventSubscription, parseEventSubject } from '../src/index.ts';
import type { OperatorEvent } from '../src/index.ts';

const event: OperatorEvent = {
  kind: 'backuprestore',
  namespace: 'eevee-bot',
  name: 'tell.restore.1',
  event: 'restore.succeeded',
  generation: 3,
  observedAt: '2026-11-23T10:00:00Z',
  reason: 'Succeeded',
};

describe('NATS control-plane events', () => {
  it('builds subjects whose tokens survive dots in object names', () => {
    expect(eventSubject(event)).toBe('eevee.operator.backuprestore.eevee-bot.tell_restore_1.restore.succeeded');
    expect(parseEventSubject(eventSubject(event))).toEqual({ kind: 'backuprestore', namespace: 'eevee-bot', name: 'tell.restore.1', event: 'restore.succeeded' });
  });
  it('subscribes to all, one kind, or one kind in one namespace', () => {
    expect(eventSubscription()).toBe('eevee.operator.>');
    expect(eventSubscription('botmodule')).toBe('eevee.operator.botmodule.>');
    expect(eventSubscription('botmodule', 'eevee-bot')).toBe('eevee.operator.botmodule.eevee-bot.>');
  });
  it('round-trips a payload and refuses malformed ones', () => {
    const { subject, data } = encodeEvent(event);
    expect(subject).toBe(eventSubject(event));
    expect(decodeEvent(data)).toEqual(event);
    expect(decodeEvent('{"kind":"botmodule"}')).toBeUndefined();
    expect(decodeEvent('not json')).toBeUndefined();
    expect(() => encodeEvent({ ...event, event: 'exploded' as OperatorEvent['event'] })).toThrow();
  });
  it('ignores subjects that are not ours', () => {
    expect(parseEventSubject('chat.message.irc')).toBeUndefined();
    expect(parseEventSubject('eevee.operator.widget.ns.name.ready')).toBeUndefined();
  });
});

describe('derived object names', () => {
  it('keeps upstream names and bounds long ones deterministically', async () => {
    const { boundedName, moduleObjectNames } = await import('../src/index.ts');
    expect(moduleObjectNames('echo')).toMatchObject({ deployment: 'eevee-echo-module', configMap: 'eevee-echo-module-config', pvc: 'eevee-echo-module-pvc', service: 'eevee-echo-module' });
    const long = 'a'.repeat(80);
    const service = moduleObjectNames(long).service;
    expect(service).toHaveLength(63);
    expect(service).toBe(moduleObjectNames(long).service);
    expect(boundedName(`${long}x`, 63)).not.toBe(boundedName(`${long}y`, 63));
  });
});
