/**
 * The last `capacity` keys added: what an export's chunks need to drop the rows one chunk repeats of
 * the one before (an `offset` Sigma counts from 1 rather than 0, rows that moved between two
 * requests), without holding a key per row of a table of millions. Unlike a page's RecentKeys (this
 * page and the one before), the window is a number of rows, because the batches of a streamed file
 * are as small as the network chunks they come in. Capacity 0 remembers nothing (rows without a
 * primary key cannot be told apart).
 * @example const keys = new LastKeys(2); keys.add('a'); keys.add('b'); keys.add('c'); keys.has('a') // false
 */
export class LastKeys {
  private readonly keys = new Set<string>();
  private readonly ring: Array<string | undefined>;
  private next = 0;

  constructor(private readonly capacity: number) {
    this.ring = new Array<string | undefined>(capacity);
  }

  get size(): number {
    return this.keys.size;
  }

  has(key: string): boolean {
    return this.keys.has(key);
  }

  add(key: string): void {
    if (this.capacity === 0 || this.keys.has(key)) return;
    const evicted = this.ring[this.next];
    if (evicted !== undefined) this.keys.delete(evicted);
    this.ring[this.next] = key;
    this.next = (this.next + 1) % this.capacity;
    this.keys.add(key);
  }
}
