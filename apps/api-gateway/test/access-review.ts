// Whether a ServiceAccount may do something, asked of the API server with a SubjectAccessReview (what RBAC
// actually grants, not what the manifests say).
import type { KubeClient, KubeObject, ResourceType } from '@eevee/runtime';

const SAR: ResourceType = {
  apiVersion: 'authorization.k8s.io/v1',
  kind: 'SubjectAccessReview',
  plural: 'subjectaccessreviews',
  namespaced: false,
};

export interface AccessQuery {
  verb: string;
  group: string;
  resource: string;
  subresource?: string | undefined;
  /** '' asks about every namespace (a cluster-wide list or watch). */
  namespace: string;
}

export async function serviceAccountMay(
  admin: KubeClient,
  serviceAccount: { namespace: string; name: string },
  query: AccessQuery,
): Promise<boolean> {
  const { namespace, name } = serviceAccount;
  const review = await admin.create<KubeObject & { status?: { allowed?: boolean } }>(SAR, {
    apiVersion: SAR.apiVersion,
    kind: SAR.kind,
    metadata: { name: '' },
    spec: {
      user: `system:serviceaccount:${namespace}:${name}`,
      groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'],
      resourceAttributes: {
        namespace: query.namespace,
        verb: query.verb,
        group: query.group,
        resource: query.resource,
        ...(query.subresource ? { subresource: query.subresource } : {}),
      },
    },
  });
  return review.status?.allowed === true;
}
