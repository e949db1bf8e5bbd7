// Regenerates src/k8s-schemas.json: the real OpenAPI schemas of the Kubernetes types our CRDs embed
// (PersistentVolumeClaimSpec, Probe, ResourceRequirements), read from the local kube-apiserver of the pinned
// Kubernetes version and made structural the way controller-gen does: $refs inlined, IntOrString and Quantity
// as x-kubernetes-int-or-string, maps with additionalProperties (the upstream CRDs lost those: section 1.0).
//   node scripts/fetch-k8s-schemas.ts
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startCluster } from '@eevee/testenv';

type Schema = Record<string, unknown>;

const embedded = {
  PersistentVolumeClaimSpec: 'io.k8s.api.core.v1.PersistentVolumeClaimSpec',
  Probe: 'io.k8s.api.core.v1.Probe',
  ResourceRequirements: 'io.k8s.api.core.v1.ResourceRequirements',
};

// What controller-gen emits for resource.Quantity.
const quantityPattern =
  '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$';
const intOrString = { anyOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true };
const keep = new Set([
  'description',
  'type',
  'format',
  'properties',
  'additionalProperties',
  'items',
  'required',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type',
]);

function structural(schema: Schema, all: Record<string, Schema>): Schema {
  const ref = (schema.$ref as string | undefined) ?? ((schema.allOf as Schema[] | undefined)?.[0]?.$ref as string | undefined);
  if (ref) {
    const name = ref.replace('#/components/schemas/', '');
    const description = (schema.description as string | undefined) ?? undefined;
    let resolved: Schema;
    if (name === 'io.k8s.apimachinery.pkg.util.intstr.IntOrString') resolved = { ...intOrString };
    else if (name === 'io.k8s.apimachinery.pkg.api.resource.Quantity') resolved = { ...intOrString, pattern: quantityPattern };
    else resolved = structural(all[name] ?? {}, all);
    return description ? { ...resolved, description } : resolved;
  }
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (!keep.has(key)) continue;
    if (key === 'format' && value === 'int-or-string') continue;
    if (key === 'properties') {
      out.properties = Object.fromEntries(Object.entries(value as Record<string, Schema>).map(([k, v]) => [k, structural(v, all)]));
    } else if (key === 'items' || key === 'additionalProperties') {
      out[key] = typeof value === 'object' ? structural(value as Schema, all) : value;
    } else out[key] = value;
  }
  return out;
}

const cluster = await startCluster({ name: 'crds-fetch-schemas' });
try {
  const raw = await cluster.kubectl(['get', '--raw', '/openapi/v3/api/v1']);
  const all = (JSON.parse(raw) as { components: { schemas: Record<string, Schema> } }).components.schemas;
  const result = Object.fromEntries(Object.entries(embedded).map(([short, full]) => [short, structural(all[full] ?? {}, all)]));
  const version = (await cluster.kubectl(['version', '-o', 'json'])).match(/"gitVersion":\s*"([^"]+)"/)?.[1];
  const path = join(import.meta.dirname, '..', 'src', 'k8s-schemas.json');
  await writeFile(path, JSON.stringify({ source: `kube-apiserver ${version} /openapi/v3/api/v1`, schemas: result }, null, 2) + '\n');
  console.log(`wrote ${path}`);
} finally {
  await cluster.stop();
}
