import { describe, expect, it } from 'vitest';
import { ConfigError } from '@eevee/runtime';
import { parseGatewayConfig } from '../src/config.ts';

describe('gateway configuration', () => {
  it('has upstream’s defaults', () => {
    const config = parseGatewayConfig({});
    expect(config).toMatchObject({
      NAMESPACE: 'eevee-bot',
      WATCH_OTHER_NAMESPACES: false,
      KUBE_IN_CLUSTER_CONFIG: false,
      HTTP_API_PORT: 9000,
      RATE_LIMIT_MAX: 100,
      RATE_LIMIT_WINDOW_SECONDS: 60,
      BODY_LIMIT_BYTES: 102_400,
      STATUS_PAGE: true,
    });
    expect(config.EEVEE_OPERATOR_API_TOKEN).toBeUndefined();
  });

  it('parses booleans as upstream did (true in any case, or 1)', () => {
    for (const value of ['true', 'TRUE', 'True', '1'])
      expect(parseGatewayConfig({ WATCH_OTHER_NAMESPACES: value }).WATCH_OTHER_NAMESPACES).toBe(true);
    for (const value of ['false', 'FALSE', '0', ''])
      expect(parseGatewayConfig({ WATCH_OTHER_NAMESPACES: value }).WATCH_OTHER_NAMESPACES).toBe(false);
    expect(parseGatewayConfig({ STATUS_PAGE: 'false' }).STATUS_PAGE).toBe(false);
  });

  it('refuses bad values with one line naming the variable', () => {
    expect(() => parseGatewayConfig({ HTTP_API_PORT: '70000' })).toThrow(ConfigError);
    expect(() => parseGatewayConfig({ HTTP_API_PORT: 'abc' })).toThrow(/HTTP_API_PORT/);
    expect(() => parseGatewayConfig({ NAMESPACE: 'Not_A_Namespace' })).toThrow(/NAMESPACE/);
    expect(() => parseGatewayConfig({ WATCH_OTHER_NAMESPACES: 'maybe' })).toThrow(/WATCH_OTHER_NAMESPACES/);
  });

  it('turns rate limiting off with RATE_LIMIT_MAX=0', () => {
    expect(parseGatewayConfig({ RATE_LIMIT_MAX: '0' }).RATE_LIMIT_MAX).toBe(0);
  });
});
