// The schema subscription documents are validated against: the supergraph's API schema (what
// clients see; @inaccessible removed), built with the same federation library @apollo/gateway uses.
// It includes the Subscription root the observability subgraph declares.
import { Supergraph } from '@apollo/federation-internals';
import type { GraphQLSchema } from 'graphql';

export function subscriptionSchema(supergraphSdl: string): GraphQLSchema {
  const schema = Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
  if (!schema.getSubscriptionType()) throw new Error('the supergraph has no Subscription type (is the observability subgraph composed?)');
  return schema;
}
