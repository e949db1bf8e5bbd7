export {
  KubeClient,
  KubeApiError,
  isConflict,
  isGone,
  isNotFound,
  resourceOfPath,
  resourcePath,
} from './kube-client.ts';
export type { KubeList, KubeObject, KubeconfigSource, OwnerReference, ResourceType } from './kube-client.ts';
export { connectionFromKubeconfig, defaultConnection, inClusterConnection } from './kube-config.ts';
export type { Connection } from './kube-config.ts';
export { watchOnce } from './watch.ts';
export type { WatchEvent } from './watch.ts';
export { Informer, keyOf } from './informer.ts';
export type { InformerEvent, InformerHandler, InformerOptions } from './informer.ts';
export { WorkQueue } from './workqueue.ts';
export type { QueueObserver } from './workqueue.ts';
export {
  defaultControllerRateLimiter,
  ItemExponentialRateLimiter,
  MaxOfRateLimiter,
  TokenBucketRateLimiter,
} from './rate-limiter.ts';
export type { RateLimiter } from './rate-limiter.ts';
export { FakeClock, realClock, jitter } from './clock.ts';
export type { Clock } from './clock.ts';
export { Controller, TerminalError, defineController, labelKeys, ownerKeys, parseKey } from './controller.ts';
export type { ControllerContext, ControllerDefinition, ReconcileResult, Request } from './controller.ts';
export { Manager, runManager } from './manager.ts';
export type { ManagerOptions } from './manager.ts';
export { applyObject, controllerReference, standardLabels, APPLIED_HASH_ANNOTATION } from './apply.ts';
export type { ApplyResult } from './apply.ts';
export { applyStatus } from './status.ts';
export { ensureChild } from './children.ts';
export {
  setCondition,
  findCondition,
  isTrue,
  readyCondition,
  progressingCondition,
  degradedCondition,
  now,
} from './conditions.ts';
export type { Condition, DesiredCondition } from './conditions.ts';
export { EventRecorder } from './events.ts';
export { LeaderElector } from './leader-election.ts';
export type { LeaderElectionOptions } from './leader-election.ts';
export { EventBus } from './event-bus.ts';
export { RuntimeMetrics } from './metrics.ts';
export { ObjectStateMetrics, objectState } from './object-state.ts';
export type { ObjectState, StatusTime } from './object-state.ts';
export { createLogger, redact } from './logger.ts';
export type { Logger } from './logger.ts';
export { parseConfig, loadConfigOrExit, runtimeConfigSchema, ConfigError } from './config.ts';
export type { RuntimeConfig } from './config.ts';
export { startHealthServer } from './health-server.ts';
export { hashOf, isSubset, stableStringify } from './semantic.ts';
export { RESOURCES } from './resources.ts';
export {
  accessGuard,
  applies,
  appliesAndPrunes,
  caches,
  controllerAccess,
  managerPermissions,
  namespacedRbac,
  clusterWideRbac,
  policyRules,
  writesStatus,
  EVENT_ACCESS,
  LEASE_ACCESS,
} from './permissions.ts';
export type { ApiAccess, PolicyRule, ProcessPermissions, Verb } from './permissions.ts';
export { RESTRICTED_CONTAINER_SECURITY, RESTRICTED_POD_SECURITY } from './pod-security.ts';
