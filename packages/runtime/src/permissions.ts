// What a process may ask of the API server, derived from its code: every controller's caches (list, watch)
// and the calls its reconciler declares (`calls`). The manager refuses any other call before
// it leaves the process (so a test run as cluster-admin still catches an undeclared call), and the chart's RBAC
// rules are generated from the same list: the permissions shipped are exactly the ones the code uses.
import type { ControllerDefinition } from './controller.ts';
import type { KubeObject, ResourceType } from './kube-client.ts';
import { RESOURCES } from './resources.ts';

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'patch' | 'update' | 'delete';

/** Verbs on one resource type (or its subresource). */
export interface ApiAccess {
  type: ResourceType;
  verbs: readonly Verb[];
  subresource?: 'status' | 'scale';
}

/** An RBAC PolicyRule. */
export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

/** The permissions of one process: rules for the namespaces it serves, and for its own (its Lease). */
export interface ProcessPermissions {
  access: ApiAccess[];
  /** Only in the process's own namespace (leader election). */
  ownNamespace: ApiAccess[];
}

/** Children kept with server-side apply and removed when no longer wanted (ensureChild). */
export const appliesAndPrunes = (...types: ResourceType[]): ApiAccess[] =>
  types.map((type) => ({ type, verbs: ['create', 'patch', 'delete'] }));

/** Objects kept with server-side apply and never deleted (data-bearing children, Jobs that run once). */
export const applies = (...types: ResourceType[]): ApiAccess[] =>
  types.map((type) => ({ type, verbs: ['create', 'patch'] }));

/** Status written with server-side apply (applyStatus). */
export const writesStatus = (...types: ResourceType[]): ApiAccess[] =>
  types.map((type) => ({ type, subresource: 'status', verbs: ['patch'] }));

/** Cached (informer) reads of each type. */
export const caches = (...types: ResourceType[]): ApiAccess[] =>
  types.map((type) => ({ type, verbs: ['list', 'watch'] }));

/** What one controller definition implies. */
export function controllerAccess(definition: ControllerDefinition<unknown>): ApiAccess[] {
  return [
    ...caches(
      definition.for,
      ...(definition.owns ?? []),
      ...(definition.watches ?? []).map((w) => w.type),
      ...(definition.caches ?? []).map((c) => c.type),
    ),
    ...(definition.calls ?? []),
  ];
}

/** Every process records Events on the objects it serves (events.ts). */
export const EVENT_ACCESS: ApiAccess = { type: RESOURCES.Event, verbs: ['create'] };
/** A leader-electing process reads, creates and renews its Lease (leader-election.ts). */
export const LEASE_ACCESS: ApiAccess = { type: RESOURCES.Lease, verbs: ['get', 'create', 'update'] };

/** A manager's permissions: its controllers', Events, and its Lease (leader election is on by default). */
export function managerPermissions(
  controllers: ControllerDefinition<unknown>[],
  options: { leaderElection?: boolean } = {},
): ProcessPermissions {
  return {
    access: [...controllers.flatMap(controllerAccess), EVENT_ACCESS],
    ownNamespace: options.leaderElection === false ? [] : [LEASE_ACCESS],
  };
}

const groupOf = (type: ResourceType): string =>
  type.apiVersion.includes('/') ? type.apiVersion.split('/')[0]! : '';
const resourceOf = (a: { type: ResourceType; subresource?: string | undefined }): string =>
  a.subresource ? `${a.type.plural}/${a.subresource}` : a.type.plural;

/** A checker for KubeClient.authorize: throws on a call that `permissions` does not declare. */
export function accessGuard(
  permissions: ProcessPermissions,
): (verb: Verb, type: ResourceType, subresource?: string) => void {
  const allowed = new Set(
    [...permissions.access, ...permissions.ownNamespace].flatMap((a) =>
      a.verbs.map((v) => `${groupOf(a.type)}|${resourceOf(a)}|${v}`),
    ),
  );
  return (verb, type, subresource) => {
    if (!allowed.has(`${groupOf(type)}|${resourceOf({ type, subresource })}|${verb}`))
      throw new Error(
        `undeclared API call: ${verb} ${resourceOf({ type, subresource })}${groupOf(type) ? `.${groupOf(type)}` : ''}; ` +
          'declare it in the controller definition (calls) so that RBAC grants it',
      );
  };
}

const VERB_ORDER: Verb[] = ['get', 'list', 'watch', 'create', 'patch', 'update', 'delete'];

/**
 * RBAC rules for a list of accesses: verbs merged per resource, then resources with the same group and verbs
 * in one rule; sorted, so the output is stable and can be compared and generated.
 */
export function policyRules(access: ApiAccess[]): PolicyRule[] {
  const verbsOf = new Map<string, Set<Verb>>();
  for (const a of access) {
    const key = `${groupOf(a.type)}|${resourceOf(a)}`;
    const verbs = verbsOf.get(key) ?? new Set<Verb>();
    for (const v of a.verbs) verbs.add(v);
    verbsOf.set(key, verbs);
  }
  const rules = new Map<string, PolicyRule>();
  for (const [key, set] of verbsOf) {
    const [group, resource] = key.split('|') as [string, string];
    const verbs = VERB_ORDER.filter((v) => set.has(v));
    const ruleKey = `${group}|${verbs.join(',')}`;
    const rule = rules.get(ruleKey) ?? { apiGroups: [group], resources: [], verbs };
    rule.resources.push(resource);
    rules.set(ruleKey, rule);
  }
  for (const rule of rules.values()) rule.resources.sort();
  return [...rules.values()].sort(
    (a, b) =>
      a.apiGroups[0]!.localeCompare(b.apiGroups[0]!) ||
      a.resources[0]!.localeCompare(b.resources[0]!) ||
      a.verbs.join().localeCompare(b.verbs.join()),
  );
}

/**
 * A ServiceAccount with exactly these permissions in one namespace (ServiceAccount, Role, RoleBinding), as the
 * chart renders them for a namespace-scoped install: for tests and local runs that apply it directly.
 */
export function namespacedRbac(
  name: string,
  namespace: string,
  permissions: ProcessPermissions,
): KubeObject[] {
  const metadata = { name, namespace };
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata,
      rules: policyRules([...permissions.access, ...permissions.ownNamespace]),
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ kind: 'ServiceAccount', name, namespace }],
    },
  ];
}

/**
 * A ServiceAccount with these permissions in every namespace (ServiceAccount, ClusterRole, ClusterRoleBinding), as
 * the chart renders them with watchOtherNamespaces. The cluster-scoped objects are named `clusterName` (they
 * outlive any namespace). Own-namespace rules go in a Role the chart adds beside them; processes that declare any
 * are refused here.
 */
export function clusterWideRbac(
  name: string,
  namespace: string,
  clusterName: string,
  permissions: ProcessPermissions,
): KubeObject[] {
  if (permissions.ownNamespace.length > 0)
    throw new Error('own-namespace rules need the Role the chart adds beside the ClusterRole');
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: clusterName },
      rules: policyRules(permissions.access),
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: clusterName },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterName },
      subjects: [{ kind: 'ServiceAccount', name, namespace }],
    },
  ];
}
