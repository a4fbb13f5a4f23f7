/**
 * A set of the last `capacity` keys added: what an export's chunks need to drop the rows one chunk
 * repeats of the one before (offsets that count from 1 rather than 0, rows that moved between two
 * requests), without holding a key per row of a table of millions. Capacity 0 remembers nothing
 * (rows without a primary key cannot be told apart).
 * @example const keys = new RecentKeys(2); keys.add('a').add('b').add('c'); keys.has('a') // false
 */
export class RecentKeys extends Set<string> {
  private readonly ring: Array<string | undefined>;
  private next = 0;

  constructor(private readonly capacity: number) {
    super();
    this.ring = new Array<string | undefined>(capacity);
  }

  override add(key: string): this {
    if (this.capacity === 0 || this.has(key)) return this;
    const evicted = this.ring[this.next];
    if (evicted !== undefined) this.delete(evicted);
    this.ring[this.next] = key;
    this.next = (this.next + 1) % this.capacity;
    return super.add(key);
  }
}
