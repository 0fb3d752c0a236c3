// Tenant isolation end to end: the main account (live mode) owns a user, a product, an order, a
// webhook, an API key, an identity and an OAuth client. Three outsiders — another account's API key,
// a person of another account signed in with a JWT, and the main account's own sandbox (test) key —
// try every REST route that takes an id and every GraphQL root field that takes an id, with those
// ids. Each answer is a 404 / null / RESOURCE_NOT_FOUND, and afterwards nothing of the owner changed.
import { Kind, parse, type FieldDefinitionNode, type ObjectTypeDefinitionNode } from 'graphql';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { restApis } from '../../gateway/src/rest/apis.js';
import { repoRoot } from '../../app/src/compose.js';
import { createIdentity } from '../../subgraphs/auth/src/identities.js';
import { startStack, type Stack } from '../support/startStack.js';
import { ADDRESS } from './techcorp-client.js';

let stack: Stack;
const ids: Record<string, string> = {};
const outsiders: { name: string; key: string }[] = [];

beforeAll(async () => {
  stack = await startStack();
  const ok = <T>(res: { status: number; body: T }) => {
    if (res.status >= 300) throw new Error(JSON.stringify(res.body));
    return res.body as any;
  };
  ids.user = ok(await stack.request('POST', '/v2/users', { body: { email: 'owner-user@example.com', name: 'Owner User' } })).id;
  ids.product = ok(await stack.request('POST', '/v2/products', { body: { name: 'Owner Product', sku: 'ISO-1', price: 10, currency: 'EUR', stock: 5 } })).id;
  ids.order = ok(await stack.request('POST', '/v2/orders', { body: { user_id: ids.user, items: [{ product_id: ids.product, quantity: 1 }], shipping_address: ADDRESS } })).id;
  ids.webhook = ok(await stack.request('POST', '/v2/webhooks', { body: { url: 'https://hooks.example.com/owner', events: ['order.created'] } })).id;
  const gql = async (q: string, v: Record<string, unknown> = {}) => {
    const res = await stack.graphql(q, v);
    if (res.body.errors) throw new Error(JSON.stringify(res.body.errors));
    return res.body.data;
  };
  ids.apiKey = (await gql('mutation { createApiKey(type: LIVE) { apiKey { id } } }')).createApiKey.apiKey.id;
  ids.identity = (await gql('mutation { createIdentity(email: "owner@example.com", password: "Correct-Horse-9") { id } }')).createIdentity.id;
  ids.oauthClient = (await gql('mutation { createOAuthClient(name: "Owner App", redirectUris: ["https://app.example.com/cb"], scopes: ["read"]) { client { id } } }')).createOAuthClient.client.id;
  ids.event = (await gql('{ events(limit: 1) { id } }')).events[0]?.id ?? 'evt_missing';

  await createIdentity(stack.db, { accountId: stack.accounts.other, email: 'intruder@example.com', password: 'Correct-Horse-9', role: 'admin' });
  const login = await stack.request('POST', '/v1/auth/login', { key: null, body: { email: 'intruder@example.com', password: 'Correct-Horse-9' } });
  outsiders.push({ name: 'another account (API key)', key: stack.keys.otherAccountLive }, { name: 'another account (JWT of its admin)', key: login.body.access_token }, { name: 'own sandbox (test key)', key: stack.keys.test });
}, 90_000);
afterAll(() => stack?.stop());

/** The id to try for a path parameter, by its name. */
const PARAM_IDS: Record<string, string> = { user_id: 'user', product_id: 'product', order_id: 'order', webhook_id: 'webhook', delivery_id: 'webhook' };
/** A body that passes validation, so the request reaches the lookup. */
const BODIES: Record<string, unknown> = {
  'PATCH /users/:user_id': { name: 'Taken Over' },
  'POST /products/:product_id/stock': { operation: 'subtract', quantity: 5 },
  'POST /orders/:order_id/cancel': { reason: 'not mine' },
  'PATCH /webhooks/:webhook_id': { url: 'https://evil.example.com/steal' },
  'PATCH /:webhook_id': { url: 'https://evil.example.com/steal' },
};

test('every REST route that takes an id answers 404 to outsiders', async () => {
  const tried: string[] = [];
  for (const api of restApis) {
    for (const route of api.routes) {
      const params = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
      if (params.length === 0) continue;
      const routePath = params.reduce((p, name) => {
        const kind = PARAM_IDS[name];
        if (!kind) throw new Error(`isolation test: no id for parameter :${name} of ${api.name} ${route.method} ${route.path} — add it`);
        return p.replace(`:${name}`, ids[kind]!);
      }, route.path);
      const url = `${api.prefixes[0]}${routePath}`;
      for (const outsider of outsiders) {
        const res = await stack.request(route.method, url, { key: outsider.key, ...(BODIES[`${route.method} ${route.path}`] ? { body: BODIES[`${route.method} ${route.path}`] } : {}) });
        if (res.status !== 404) throw new Error(`${outsider.name}: ${route.method} ${url} answered ${res.status} ${JSON.stringify(res.body)}`);
        tried.push(`${route.method} ${url}`);
      }
    }
  }
  expect(tried.length).toBeGreaterThanOrEqual(28 * outsiders.length);
});

// Every root field of the supergraph that takes an id, with the operation an outsider would send.
const GRAPHQL_PROBES: Record<string, { doc: string; id: string }> = {
  'Query.user': { doc: 'query($id: ID!) { r: user(id: $id) { id } }', id: 'user' },
  'Query.product': { doc: 'query($id: ID!) { r: product(id: $id) { id } }', id: 'product' },
  'Query.order': { doc: 'query($id: ID!) { r: order(id: $id) { id } }', id: 'order' },
  'Query.orders': { doc: 'query($id: ID) { r: orders(userId: $id) { data { id } } }', id: 'user' },
  'Query.webhook': { doc: 'query($id: ID!) { r: webhook(id: $id) { id } }', id: 'webhook' },
  'Query.webhookDelivery': { doc: 'query($id: ID!) { r: webhookDelivery(id: $id) { id } }', id: 'webhook' },
  'Query.event': { doc: 'query($id: ID!) { r: event(id: $id) { id } }', id: 'event' },
  'Query.apiKey': { doc: 'query($id: ID!) { r: apiKey(id: $id) { id } }', id: 'apiKey' },
  'Query.identity': { doc: 'query($id: ID!) { r: identity(id: $id) { id } }', id: 'identity' },
  'Query.oauthClient': { doc: 'query($id: ID!) { r: oauthClient(id: $id) { id } }', id: 'oauthClient' },
  'Mutation.updateUser': { doc: 'mutation($id: ID!) { r: updateUser(id: $id, input: { name: "Taken Over" }) { id } }', id: 'user' },
  'Mutation.deleteUser': { doc: 'mutation($id: ID!) { r: deleteUser(id: $id) { id } }', id: 'user' },
  'Mutation.updateProductStock': { doc: 'mutation($id: ID!) { r: updateProductStock(id: $id, input: { operation: subtract, quantity: 5 }) { id } }', id: 'product' },
  'Mutation.cancelOrder': { doc: 'mutation($id: ID!) { r: cancelOrder(id: $id) { id } }', id: 'order' },
  'Mutation.confirmPayment': { doc: 'mutation($id: ID!) { r: confirmPayment(id: $id) { id } }', id: 'order' },
  'Mutation.failPayment': { doc: 'mutation($id: ID!) { r: failPayment(id: $id) { id } }', id: 'order' },
  'Mutation.startProcessing': { doc: 'mutation($id: ID!) { r: startProcessing(id: $id) { id } }', id: 'order' },
  'Mutation.shipOrder': { doc: 'mutation($id: ID!) { r: shipOrder(id: $id, trackingNumber: "1Z") { id } }', id: 'order' },
  'Mutation.deliverOrder': { doc: 'mutation($id: ID!) { r: deliverOrder(id: $id) { id } }', id: 'order' },
  'Mutation.updateWebhook': { doc: 'mutation($id: ID!) { r: updateWebhook(id: $id, input: { url: "https://evil.example.com/x" }) { id } }', id: 'webhook' },
  'Mutation.deleteWebhook': { doc: 'mutation($id: ID!) { r: deleteWebhook(id: $id) { id } }', id: 'webhook' },
  'Mutation.replayWebhookDelivery': { doc: 'mutation($id: ID!) { r: replayWebhookDelivery(id: $id) { id } }', id: 'webhook' },
  'Mutation.revokeApiKey': { doc: 'mutation($id: ID!) { r: revokeApiKey(id: $id) { id } }', id: 'apiKey' },
  'Mutation.rotateApiKey': { doc: 'mutation($id: ID!) { r: rotateApiKey(id: $id) { secret } }', id: 'apiKey' },
  'Mutation.deleteIdentity': { doc: 'mutation($id: ID!) { r: deleteIdentity(id: $id) { id } }', id: 'identity' },
  'Mutation.enrollTotp': { doc: 'mutation($id: ID) { r: enrollTotp(identityId: $id) { secret } }', id: 'identity' },
  'Mutation.revokeOAuthClient': { doc: 'mutation($id: ID!) { r: revokeOAuthClient(id: $id) { id } }', id: 'oauthClient' },
  'Mutation.verifyUser': { doc: 'mutation($id: ID!) { r: verifyUser(userId: $id, method: TOTP, code: "123456") { verified } }', id: 'identity' },
  'Mutation.sendOtp': { doc: 'mutation($id: ID!) { r: sendOtp(userId: $id, method: EMAIL) { userId } }', id: 'identity' },
};

test('the probe list covers every id-taking root field of the supergraph', () => {
  const sdl = readFileSync(path.join(repoRoot, 'schema/supergraph.graphql'), 'utf8');
  const idTaking: string[] = [];
  for (const def of parse(sdl).definitions) {
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION || (def.name.value !== 'Query' && def.name.value !== 'Mutation')) continue;
    for (const field of (def as ObjectTypeDefinitionNode).fields ?? []) {
      const inaccessible = (field as FieldDefinitionNode).directives?.some((d) => d.name.value === 'inaccessible');
      const takesId = field.arguments?.some((a) => /\bID\b/.test(JSON.stringify(a.type)));
      if (takesId && !inaccessible) idTaking.push(`${def.name.value}.${field.name.value}`);
    }
  }
  expect(idTaking.filter((f) => !GRAPHQL_PROBES[f])).toEqual([]);
});

test('every GraphQL root field that takes an id gives outsiders null or RESOURCE_NOT_FOUND', async () => {
  for (const [field, probe] of Object.entries(GRAPHQL_PROBES)) {
    for (const outsider of outsiders) {
      const res = await stack.graphql(probe.doc, { id: ids[probe.id] }, { key: outsider.key });
      const data = res.body.data?.r;
      const code = res.body.errors?.[0]?.extensions?.code;
      const empty = field === 'Query.orders' ? data?.data?.length === 0 : data === null || data === undefined;
      const refused = code === 'RESOURCE_NOT_FOUND' || (outsider.name.includes('sandbox') && code === 'FORBIDDEN' && /^Mutation\.(revoke|rotate|deleteIdentity|enrollTotp|revokeOAuth|verifyUser|sendOtp)/.test(field));
      if (!(empty && (code === undefined || refused))) throw new Error(`${outsider.name}: ${field} answered ${JSON.stringify(res.body)}`);
    }
  }
});

test('afterwards the owner sees everything unchanged', async () => {
  const user = await stack.request('GET', `/v2/users/${ids.user}`);
  expect(user.body).toMatchObject({ id: ids.user, name: 'Owner User' });
  expect((await stack.request('GET', `/v2/products/${ids.product}`)).body.stock).toBe(4);
  expect((await stack.request('GET', `/v2/orders/${ids.order}`)).body.status).toBe('pending');
  expect((await stack.request('GET', `/v2/webhooks/${ids.webhook}`)).body.url).toBe('https://hooks.example.com/owner');
  const admin = await stack.graphql('query($k: ID!, $i: ID!, $c: ID!) { apiKey(id: $k) { revokedAt expiresAt } identity(id: $i) { totpEnabled } oauthClient(id: $c) { revokedAt } }', { k: ids.apiKey, i: ids.identity, c: ids.oauthClient });
  expect(admin.body.data).toEqual({ apiKey: { revokedAt: null, expiresAt: null }, identity: { totpEnabled: false }, oauthClient: { revokedAt: null } });
});
