import { ConfigError, DOCUMENTED_OPTIONS, loadEnv } from './env.js';

test('defaults', () => {
  const env = loadEnv({});
  expect(env).toMatchObject({ port: 4000, host: '0.0.0.0', mongodbUri: undefined, mongodbDb: 'junction', logLevel: 'info' });
  expect(process.env.APOLLO_TELEMETRY_DISABLED).toBe('1');
});

test('a bad value names its variable', () => {
  expect(() => loadEnv({ PORT: 'abc' })).toThrow(ConfigError);
  expect(() => loadEnv({ PORT: 'abc' })).toThrow(/^PORT:/);
  expect(() => loadEnv({ PORT: '70000' })).toThrow(/^PORT:/);
  expect(() => loadEnv({ MONGODB_URI: 'http://x' })).toThrow(/^MONGODB_URI:/);
  expect(() => loadEnv({ LOG_LEVEL: 'loud' })).toThrow(/^LOG_LEVEL:/);
  expect(() => loadEnv({ PRINCIPAL_SECRET: 'short' })).toThrow(/^PRINCIPAL_SECRET:/);
  expect(() => loadEnv({ SUBGRAPH_AUTH_URL: 'not a url' })).toThrow(/^SUBGRAPH_AUTH_URL:/);
});

test('subgraph URLs and ports are collected by name', () => {
  const env = loadEnv({ SUBGRAPH_AUTH_URL: 'http://auth:4001/graphql', SUBGRAPH_COMMERCE_PORT: '4002' });
  expect(env.subgraphUrls).toEqual({ auth: 'http://auth:4001/graphql' });
  expect(env.subgraphPorts).toEqual({ commerce: 4002 });
});

test('webhook and subscription settings: defaults, durations, the lease rule', () => {
  const { events } = loadEnv({});
  expect(events).toMatchObject({ retrySchedule: [60_000, 300_000, 1_800_000, 7_200_000, 28_800_000], timeoutMs: 10_000, leaseMs: 30_000, pollMs: 1000, concurrency: 16, allowLoopback: false, dispatcherInProcess: true });
  expect(events.subscriptions).toEqual({ maxPerConnection: 100, maxConnectionsPerAccount: 2000, recheckMs: 10_000, keepAliveMs: 12_000 });
  expect(loadEnv({ WEBHOOK_TIMEOUT: '20s' }).events.leaseMs).toBe(60_000);
  expect(loadEnv({ WEBHOOK_RETRY_SCHEDULE: '1s,500ms', WEBHOOK_ALLOW_LOOPBACK: 'true' }).events).toMatchObject({ retrySchedule: [1000, 500], allowLoopback: true });
  expect(() => loadEnv({ WEBHOOK_LEASE: '5s' })).toThrow(/^WEBHOOK_LEASE:/);
  expect(() => loadEnv({ WEBHOOK_POLL: 'soon' })).toThrow(/^WEBHOOK_POLL:/);
  expect(() => loadEnv({ GATEWAY_INFLIGHT_DEDUP: 'maybe' })).toThrow(/^GATEWAY_INFLIGHT_DEDUP:/);
});

test('every documented default parses with its own parser', () => {
  for (const section of Object.values(DOCUMENTED_OPTIONS)) {
    for (const option of section) {
      if ('parse' in option && option.default !== undefined) expect(() => option.parse(option.default!, option.variable)).not.toThrow();
      expect(option.doc.length).toBeGreaterThan(0);
    }
  }
});
