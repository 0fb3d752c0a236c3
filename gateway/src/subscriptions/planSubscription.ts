// Turns a client's subscription into what the gateway can execute per event: the event supplies
// the entity key, and the rest of the client's selection is resolved through the graph by a query
// the gateway runs. `subscription { orderUpdated(id: "ord_1") { status user { email } } }` becomes
// `query { orderUpdated: order(id: "ord_1") { status user { email } } }`, run for each matching
// event; `events(types: …) { … }` becomes `events: event(id: $__junctionEventId) { … }`.
import {
  getArgumentValues,
  getVariableValues,
  Kind,
  print,
  visit,
  GraphQLError,
  type DocumentNode,
  type FieldNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type FragmentDefinitionNode,
} from 'graphql';
import type { EventDocument } from '../../../platform/src/events/outbox.js';
import { eventTypeFromEnum, eventTypeToEnum, type EventType } from '../../../platform/src/events/catalogue.js';

export const EVENT_ID_VARIABLE = '__junctionEventId';

const ORDER_EVENTS = new Set<EventType>(['order.created', 'order.status_changed', 'order.shipped', 'payment.failed']);

export interface SubscriptionPlan {
  field: string;
  responseKey: string;
  /** The query run through the gateway for each matching event. */
  query: string;
  operationName: string | undefined;
  /** Variables of that query (the event id is added per event when `needsEventId`). */
  variables: Record<string, unknown>;
  needsEventId: boolean;
  matches(event: EventDocument): boolean;
  /** Set when the selection reads only what the event document itself carries: the payload is
   * built here, with no round trip through the graph. */
  local?: (event: EventDocument) => Record<string, unknown>;
}

/** Event fields computable from the outbox document alone. */
const EVENT_FIELDS: Record<string, (e: EventDocument) => unknown> = {
  __typename: () => 'Event',
  id: (e) => e._id,
  type: (e) => eventTypeToEnum(e.type as EventType),
  event: (e) => e.type,
  timestamp: (e) => e.createdAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  data: (e) => e.data,
};

/** [response key, field] pairs of a selection on Event, or undefined when any part of it needs
 * the graph (another field, arguments, directives). */
function localFields(set: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, out: [string, string][] = []): [string, string][] | undefined {
  for (const sel of set.selections) {
    if (sel.directives?.length) return undefined;
    if (sel.kind === Kind.FIELD) {
      if (!EVENT_FIELDS[sel.name.value] || sel.arguments?.length || sel.selectionSet) return undefined;
      out.push([sel.alias?.value ?? sel.name.value, sel.name.value]);
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      if (sel.typeCondition && sel.typeCondition.name.value !== 'Event') return undefined;
      if (!localFields(sel.selectionSet, fragments, out)) return undefined;
    } else {
      const fragment = fragments.get(sel.name.value);
      if (!fragment || fragment.typeCondition.name.value !== 'Event' || !localFields(fragment.selectionSet, fragments, out)) return undefined;
    }
  }
  return out;
}

interface FieldRule {
  queryField: string;
  /** Arguments of the query field, or 'event-id' to pass the event's id. */
  args: 'keep' | 'event-id';
  matches(args: Record<string, unknown>): (event: EventDocument) => boolean;
}

/** Every Subscription field and how an event drives it. Adding a stream is one entry here. */
const FIELDS: Record<string, FieldRule> = {
  events: {
    queryField: 'event',
    args: 'event-id',
    matches: (args) => {
      const wanted = Array.isArray(args.types) ? new Set((args.types as string[]).map((t) => eventTypeFromEnum(t))) : undefined;
      return (event) => !wanted || wanted.has(event.type as EventType);
    },
  },
  orderUpdated: {
    queryField: 'order',
    args: 'keep',
    matches: (args) => (event) => ORDER_EVENTS.has(event.type as EventType) && event.data.id === args.id,
  },
};

export function planSubscription(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, rawVariables: Record<string, unknown> | null | undefined): SubscriptionPlan | readonly GraphQLError[] {
  const root = operation.selectionSet.selections;
  const fieldNode = root[0];
  if (root.length !== 1 || fieldNode?.kind !== Kind.FIELD) return [new GraphQLError('A subscription selects exactly one field at its root (no fragments there)')];
  const name = fieldNode.name.value;
  const rule = FIELDS[name];
  const fieldDef = schema.getSubscriptionType()?.getFields()[name];
  if (!rule || !fieldDef) return [new GraphQLError(`Subscription.${name} is not served`)];
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], rawVariables ?? {});
  if (coerced.errors) return coerced.errors;
  const args = getArgumentValues(fieldDef, fieldNode, coerced.coerced);

  const responseKey = fieldNode.alias?.value ?? name;
  const rewritten = visit(document, {
    OperationDefinition(node) {
      if (node !== operation) return null; // only the chosen operation is kept
      const field: FieldNode = {
        ...fieldNode,
        alias: { kind: Kind.NAME, value: responseKey },
        name: { kind: Kind.NAME, value: rule.queryField },
        arguments:
          rule.args === 'keep'
            ? fieldNode.arguments
            : [{ kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: 'id' }, value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: EVENT_ID_VARIABLE } } }],
      };
      const variableDefinitions = [...(node.variableDefinitions ?? [])];
      if (rule.args === 'event-id') {
        variableDefinitions.push({
          kind: Kind.VARIABLE_DEFINITION,
          variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: EVENT_ID_VARIABLE } },
          type: { kind: Kind.NON_NULL_TYPE, type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: 'ID' } } },
        });
      }
      return { ...node, operation: 'query' as never, variableDefinitions, selectionSet: { ...node.selectionSet, selections: [field] } };
    },
  });
  // Variables only the subscription's own arguments used (e.g. $types) are dropped.
  const used = new Set<string>();
  visit(rewritten, {
    OperationDefinition: { enter: () => undefined },
    VariableDefinition: () => false,
    Variable(node) {
      used.add(node.name.value);
    },
  });
  const pruned = visit(rewritten, {
    VariableDefinition(node) {
      return used.has(node.variable.name.value) ? undefined : null;
    },
  });
  const variables: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rawVariables ?? {})) if (used.has(k)) variables[k] = v;
  let local: SubscriptionPlan['local'];
  if (rule.queryField === 'event' && fieldNode.selectionSet) {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
    const fields = localFields(fieldNode.selectionSet, fragments);
    if (fields) {
      local = (event) => {
        const out: Record<string, unknown> = {};
        for (const [key, field] of fields) out[key] = EVENT_FIELDS[field]!(event);
        return out;
      };
    }
  }
  return {
    ...(local ? { local } : {}),
    field: name,
    responseKey,
    query: print(pruned),
    operationName: operation.name?.value,
    variables,
    needsEventId: rule.args === 'event-id',
    matches: rule.matches(args),
  };
}
