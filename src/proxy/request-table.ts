/** Slots in the table: requests open at once beyond this many (rare) go to a Map. A power of two. */
const SLOTS = 8192;
const MASK = SLOTS - 1;
/** Marks a free slot: ids are whole numbers from 0 up. */
const EMPTY = -1;

/**
 * What the measuring side holds per open request, by the request's id. Ids count up and requests end soon after
 * they start, so each id has a slot of its own (its id modulo the table's size) that is written in place: a thousand
 * requests a second come and go without allocating. A Map used this way reallocates its hash table over and over,
 * and on the measuring thread that churn doubled the time spent in young-generation collections (docs/benchmarks.md).
 * An id whose slot is still held by an older open request waits in a Map until it ends.
 */
export class RequestTable<T> {
  private readonly ids = new Float64Array(SLOTS).fill(EMPTY);
  private readonly values: (T | undefined)[] = new Array<T | undefined>(SLOTS).fill(undefined);
  private readonly overflow = new Map<number, T>();
  private count = 0;

  /** Requests held. */
  get size(): number {
    return this.count;
  }

  get(id: number): T | undefined {
    const slot = id & MASK;
    if (this.ids[slot] === id) return this.values[slot];
    return this.overflow.size === 0 ? undefined : this.overflow.get(id);
  }

  /** Holds `value` for request `id` (a whole number from 0), in place of any value it held. */
  set(id: number, value: T): void {
    const slot = id & MASK;
    if (this.ids[slot] === id) {
      this.values[slot] = value;
      return;
    }
    if (this.overflow.size > 0 && this.overflow.has(id)) {
      this.overflow.set(id, value);
      return;
    }
    this.count += 1;
    if (this.ids[slot] === EMPTY) {
      this.ids[slot] = id;
      this.values[slot] = value;
    } else this.overflow.set(id, value);
  }

  delete(id: number): void {
    const slot = id & MASK;
    if (this.ids[slot] === id) {
      this.ids[slot] = EMPTY;
      this.values[slot] = undefined;
      this.count -= 1;
    } else if (this.overflow.delete(id)) this.count -= 1;
  }
}
