import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type GraphQLSchema } from 'graphql';
import type { BenchmarkData } from './benchmarkData.js';

const link = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires", "@provides", "@shareable"])`;

type Review = BenchmarkData['reviews'][number];

/**
 * The four subgraphs of the public benchmark (accounts, inventory, products, reviews) with the
 * resolver rules of its Rust subgraphs (see `notes` in data.json), as Federation 2 schemas.
 */
export function buildBenchmarkSubgraphs(data: BenchmarkData): Record<string, GraphQLSchema> {
  const userById = new Map(data.users.map((u) => [u.id, u]));
  const productByUpc = new Map(data.products.map((p) => [p.upc, p]));
  const stockByUpc = new Map(data.inventory.map((i) => [i.upc, i.inStock]));
  const firstTwoReviews = data.reviews.slice(0, 2);
  const reviewsOfProduct = (upc: string): Review[] => data.reviews.filter((r) => r.productUpc === upc);

  const accounts = buildSubgraphSchema({
    typeDefs: parse(`${link}
      type Query { me: User  user(id: ID!): User  users: [User] }
      type User @key(fields: "id") { id: ID!  name: String  username: String @shareable  birthday: Int }`),
    resolvers: {
      Query: {
        me: () => data.users[0],
        user: (_: unknown, args: { id: string }) => userById.get(args.id) ?? null,
        users: () => data.users,
      },
      User: { __resolveReference: (ref: { id: string }) => userById.get(ref.id) ?? null },
    } as never,
  });

  const inventory = buildSubgraphSchema({
    typeDefs: parse(`${link}
      type Product @key(fields: "upc") {
        upc: String!
        weight: Int @external
        price: Int @external
        inStock: Boolean
        shippingEstimate: Int @requires(fields: "price weight")
      }`),
    resolvers: {
      Product: {
        __resolveReference: (ref: { upc: string; price?: number; weight?: number }) => ({
          ...ref,
          inStock: stockByUpc.get(ref.upc) ?? null,
        }),
        // The benchmark's rule: free shipping above 1000, else half the weight.
        shippingEstimate: (p: { price?: number; weight?: number }) =>
          p.price === undefined || p.weight === undefined ? null : p.price > 1000 ? 0 : Math.trunc(p.weight / 2),
      },
    } as never,
  });

  const products = buildSubgraphSchema({
    typeDefs: parse(`${link}
      type Query { topProducts(first: Int = 5): [Product] }
      type Product @key(fields: "upc") { upc: String!  name: String  price: Int  weight: Int }`),
    resolvers: {
      Query: { topProducts: (_: unknown, args: { first: number }) => data.products.slice(0, args.first) },
      Product: { __resolveReference: (ref: { upc: string }) => productByUpc.get(ref.upc) ?? null },
    } as never,
  });

  const author = () => ({ id: '1', username: 'urigo', reviews: firstTwoReviews });
  const reviews = buildSubgraphSchema({
    typeDefs: parse(`${link}
      type Review @key(fields: "id") { id: ID!  body: String  product: Product  author: User @provides(fields: "username") }
      type User @key(fields: "id") { id: ID!  username: String @external  reviews: [Review] }
      type Product @key(fields: "upc") { upc: String!  reviews: [Review] }`),
    resolvers: {
      Review: {
        __resolveReference: (ref: { id: string }) => data.reviews.find((r) => r.id === ref.id) ?? null,
        product: (r: Review) => ({ upc: r.productUpc }),
        author,
      },
      User: {
        // The Rust subgraph answers every User entity with username "user" and the first two reviews.
        __resolveReference: (ref: { id: string }) => ({ id: ref.id, username: 'user', reviews: firstTwoReviews }),
      },
      Product: {
        __resolveReference: (ref: { upc: string }) => ({ upc: ref.upc }),
        reviews: (p: { upc: string }) => reviewsOfProduct(p.upc),
      },
    } as never,
  });

  return { accounts, inventory, products, reviews };
}
