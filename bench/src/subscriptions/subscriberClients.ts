// The benchmark's subscribers, run as a child process (forked by subscriptionBench.ts) so the
// gateway process does only the gateway's work. Opens N graphql-ws sockets, and for each event the
// parent announces (`expect`, with the commit time on the shared clock) records when every socket
// got its `next` message; answers `done` when all have. Commands come over the IPC channel.
import WebSocket from 'ws';

type Command =
  | { type: 'open'; url: string; key: string; count: number; query: string }
  | { type: 'expect'; eventId: string }
  /** Give up on an event (the parent timed out): report what arrived. */
  | { type: 'forget'; eventId: string }
  | { type: 'close' };

// Arrival times on the clock shared with the parent (timeOrigin + now, sub-millisecond).
const now = () => performance.timeOrigin + performance.now();
let sockets: WebSocket[] = [];
const pending = new Map<string, { arrivals: number[]; left: number }>();
const send = (m: unknown) => process.send!(m);

function onNext(eventId: string) {
  const p = pending.get(eventId);
  if (!p) return;
  p.arrivals.push(now());
  if (--p.left === 0) {
    pending.delete(eventId);
    send({ type: 'done', eventId, arrivals: p.arrivals });
  }
}

async function open(url: string, key: string, count: number, query: string) {
  for (let start = 0; start < count; start += 100) {
    const batch = Array.from({ length: Math.min(100, count - start) }, () =>
      new Promise<WebSocket>((resolve, reject) => {
        const ws = new WebSocket(url, 'graphql-transport-ws');
        ws.on('error', reject);
        ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${key}` } })));
        ws.on('message', (raw) => {
          const msg = JSON.parse(String(raw)) as { type: string; payload?: { data?: { events?: { id: string } } } };
          if (msg.type === 'connection_ack') {
            ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query } }));
            resolve(ws);
          } else if (msg.type === 'next' && msg.payload?.data?.events) onNext(msg.payload.data.events.id);
        });
      }),
    );
    sockets.push(...(await Promise.all(batch)));
  }
}

process.on('message', (command: Command) => {
  if (command.type === 'open') {
    open(command.url, command.key, command.count, command.query).then(
      () => send({ type: 'opened' }),
      (error: unknown) => send({ type: 'error', message: String(error) }),
    );
  } else if (command.type === 'expect') {
    pending.set(command.eventId, { arrivals: [], left: sockets.length });
    send({ type: 'expecting', eventId: command.eventId });
  } else if (command.type === 'forget') {
    const p = pending.get(command.eventId);
    pending.delete(command.eventId);
    send({ type: 'forgotten', eventId: command.eventId, arrivals: p?.arrivals ?? [] });
  } else {
    for (const s of sockets) s.terminate();
    sockets = [];
    pending.clear();
    send({ type: 'closed' });
  }
});
