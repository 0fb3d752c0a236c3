// Demo data for a fresh install: a few users, products in two categories and some orders, created
// through the same resolvers a client uses (so totals, stock and events are all consistent).
import type { Db } from 'mongodb';
import type { Principal } from '../../../platform/src/principal.js';
import type { Env } from '../../../platform/src/env.js';
import { createContext } from './context.js';
import { createOrder } from './resolvers/createOrder.js';
import { createProduct } from './resolvers/createProduct.js';
import { createUser } from './resolvers/createUser.js';
import { changeOrderStatus } from './resolvers/changeOrderStatus.js';

const USERS = [
  { email: 'alice@example.com', name: 'Alice Martin', plan: 'pro' as const },
  { email: 'bob@example.com', name: 'Bob Dupont', plan: 'starter' as const, metadata: [{ key: 'company', value: 'Acme Corp' }, { key: 'source', value: 'referral' }] },
  { email: 'chloe@example.com', name: 'Chloé Bernard', plan: 'free' as const },
];

const PRODUCTS = [
  { name: 'Pro Widget', sku: 'WGT-PRO-001', price: 49.99, currency: 'USD', category: 'widgets', stock: 142, description: 'Our sturdiest widget for professional use.' },
  { name: 'Standard Widget', sku: 'WGT-STD-001', price: 19.99, currency: 'USD', category: 'widgets', stock: 500, description: 'Our most popular widget for everyday use.' },
  { name: 'Gadget Mini', sku: 'GDG-MIN-001', price: 9.5, currency: 'USD', category: 'gadgets', stock: 75, description: 'A pocket-sized gadget.' },
  { name: 'Gadget Max', sku: 'GDG-MAX-001', price: 129, currency: 'USD', category: 'gadgets', stock: 3, description: 'The gadget with every option.' },
];

const ADDRESS = { line1: '123 Main Street', city: 'Paris', postalCode: '75001', country: 'FR' };

/** Seeds the account's live data. */
export async function seedDemoData(db: Db, accountId: string, config: Env): Promise<void> {
  const principal: Principal = { accountId, mode: 'live', keyType: 'service', plan: 'enterprise', scopes: ['*'], requestId: 'seed' };
  const ctx = createContext({ principal, db, client: db.client, config });
  const users = [];
  for (const u of USERS) users.push(await createUser(ctx, { input: u }));
  const products = [];
  for (const p of PRODUCTS) products.push(await createProduct(ctx, { input: p }));
  const [alice, bob] = users;
  const [pro, std, mini] = products;
  if (!alice || !bob || !pro || !std || !mini) return;
  const first = await createOrder(ctx, { input: { userId: alice._id, items: [{ productId: pro._id, quantity: 2 }], shippingAddress: ADDRESS } });
  await changeOrderStatus(ctx, first._id, 'confirmed');
  await createOrder(ctx, { input: { userId: bob._id, items: [{ productId: std._id, quantity: 1 }, { productId: mini._id, quantity: 3 }], shippingAddress: ADDRESS } });
}
