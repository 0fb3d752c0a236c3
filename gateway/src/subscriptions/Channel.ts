// A push-to-pull bridge: the hub pushes results, graphql-ws pulls them with `for await`. A client
// that cannot keep up (more than `limit` results waiting) gets its subscription ended with an
// error instead of the gateway buffering without bound.
export class Channel<T> implements AsyncIterableIterator<T> {
  private readonly queue: T[] = [];
  private waiting: ((r: IteratorResult<T>) => void) | undefined;
  private done = false;
  private failure: Error | undefined;

  constructor(
    private readonly onReturn: () => void,
    private readonly limit = 10_000,
  ) {}

  push(value: T): void {
    if (this.done) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value, done: false });
      return;
    }
    if (this.queue.length >= this.limit) {
      this.failure = new Error('subscriber too slow: results dropped, subscription ended');
      void this.return();
      return;
    }
    this.queue.push(value);
  }

  next(): Promise<IteratorResult<T>> {
    if (this.queue.length > 0) return Promise.resolve({ value: this.queue.shift()!, done: false });
    if (this.failure) return Promise.reject(this.failure);
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  return(): Promise<IteratorResult<T>> {
    if (!this.done) {
      this.done = true;
      this.onReturn();
      this.waiting?.({ value: undefined, done: true });
      this.waiting = undefined;
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
