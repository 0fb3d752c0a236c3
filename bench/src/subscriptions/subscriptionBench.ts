// Benchmark of the event backbone: graphql-ws delivery and webhook throughput (bench/src/scenarios/subscriptions.ts runs it):
//   import { runSubscriptionBench } from './subscriptions/subscriptionBench.js';
//   const { markdown } = await runSubscriptionBench();
// It starts junction in-process (embedded database in a temp dir, every subgraph, one gateway on
// port 0) and measures:
// 1. commit → subscriber message: an event is committed to the outbox (a direct one-document
//    write, as a domain mutation's transaction ends) and the time until each of N graphql-ws
//    subscribers (N = 1, 100, 1000, one connection each, raw `ws` clients in this process) has
//    its `next` message; the payload is resolved through the gateway for every event. Events are
//    sent one at a time; every subscriber must get every event (losses are counted).
// 2. webhooks: throughput of signed deliveries to a local receiver, the commit → receiver latency
//    at low load, and the time the dispatcher spends signing and recording per delivery.
import { fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { print } from 'graphql';
import { composeSupergraph } from '../../../app/src/compose.js';
import { loopbackEnv } from '../lib/loopbackEnv.js';
import { EVENTS_COLLECTION, type EventDocument } from '../../../platform/src/events/outbox.js';
import { newId } from '../../../platform/src/ids.js';
import { createLogger } from '../../../platform/src/logger.js';
import { startJunction } from '../../../app/src/startJunction.js';
import { subgraphs } from '../../../app/src/subgraphRegistry.js';
import { restApis } from '../../../gateway/src/rest/apis.js';
import { createApiKey, ensureAccount } from '../../../subgraphs/auth/src/store.js';
import { WebhookDispatcher } from '../../../subgraphs/observability/src/dispatcher/WebhookDispatcher.js';

export interface SubscriptionBenchOptions {
  subscriberCounts?: number[];
  /** Events per subscriber count. */
  events?: number;
  webhookDeliveries?: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const ms = (v: number) => `${v.toFixed(1)} ms`;

/** Fields the event document carries (built in the gateway), or a field of the graph (`order`,
 * through the commerce entity) that makes every payload a query through the gateway. */
const SELECTIONS = {
  'event fields only': 'subscription { events(types: [USER_CREATED]) { id event data } }',
  'through the graph': 'subscription { events(types: [USER_CREATED]) { id event data order { id status } } }',
} as const;

export async function runSubscriptionBench(options: SubscriptionBenchOptions = {}): Promise<{ markdown: string }> {
  const counts = options.subscriberCounts ?? [1, 100, 1000];
  const eventsPerRun = options.events ?? 50;
  const webhookDeliveries = options.webhookDeliveries ?? 500;
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'junction-subbench-'));
  const env = loopbackEnv(dataDir, {
    LOG_LEVEL: 'silent',
    WEBHOOK_ALLOW_LOOPBACK: '1',
    WEBHOOK_DISPATCHER: '0',
    SUBSCRIPTION_CONNECTIONS_PER_ACCOUNT: '5000',
  });
  const logger = createLogger('silent');
  const supergraphSdl = composeSupergraph(subgraphs.map((m) => ({ name: m.name, sdl: print(m.typeDefs) })));
  const junction = await startJunction({ env, logger, modules: subgraphs, restApis, supergraphSdl, seed: false });
  const lines: string[] = [];
  try {
    const { db } = junction.database;
    const account = await ensureAccount(db, 'bench-subscriptions', 'enterprise');
    const key = (await createApiKey(db, { accountId: account._id, type: 'live', plan: 'enterprise' })).secret;
    const wsUrl = junction.gateway!.url.replace(/^http/, 'ws') + '/graphql';
    // The outbox document a domain write commits (as platform/src/events/outbox.ts writes it), with its id
    // chosen first so the waiting side is registered before the commit.
    const eventDoc = (n: number): EventDocument => ({ _id: newId('evt', 24), type: 'user.created', accountId: account._id, mode: 'live', data: { id: `usr_bench${n}`, email: `bench${n}@example.com` }, createdAt: new Date() });
    const events = db.collection<EventDocument>(EVENTS_COLLECTION);
    const write = async (n: number) => {
      const doc = eventDoc(n);
      await events.insertOne(doc);
      return doc;
    };

    lines.push('### Subscriptions: commit → subscriber message (one gateway)', '');
    lines.push(`Events committed one at a time (${eventsPerRun} per row, after 5 warm-up events). "event fields only": the payload is built from the change-stream document; "through the graph": each event's payload is one query through the gateway (\`event(id)\` on observability, \`order\` on commerce), run once per event for all subscribers with the same selection and principal. Clients are raw graphql-ws sockets in a separate process (\`subscriberClients.ts\`), one connection per subscriber; times are on the shared clock, from just before the commit to each socket's message (2 shared cores, load average ${os.loadavg()[0]!.toFixed(1)} at start).`, '');
    lines.push('| selection | subscribers | messages | lost | p50 | p99 | max |', '|---|---:|---:|---:|---:|---:|---:|');
    let n = 0;
    const clients = fork(fileURLToPath(new URL('./subscriberClients.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const replies: { type: string; eventId?: string; arrivals?: number[]; message?: string }[] = [];
    const waiters: (() => void)[] = [];
    clients.on('message', (m: (typeof replies)[number]) => {
      replies.push(m);
      for (const w of waiters.splice(0)) w();
    });
    const reply = async (match: (m: (typeof replies)[number]) => boolean, timeoutMs: number) => {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const i = replies.findIndex(match);
        if (i >= 0) return replies.splice(i, 1)[0]!;
        if (Date.now() > end) return undefined;
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 50);
        });
      }
    };
    try {
      const rows = Object.entries(SELECTIONS).flatMap(([label, query]) => counts.map((count) => ({ label, query, count })));
      for (const { label, query, count } of rows) {
        clients.send({ type: 'open', url: wsUrl, key, count, query });
        const opened = await reply((m) => m.type === 'opened' || m.type === 'error', 120_000);
        if (opened?.type !== 'opened') throw new Error(`subscribers did not connect: ${opened?.message ?? 'timeout'}`);
        await new Promise((r) => setTimeout(r, 300));
        const latencies: number[] = [];
        let lost = 0;
        for (let i = 0; i < eventsPerRun + 5; i++) {
          const doc = eventDoc(n++);
          clients.send({ type: 'expect', eventId: doc._id });
          await reply((m) => m.type === 'expecting' && m.eventId === doc._id, 5000);
          const t0 = performance.timeOrigin + performance.now();
          await events.insertOne(doc);
          let got = await reply((m) => m.type === 'done' && m.eventId === doc._id, 5000);
          if (!got) {
            clients.send({ type: 'forget', eventId: doc._id });
            got = await reply((m) => m.type === 'forgotten' && m.eventId === doc._id, 5000);
            lost += count - (got?.arrivals?.length ?? 0);
          }
          if (i >= 5) for (const at of got?.arrivals ?? []) latencies.push(at - t0); // after 5 warm-up events
        }
        clients.send({ type: 'close' });
        await reply((m) => m.type === 'closed', 30_000);
        const sorted = [...latencies].sort((a, b) => a - b);
        lines.push(`| ${label} | ${count} | ${latencies.length} | ${lost} | ${ms(percentile(sorted, 50))} | ${ms(percentile(sorted, 99))} | ${ms(sorted.at(-1) ?? NaN)} |`);
        await new Promise((r) => setTimeout(r, 300));
      }
    } finally {
      clients.kill();
    }

    // Webhooks.
    let received = 0;
    const arrivals = new Map<string, number>();
    const receiver = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received++;
        arrivals.set(String(req.headers['x-techcorp-event-id']), performance.now());
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    const port = (receiver.address() as AddressInfo).port;
    const reg = await fetch(`${junction.gateway!.url}/v2/webhooks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url: `http://127.0.0.1:${port}/hook`, events: ['user.created'], secret: 'whsec_bench_secret' }),
    });
    if (reg.status !== 201) throw new Error(`webhook registration failed: ${reg.status}`);
    const dispatcher = new WebhookDispatcher({ db, config: env.events, principalSecret: junction.principalSecret, logger });
    await dispatcher.start();
    try {
      // Latency at low load.
      const single: number[] = [];
      for (let i = 0; i < 30; i++) {
        const event = eventDoc(n++);
        const t0 = performance.now();
        await events.insertOne(event);
        while (!arrivals.has(event._id)) await new Promise((r) => setTimeout(r, 1));
        single.push(arrivals.get(event._id)! - t0);
      }
      // Throughput: the backlog is committed while no dispatcher runs, then one starts and drains
      // it (fan-out from its persisted resume token, claims, signed POSTs, recorded attempts).
      await dispatcher.stop();
      const backlog = Array.from({ length: webhookDeliveries }, () => eventDoc(n++));
      await events.insertMany(backlog);
      received = 0;
      const drainer = new WebhookDispatcher({ db, config: env.events, principalSecret: junction.principalSecret, logger });
      const t0 = performance.now();
      await drainer.start();
      while (received < webhookDeliveries) await new Promise((r) => setTimeout(r, 5));
      const totalMs = performance.now() - t0;
      await drainer.stop();
      const s = drainer.stats;
      const sortedSingle = single.sort((a, b) => a - b);
      lines.push('', '### Webhooks: signed deliveries to a local receiver', '');
      lines.push(`One endpoint, receiver answers 204. Throughput: ${webhookDeliveries} events committed while no dispatcher runs, then one dispatcher (concurrency ${env.events.concurrency}) drains them: fan-out from its resume token, lease claim, signing, POST, recorded attempt.`, '');
      lines.push('| measure | value |', '|---|---:|');
      lines.push(`| throughput (dispatcher start → receipt of the last) | ${((webhookDeliveries / totalMs) * 1000).toFixed(0)} deliveries/s |`);
      lines.push(`| commit → receiver, one at a time, p50 / p99 | ${ms(percentile(sortedSingle, 50))} / ${ms(percentile(sortedSingle, 99))} |`);
      lines.push(`| signing (HMAC-SHA256 of the body) per delivery | ${((s.signMs / s.attempts) * 1000).toFixed(1)} µs |`);
      lines.push(`| recording the attempt (one updateOne) per delivery | ${ms(s.recordMs / s.attempts)} |`);
      lines.push(`| HTTP POST (send + response) per delivery | ${ms(s.sendMs / s.attempts)} |`);
    } finally {
      await dispatcher.stop();
      receiver.closeAllConnections();
      await new Promise<void>((r) => receiver.close(() => r()));
    }
  } finally {
    await junction.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
  return { markdown: lines.join('\n') + '\n' };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runSubscriptionBench().then(
    ({ markdown }) => {
      console.log(markdown);
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
