import { createInflightDeduplicator, inflightKey, stableStringify } from './createInflightDeduplicator.js';

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('createInflightDeduplicator', () => {
  it('runs identical in-flight requests once and gives each the answer', async () => {
    const dedup = createInflightDeduplicator();
    const gate = deferred<string>();
    let runs = 0;
    const execute = () => {
      runs += 1;
      return gate.promise;
    };
    const all = Promise.all([dedup.run('k', execute), dedup.run('k', execute), dedup.run('k', execute)]);
    gate.resolve('answer');
    expect(await all).toEqual(['answer', 'answer', 'answer']);
    expect(runs).toBe(1);
    expect(dedup.merged).toBe(2);
    expect(dedup.inflight).toBe(0);
  });

  it('executes again once the shared run has settled (nothing is cached)', async () => {
    const dedup = createInflightDeduplicator();
    let runs = 0;
    await dedup.run('k', async () => ++runs);
    await dedup.run('k', async () => ++runs);
    expect(runs).toBe(2);
  });

  it('never merges different keys or a null key', async () => {
    const dedup = createInflightDeduplicator();
    let runs = 0;
    const gate = deferred<void>();
    const execute = async () => {
      runs += 1;
      await gate.promise;
      return runs;
    };
    const all = Promise.all([dedup.run('a', execute), dedup.run('b', execute), dedup.run(null, execute), dedup.run(null, execute)]);
    gate.resolve();
    await all;
    expect(runs).toBe(4);
  });

  it('shares a failure with every waiter and forgets it', async () => {
    const dedup = createInflightDeduplicator();
    const gate = deferred<string>();
    const a = dedup.run('k', () => gate.promise);
    const b = dedup.run('k', () => gate.promise);
    gate.reject(new Error('subgraph down'));
    await expect(a).rejects.toThrow('subgraph down');
    await expect(b).rejects.toThrow('subgraph down');
    await expect(dedup.run('k', async () => 'ok')).resolves.toBe('ok');
  });
});

describe('inflightKey', () => {
  const base = { operationType: 'query', queryHash: 'h', operationName: 'Q', variables: { a: 1, b: [1, { c: 2 }] }, principal: 'acct1|live' };

  it('is the same for the same query, variables in any key order, and principal', () => {
    expect(inflightKey(base)).toBe(inflightKey({ ...base, variables: { b: [1, { c: 2 }], a: 1 } }));
  });

  it('differs across principals, variables and operation names', () => {
    const key = inflightKey(base);
    expect(inflightKey({ ...base, principal: 'acct2|live' })).not.toBe(key);
    expect(inflightKey({ ...base, principal: 'acct1|test' })).not.toBe(key);
    expect(inflightKey({ ...base, variables: { a: 2, b: [1, { c: 2 }] } })).not.toBe(key);
    expect(inflightKey({ ...base, operationName: 'Other' })).not.toBe(key);
  });

  it('is null for mutations, subscriptions and unknown principals', () => {
    expect(inflightKey({ ...base, operationType: 'mutation' })).toBeNull();
    expect(inflightKey({ ...base, operationType: 'subscription' })).toBeNull();
    expect(inflightKey({ ...base, principal: null })).toBeNull();
  });

  it('stableStringify sorts keys at every depth', () => {
    expect(stableStringify({ b: { d: 1, c: 2 }, a: [3, { f: 1, e: 2 }] })).toBe('{"a":[3,{"e":2,"f":1}],"b":{"c":2,"d":1}}');
  });
});

describe('principalKey', () => {
  const principal = { accountId: 'a1', mode: 'live' as const, keyType: 'live' as const, plan: 'pro' as const, scopes: ['x', 'y'], requestId: 'req-1', keyId: 'k1' };

  it('ignores the request id but not who is asking', async () => {
    const { principalKey } = await import('./withInflightDedup.js');
    expect(principalKey({ principal })).toBe(principalKey({ principal: { ...principal, requestId: 'req-2' } }));
    expect(principalKey({ principal: { ...principal, mode: 'test' } })).not.toBe(principalKey({ principal }));
    expect(principalKey({ principal: { ...principal, keyId: 'k2' } })).not.toBe(principalKey({ principal }));
    expect(principalKey({ principal: { ...principal, scopes: ['x'] } })).not.toBe(principalKey({ principal }));
    expect(principalKey({})).toBeNull();
  });
});
