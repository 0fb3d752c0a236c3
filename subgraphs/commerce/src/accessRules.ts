// Who may read and change commerce data (platform/src/access.ts). Every type is commerce data, so
// each needs commerce:read whichever path reaches it (a root field, an Order referenced by an event,
// a REST route); writes need commerce:write, and readonly keys are refused every mutation.
import type { AccessRules } from '../../../platform/src/access.js';

const read = { scope: 'commerce:read' } as const;
const write = { scope: 'commerce:write' } as const;

export const accessRules: AccessRules = {
  User: read,
  UserPage: read,
  Product: read,
  ProductPage: read,
  Order: read,
  OrderItem: read,
  OrderPage: read,
  ShippingAddress: read,
  MetadataEntry: read,
  Pagination: read,
  DeleteUserPayload: read,
  'Query.users': read,
  'Query.user': read,
  'Query.products': read,
  'Query.product': read,
  'Query.orders': read,
  'Query.order': read,
  'Mutation.createUser': write,
  'Mutation.updateUser': write,
  'Mutation.deleteUser': write,
  'Mutation.createProduct': write,
  'Mutation.updateProductStock': write,
  'Mutation.createOrder': write,
  'Mutation.cancelOrder': write,
  'Mutation.confirmPayment': write,
  'Mutation.failPayment': write,
  'Mutation.startProcessing': write,
  'Mutation.shipOrder': write,
  'Mutation.deliverOrder': write,
};
