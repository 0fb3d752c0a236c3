// /v2/orders routes of TechCorp API v2.0.3. Fulfilment transitions are GraphQL mutations only.
import type { FieldSpec, RestRoute } from '../RestRoute.js';
import { found, ORDER_FIELDS, orderJson, page, pick } from './json.js';

const ADDRESS: FieldSpec = {
  type: 'object',
  fields: {
    line1: { type: 'string' },
    line2: { type: 'string' },
    city: { type: 'string' },
    state: { type: 'string' },
    postal_code: { type: 'string' },
    country: { type: 'string' },
  },
};

export const orderRoutes: RestRoute[] = [
  {
    method: 'POST',
    path: '/orders',
    operationName: 'TechCorpCreateOrder',
    document: `mutation TechCorpCreateOrder($input: CreateOrderInput!) { createOrder(input: $input) { ...OrderFields } } ${ORDER_FIELDS}`,
    body: {
      user_id: { type: 'string' },
      items: { type: 'array', max: 100, items: { type: 'object', fields: { product_id: { type: 'string' }, quantity: { type: 'integer' } } } },
      shipping_address: ADDRESS,
      currency: { type: 'string' },
    },
    variables: (req) => {
      const body = req.body ?? {};
      const items = body.items as Record<string, unknown>[] | undefined;
      const address = body.shipping_address as Record<string, unknown> | undefined;
      return {
        input: {
          ...pick(body, { user_id: 'userId', currency: 'currency' }),
          items: items?.map((item) => pick(item, { product_id: 'productId', quantity: 'quantity' })),
          shippingAddress: address && pick(address, { line1: 'line1', line2: 'line2', city: 'city', state: 'state', postal_code: 'postalCode', country: 'country' }),
        },
      };
    },
    respond: (data) => ({ status: 201, body: orderJson(data.createOrder) }),
  },
  {
    method: 'GET',
    path: '/orders',
    operationName: 'TechCorpListOrders',
    document: `query TechCorpListOrders($userId: ID, $status: OrderStatus, $page: Int, $limit: Int) {
      orders(userId: $userId, status: $status, page: $page, limit: $limit) { data { ...OrderFields } pagination { page limit total pages } }
    } ${ORDER_FIELDS}`,
    query: {
      user_id: { type: 'string' },
      status: { type: 'string', enum: ['pending', 'confirmed', 'processing', 'shipped', 'delivered', 'cancelled'] },
      page: { type: 'integer', min: 1 },
      limit: { type: 'integer', min: 1, max: 100 },
    },
    variables: (req) => pick(req.query, { user_id: 'userId', status: 'status', page: 'page', limit: 'limit' }),
    respond: (data) => ({ status: 200, body: page(data.orders, orderJson) }),
  },
  {
    method: 'GET',
    path: '/orders/:order_id',
    operationName: 'TechCorpGetOrder',
    document: `query TechCorpGetOrder($id: ID!) { order(id: $id) { ...OrderFields } } ${ORDER_FIELDS}`,
    variables: (req) => ({ id: req.params.order_id }),
    respond: (data, req) => ({ status: 200, body: orderJson(found(data.order, 'Order', req.params.order_id, 'order_id')) }),
  },
  {
    method: 'POST',
    path: '/orders/:order_id/cancel',
    operationName: 'TechCorpCancelOrder',
    document: `mutation TechCorpCancelOrder($id: ID!, $reason: String) { cancelOrder(id: $id, reason: $reason) { ...OrderFields } } ${ORDER_FIELDS}`,
    body: { reason: { type: 'string' } },
    variables: (req) => ({ id: req.params.order_id, ...pick(req.body, { reason: 'reason' }) }),
    respond: (data) => ({ status: 200, body: orderJson(data.cancelOrder) }),
  },
];
