// The few building blocks every kind's schema uses, so that a zod schema carries everything the CRD needs:
// a description for `kubectl explain`, CEL rules (checked by zod here and by the apiserver there, with the same
// message), int-or-string, list-map keys, and embedded Kubernetes types with their real OpenAPI schemas.
import { z } from 'zod';
import k8sSchemas from './k8s-schemas.json' with { type: 'json' };
import { checkStructural } from './structural-check.ts';

export interface CelRule {
  /** CEL expression over `self` (and `oldSelf` for transition rules). */
  rule: string;
  message: string;
  /** JSONPath-like field the message is about, relative to the schema holding the rule (e.g. `.maxReplicas`). */
  fieldPath?: string;
}

export interface K8sExtensions {
  validations?: CelRule[];
  intOrString?: boolean;
  listMapKeys?: string[];
  listType?: 'atomic' | 'set' | 'map';
  /** A complete structural schema to emit instead of converting the zod schema (embedded Kubernetes types). */
  openAPI?: Record<string, unknown>;
}

/** Kubernetes-specific schema facts, looked up by the CRD generator. */
export const k8sRegistry = z.registry<K8sExtensions>();

/** Adds a description (shown by `kubectl explain`). Call it last: it is what the generator sees first. */
export function doc<T extends z.ZodType>(schema: T, description: string): T {
  return schema.describe(description.trim().replace(/\s+/g, ' '));
}

/**
 * A cross-field rule, enforced twice from one definition: by zod (`check`) and by the apiserver at admission
 * (`rule`, CEL, emitted as x-kubernetes-validations). Both report `message`.
 */
export function withRules<T extends z.ZodType>(
  schema: T,
  rules: (CelRule & { check: (value: z.output<T>) => boolean; path?: string[] })[],
): T {
  let out = schema;
  for (const r of rules) {
    out = out.refine((v) => r.check(v), { message: r.message, ...(r.path ? { path: r.path } : {}) });
  }
  k8sRegistry.add(out, { validations: rules.map(({ rule, message, fieldPath }) => ({ rule, message, ...(fieldPath ? { fieldPath } : {}) })) });
  return out;
}

/** A list that the apiserver merges by `keys` (server-side apply, `kubectl explain` shows it as a map). */
export function listMap<T extends z.ZodType>(schema: T, keys: string[]): T {
  k8sRegistry.add(schema, { listType: 'map', listMapKeys: keys });
  return schema;
}

/** An int-or-string value, as Kubernetes ports and quantities are. */
export function intOrString(): z.ZodUnion<readonly [z.ZodNumber, z.ZodString]> {
  const schema = z.union([z.number().int(), z.string()]);
  k8sRegistry.add(schema, { intOrString: true });
  return schema;
}

type EmbeddedName = keyof typeof k8sSchemas.schemas;

/**
 * An embedded Kubernetes type, checked against the real schema of the pinned Kubernetes version
 * (src/k8s-schemas.json): by zod here and by the apiserver at admission, so neither prunes nor accepts junk.
 */
export function embedded<T extends object>(name: EmbeddedName): z.ZodType<T> {
  const { description: _d, ...openAPI } = k8sSchemas.schemas[name] as Record<string, unknown>;
  const schema = z.custom<T>().superRefine((value, ctx) => {
    for (const problem of checkStructural(openAPI, value)) {
      ctx.addIssue({ code: 'custom', message: problem.message, path: problem.path });
    }
  });
  k8sRegistry.add(schema, { openAPI });
  return schema;
}
