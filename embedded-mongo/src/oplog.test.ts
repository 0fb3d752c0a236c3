import { Timestamp } from 'bson';
import { Oplog, computeUpdateDescription } from './oplog.js';

describe('computeUpdateDescription', () => {
  it('reports dotted paths for nested changes, appends, truncations and removals', () => {
    const before = { _id: 1, a: { b: 1, c: 2 }, arr: [1, 2, 3], grow: [1], list: [{ x: 1 }, { x: 2 }], gone: true, same: 's' };
    const after = { _id: 1, a: { b: 5, c: 2 }, arr: [1, 2], grow: [1, 2, 3], list: [{ x: 1 }, { x: 9 }], same: 's', added: 1 };
    expect(computeUpdateDescription(before, after)).toEqual({
      updatedFields: { 'a.b': 5, 'grow.1': 2, 'grow.2': 3, 'list.1.x': 9, added: 1 },
      removedFields: ['gone'],
      truncatedArrays: [{ field: 'arr', newSize: 2 }],
    });
  });
});

describe('Oplog', () => {
  it('reads after a timestamp, keeps a bounded window and notifies subscribers', () => {
    const log = new Oplog(3);
    const seen: number[] = [];
    const off = log.subscribe((es) => es.forEach((e) => seen.push(e.ts.low)));
    const entry = (i: number) => ({ ts: new Timestamp({ t: 100, i }), wallTime: new Date(), ns: { db: 'd', coll: 'c' }, op: 'insert' as const });
    log.append([entry(1), entry(2)]);
    log.append([entry(3), entry(4)]);
    off();
    log.append([entry(5)]);
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(log.readAfter(null).map((e) => e.ts.low)).toEqual([3, 4, 5]);
    expect(log.readAfter(new Timestamp({ t: 100, i: 3 })).map((e) => e.ts.low)).toEqual([4, 5]);
    expect(log.readAfter(new Timestamp({ t: 100, i: 3 }), 1).map((e) => e.ts.low)).toEqual([4]);
    expect(log.oldestTs()!.low).toBe(3);
    expect(log.latestTs()!.low).toBe(5);
  });
});
