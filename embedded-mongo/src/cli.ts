// `npm run mongo -- --port 27017 --dbpath ./data/db`: runs the embedded server standalone.
import path from 'node:path';
import { startEmbeddedMongo } from './index.js';

function parseArgs(argv: string[]): { port: number; dbPath: string; host: string } {
  let port = 27017;
  let dbPath = path.join(process.env.DATA_DIR || './data', 'db');
  let host = '127.0.0.1';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => inline ?? argv[++i] ?? '';
    switch (flag) {
      case '--port':
        port = Number(value());
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be an integer 0-65535`);
        break;
      case '--dbpath':
        dbPath = value();
        break;
      case '--host':
      case '--bind_ip':
        host = value();
        break;
      case '--help':
      case '-h':
        process.stdout.write('usage: npm run mongo -- [--port 27017] [--dbpath ${DATA_DIR:-./data}/db] [--bind_ip 127.0.0.1]\n');
        process.exit(0);
        break;
      default:
        throw new Error(`unknown option ${a} (try --help)`);
    }
  }
  return { port, dbPath, host };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const server = await startEmbeddedMongo(args);
  process.stdout.write(`embedded-mongo listening on ${server.uri} (data directory ${server.dbPath})\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.close().then(
      () => {
        process.stdout.write(`embedded-mongo stopped (${signal}); data flushed to ${server.dbPath}\n`);
        process.exit(0);
      },
      (e) => {
        process.stderr.write(`embedded-mongo: error while stopping: ${(e as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(1);
});
