// Field resolvers of the observability types: stored documents → the GraphQL shapes.
import { GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { eventTypeToEnum, type EventType } from '../../../../platform/src/events/catalogue.js';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { isoSeconds } from '../isoSeconds.js';
import { listDeliveries } from './deliveries.js';

function literal(node: ValueNode): unknown {
  switch (node.kind) {
    case Kind.NULL:
      return null;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(node.value);
    case Kind.STRING:
    case Kind.BOOLEAN:
    case Kind.ENUM:
      return node.value;
    case Kind.LIST:
      return node.values.map(literal);
    case Kind.OBJECT:
      return Object.fromEntries(node.fields.map((f) => [f.name.value, literal(f.value)]));
    default:
      return undefined;
  }
}

export const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  serialize: (v) => v,
  parseValue: (v) => v,
  parseLiteral: literal,
});

const ORDER_EVENTS = new Set<EventType>(['order.created', 'order.status_changed', 'order.shipped', 'payment.failed']);

export const typeResolvers: Pick<Resolvers, 'Event' | 'WebhookEndpoint' | 'WebhookDelivery' | 'WebhookAttempt'> = {
  Event: {
    id: (e) => e._id,
    type: (e) => eventTypeToEnum(e.type as EventType) as never,
    event: (e) => e.type,
    timestamp: (e) => isoSeconds(e.createdAt),
    data: (e) => e.data,
    order: (e) => (ORDER_EVENTS.has(e.type as EventType) && typeof e.data.id === 'string' ? { __typename: 'Order', id: e.data.id } : null) as never,
  },
  WebhookEndpoint: {
    id: (w) => w._id,
    secretHint: (w) => `…${w.secretHint ?? (typeof w.secret === 'string' ? w.secret.slice(-4) : '')}`,
    createdAt: (w) => isoSeconds(w.createdAt),
    updatedAt: (w) => isoSeconds(w.updatedAt),
    deliveries: (w, { status, limit }, ctx) => listDeliveries(ctx, w._id, status, limit ?? 20),
  },
  WebhookDelivery: {
    id: (d) => d._id,
    webhookId: (d) => d.endpointId,
    nextAttemptAt: (d) => (d.nextAttemptAt && d.status === 'pending' ? isoSeconds(d.nextAttemptAt) : null),
    createdAt: (d) => isoSeconds(d.createdAt),
    updatedAt: (d) => isoSeconds(d.updatedAt),
  },
  WebhookAttempt: {
    startedAt: (a) => a.startedAt.toISOString(),
  },
};
