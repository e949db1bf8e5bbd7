// eevee api-gateway: the operator's HTTP API and status page, served from informer caches.
import { ConfigError } from '@eevee/runtime';
import { parseGatewayConfig } from './config.ts';
import type { GatewayConfig } from './config.ts';
import { Gateway } from './gateway.ts';

let config: GatewayConfig;
try {
  config = parseGatewayConfig(process.env);
} catch (err) {
  process.stderr.write(`${err instanceof ConfigError ? err.message : String(err)}\n`);
  process.exit(2);
}

let gateway: Gateway;
try {
  gateway = await Gateway.start({ config });
} catch (err) {
  process.stderr.write(`api-gateway failed to start: ${(err as Error).message}\n`);
  process.exit(1);
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    void gateway.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
