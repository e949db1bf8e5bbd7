// Turns a zod schema into a structural OpenAPI v3 schema for a CRD. It understands exactly the zod features
// the schemas use and throws on anything else, so a schema can never silently lose a rule on its way to the
// apiserver. Every property must carry a description.
import { z } from 'zod';
import type { K8sExtensions } from './schema-kit.ts';
import { k8sRegistry } from './schema-kit.ts';

export type OpenAPISchema = Record<string, unknown>;

interface ZodInternals {
  _zod: {
    def: {
      type: string;
      checks?: { _zod: { def: Record<string, unknown> } }[];
      shape?: Record<string, z.ZodType>;
      innerType?: z.ZodType;
      element?: z.ZodType;
      valueType?: z.ZodType;
      options?: z.ZodType[];
      entries?: Record<string, string>;
      values?: unknown[];
      defaultValue?: unknown;
      in?: z.ZodType;
      format?: string;
    };
    parent?: z.ZodType;
  };
}

const internals = (schema: z.ZodType): ZodInternals['_zod'] => (schema as unknown as ZodInternals)._zod;

/** Metadata of a schema; zod registries already inherit it along the clone chain (describe/meta clone). */
function lookup(schema: z.ZodType): { description?: string; k8s: K8sExtensions } {
  const description = z.globalRegistry.get(schema)?.description;
  const k8s = k8sRegistry.get(schema) ?? {};
  return description === undefined ? { k8s } : { description, k8s };
}

function isOptional(schema: z.ZodType): boolean {
  const type = internals(schema).def.type;
  return type === 'optional' || type === 'default' || type === 'prefault';
}

export function toOpenAPI(schema: z.ZodType, path = '<root>'): OpenAPISchema {
  const { description, k8s } = lookup(schema);
  const def = internals(schema).def;
  let out: OpenAPISchema;

  if (k8s.openAPI) {
    out = structuredClone(k8s.openAPI);
  } else if (k8s.intOrString) {
    out = { anyOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true };
  } else {
    switch (def.type) {
      case 'optional':
      case 'nullable':
      case 'readonly':
        out = toOpenAPI(def.innerType!, path);
        break;
      case 'default':
      case 'prefault':
        out = { ...toOpenAPI(def.innerType!, path), default: def.defaultValue };
        break;
      case 'pipe':
        out = toOpenAPI(def.in!, path);
        break;
      case 'object': {
        const properties: Record<string, OpenAPISchema> = {};
        const required: string[] = [];
        for (const [key, value] of Object.entries(def.shape ?? {})) {
          properties[key] = toOpenAPI(value, `${path}.${key}`);
          if (properties[key].description === undefined) throw new Error(`${path}.${key} has no description`);
          if (!isOptional(value)) required.push(key);
        }
        out = { type: 'object', properties };
        if (required.length > 0) out.required = required;
        break;
      }
      case 'record':
        out = { type: 'object', additionalProperties: toOpenAPI(def.valueType!, `${path}[*]`) };
        break;
      case 'array':
        out = { type: 'array', items: toOpenAPI(def.element!, `${path}[]`) };
        break;
      case 'string':
        out = { type: 'string' };
        break;
      case 'number':
        out = { type: 'number' };
        break;
      case 'boolean':
        out = { type: 'boolean' };
        break;
      case 'enum':
        out = { type: 'string', enum: Object.values(def.entries ?? {}) };
        break;
      case 'literal':
        out = { type: typeof def.values?.[0], enum: def.values };
        break;
      default:
        throw new Error(`${path}: zod type "${def.type}" has no CRD equivalent`);
    }
    applyChecks(out, def.checks ?? [], def.type, path);
  }

  if (k8s.listType) out['x-kubernetes-list-type'] = k8s.listType;
  if (k8s.listMapKeys) out['x-kubernetes-list-map-keys'] = k8s.listMapKeys;
  if (k8s.validations?.length) out['x-kubernetes-validations'] = k8s.validations;
  // The outermost description wins: a field's own words over its type's.
  return description === undefined ? out : { description, ...withoutDescription(out) };
}

function withoutDescription(schema: OpenAPISchema): OpenAPISchema {
  const { description: _ignored, ...rest } = schema;
  return rest;
}

function applyChecks(out: OpenAPISchema, checks: { _zod: { def: Record<string, unknown> } }[], type: string, path: string): void {
  for (const { _zod } of checks) {
    const c = _zod.def;
    switch (c.check) {
      case 'number_format':
        if (c.format === 'safeint' || c.format === 'int32' || c.format === 'int64') {
          out.type = 'integer';
          if (c.format !== 'safeint') out.format = c.format;
        }
        break;
      case 'greater_than':
        // OpenAPI v3.0 (what CRDs use): exclusiveMinimum is a flag beside minimum.
        out.minimum = c.value;
        if (!c.inclusive) out.exclusiveMinimum = true;
        break;
      case 'less_than':
        out.maximum = c.value;
        if (!c.inclusive) out.exclusiveMaximum = true;
        break;
      case 'min_length':
        out[type === 'array' ? 'minItems' : 'minLength'] = c.minimum;
        break;
      case 'max_length':
        out[type === 'array' ? 'maxItems' : 'maxLength'] = c.maximum;
        break;
      case 'length_equals':
        out.minLength = c.length;
        out.maxLength = c.length;
        break;
      case 'string_format':
        if (c.format === 'regex') out.pattern = (c.pattern as RegExp).source;
        else throw new Error(`${path}: string format "${String(c.format)}" is not supported; use a regex`);
        break;
      case 'custom':
        // A refinement: its CEL twin is in the k8s registry (withRules), checked above.
        break;
      default:
        throw new Error(`${path}: zod check "${String(c.check)}" has no CRD equivalent`);
    }
  }
}
