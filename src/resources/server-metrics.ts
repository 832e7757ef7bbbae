import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { messageOf } from '../core/errors.js';

/** One scrape: seconds since the run started and the value of each series, in the order of `series`. */
export interface ServerMetricsSample {
  atS: number;
  values: (number | null)[];
}

/** What a run kept of the server's own Prometheus metrics. */
export interface ServerMetricsRecord {
  url: string;
  intervalMs: number;
  /** Series names: `name` or `name{label="value",…}` (counters, gauges and untyped samples). */
  series: string[];
  samples: ServerMetricsSample[];
  /** Scrapes that failed, and the first failure's message. */
  failures: number;
  firstFailure: string | null;
}

/** At most this many series are kept per run (vLLM exposes a few hundred with all its labels). */
const MAX_SERIES = 200;

function labelled(name: string, labels: Record<string, string> | undefined): string {
  const entries = Object.entries(labels ?? {});
  if (entries.length === 0) return name;
  return `${name}{${entries.map(([k, v]) => `${k}="${v}"`).join(',')}}`;
}

/**
 * The counters, gauges and untyped samples of a Prometheus text exposition, by name and labels, read with a
 * maintained parser. Histograms and summaries are left out: the parser loses their labels and, when they have
 * labels, their sums and counts, and the servers' request counters and queue gauges say what a run needs.
 */
export function prometheusSeries(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const family of parsePrometheusTextFormat(text)) {
    if (family.type === 'HISTOGRAM' || family.type === 'SUMMARY') continue;
    for (const sample of family.metrics) {
      if (sample.value !== undefined) out.set(labelled(family.name, sample.labels), Number(sample.value));
    }
  }
  return out;
}

/** Scrapes `url` once: its series, or why not. */
export async function scrapeOnce(url: string, timeoutMs: number): Promise<Map<string, number> | string> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'text/plain' } });
    const text = await response.text();
    if (!response.ok) return `HTTP ${response.status}`;
    const series = prometheusSeries(text);
    return series.size === 0 ? 'no Prometheus samples in the answer' : series;
  } catch (error) {
    return messageOf(error);
  }
}

/** The `/metrics` URL beside an API base URL (`http://host:port/v1` → `http://host:port/metrics`). */
export function defaultMetricsUrl(apiUrl: string): string {
  return new URL('/metrics', apiUrl).href;
}

/**
 * Scrapes a server's Prometheus metrics every `intervalMs` while a run goes on: once when started (before any load),
 * then on the interval, and once more when stopped (after the last response), so counters' growth over the run is
 * exact. A failed scrape is counted, never fatal.
 */
export class ServerMetricsScraper {
  private readonly series: string[] = [];
  private readonly index = new Map<string, number>();
  private readonly samples: ServerMetricsSample[] = [];
  private failures = 0;
  private firstFailure: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> = Promise.resolve();
  private readonly startedAtMs = performance.now();

  constructor(
    private readonly url: string,
    private readonly intervalMs: number,
  ) {}

  async start(): Promise<void> {
    await this.scrape();
    this.timer = setInterval(() => {
      this.inFlight = this.inFlight.then(() => this.scrape());
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<ServerMetricsRecord> {
    if (this.timer !== null) clearInterval(this.timer);
    await this.inFlight;
    await this.scrape();
    return {
      url: this.url,
      intervalMs: this.intervalMs,
      series: this.series,
      samples: this.samples,
      failures: this.failures,
      firstFailure: this.firstFailure,
    };
  }

  private async scrape(): Promise<void> {
    const atS = (performance.now() - this.startedAtMs) / 1000;
    const result = await scrapeOnce(this.url, Math.max(1000, this.intervalMs * 2));
    if (typeof result === 'string') {
      this.failures += 1;
      this.firstFailure ??= result;
      return;
    }
    const values: (number | null)[] = this.series.map(() => null);
    for (const [name, value] of result) {
      let at = this.index.get(name);
      if (at === undefined) {
        if (this.series.length >= MAX_SERIES) continue;
        at = this.series.length;
        this.series.push(name);
        this.index.set(name, at);
        // Earlier samples did not have this series.
        for (const sample of this.samples) sample.values.push(null);
      }
      values[at] = Number.isFinite(value) ? value : null;
    }
    this.samples.push({ atS, values });
  }
}

/** Counters of generated and prompt tokens by server: llama.cpp's and vLLM's names. */
const TOKEN_COUNTERS = [
  {
    server: 'llama.cpp',
    output: 'llamacpp:tokens_predicted_total',
    prompt: 'llamacpp:prompt_tokens_total',
    cached: 'llamacpp:prompt_tokens_cached_total',
  },
  { server: 'vLLM', output: 'vllm:generation_tokens_total', prompt: 'vllm:prompt_tokens_total', cached: null },
] as const;

/** vLLM's prefix-cache counters (tokens looked up, and found). */
const VLLM_PREFIX_QUERIES = 'vllm:prefix_cache_queries_total';
const VLLM_PREFIX_HITS = 'vllm:prefix_cache_hits_total';

function share(part: number | null, whole: number | null): number | null {
  return part === null || whole === null || whole <= 0 ? null : part / whole;
}

/** What the server counted over the run, beside what the client counted. */
export interface ServerTokenCounts {
  server: string;
  outputTokens: number | null;
  /** Prompt tokens the server computed. */
  promptTokens: number | null;
  /** Prompt tokens it took from its prompt cache instead (llama.cpp); null when it does not say. */
  cachedPromptTokens: number | null;
  /**
   * Share of prompt tokens served from the prefix cache over the run: llama.cpp's cached ÷ (cached + computed),
   * vLLM's prefix-cache hits ÷ queries; null when the server does not count them.
   */
  prefixCacheHitRate: number | null;
}

/** The growth of a series between the first and the last scrape that had it, summed over its labels. */
function growth(record: ServerMetricsRecord, name: string): number | null {
  let total: number | null = null;
  record.series.forEach((series, at) => {
    if (series !== name && !series.startsWith(`${name}{`)) return;
    const values = record.samples.map((s) => s.values[at]).filter((v): v is number => v !== null && v !== undefined);
    const first = values[0];
    const last = values[values.length - 1];
    if (first === undefined || last === undefined) return;
    total = (total ?? 0) + (last - first);
  });
  return total;
}

/** The server's own token counts over the run, for servers whose counter names are known; null otherwise. */
export function serverTokenCounts(record: ServerMetricsRecord): ServerTokenCounts | null {
  for (const known of TOKEN_COUNTERS) {
    const outputTokens = growth(record, known.output);
    const promptTokens = growth(record, known.prompt);
    const cachedPromptTokens = known.cached === null ? null : growth(record, known.cached);
    const prefixCacheHitRate =
      known.cached === null
        ? share(growth(record, VLLM_PREFIX_HITS), growth(record, VLLM_PREFIX_QUERIES))
        : share(
            cachedPromptTokens,
            cachedPromptTokens === null || promptTokens === null ? null : cachedPromptTokens + promptTokens,
          );
    if (outputTokens !== null || promptTokens !== null)
      return { server: known.server, outputTokens, promptTokens, cachedPromptTokens, prefixCacheHitRate };
  }
  return null;
}
