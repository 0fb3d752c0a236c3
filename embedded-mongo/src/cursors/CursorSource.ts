// What a server-side cursor reads from. Find and aggregate results use ArraySource/IterSource;
// change streams (embedded-mongo/src/changeStreams/) provide their own source that waits for new
// events up to maxAwaitTimeMS and reports a postBatchResumeToken.
import { calculateObjectSize, type Document } from 'bson';

/** A reply batch stays under MongoDB's 16 MiB (the message limit is 48 MB). */
const MAX_BATCH_BYTES = 16 * 1024 * 1024;

export interface CursorSource {
  /** Up to `batchSize` documents; may wait up to `maxAwaitTimeMS` (tailable/await sources). */
  nextBatch(batchSize: number, maxAwaitTimeMS: number | undefined): Promise<Document[]>;
  /** Included as cursor.postBatchResumeToken in every cursor reply when present. */
  postBatchResumeToken?(): Document;
  close(): void;
  /** True when no document will ever come again (the cursor id becomes 0). */
  isExhausted(): boolean;
  /** Tailable sources stay open when a batch is empty (change streams). */
  readonly tailable?: boolean;
}

/** Documents from a synchronous iterator, pulled lazily batch by batch. */
export class IterSource implements CursorSource {
  private it: Iterator<Document>;
  private peeked: IteratorResult<Document> | undefined;
  private done = false;

  constructor(
    docs: Iterable<Document>,
    private readonly map?: (batch: Document[]) => Document[],
  ) {
    this.it = docs[Symbol.iterator]();
  }

  nextBatchSync(batchSize: number, maxBytes = MAX_BATCH_BYTES, sizeOf: (d: Document) => number = calculateObjectSize): Document[] {
    const out: Document[] = [];
    let bytes = 0;
    const limit = batchSize > 0 ? batchSize : Infinity;
    while (out.length < limit) {
      const r = this.peeked ?? this.it.next();
      this.peeked = undefined;
      if (r.done) {
        this.done = true;
        break;
      }
      const n = sizeOf(r.value);
      if (out.length && bytes + n > maxBytes) {
        this.peeked = r;
        break;
      }
      bytes += n;
      out.push(r.value);
    }
    if (!this.done && out.length === limit) {
      // Look one ahead so an exhausted cursor reports id 0 in the same reply.
      const r = this.it.next();
      if (r.done) this.done = true;
      else this.peeked = r;
    }
    return this.map ? this.map(out) : out;
  }

  async nextBatch(batchSize: number): Promise<Document[]> {
    return this.nextBatchSync(batchSize);
  }

  close(): void {
    this.done = true;
    this.it.return?.();
  }

  isExhausted(): boolean {
    return this.done;
  }
}
