import { describe, expect, it } from 'vitest';
import { crossNamespaceSecretReferences, formatZodError, resourceSchemas } from '../src/index.ts';
import type { KindName } from '../src/index.ts';
import { eeveeExamples } from './examples.ts';
import { invalidCases, specOf, validSpecs } from './invalid-specs.ts';

function resource(kind: KindName, spec: Record<string, unknown>, namespace = 'eevee-bot') {
  return { apiVersion: 'eevee.bot/v1', kind, metadata: { name: 'x', namespace }, spec };
}

describe('the examples', () => {
  const all = eeveeExamples();
  it('cover every kind', () => {
    expect(new Set(all.map((e) => e.doc.kind))).toEqual(new Set(Object.keys(resourceSchemas)));
  });
  it.each(all.map((e) => [`${e.doc.kind}/${e.doc.metadata.name}`, e] as const))('%s parses', (_, e) => {
    const result = resourceSchemas[e.doc.kind as KindName].safeParse(e.doc);
    expect(result.success ? '' : formatZodError(result.error)).toBe('');
    expect(crossNamespaceSecretReferences(e.doc.kind as KindName, e.doc)).toEqual([]);
  });
});

describe('defaults are applied in one place, the schema', () => {
  it('fills BotModule defaults and keeps imagePullPolicy unset so the legacy pullPolicy still counts', () => {
    const spec = resourceSchemas.BotModule.parse(resource('BotModule', validSpecs.BotModule)).spec;
    expect(spec).toMatchObject({ size: 1, enabled: true, metrics: false, metricsPort: 9000, volumeMountPath: '/data', configUpdatePolicy: 'Rollout', volumeReclaimPolicy: 'Retain', mountOperatorApiToken: false });
    expect(spec.imagePullPolicy).toBeUndefined();
  });
  it('keeps size 0 as zero replicas (upstream turned it into 1)', () => {
    expect(resourceSchemas.BotModule.parse(resource('BotModule', { ...validSpecs.BotModule, size: 0 })).spec.size).toBe(0);
  });
  it('fills S3Store and BackupRestore defaults', () => {
    expect(resourceSchemas.S3Store.parse(resource('S3Store', validSpecs.S3Store)).spec).toMatchObject({ prefix: '', region: 'us-east-1', pathStyle: false, signatureV2: false, testIntervalSeconds: 600 });
    expect(resourceSchemas.BackupRestore.parse(resource('BackupRestore', validSpecs.BackupRestore)).spec).toMatchObject({ cleanRestore: false, retry: 0 });
  });
});

describe('invalid specs fail with a readable message naming the field', () => {
  it('has at least 30 cases', () => {
    expect(invalidCases.length).toBeGreaterThanOrEqual(30);
  });
  it.each(invalidCases.map((c) => [`${c.kind}: ${c.title}`, c] as const))('%s', (_, c) => {
    const obj = resource(c.kind, specOf(c));
    if (c.by === 'policy') {
      expect(resourceSchemas[c.kind].safeParse(obj).success).toBe(true);
      expect(crossNamespaceSecretReferences(c.kind, obj).join('\n')).toContain(`${c.field} must be empty or eevee-bot, not elsewhere`);
      return;
    }
    const result = resourceSchemas[c.kind].safeParse(obj);
    expect(result.success).toBe(false);
    const message = result.success ? '' : formatZodError(result.error);
    expect(message.split('\n').some((line) => line.startsWith(`${c.field}: `))).toBe(true);
  });
});
