import { getHeapStatistics } from 'node:v8';

/** One thread's V8 heap, in bytes, as `v8.getHeapStatistics()` reads it on that thread. */
export interface HeapReading {
  /** Reserved for the heap. */
  totalBytes: number;
  /** Held by live and not yet collected objects. */
  usedBytes: number;
  /** Outside the heap but owned by its objects (buffers). */
  externalBytes: number;
}

/** The calling thread's heap. */
export function readHeap(): HeapReading {
  const heap = getHeapStatistics();
  return { totalBytes: heap.total_heap_size, usedBytes: heap.used_heap_size, externalBytes: heap.external_memory };
}
