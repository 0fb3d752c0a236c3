import { MongoClient } from 'mongodb';
import { Query } from 'mingo';
import { makeServer } from 'graphql-ws';
import { ApolloGateway } from '@apollo/gateway';
import { buildSubgraphSchema } from '@apollo/subgraph';
test('esm jest works', () => {
  expect(typeof MongoClient).toBe('function');
  expect(new Query({ a: 1 }).test({ a: 1 })).toBe(true);
  expect(typeof makeServer).toBe('function');
  expect(typeof ApolloGateway).toBe('function');
  expect(typeof buildSubgraphSchema).toBe('function');
});
