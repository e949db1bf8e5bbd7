// Wires the running gateway: Kubernetes client and caches, tokens, NATS events, the Koa app and its HTTP
// server; and stops it gracefully (stop accepting, let in-flight requests finish, close watches and NATS).
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventSubscription } from '@eevee/crds';
import {
  accessGuard,
  EventBus,
  EventRecorder,
  KubeClient,
  createLogger,
  defaultConnection,
  inClusterConnection,
} from '@eevee/runtime';
import type { Connection, KubeconfigSource, Logger } from '@eevee/runtime';
import { createApp } from './app.ts';
import { TokenStore } from './auth/token-store.ts';
import type { GatewayConfig } from './config.ts';
import { RecentEvents } from './events/recent-events.ts';
import { GatewayMetrics } from './http/metrics.ts';
import { TokenBucketLimiter } from './http/rate-limit.ts';
import { ModuleCache } from './kube/module-cache.ts';
import { GATEWAY_PERMISSIONS } from './kube/permissions.ts';
import { namespaceScope } from './kube/scope.ts';
import type { NamespaceScope } from './kube/scope.ts';
import { Restarter } from './restart.ts';
import { ViewCache } from './views/view-cache.ts';

export interface GatewayOptions {
  config: GatewayConfig;
  /** Default: in-cluster with KUBE_IN_CLUSTER_CONFIG, else KUBECONFIG / ~/.kube/config. */
  kubeConfig?: Connection | KubeconfigSource;
  logger?: Logger;
  /** How often the token file is re-read (tests shorten it). */
  tokenReloadMs?: number;
}

export class Gateway {
  readonly config: GatewayConfig;
  readonly logger: Logger;
  readonly client: KubeClient;
  readonly scope: NamespaceScope;
  readonly cache: ModuleCache;
  readonly tokens: TokenStore;
  readonly metrics = new GatewayMetrics();
  readonly events: RecentEvents;
  readonly server: Server;
  bus: EventBus | undefined;
  private stopping: Promise<void> | undefined;

  private constructor(options: GatewayOptions) {
    const { config } = options;
    this.config = config;
    this.logger = options.logger ?? createLogger({ level: config.LOG_LEVEL, name: 'api-gateway' });
    this.client = new KubeClient(
      options.kubeConfig ?? (config.KUBE_IN_CLUSTER_CONFIG ? inClusterConnection() : defaultConnection()),
    );
    this.client.authorize = accessGuard(GATEWAY_PERMISSIONS);
    this.scope = namespaceScope(config.NAMESPACE, config.WATCH_OTHER_NAMESPACES);
    this.cache = new ModuleCache(this.client, this.scope, this.logger);
    this.tokens = new TokenStore({
      envToken: config.EEVEE_OPERATOR_API_TOKEN,
      file: config.EEVEE_OPERATOR_API_TOKEN_FILE,
      logger: this.logger,
    });
    this.events = new RecentEvents((ns) => this.scope.serves(ns));
    const restarter = new Restarter({
      client: this.client,
      cache: this.cache,
      scope: this.scope,
      metrics: this.metrics,
      events: this.events,
      recorder: new EventRecorder(this.client, 'api-gateway', { logger: this.logger }),
      bus: () => this.bus,
      logger: this.logger,
    });
    const { app } = createApp({
      scope: this.scope,
      cache: this.cache,
      views: new ViewCache(this.cache, this.events),
      restarter,
      events: this.events,
      metrics: this.metrics,
      logger: this.logger,
      bodyLimit: config.BODY_LIMIT_BYTES,
      statusPage: config.STATUS_PAGE,
      tokens: this.tokens,
      limiter:
        config.RATE_LIMIT_MAX > 0
          ? new TokenBucketLimiter(config.RATE_LIMIT_MAX, config.RATE_LIMIT_WINDOW_SECONDS * 1000)
          : undefined,
    });
    // Slow or hostile clients: bounded time to send headers and the whole request, and few headers.
    const handle = app.callback();
    this.server = createServer({ headersTimeout: 10_000, requestTimeout: 30_000 }, (req, res) => {
      void handle(req, res);
    });
    this.server.maxHeadersCount = 100;
  }

  /** Starts watching and listening; readiness (/readyz) follows the caches' first sync. */
  static async start(options: GatewayOptions): Promise<Gateway> {
    const gateway = new Gateway(options);
    await gateway.tokens.start(options.tokenReloadMs);
    gateway.cache.start();
    await gateway.startBus();
    await new Promise<void>((resolveListen, reject) => {
      gateway.server.once('error', reject);
      gateway.server.listen(gateway.config.HTTP_API_PORT, gateway.config.HTTP_API_HOST, () => {
        gateway.server.off('error', reject);
        resolveListen();
      });
    });
    gateway.logger.info('api-gateway listening', {
      port: gateway.port,
      namespaces: gateway.scope.watched ?? 'all',
      authentication: `${gateway.tokens.count} token(s)`,
    });
    return gateway;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Stops accepting, lets requests in flight finish (up to SHUTDOWN_TIMEOUT_SECONDS), then closes the rest. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      const closed = new Promise<void>((resolveClose) => this.server.close(() => resolveClose()));
      this.server.closeIdleConnections();
      const deadline = setTimeout(
        () => this.server.closeAllConnections(),
        this.config.SHUTDOWN_TIMEOUT_SECONDS * 1000,
      );
      await closed;
      clearTimeout(deadline);
      this.tokens.stop();
      await Promise.all([this.cache.stop(), this.bus?.close()]);
      this.logger.info('api-gateway stopped');
    })();
    return this.stopping;
  }

  private async startBus(): Promise<void> {
    const bus = await EventBus.fromConfig(this.config, this.logger);
    if (!bus) return;
    bus.subscribe(eventSubscription(), (event) => this.events.add(event));
    this.bus = bus;
  }
}
