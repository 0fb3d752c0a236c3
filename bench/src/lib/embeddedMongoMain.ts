// Process entry: junction's embedded MongoDB-compatible server on a loopback port, in its own
// process as a production database would be, so its CPU is reported apart from the gateway's.
// argv: <dbPath>; prints `LISTENING <uri>`.
import { startEmbeddedMongo } from '../../../embedded-mongo/src/index.js';

const server = await startEmbeddedMongo({ dbPath: process.argv[2]!, port: 0, host: '127.0.0.1' });
console.log(`LISTENING ${server.uri}`);
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
