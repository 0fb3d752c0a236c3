// The chunked sorted index against a plain sorted array: inserts in random order (which split
// chunks) and removals must keep every lookup, prefix seek and scan in index order.
import { Rec, SortedIndex } from './SortedIndex.js';

/** Deterministic pseudo-random order (a fixed-seed LCG), so a failure can be replayed. */
function shuffled(n: number): number[] {
  const a = Array.from({ length: n }, (_, i) => i);
  let seed = 12345;
  for (let i = n - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const j = seed % (i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

describe('SortedIndex', () => {
  // 3,000 documents over 30 groups: far more than one chunk (256-512 entries), so the searches
  // cross chunk boundaries; g descending, then k ascending.
  const ix = new SortedIndex({ key: { g: -1, k: 1 }, name: 'g_-1_k_1' }, 'd.c');
  const recs = new Map<number, Rec>();
  const doc = (i: number) => ({ _id: i, g: i % 30, k: Math.floor(i / 30) });
  for (const i of shuffled(3000)) {
    const r = new Rec(doc(i), i);
    recs.set(i, r);
    ix.add(r.doc, r);
  }
  const expectedOrder = (ids: number[]) =>
    [...ids].sort((a, b) => doc(b).g - doc(a).g || doc(a).k - doc(b).k || a - b);

  it('scans every entry in index order, forwards and backwards', () => {
    const all = [...recs.keys()];
    expect([...ix.scan()].map((e) => e.r.rid)).toEqual(expectedOrder(all));
    expect([...ix.scan([], true)].map((e) => e.r.rid)).toEqual(expectedOrder(all).reverse());
  });

  it('finds equal keys and seeks to a key prefix', () => {
    expect([...ix.equal([7, 42])].map((e) => e.r.rid)).toEqual([42 * 30 + 7]);
    expect([...ix.equal([7, 100])]).toEqual([]);
    const group7 = [...recs.keys()].filter((i) => i % 30 === 7);
    // Forward from prefix [7]: group 7 first (k ascending), then the lower groups.
    expect([...ix.scan([7])].slice(0, group7.length).map((e) => e.r.rid)).toEqual(expectedOrder(group7));
    // Backward from prefix [7]: group 7 last-to-first, then the higher groups.
    expect([...ix.scan([7], true)].slice(0, group7.length).map((e) => e.r.rid)).toEqual(expectedOrder(group7).reverse());
  });

  it('removes entries wherever they sit', () => {
    const removed = shuffled(3000).slice(0, 2500);
    for (const i of removed) ix.remove(recs.get(i)!.doc, recs.get(i)!);
    const left = [...recs.keys()].filter((i) => !removed.includes(i));
    expect(ix.size).toBe(500);
    expect([...ix.scan()].map((e) => e.r.rid)).toEqual(expectedOrder(left));
    const survivor = left[0]!;
    expect([...ix.equal([doc(survivor).g, doc(survivor).k])].map((e) => e.r.rid)).toEqual([survivor]);
  });
});
