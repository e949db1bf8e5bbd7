// Applying YAML manifests with server-side apply through the runtime's client (no kubectl needed, so any
// kubeconfig works): the CRDs and admission policy of crds/, and the sample bot.
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { API_VERSION, KINDS, crdManifestFiles, policyManifestFiles } from '@eevee/crds';
import { RESOURCES, isNotFound } from '@eevee/runtime';
import type { KubeClient, KubeObject, ResourceType } from '@eevee/runtime';

const FIELD_MANAGER = 'eevee-start';

const CLUSTER_TYPES: Record<string, ResourceType> = {
  Namespace: { apiVersion: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false },
  CustomResourceDefinition: {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    plural: 'customresourcedefinitions',
    namespaced: false,
  },
  ValidatingAdmissionPolicy: {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicy',
    plural: 'validatingadmissionpolicies',
    namespaced: false,
  },
  ValidatingAdmissionPolicyBinding: {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingAdmissionPolicyBinding',
    plural: 'validatingadmissionpolicybindings',
    namespaced: false,
  },
};

/** The ResourceType of a manifest's kind: ours, core ones the sample uses, or the cluster-scoped ones above. */
export function typeOf(obj: KubeObject): ResourceType {
  const ours = Object.values(KINDS).find((k) => k.kind === obj.kind);
  if (ours && obj.apiVersion === API_VERSION)
    return { apiVersion: API_VERSION, kind: ours.kind, plural: ours.plural, namespaced: true };
  const known = CLUSTER_TYPES[obj.kind ?? ''] ?? (obj.kind === 'Secret' ? RESOURCES.Secret : undefined);
  if (!known) throw new Error(`no resource type known for ${obj.apiVersion}/${obj.kind}`);
  return known;
}

export function readManifests(file: string): KubeObject[] {
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map((d) => d.toJS() as KubeObject | null)
    .filter((d): d is KubeObject => d !== null && typeof d === 'object' && 'kind' in d);
}

export async function applyAll(client: KubeClient, objects: KubeObject[]): Promise<void> {
  for (const obj of objects) {
    try {
      await client.apply(typeOf(obj), obj, FIELD_MANAGER, { force: true });
    } catch (err) {
      throw new Error(`applying ${obj.kind} ${obj.metadata.name}: ${(err as Error).message}`, { cause: err });
    }
  }
}

/** CRDs and the admission policy, then waits until every CRD is Established (served). */
export async function installCrds(client: KubeClient): Promise<void> {
  const crds = crdManifestFiles().flatMap(readManifests);
  await applyAll(client, [...crds, ...policyManifestFiles().flatMap(readManifests)]);
  const deadline = Date.now() + 60_000;
  for (const crd of crds) {
    for (;;) {
      const current = await client
        .get<KubeObject & { status?: { conditions?: { type: string; status: string }[] } }>(
          CLUSTER_TYPES.CustomResourceDefinition!,
          undefined,
          crd.metadata.name,
        )
        .catch((err: unknown) => {
          if (isNotFound(err)) return undefined;
          throw err;
        });
      if (current?.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) break;
      if (Date.now() > deadline) throw new Error(`CRD ${crd.metadata.name} not Established after 60 s`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
