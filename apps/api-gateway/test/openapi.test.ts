import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import type { AppDeps } from '../src/app.ts';
import { openApiDocument } from '../src/openapi.ts';

// The operation table only: no handler runs, so the dependencies are never touched.
const { operations } = createApp({} as unknown as AppDeps);
const doc = openApiDocument(operations) as {
  openapi: string;
  paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; security: unknown[] }>>;
  components: { schemas: Record<string, unknown> };
};

function refs(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) refs(v, found);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') found.push(v);
      else refs(v, found);
    }
  return found;
}

describe('the OpenAPI document', () => {
  it('lists every route the router serves, upstream and v1', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/',
      '/api/action/restart-module',
      '/api/bot-modules',
      '/api/health',
      '/api/metrics',
      '/api/openapi.json',
      '/api/v1/botmodules',
      '/api/v1/events',
      '/api/v1/namespaces/{namespace}/botmodules',
      '/api/v1/namespaces/{namespace}/botmodules/{name}',
      '/api/v1/namespaces/{namespace}/botmodules/{name}/restart',
      '/assets/status.css',
      '/assets/status.js',
      '/healthz',
      '/readyz',
    ]);
    expect(Object.keys(doc.paths['/api/v1/namespaces/{namespace}/botmodules/{name}/restart'] ?? {})).toEqual([
      'post',
    ]);
  });

  it('declares every path parameter and marks the authenticated routes', () => {
    for (const [path, methods] of Object.entries(doc.paths)) {
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const op of Object.values(methods)) {
        expect((op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name)).toEqual(inPath);
      }
    }
    expect(doc.paths['/api/bot-modules']?.get?.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/healthz']?.get?.security).toEqual([]);
    expect(doc.paths['/api/metrics']?.get?.security).toEqual([]);
  });

  it('resolves every $ref to a component generated from the zod schemas', () => {
    const all = refs(doc);
    expect(all.length).toBeGreaterThan(10);
    for (const ref of all)
      expect(doc.components.schemas).toHaveProperty(ref.replace('#/components/schemas/', ''));
    expect(doc.components.schemas.RestartModuleRequest).toMatchObject({
      type: 'object',
      required: ['moduleName', 'namespace'],
    });
    expect(doc.components.schemas.ModuleView).toMatchObject({ type: 'object' });
  });
});
