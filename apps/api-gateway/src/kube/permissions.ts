// Everything the gateway asks of the API server: its three caches, the restart annotation on BotModules
// (restart.ts), and Events. The client refuses any other call, and the chart's RBAC is generated from this.
import { EVENT_ACCESS, RESOURCES, caches } from '@eevee/runtime';
import type { ProcessPermissions } from '@eevee/runtime';
import { GATEWAY_DEPLOYMENTS, GATEWAY_PODS } from './cached-types.ts';

export const GATEWAY_PERMISSIONS: ProcessPermissions = {
  access: [
    ...caches(RESOURCES.BotModule, GATEWAY_DEPLOYMENTS, GATEWAY_PODS),
    { type: RESOURCES.BotModule, verbs: ['patch'] },
    EVENT_ACCESS,
  ],
  // No leader election: every replica serves.
  ownNamespace: [],
};
