/**
 * Keeps a label's distinct values bounded: the first `limit` values seen are used as they are, any later one is
 * reported as `other`, so that a client naming many models cannot grow the number of series without end.
 */
export class LabelValues {
  private readonly seen = new Set<string>();

  constructor(private readonly limit: number) {}

  of(value: string): string {
    if (this.seen.has(value)) return value;
    if (this.seen.size >= this.limit) return 'other';
    this.seen.add(value);
    return value;
  }
}
