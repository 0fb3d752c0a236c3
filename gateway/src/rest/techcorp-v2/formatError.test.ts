import { techcorpV2 } from './index.js';
import { formatError } from './formatError.js';

describe('TechCorp v2 error body', () => {
  it('has the documented shape with request_id inside error', () => {
    expect(formatError({ code: 'RESOURCE_NOT_FOUND', status: 404, message: 'User usr_abc123 does not exist', param: 'user_id' }, 'req_9f3a2b1c')).toEqual({
      error: { code: 'RESOURCE_NOT_FOUND', message: 'User usr_abc123 does not exist', param: 'user_id', request_id: 'req_9f3a2b1c' },
    });
    expect(formatError({ code: 'UNAUTHORIZED', status: 401, message: 'Invalid or missing API key' }, 'req_1')).toEqual({
      error: { code: 'UNAUTHORIZED', message: 'Invalid or missing API key', param: null, request_id: 'req_1' },
    });
  });

  it('shows internal refinements as the documented code of their status', () => {
    const code = (c: string, status: number) => (formatError({ code: c as never, status, message: 'm' }, 'r') as { error: { code: string } }).error.code;
    expect(code('INVALID_STATUS_TRANSITION', 422)).toBe('UNPROCESSABLE');
    expect(code('INSUFFICIENT_STOCK', 422)).toBe('INSUFFICIENT_STOCK');
    expect(code('METHOD_NOT_ALLOWED', 405)).toBe('INVALID_REQUEST');
    expect(code('NOT_FOUND', 404)).toBe('RESOURCE_NOT_FOUND');
    expect(code('SERVICE_UNAVAILABLE', 503)).toBe('SERVICE_UNAVAILABLE');
  });
});

describe('TechCorp v2 route table', () => {
  it('serves every documented endpoint under /v2, each a named operation', () => {
    const routes = techcorpV2.routes.map((r) => `${r.method} ${r.path}`);
    for (const documented of [
      'GET /users',
      'GET /users/:user_id',
      'POST /users',
      'PATCH /users/:user_id',
      'DELETE /users/:user_id',
      'GET /users/:user_id/orders',
      'GET /products',
      'POST /products',
      'POST /products/:product_id/stock',
      'POST /orders',
      'GET /orders',
      'GET /orders/:order_id',
      'POST /orders/:order_id/cancel',
    ]) {
      expect(routes).toContain(documented);
    }
    for (const route of techcorpV2.routes) expect(route.document).toContain(route.operationName);
    expect(techcorpV2.prefixes).toEqual(['/v2']);
  });
});
