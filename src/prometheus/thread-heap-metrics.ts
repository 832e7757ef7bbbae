import { Gauge, type Registry } from 'prom-client';
import type { HeapReading } from '../resources/heap-reading.js';

/**
 * The V8 heap of each of the proxy's threads (docs/operations.md): prom-client's `nodejs_heap_*` metrics describe only
 * the thread that renders them, and each thread of a process has a heap of its own.
 */
export class ThreadHeapMetrics {
  private readonly total: Gauge<'thread'>;
  private readonly used: Gauge<'thread'>;
  private readonly external: Gauge<'thread'>;

  constructor(registry: Registry) {
    const registers = [registry];
    const labelNames = ['thread'] as const;
    this.total = new Gauge({
      name: 'yardstick_thread_heap_size_total_bytes',
      help: "The V8 heap reserved by one of the process's threads (thread: forwarding or measuring).",
      labelNames,
      registers,
    });
    this.used = new Gauge({
      name: 'yardstick_thread_heap_size_used_bytes',
      help: "The V8 heap in use on one of the process's threads (thread: forwarding or measuring).",
      labelNames,
      registers,
    });
    this.external = new Gauge({
      name: 'yardstick_thread_external_memory_bytes',
      help: "Memory outside the V8 heap owned by one thread's objects, buffers mostly (thread: forwarding or measuring).",
      labelNames,
      registers,
    });
  }

  set(thread: string, reading: HeapReading): void {
    this.total.set({ thread }, reading.totalBytes);
    this.used.set({ thread }, reading.usedBytes);
    this.external.set({ thread }, reading.externalBytes);
  }
}
