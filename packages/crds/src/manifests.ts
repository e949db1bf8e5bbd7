// Paths of the generated manifests, for installers and tests (kubectl apply -f ...).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CRDS_DIR } from './constants.ts';

/** The CustomResourceDefinition files in crds/. */
export function crdManifestFiles(): string[] {
  return readdirSync(CRDS_DIR)
    .filter((f) => /^eevee\.bot_.*\.yaml$/.test(f))
    .map((f) => join(CRDS_DIR, f));
}

/** The admission policy files in crds/policies/. */
export function policyManifestFiles(): string[] {
  const dir = join(CRDS_DIR, 'policies');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => join(dir, f));
}
