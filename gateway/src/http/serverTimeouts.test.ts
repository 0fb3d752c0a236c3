// A client that sends its request too slowly gets a 408 and loses the connection, instead of
// holding it for Node's default 300 s.
import net from 'node:net';
import { createLogger } from '../../../platform/src/logger.js';
import { startGatewayServer, type GatewayServer } from '../GatewayServer.js';

let server: GatewayServer;
beforeAll(async () => {
  server = await startGatewayServer({ port: 0, host: '127.0.0.1', logger: createLogger('silent'), bodyLimitBytes: 1024, shutdownGraceMs: 1000, timeouts: { headersTimeoutMs: 300, requestTimeoutMs: 300, checkIntervalMs: 100 } });
});
afterAll(async () => server?.close());

test('headers that never finish arriving: 408 and the connection is closed', async () => {
  const socket = net.connect(server.port, '127.0.0.1');
  let received = '';
  socket.on('data', (d) => (received += String(d)));
  socket.write('POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n');
  // Wait for the server to end the connection (no client timer involved).
  await new Promise<void>((resolve) => socket.on('close', () => resolve()));
  expect(received).toMatch(/^HTTP\/1\.1 408/);
}, 30_000);
