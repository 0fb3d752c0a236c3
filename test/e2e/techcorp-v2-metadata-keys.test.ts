// User metadata keys become stored field names, so the ones MongoDB cannot store (a NUL byte, a
// leading `$`, a dot) are a 400 naming the field in seed 003's error format, never a 500 from the
// driver — on POST /v2/users, PATCH /v2/users/:id and GraphQL createUser / updateUser.
import { startStack, type Stack } from '../support/startStack.js';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

let n = 0;
const email = () => `meta${Date.now().toString(36)}${n++}@example.com`;
const BAD_KEYS = ['a\u0000b', '$where', 'a.b'];

const refused = (param: string) => ({ error: { code: 'INVALID_REQUEST', message: expect.any(String), param, request_id: expect.stringMatching(/^req_/) } });

describe.each(BAD_KEYS)('metadata key %j', (key) => {
  it('POST /v2/users answers 400 naming metadata.<key> and creates nothing', async () => {
    const address = email();
    const res = await stack.request('POST', '/v2/users', { body: { email: address, name: 'Meta User', metadata: { [key]: 'x' } } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual(refused(`metadata.${key}`));
    const listed = await stack.request('GET', `/v2/users?limit=100`);
    expect(JSON.stringify(listed.body)).not.toContain(address);
  });

  it('PATCH /v2/users/:id answers 400 naming metadata.<key> and changes nothing', async () => {
    const created = await stack.request('POST', '/v2/users', { body: { email: email(), name: 'Meta User', metadata: { company: 'Acme' } } });
    expect(created.status).toBe(201);
    const res = await stack.request('PATCH', `/v2/users/${created.body.id}`, { body: { metadata: { [key]: 'x' } } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual(refused(`metadata.${key}`));
    const got = await stack.request('GET', `/v2/users/${created.body.id}`);
    expect(got.body.metadata).toEqual({ company: 'Acme' });
  });

  it('GraphQL createUser and updateUser answer INVALID_REQUEST with the field', async () => {
    const create = await stack.graphql(`mutation($input: CreateUserInput!) { createUser(input: $input) { id } }`, { input: { email: email(), name: 'Meta User', metadata: [{ key, value: 'x' }] } });
    expect(create.status).toBe(200);
    expect(create.body.data).toBeNull();
    expect(create.body.errors[0].extensions).toMatchObject({ code: 'INVALID_REQUEST', param: `metadata.${key}` });
    const user = await stack.graphql(`mutation($input: CreateUserInput!) { createUser(input: $input) { id } }`, { input: { email: email(), name: 'Meta User' } });
    const update = await stack.graphql(`mutation($id: ID!, $input: UpdateUserInput!) { updateUser(id: $id, input: $input) { id } }`, { id: user.body.data.createUser.id, input: { metadata: [{ key, value: 'x' }] } });
    expect(update.body.errors[0].extensions).toMatchObject({ code: 'INVALID_REQUEST', param: `metadata.${key}` });
  });
});

it('a NUL byte inside a metadata value is stored and returned as given', async () => {
  const res = await stack.request('POST', '/v2/users', { body: { email: email(), name: 'Meta User', metadata: { note: 'a\u0000b' } } });
  expect(res.status).toBe(201);
  expect((await stack.request('GET', `/v2/users/${res.body.id}`)).body.metadata).toEqual({ note: 'a\u0000b' });
});
