// What the route tables need from the running gateway.
import type { Logger } from '@eevee/runtime';
import type { RecentEvents } from '../events/recent-events.ts';
import type { GatewayMetrics } from '../http/metrics.ts';
import type { ModuleReader } from '../kube/module-cache.ts';
import type { NamespaceScope } from '../kube/scope.ts';
import type { Restarter } from '../restart.ts';
import type { ViewCache } from '../views/view-cache.ts';

export interface RouteDeps {
  scope: NamespaceScope;
  cache: ModuleReader;
  views: ViewCache;
  restarter: Restarter;
  events: RecentEvents;
  metrics: GatewayMetrics;
  logger: Logger;
  bodyLimit: number;
  statusPage: boolean;
}
