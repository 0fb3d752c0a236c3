// TechCorp API v2.0.3 (seed 003): users, products and orders at /v2, or at the root of
// api.techcorp.io's /v2 when the Host header names it.
import type { RestApi } from '../RestRoute.js';
import { formatError } from './formatError.js';
import { orderRoutes } from './orders.js';
import { productRoutes } from './products.js';
import { userRoutes } from './users.js';
import { techcorpV2WebhookRoutes } from './webhooks.js';

export const techcorpV2: RestApi = {
  name: 'techcorp-v2',
  prefixes: ['/v2'],
  hosts: ['api.techcorp.io'],
  hostBasePath: '/v2',
  rateLimitScheme: 'techcorp-v2',
  formatError,
  routes: [...userRoutes, ...productRoutes, ...orderRoutes, ...techcorpV2WebhookRoutes],
};

export default techcorpV2;
