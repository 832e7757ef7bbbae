import type { RunListing } from '../store/run-record.js';

/** Headlines kept at most; the cache starts again empty beyond. */
const KEPT = 10_000;

/**
 * The runs list's headlines, each computed once for a run that has completed (its record no longer changes), so
 * showing the list again reads only the records of runs still running or that ended otherwise (an interrupted run can
 * be resumed).
 */
export class HeadlineCache {
  private readonly headlines = new Map<string, string | null>();

  async of(listing: RunListing, compute: () => Promise<string | null>): Promise<string | null> {
    const kept = this.headlines.get(listing.id);
    if (kept !== undefined && listing.status === 'completed') return kept;
    const headline = await compute();
    if (listing.status === 'completed') {
      if (this.headlines.size >= KEPT) this.headlines.clear();
      this.headlines.set(listing.id, headline);
    }
    return headline;
  }
}
