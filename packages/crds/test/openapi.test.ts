import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildCrd, CRD_SOURCES } from '../src/index.ts';
import { toOpenAPI } from '../src/openapi.ts';
import { doc, intOrString, withRules } from '../src/schema-kit.ts';

type Node = Record<string, unknown>;

function walk(node: Node, path: string, visit: (node: Node, path: string) => void): void {
  visit(node, path);
  for (const [key, child] of Object.entries((node.properties as Record<string, Node> | undefined) ?? {})) walk(child, `${path}.${key}`, visit);
  if (node.items) walk(node.items as Node, `${path}[]`, visit);
  if (typeof node.additionalProperties === 'object') walk(node.additionalProperties as Node, `${path}{}`, visit);
}

describe('the generated CRD schemas', () => {
  for (const source of CRD_SOURCES) {
    const crd = buildCrd(source) as { spec: { versions: { schema: { openAPIV3Schema: Node } }[] } };
    const root = crd.spec.versions[0]!.schema.openAPIV3Schema;
    it(`${source.kind}: every field has a description (kubectl explain) and a type`, () => {
      const missing: string[] = [];
      walk(root, source.kind, (node, path) => {
        if (path.endsWith('.metadata')) return;
        const parentIsList = path.endsWith('[]') || path.endsWith('{}');
        if (!parentIsList && typeof node.description !== 'string') missing.push(`${path}: no description`);
        if (!node.type && !node['x-kubernetes-int-or-string']) missing.push(`${path}: no type`);
      });
      expect(missing).toEqual([]);
    });
  }

  it('refuses a field without a description', () => {
    expect(() => toOpenAPI(z.object({ name: z.string() }), 'spec')).toThrow('spec.name has no description');
  });

  it('emits CEL rules with the same message zod reports, and int-or-string', () => {
    const schema = z.object({
      port: doc(intOrString(), 'A port.'),
      prefix: doc(withRules(z.string(), [{ rule: "self.endsWith('/')", message: 'must end with /', check: (s) => s.endsWith('/') }]), 'A prefix.'),
    });
    expect(toOpenAPI(schema)).toEqual({
      type: 'object',
      required: ['port', 'prefix'],
      properties: {
        port: { description: 'A port.', anyOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true },
        prefix: { description: 'A prefix.', type: 'string', 'x-kubernetes-validations': [{ rule: "self.endsWith('/')", message: 'must end with /' }] },
      },
    });
    expect(schema.safeParse({ port: 1, prefix: 'a' }).error?.issues[0]?.message).toBe('must end with /');
  });
});
