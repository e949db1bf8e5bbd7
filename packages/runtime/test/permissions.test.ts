import { describe, expect, it } from 'vitest';
import {
  RESOURCES,
  accessGuard,
  applies,
  appliesAndPrunes,
  defineController,
  managerPermissions,
  policyRules,
  resourceOfPath,
  writesStatus,
} from '../src/index.ts';

const controller = defineController({
  name: 'widget',
  for: RESOURCES.BotModule,
  owns: [RESOURCES.Deployment],
  watches: [{ type: RESOURCES.SecretMetadata, keys: () => [] }],
  caches: [{ type: RESOURCES.PersistentVolumeClaim }],
  calls: [
    ...writesStatus(RESOURCES.BotModule),
    ...appliesAndPrunes(RESOURCES.Deployment),
    ...applies(RESOURCES.PersistentVolumeClaim),
  ],
  reconcile: () => Promise.resolve(),
});

describe('permissions derived from a controller definition', () => {
  it('reads every cache, writes what it declares, records Events and holds its Lease', () => {
    const permissions = managerPermissions([controller]);
    expect(policyRules(permissions.access)).toEqual([
      { apiGroups: [''], resources: ['persistentvolumeclaims'], verbs: ['list', 'watch', 'create', 'patch'] },
      { apiGroups: [''], resources: ['secrets'], verbs: ['list', 'watch'] },
      {
        apiGroups: ['apps'],
        resources: ['deployments'],
        verbs: ['list', 'watch', 'create', 'patch', 'delete'],
      },
      { apiGroups: ['eevee.bot'], resources: ['botmodules'], verbs: ['list', 'watch'] },
      { apiGroups: ['eevee.bot'], resources: ['botmodules/status'], verbs: ['patch'] },
      { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: ['create'] },
    ]);
    expect(policyRules(permissions.ownNamespace)).toEqual([
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] },
    ]);
    expect(managerPermissions([controller], { leaderElection: false }).ownNamespace).toEqual([]);
  });

  it('puts resources of one group with the same verbs in one rule', () => {
    expect(policyRules(appliesAndPrunes(RESOURCES.Service, RESOURCES.ConfigMap))).toEqual([
      { apiGroups: [''], resources: ['configmaps', 'services'], verbs: ['create', 'patch', 'delete'] },
    ]);
  });

  it('refuses an undeclared call with a message saying what to declare', () => {
    const guard = accessGuard(managerPermissions([controller]));
    expect(() => guard('patch', RESOURCES.BotModule, 'status')).not.toThrow();
    expect(() => guard('watch', RESOURCES.Secret)).not.toThrow();
    expect(() => guard('delete', RESOURCES.PersistentVolumeClaim)).toThrow(
      'undeclared API call: delete persistentvolumeclaims; declare it in the controller definition (calls)',
    );
    expect(() => guard('get', RESOURCES.Secret)).toThrow(/undeclared API call: get secrets/);
    expect(() => guard('patch', RESOURCES.BotModule)).toThrow(/patch botmodules\.eevee\.bot/);
    expect(() => guard('create', RESOURCES.CronJob)).toThrow(/create cronjobs\.batch/);
  });
});

describe('resourceOfPath', () => {
  it.each([
    ['/apis/apps/v1/namespaces/ns/deployments/x', 'deployments'],
    ['/apis/eevee.bot/v1/namespaces/ns/botmodules/x/status', 'botmodules/status'],
    ['/apis/coordination.k8s.io/v1/namespaces/ns/leases', 'leases'],
    ['/api/v1/namespaces/ns/secrets?fieldManager=x', 'secrets'],
    ['/api/v1/namespaces/ns', 'namespaces'],
    ['/apis/apiextensions.k8s.io/v1/customresourcedefinitions/x', 'customresourcedefinitions'],
  ])('%s → %s', (path, resource) => {
    expect(resourceOfPath(path)).toBe(resource);
  });
});
