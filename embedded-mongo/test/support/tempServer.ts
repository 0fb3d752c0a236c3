import { startTestServer, type TestServer } from '../../src/testSupport.js';
import type { EmbeddedMongoOptions } from '../../src/index.js';

export type EmbeddedServer = TestServer['server'];

/** An in-process server on a fresh temp directory, with a connected client; `stop` removes both. */
export function tempServer(prefix: string, options: Partial<EmbeddedMongoOptions> = {}): Promise<TestServer> {
  return startTestServer({ port: 0, host: '127.0.0.1', ...options }, `em-${prefix}-`);
}
