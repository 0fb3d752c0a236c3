import { RestRouter } from './RestRouter.js';
import type { RestApi, RestRoute } from './RestRoute.js';

const route = (method: RestRoute['method'], path: string): RestRoute => ({ method, path, document: '', operationName: path, variables: () => ({}), respond: () => ({ status: 200 }) });

const api = (name: string, prefixes: string[], hosts: string[], routes: RestRoute[], hostBasePath?: string): RestApi => ({
  name, prefixes, hosts, routes, rateLimitScheme: 'techcorp-v2', formatError: (e) => e, ...(hostBasePath !== undefined ? { hostBasePath } : {}),
});

const router = new RestRouter([
  api('techcorp', ['/v2'], ['api.techcorp.io'], [route('GET', '/users'), route('POST', '/users'), route('GET', '/users/:user_id'), route('GET', '/users/:user_id/orders')]),
  api('cloudsync', ['/cloudsync/v2'], ['api.cloudsync.techcorp.example.com'], [route('POST', '/files/upload')], '/v2'),
]);

test('prefix routing extracts path parameters', () => {
  const m = router.match('GET', 'localhost:4000', '/v2/users/usr_1');
  expect(m).toMatchObject({ kind: 'route', api: { name: 'techcorp' }, params: { user_id: 'usr_1' } });
  expect(router.match('GET', undefined, '/v2/users/usr_1/orders')).toMatchObject({ kind: 'route', route: { path: '/users/:user_id/orders' } });
});

test('unknown routes and wrong methods are told apart', () => {
  expect(router.match('GET', undefined, '/v2/nope')).toMatchObject({ kind: 'not-found', api: { name: 'techcorp' } });
  expect(router.match('DELETE', undefined, '/v2/users')).toMatchObject({ kind: 'method-not-allowed', allowed: ['GET', 'POST'] });
  expect(router.match('GET', undefined, '/elsewhere')).toBeUndefined();
  expect(router.match('GET', undefined, '/v2x/users')).toBeUndefined();
});

test('a documented Host header routes to the API at its documented root', () => {
  expect(router.match('POST', 'api.cloudsync.techcorp.example.com', '/v2/files/upload')).toMatchObject({ kind: 'route', api: { name: 'cloudsync' } });
  expect(router.match('POST', 'localhost', '/v2/files/upload')).toMatchObject({ kind: 'not-found', api: { name: 'techcorp' } });
  expect(router.match('GET', 'api.techcorp.io:443', '/v2/users')).toMatchObject({ kind: 'route', api: { name: 'techcorp' } });
});
