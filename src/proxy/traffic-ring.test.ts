import { describe, expect, it } from 'vitest';
import { createTrafficRing, RingReader, RingWriter, type RingRecord } from './traffic-ring.js';

function readAll(reader: RingReader): RingRecord[] {
  const records: RingRecord[] = [];
  // A record is valid only while visited: what is kept is copied.
  reader.drain((record) => records.push({ ...record, payload: Buffer.from(record.payload) }));
  return records;
}

describe('traffic ring', () => {
  it('hands records over in order, across the end of the ring, with their payloads whole', () => {
    const memory = createTrafficRing(256);
    const writer = new RingWriter(memory);
    const reader = new RingReader(memory);
    const seen: string[] = [];
    for (let round = 0; round < 40; round += 1) {
      const text = 'x'.repeat(round % 23);
      expect(writer.write(1 + (round % 3), round, round * 1.5, Buffer.from('ab'), Buffer.from(text))).toBe(true);
      if (round % 2 === 1)
        for (const record of readAll(reader)) {
          expect(record.kind).toBe(1 + (record.id % 3));
          expect(record.timeNs).toBe(record.id * 1.5);
          seen.push(record.payload.toString());
        }
    }
    expect(seen).toEqual(Array.from({ length: 40 }, (_, round) => `ab${'x'.repeat(round % 23)}`));
  });

  it('drops a record when the reader is behind or it is larger than the ring, and takes more once read', () => {
    const memory = createTrafficRing(128);
    const writer = new RingWriter(memory);
    const reader = new RingReader(memory);
    expect(writer.write(1, 1, 0, Buffer.alloc(200))).toBe(false);
    expect(writer.write(1, 1, 0, Buffer.alloc(40))).toBe(true);
    expect(writer.write(1, 2, 0, Buffer.alloc(40))).toBe(false);
    expect(readAll(reader).map((r) => r.id)).toEqual([1]);
    expect(writer.write(1, 3, 0, Buffer.alloc(40))).toBe(true);
    expect(readAll(reader).map((r) => [r.id, r.payload.length])).toEqual([[3, 40]]);
    expect(readAll(reader)).toEqual([]);
  });

  it('wakes a waiting reader when a record is written, and at once when one is there already', async () => {
    const memory = createTrafficRing(128);
    const writer = new RingWriter(memory);
    const reader = new RingReader(memory);
    let woken = false;
    const waiting = reader.whenWritten().then(() => (woken = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(woken).toBe(false);
    writer.write(2, 9, 0);
    await waiting;
    expect(readAll(reader).map((r) => r.id)).toEqual([9]);
    writer.write(2, 10, 0);
    await reader.whenWritten();
    expect(readAll(reader).map((r) => r.id)).toEqual([10]);
  });
});
