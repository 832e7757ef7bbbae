/**
 * A ring of records in shared memory, written by one thread and read by another (or by the same one): how the
 * proxy's forwarding thread hands copies of the traffic to the thread that measures it without either waiting for
 * the other. A record is a kind, an id, a time and a payload of bytes. A writer that finds no room drops the record
 * and says so; it never blocks.
 */

/** Control words at the start of the buffer: where the writer is, where the reader is, whether the reader sleeps. */
const WRITE = 0;
const READ = 1;
const READER_WAITING = 2;
const CONTROL_BYTES = 16;

/** kind (u32), payload bytes (u32), id (f64), time in ns (f64). */
const HEADER_BYTES = 24;
/** Marks the end of the used part of the ring: the next record is at the start. */
const WRAP_KIND = 0;

function align8(bytes: number): number {
  return (bytes + 7) & ~7;
}

/** The shared memory of a ring with room for `capacityBytes` of records (rounded up to a multiple of 8). */
export function createTrafficRing(capacityBytes: number): SharedArrayBuffer {
  return new SharedArrayBuffer(CONTROL_BYTES + align8(capacityBytes));
}

class RingView {
  protected readonly control: Int32Array;
  protected readonly bytes: Uint8Array;
  protected readonly view: DataView;
  protected readonly capacity: number;

  constructor(memory: SharedArrayBuffer) {
    this.control = new Int32Array(memory, 0, CONTROL_BYTES / 4);
    this.capacity = memory.byteLength - CONTROL_BYTES;
    this.bytes = new Uint8Array(memory, CONTROL_BYTES, this.capacity);
    this.view = new DataView(memory, CONTROL_BYTES, this.capacity);
  }
}

/** The writing end. Kinds are numbers from 1; 0 is the ring's own. */
export class RingWriter extends RingView {
  /**
   * Appends a record whose payload is `first` followed by `second`. False when the ring has no room for it (the
   * reader is behind, or the record is larger than the ring): the record is dropped.
   */
  write(
    kind: number,
    id: number,
    timeNs: number,
    first: Uint8Array | null = null,
    second: Uint8Array | null = null,
  ): boolean {
    const payloadBytes = (first?.length ?? 0) + (second?.length ?? 0);
    const size = align8(HEADER_BYTES + payloadBytes);
    const write = Atomics.load(this.control, WRITE);
    const read = Atomics.load(this.control, READ);
    let at = write;
    if (read > write) {
      // The free space runs from the writer up to the reader; the writer may never catch up with it (that is empty).
      if (write + size >= read) return false;
    } else if (write + size > this.capacity || (write + size === this.capacity && read === 0)) {
      // No room before the end: the record goes to the start, if the reader has left room there.
      if (size >= read) return false;
      this.view.setUint32(write, WRAP_KIND, true);
      at = 0;
    }
    this.view.setUint32(at, kind, true);
    this.view.setUint32(at + 4, payloadBytes, true);
    this.view.setFloat64(at + 8, id, true);
    this.view.setFloat64(at + 16, timeNs, true);
    if (first !== null) this.bytes.set(first, at + HEADER_BYTES);
    if (second !== null) this.bytes.set(second, at + HEADER_BYTES + (first?.length ?? 0));
    const next = at + size;
    Atomics.store(this.control, WRITE, next === this.capacity ? 0 : next);
    if (Atomics.load(this.control, READER_WAITING) === 1) {
      Atomics.store(this.control, READER_WAITING, 0);
      Atomics.notify(this.control, READER_WAITING);
    }
    return true;
  }
}

/** One record as read: valid only while it is visited (the reader reuses it, and the payload is the ring's memory). */
export interface RingRecord {
  kind: number;
  id: number;
  timeNs: number;
  payload: Buffer;
}

const NO_PAYLOAD = Buffer.alloc(0);

/** The reading end. */
export class RingReader extends RingView {
  private readonly record: RingRecord = { kind: 0, id: 0, timeNs: 0, payload: NO_PAYLOAD };

  /** Reads every record written so far, in order, and frees their room. */
  drain(visit: (record: RingRecord) => void): number {
    const write = Atomics.load(this.control, WRITE);
    let read = Atomics.load(this.control, READ);
    let count = 0;
    const record = this.record;
    while (read !== write) {
      const kind = this.view.getUint32(read, true);
      if (kind === WRAP_KIND) {
        read = 0;
        continue;
      }
      const payloadBytes = this.view.getUint32(read + 4, true);
      const start = read + HEADER_BYTES;
      record.kind = kind;
      record.id = this.view.getFloat64(read + 8, true);
      record.timeNs = this.view.getFloat64(read + 16, true);
      record.payload =
        payloadBytes === 0 ? NO_PAYLOAD : Buffer.from(this.bytes.buffer, this.bytes.byteOffset + start, payloadBytes);
      const next = read + align8(HEADER_BYTES + payloadBytes);
      read = next === this.capacity ? 0 : next;
      count += 1;
      visit(record);
    }
    record.payload = NO_PAYLOAD;
    Atomics.store(this.control, READ, read);
    return count;
  }

  /**
   * Resolves once a record may be there to read: at once when one is, else when the writer next writes (or `wake`
   * is called).
   */
  whenWritten(): Promise<void> {
    Atomics.store(this.control, READER_WAITING, 1);
    if (Atomics.load(this.control, WRITE) !== Atomics.load(this.control, READ)) {
      Atomics.store(this.control, READER_WAITING, 0);
      return Promise.resolve();
    }
    const waited = Atomics.waitAsync(this.control, READER_WAITING, 1);
    return waited.async ? waited.value.then(() => undefined) : Promise.resolve();
  }

  /** Ends a `whenWritten` wait without a record (the reader is stopping). */
  wake(): void {
    Atomics.store(this.control, READER_WAITING, 0);
    Atomics.notify(this.control, READER_WAITING);
  }
}
