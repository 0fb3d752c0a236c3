import { ConfigError, loadEnv } from './env.js';

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
