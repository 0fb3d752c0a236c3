// Who may call each root field. Reads need an authenticated caller (already filtered to its account
// and mode); writes need the commerce:write scope, and readonly keys are refused every mutation.
import type { AccessRules } from '../../../platform/src/access.js';

const write = { scope: 'commerce:write' } as const;

export const accessRules: AccessRules = {
  'Query.users': 'authenticated',
  'Query.user': 'authenticated',
  'Query.products': 'authenticated',
  'Query.product': 'authenticated',
  'Query.orders': 'authenticated',
  'Query.order': 'authenticated',
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
