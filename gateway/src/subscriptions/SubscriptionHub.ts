// One per gateway process: its own change stream on the outbox (so every gateway sees every event
// and serves its own subscribers), the live subscriptions by account and mode, and the per-event
// work. For each event, the subscriptions it matches are grouped by (principal, query, variables)
// and each group's query runs once through the gateway; results reach each subscriber in event
// order even though the queries of successive events run concurrently.
import type { Db } from 'mongodb';
import type { ExecutionResult } from 'graphql';
import type { EventDocument } from '../../../platform/src/events/outbox.js';
import { EventConsumer } from '../../../platform/src/events/EventConsumer.js';
import { newId } from '../../../platform/src/ids.js';
import type { Logger } from '../../../platform/src/logger.js';
import type { Principal } from '../../../platform/src/principal.js';
import type { OperationExecutor } from '../rest/RestAdapter.js';
import { Channel } from './Channel.js';
import { EVENT_ID_VARIABLE, type SubscriptionPlan } from './planSubscription.js';

interface Listener {
  plan: SubscriptionPlan;
  principal: Principal;
  groupKey: string;
  channel: Channel<ExecutionResult>;
  tail: Promise<void>;
  /** Results waiting in `tail` (order is kept: a new result waits behind them). */
  queued: number;
}

export class SubscriptionHub {
  private readonly byTenant = new Map<string, Set<Listener>>();
  private readonly consumer: EventConsumer;
  /** Events seen and payload queries run through the graph (exposed for tests and the benchmark). */
  readonly stats = { events: 0, executions: 0 };

  constructor(private readonly options: { db: Db; execute: OperationExecutor; logger?: Logger | undefined }) {
    this.consumer = new EventConsumer({ db: options.db, name: `subscriptions-${newId('gw', 8)}`, persist: false, handle: (e) => this.dispatch(e), logger: options.logger });
  }

  start(): Promise<void> {
    return this.consumer.start();
  }

  stop(): Promise<void> {
    for (const set of this.byTenant.values()) for (const l of set) void l.channel.return();
    return this.consumer.stop();
  }

  get size(): number {
    let n = 0;
    for (const set of this.byTenant.values()) n += set.size;
    return n;
  }

  subscribe(plan: SubscriptionPlan, principal: Principal, onEnd: () => void): Channel<ExecutionResult> {
    const tenant = `${principal.accountId}:${principal.mode}`;
    const listener: Listener = {
      plan,
      principal,
      groupKey: [principal.accountId, principal.mode, principal.keyType, principal.scopes.join(','), plan.operationName ?? '', plan.query, JSON.stringify(plan.variables)].join('\n'),
      channel: new Channel<ExecutionResult>(() => {
        this.byTenant.get(tenant)?.delete(listener);
        onEnd();
      }),
      tail: Promise.resolve(),
      queued: 0,
    };
    let set = this.byTenant.get(tenant);
    if (!set) this.byTenant.set(tenant, (set = new Set()));
    set.add(listener);
    return listener.channel;
  }

  private dispatch(event: EventDocument): void {
    this.stats.events++;
    const set = this.byTenant.get(`${event.accountId}:${event.mode}`);
    if (!set || set.size === 0) return;
    const groups = new Map<string, Listener[]>();
    for (const listener of set) {
      if (!listener.plan.matches(event)) continue;
      const group = groups.get(listener.groupKey);
      if (group) group.push(listener);
      else groups.set(listener.groupKey, [listener]);
    }
    for (const group of groups.values()) {
      const first = group[0]!;
      // Event-only selections are built right here; a listener with nothing queued gets the
      // result at once (no promise hop), which keeps fan-out to thousands of sockets cheap.
      const local: ExecutionResult | undefined = first.plan.local ? { data: { [first.plan.responseKey]: first.plan.local(event) } } : undefined;
      const result = local ?? this.run(first, event);
      for (const listener of group) {
        if (local && listener.queued === 0) {
          listener.channel.push(local);
          continue;
        }
        listener.queued++;
        listener.tail = listener.tail.then(async () => {
          const r = await result;
          listener.queued--;
          if (r) listener.channel.push(r);
        });
      }
    }
  }

  /** The group's query for this event; null when the entity is not visible (nothing to send). */
  private async run(listener: Listener, event: EventDocument): Promise<ExecutionResult | null> {
    const { plan } = listener;
    this.stats.executions++;
    const requestId = newId('req');
    try {
      const variables = plan.needsEventId ? { ...plan.variables, [EVENT_ID_VARIABLE]: event._id } : plan.variables;
      const result = await this.options.execute(
        { query: plan.query, operationName: plan.operationName as string, variables },
        { principal: { ...listener.principal, requestId }, requestId },
      );
      if (!result.errors?.length && (result.data?.[plan.responseKey] ?? null) === null) return null;
      return result as ExecutionResult;
    } catch (error) {
      this.options.logger?.error('subscription payload failed', { error, eventId: event._id });
      return { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_ERROR', request_id: requestId } }] } as unknown as ExecutionResult;
    }
  }
}
