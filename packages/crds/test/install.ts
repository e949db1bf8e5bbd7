// Installs the generated CRDs and admission policy into a test cluster, the way users do (kubectl apply).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Cluster } from '@eevee/testenv';
import { CRDS_DIR } from '../src/index.ts';

export async function installCrds(cluster: Cluster): Promise<void> {
  const crds = readdirSync(CRDS_DIR)
    .filter((f) => /^eevee\.bot_.*\.yaml$/.test(f))
    .flatMap((f) => ['-f', join(CRDS_DIR, f)]);
  await cluster.kubectl(['apply', '--server-side', '--force-conflicts', ...crds, '-f', join(CRDS_DIR, 'policies')]);
  await cluster.kubectl(['wait', '--for=condition=Established', '--timeout=60s', ...crds]);
}
