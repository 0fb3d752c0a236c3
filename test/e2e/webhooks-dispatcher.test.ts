// The dispatcher as its own process (`npm start -- --only dispatcher`), killed with SIGKILL in the
// middle of a stream of deliveries and started again: every event still arrives (the fan-out
// resumes from its persisted change-stream token, leased deliveries of the dead process are taken
// over when the lease expires); a receiver may see an event twice, always with the same event id.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { startStack, type Stack } from '../support/startStack.js';
import { startReceiver, type Receiver } from './webhooks-receiver.js';

const SECRET = 'whsec_dispatcher_test_secret';
const repoRoot = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '../..');
let stack: Stack;
let receiver: Receiver;
const children: ChildProcess[] = [];

const DISPATCH_ENV = { WEBHOOK_ALLOW_LOOPBACK: '1', WEBHOOK_RETRY_SCHEDULE: '200ms,400ms,600ms,800ms,1s', WEBHOOK_POLL: '100ms', WEBHOOK_TIMEOUT: '1s', WEBHOOK_LEASE: '2s', WEBHOOK_CONCURRENCY: '4' };

beforeAll(async () => {
  // No dispatcher inside the stack: only the separate processes deliver.
  stack = await startStack({ env: { ...DISPATCH_ENV, WEBHOOK_DISPATCHER: '0' } });
  receiver = await startReceiver(() => SECRET);
}, 120_000);

afterAll(async () => {
  for (const c of children) {
    if (c.exitCode !== null || c.signalCode !== null) continue;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    await exited;
  }
  await receiver?.stop().catch(() => undefined);
  await stack?.stop();
});

function startDispatcher(): Promise<ChildProcess> {
  const child = spawn(path.join(repoRoot, 'node_modules/.bin/tsx'), ['app/src/main.ts', '--only', 'dispatcher'], {
    cwd: repoRoot,
    env: { ...process.env, ...DISPATCH_ENV, MONGODB_URI: stack.mongoUri, MONGODB_DB: stack.mongoDbName, PRINCIPAL_SECRET: stack.principalSecret, DATA_DIR: stack.dataDir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready in')) resolve(child);
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => reject(new Error(`dispatcher exited (${code}): ${out}`)));
  });
}

test('SIGKILL mid-stream loses nothing; duplicates carry the same event id', async () => {
  let dispatcher = await startDispatcher();
  const reg = await stack.request('POST', '/v2/webhooks', { body: { url: receiver.url, events: ['product.out_of_stock', 'user.created'], secret: SECRET } });
  expect(reg.status).toBe(201);
  receiver.delayMs = 60;

  const created: string[] = [];
  const createUsers = async (count: number) => {
    for (let i = 0; i < count; i++) {
      const res = await stack.request('POST', '/v2/users', { body: { email: `kill${Date.now()}${i}${Math.random().toString(36).slice(2, 6)}@example.com`, name: 'Kill Test' } });
      expect(res.status).toBe(201);
      created.push(res.body.id);
    }
  };
  await createUsers(25);
  await receiver.waitFor((r) => r.acceptedIds().size >= 5);
  dispatcher.kill('SIGKILL');
  await new Promise((r) => dispatcher.once('exit', r));
  const atKill = receiver.acceptedIds().size;
  expect(atKill).toBeLessThan(25);

  // Events written while no dispatcher runs.
  await createUsers(10);
  dispatcher = await startDispatcher();
  await createUsers(5);

  await receiver.waitFor((r) => new Set(r.received.filter((x) => x.headers['x-techcorp-event'] === 'user.created').map((x) => x.body.data.id)).size === created.length, 30_000);
  const byUser = new Map<string, Set<string>>();
  for (const r of receiver.received) {
    expect(r.verified).toBe(true);
    const ids = byUser.get(String(r.body.data.id)) ?? new Set();
    ids.add(r.body.id);
    byUser.set(String(r.body.data.id), ids);
  }
  expect([...byUser.keys()].sort()).toEqual([...created].sort());
  // However often a user's event arrived, it was always the same event (same id).
  for (const ids of byUser.values()) expect(ids.size).toBe(1);

  const deliveries = await stack.db.collection('webhook_deliveries').find({ endpointId: reg.body.id }).toArray();
  expect(deliveries).toHaveLength(created.length);
  await receiver.waitFor(() => true);
  const end = Date.now() + 10_000;
  while (Date.now() < end && (await stack.db.collection('webhook_deliveries').countDocuments({ endpointId: reg.body.id, status: { $ne: 'succeeded' } })) > 0) {
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(await stack.db.collection('webhook_deliveries').countDocuments({ endpointId: reg.body.id, status: 'succeeded' })).toBe(created.length);
}, 90_000);
