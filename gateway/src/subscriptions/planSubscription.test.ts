// The subscription → per-event query rewrite, and the local fast path for event-only selections.
import { readFileSync } from 'node:fs';
import { getOperationAST, parse, type GraphQLError } from 'graphql';
import type { EventDocument } from '../../../platform/src/events/outbox.js';
import { planSubscription, type SubscriptionPlan } from './planSubscription.js';
import { subscriptionSchema } from './subscriptionSchema.js';

const schema = subscriptionSchema(readFileSync(new URL('../../../schema/supergraph.graphql', import.meta.url), 'utf8'));

function plan(query: string, variables: Record<string, unknown> = {}): SubscriptionPlan {
  const doc = parse(query);
  const result = planSubscription(schema, doc, getOperationAST(doc)!, variables);
  if (Array.isArray(result)) throw new Error((result as GraphQLError[]).map((e) => e.message).join('; '));
  return result as SubscriptionPlan;
}

const event = (type: string, data: Record<string, unknown>): EventDocument => ({ _id: 'evt_1', type, accountId: 'acc', mode: 'live', data, createdAt: new Date('2024-11-01T14:22:00.123Z') });

test('orderUpdated(id) becomes order(id) under the same response key, matching only that order', () => {
  const p = plan('subscription Watch($id: ID!) { mine: orderUpdated(id: $id) { status user { email } } }', { id: 'ord_1' });
  expect(p.query.replace(/\s+/g, ' ')).toBe('query Watch($id: ID!) { mine: order(id: $id) { status user { email } } }');
  expect(p.local).toBeUndefined();
  expect(p.matches(event('order.shipped', { id: 'ord_1' }))).toBe(true);
  expect(p.matches(event('order.shipped', { id: 'ord_2' }))).toBe(false);
  expect(p.matches(event('user.created', { id: 'ord_1' }))).toBe(false);
});

test('events(types) filters by type, drops its own variables and reads the event by id', () => {
  const p = plan('subscription($types: [EventType!]) { events(types: $types) { id order { id } } }', { types: ['ORDER_CREATED'] });
  expect(p.query.replace(/\s+/g, ' ')).toBe('query ($__junctionEventId: ID!) { events: event(id: $__junctionEventId) { id order { id } } }');
  expect(p.variables).toEqual({});
  expect(p.matches(event('order.created', {}))).toBe(true);
  expect(p.matches(event('order.shipped', {}))).toBe(false);
});

test('a selection of event fields only is built locally, honouring aliases and fragments', () => {
  const p = plan('subscription { events { kind: event ...F ... on Event { at: timestamp } } } fragment F on Event { id data type __typename }');
  expect(p.local!(event('user.created', { id: 'usr_1' }))).toEqual({ kind: 'user.created', id: 'evt_1', data: { id: 'usr_1' }, type: 'USER_CREATED', __typename: 'Event', at: '2024-11-01T14:22:00Z' });
});
