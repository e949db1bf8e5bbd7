// Checks a value against a structural OpenAPI schema (the subset CRDs use), so that zod validates embedded
// Kubernetes types (Probe, PersistentVolumeClaimSpec, ResourceRequirements) by the same real schema the
// apiserver applies, and a bad probe port is a readable error before it ever reaches the API.
export interface StructuralProblem {
  path: (string | number)[];
  message: string;
}

type Schema = {
  type?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  required?: string[];
  pattern?: string;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  'x-kubernetes-int-or-string'?: boolean;
};

function typeOf(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

export function checkStructural(schema: Schema, value: unknown, path: (string | number)[] = []): StructuralProblem[] {
  const problems: StructuralProblem[] = [];
  const actual = typeOf(value);
  if (schema['x-kubernetes-int-or-string']) {
    if (actual !== 'integer' && actual !== 'string') return [{ path, message: `must be an integer or a string, not ${actual}` }];
    if (actual === 'string' && schema.pattern && !new RegExp(schema.pattern).test(value as string)) {
      problems.push({ path, message: `"${String(value)}" is not a valid quantity` });
    }
    return problems;
  }
  const expected = schema.type;
  if (expected && !(expected === actual || (expected === 'number' && actual === 'integer'))) {
    return [{ path, message: `must be of type ${expected}, not ${actual}` }];
  }
  if (schema.enum && !schema.enum.includes(value)) problems.push({ path, message: `must be one of ${schema.enum.join(', ')}` });
  if (typeof value === 'string' && schema.pattern && !new RegExp(schema.pattern).test(value)) {
    problems.push({ path, message: `must match ${schema.pattern}` });
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) problems.push({ path, message: `must be >= ${schema.minimum}` });
    if (schema.maximum !== undefined && value > schema.maximum) problems.push({ path, message: `must be <= ${schema.maximum}` });
  }
  if (actual === 'object') {
    const object = value as Record<string, unknown>;
    for (const key of schema.required ?? []) {
      if (object[key] === undefined) problems.push({ path: [...path, key], message: 'is required' });
    }
    for (const [key, child] of Object.entries(object)) {
      const childSchema = schema.properties?.[key] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
      if (childSchema) problems.push(...checkStructural(childSchema, child, [...path, key]));
      else if (schema.properties) problems.push({ path: [...path, key], message: 'is not a known field' });
    }
  }
  if (actual === 'array' && schema.items) {
    (value as unknown[]).forEach((item, i) => problems.push(...checkStructural(schema.items!, item, [...path, i])));
  }
  return problems;
}
