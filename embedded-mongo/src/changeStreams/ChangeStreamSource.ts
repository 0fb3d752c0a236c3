// The cursor source behind a change stream cursor: each getMore reads the next events, waiting up
// to maxAwaitTimeMS (1 s when the client does not say, as mongod does) for the first one.
import type { Document } from 'bson';
import type { CursorSource } from '../cursors/CursorSource.js';
import type { ChangeStreamReader } from './ChangeStreamReader.js';

const DEFAULT_AWAIT_MS = 1000;
const DEFAULT_BATCH = 1000;

export class ChangeStreamSource implements CursorSource {
  readonly tailable = true;
  private token: Document;
  private closed = false;

  constructor(private readonly reader: ChangeStreamReader, initialToken: Document) {
    this.token = initialToken;
  }

  /** The first batch of the aggregate reply: whatever is available now, without waiting. */
  firstBatch(batchSize: number | undefined): Document[] {
    if (batchSize === 0) return [];
    const b = this.reader.read(batchSize ?? DEFAULT_BATCH);
    this.token = b.postBatchResumeToken;
    return b.events;
  }

  async nextBatch(batchSize: number, maxAwaitTimeMS: number | undefined): Promise<Document[]> {
    if (this.closed) return [];
    const b = await this.reader.next(batchSize > 0 ? batchSize : DEFAULT_BATCH, maxAwaitTimeMS ?? DEFAULT_AWAIT_MS);
    this.token = b.postBatchResumeToken;
    return b.events;
  }

  postBatchResumeToken(): Document {
    return this.token;
  }

  close(): void {
    this.closed = true;
  }

  isExhausted(): boolean {
    return this.closed || this.reader.isExhausted;
  }
}
