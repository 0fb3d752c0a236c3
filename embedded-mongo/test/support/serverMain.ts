// A server in its own process, so a test can kill it with SIGKILL. Prints one JSON line with its
// URI once it listens. Usage: tsx serverMain.ts <dbPath>
import { startEmbeddedMongo } from '../../src/index.js';

const dbPath = process.argv[2];
if (!dbPath) throw new Error('usage: serverMain.ts <dbPath>');
const server = await startEmbeddedMongo({ dbPath, port: 0, host: '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ uri: server.uri, port: server.port })}\n`);
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
