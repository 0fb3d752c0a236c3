// A real local webhook receiver for the e2e tests: records every request (raw body, headers) and
// verifies each signature with seed 003's own `verifyWebhook`; it can be told to fail, to stall,
// and can be stopped and started again on the same port (to play a receiver that goes away).
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { verifyWebhook } = require('./webhooks-verifyWebhook.cjs') as { verifyWebhook: (raw: string, sig: string, secret: string) => boolean };
const here = path.dirname(fileURLToPath(import.meta.url));

export interface Received {
  raw: string;
  body: { id: string; event: string; timestamp: string; data: Record<string, unknown> };
  headers: http.IncomingHttpHeaders;
  /** verifyWebhook (seed 003) accepted the X-TechCorp-Signature header. */
  verified: boolean;
  at: number;
}

export interface Receiver {
  url: string;
  port: number;
  received: Received[];
  /** Status to answer (default 200). */
  status: number;
  /** Delay before answering (ms). */
  delayMs: number;
  stop(): Promise<void>;
  /** Starts again on the same port. */
  restart(): Promise<void>;
  /** Unique event ids received with a 2xx answer. */
  acceptedIds(): Set<string>;
  waitFor(check: (r: Receiver) => boolean, timeoutMs?: number): Promise<void>;
}

export async function startReceiver(secret: () => string, port = 0): Promise<Receiver> {
  let server: http.Server;
  const accepted = new Set<string>();
  const receiver: Receiver = {
    url: '',
    port,
    received: [],
    status: 200,
    delayMs: 0,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
    async restart() {
      await listen(receiver.port);
    },
    acceptedIds: () => accepted,
    async waitFor(check, timeoutMs = 20_000) {
      const end = Date.now() + timeoutMs;
      while (!check(receiver)) {
        if (Date.now() > end) throw new Error(`receiver: condition not met within ${timeoutMs} ms (received ${receiver.received.length})`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
  };
  async function listen(p: number) {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const signature = String(req.headers['x-techcorp-signature'] ?? '');
        let verified = false;
        try {
          verified = verifyWebhook(raw, signature, secret());
        } catch {
          verified = false; // timingSafeEqual throws on a length mismatch: not verified
        }
        const record: Received = { raw, body: JSON.parse(raw), headers: req.headers, verified, at: Date.now() };
        const status = receiver.status;
        setTimeout(() => {
          receiver.received.push(record);
          if (status >= 200 && status < 300) accepted.add(record.body.id);
          res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'nope');
        }, receiver.delayMs);
      });
    });
    await new Promise<void>((resolve) => server.listen(p, '127.0.0.1', () => resolve()));
    receiver.port = (server.address() as AddressInfo).port;
    receiver.url = `http://127.0.0.1:${receiver.port}/hooks/techcorp`;
  }
  await listen(port);
  return receiver;
}

/** Runs seed 001's Python `verify_signature` over captured deliveries; true when all verify. */
export function verifyWithPython(deliveries: { payload: string; signature: string; secret: string }[]): boolean[] {
  const input = deliveries.map((d) => JSON.stringify(d)).join('\n') + '\n';
  const out = execFileSync('python3', [path.join(here, 'webhooks_verify_signature.py')], { input, encoding: 'utf8' });
  return out.trim().split('\n').map((l) => l === 'ok');
}
