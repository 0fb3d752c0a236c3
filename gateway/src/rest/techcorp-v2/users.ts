// /v2/users routes of TechCorp API v2.0.3.
import type { BodySpec, RestRoute } from '../RestRoute.js';
import { found, metadataEntries, ORDER_FIELDS, orderJson, page, pick, USER_FIELDS, userJson } from './json.js';

const PAGE: BodySpec = {
  page: { type: 'integer', min: 1 },
  limit: { type: 'integer', min: 1, max: 100 },
};

const USER_STATUSES = ['active', 'inactive', 'pending'] as const;
const PLANS = ['free', 'starter', 'pro', 'enterprise'] as const;

export const userRoutes: RestRoute[] = [
  {
    method: 'GET',
    path: '/users',
    operationName: 'TechCorpListUsers',
    document: `query TechCorpListUsers($page: Int, $limit: Int, $status: UserStatus, $sort: UserSortField, $order: UserSortDirection) {
      users(page: $page, limit: $limit, status: $status, sort: $sort, order: $order) { data { ...UserFields } pagination { page limit total pages } }
    } ${USER_FIELDS}`,
    query: {
      ...PAGE,
      status: { type: 'string', enum: USER_STATUSES },
      sort: { type: 'string', enum: ['created_at', 'updated_at', 'name', 'email', 'status', 'plan'] },
      order: { type: 'string', enum: ['asc', 'desc'] },
    },
    variables: (req) => pick(req.query, { page: 'page', limit: 'limit', status: 'status', sort: 'sort', order: 'order' }),
    respond: (data) => ({ status: 200, body: page(data.users, userJson) }),
  },
  {
    method: 'GET',
    path: '/users/:user_id',
    operationName: 'TechCorpGetUser',
    document: `query TechCorpGetUser($id: ID!) { user(id: $id) { ...UserFields } } ${USER_FIELDS}`,
    variables: (req) => ({ id: req.params.user_id }),
    respond: (data, req) => ({ status: 200, body: userJson(found(data.user, 'User', req.params.user_id, 'user_id')) }),
  },
  {
    method: 'POST',
    path: '/users',
    operationName: 'TechCorpCreateUser',
    document: `mutation TechCorpCreateUser($input: CreateUserInput!) { createUser(input: $input) { ...UserFields } } ${USER_FIELDS}`,
    // Presence and format rules (email, name length, metadata limits) live in the subgraph so that
    // GraphQL and REST answer with the same codes; the spec here rejects wrong types and unknown fields.
    body: {
      email: { type: 'string' },
      name: { type: 'string' },
      plan: { type: 'string', enum: PLANS },
      status: { type: 'string', enum: USER_STATUSES },
      metadata: { type: 'object' },
    },
    variables: (req) => ({
      input: { ...pick(req.body, { email: 'email', name: 'name', plan: 'plan', status: 'status' }), metadata: metadataEntries(req.body?.metadata) },
    }),
    // 201: the seed shows no status for creates; 201 Created is what clients of such APIs expect.
    respond: (data) => ({ status: 201, body: userJson(data.createUser) }),
  },
  {
    method: 'PATCH',
    path: '/users/:user_id',
    operationName: 'TechCorpUpdateUser',
    document: `mutation TechCorpUpdateUser($id: ID!, $input: UpdateUserInput!) { updateUser(id: $id, input: $input) { ...UserFields } } ${USER_FIELDS}`,
    body: {
      // Accepted so that the subgraph can answer the documented "email cannot be updated" 400.
      email: { type: 'string' },
      name: { type: 'string' },
      status: { type: 'string', enum: USER_STATUSES },
      plan: { type: 'string', enum: PLANS },
      metadata: { type: 'object' },
    },
    variables: (req) => ({
      id: req.params.user_id,
      input: { ...pick(req.body, { email: 'email', name: 'name', status: 'status', plan: 'plan' }), metadata: metadataEntries(req.body?.metadata) },
    }),
    respond: (data) => ({ status: 200, body: userJson(data.updateUser) }),
  },
  {
    method: 'DELETE',
    path: '/users/:user_id',
    operationName: 'TechCorpDeleteUser',
    document: `mutation TechCorpDeleteUser($id: ID!) { deleteUser(id: $id) { id deleted } }`,
    variables: (req) => ({ id: req.params.user_id }),
    respond: () => ({ status: 204 }),
  },
  {
    method: 'GET',
    path: '/users/:user_id/orders',
    operationName: 'TechCorpListUserOrders',
    document: `query TechCorpListUserOrders($id: ID!, $page: Int, $limit: Int) {
      user(id: $id) { id orders(page: $page, limit: $limit) { data { ...OrderFields } pagination { page limit total pages } } }
    } ${ORDER_FIELDS}`,
    query: PAGE,
    variables: (req) => ({ id: req.params.user_id, ...pick(req.query, { page: 'page', limit: 'limit' }) }),
    respond: (data, req) => {
      const user = found(data.user, 'User', req.params.user_id, 'user_id') as { orders: unknown };
      return { status: 200, body: page(user.orders, orderJson) };
    },
    // Deprecated in v2.0.2: GET /v2/orders?user_id={id} replaces it.
    deprecated: { successor: (req) => `/v2/orders?user_id=${encodeURIComponent(req.params.user_id ?? '')}` },
  },
];
