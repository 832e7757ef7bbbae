import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultMetricsUrl, prometheusSeries, ServerMetricsScraper, serverTokenCounts } from './server-metrics.js';

const LLAMA = `# HELP llamacpp:prompt_tokens_total Number of prompt tokens processed.
# TYPE llamacpp:prompt_tokens_total counter
llamacpp:prompt_tokens_total 120
# HELP llamacpp:tokens_predicted_total Number of generation tokens processed.
# TYPE llamacpp:tokens_predicted_total counter
llamacpp:tokens_predicted_total 300
# HELP llamacpp:requests_processing Number of requests processing.
# TYPE llamacpp:requests_processing gauge
llamacpp:requests_processing 2
`;

const VLLM = `# TYPE vllm:num_requests_running gauge
vllm:num_requests_running{engine="0",model_name="m"} 3.0
# TYPE vllm:generation_tokens_total counter
vllm:generation_tokens_total{engine="0",model_name="m"} 500.0
# TYPE vllm:e2e_request_latency_seconds histogram
vllm:e2e_request_latency_seconds_bucket{le="0.3",model_name="m"} 1.0
vllm:e2e_request_latency_seconds_bucket{le="+Inf",model_name="m"} 4.0
vllm:e2e_request_latency_seconds_sum{model_name="m"} 2.5
vllm:e2e_request_latency_seconds_count{model_name="m"} 4.0
`;

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe("the server's Prometheus metrics", () => {
  it("reads llama.cpp's and vLLM's counters and gauges: names with colons, labels; histograms are left out", () => {
    expect([...prometheusSeries(LLAMA)]).toEqual([
      ['llamacpp:prompt_tokens_total', 120],
      ['llamacpp:tokens_predicted_total', 300],
      ['llamacpp:requests_processing', 2],
    ]);
    expect(Object.fromEntries(prometheusSeries(VLLM))).toEqual({
      'vllm:num_requests_running{engine="0",model_name="m"}': 3,
      'vllm:generation_tokens_total{engine="0",model_name="m"}': 500,
    });
  });

  it('scrapes before, during and after a run, and takes the token counters’ growth over it', async () => {
    let predicted = 300;
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(LLAMA.replace('llamacpp:tokens_predicted_total 300', `llamacpp:tokens_predicted_total ${predicted}`));
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = defaultMetricsUrl(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`);
    expect(url).toMatch(/\/metrics$/);
    const scraper = new ServerMetricsScraper(url, 50);
    await scraper.start();
    predicted = 364;
    await new Promise((resolve) => setTimeout(resolve, 180));
    predicted = 428;
    const record = await scraper.stop();
    expect(record.samples.length).toBeGreaterThanOrEqual(4);
    expect(record.failures).toBe(0);
    expect(serverTokenCounts(record)).toEqual({
      server: 'llama.cpp',
      outputTokens: 128,
      promptTokens: 0,
      cachedPromptTokens: null,
      prefixCacheHitRate: null,
    });
  });

  it("takes the prefix-cache hit rate from llama.cpp's cached and computed prompt tokens, and from vLLM's hits and queries", () => {
    const record = (series: string[], first: number[], last: number[]) => ({
      url: 'http://127.0.0.1/metrics',
      intervalMs: 500,
      series,
      samples: [
        { atS: 0, values: first },
        { atS: 1, values: last },
      ],
      failures: 0,
      firstFailure: null,
    });
    const llama = record(
      ['llamacpp:tokens_predicted_total', 'llamacpp:prompt_tokens_total', 'llamacpp:prompt_tokens_cached_total'],
      [0, 100, 50],
      [40, 400, 650],
    );
    // 600 cached of 600 + 300 prompt tokens.
    expect(serverTokenCounts(llama)?.prefixCacheHitRate).toBeCloseTo(600 / 900, 12);
    const vllm = record(
      [
        'vllm:generation_tokens_total{model_name="m"}',
        'vllm:prefix_cache_queries_total{model_name="m"}',
        'vllm:prefix_cache_hits_total{model_name="m"}',
      ],
      [0, 0, 0],
      [10, 1000, 250],
    );
    expect(serverTokenCounts(vllm)).toMatchObject({ server: 'vLLM', prefixCacheHitRate: 0.25 });
  });

  it('counts failed scrapes with the first reason instead of failing the run', async () => {
    const scraper = new ServerMetricsScraper('http://127.0.0.1:9/metrics', 50);
    await scraper.start();
    const record = await scraper.stop();
    expect(record.samples).toEqual([]);
    expect(record.failures).toBe(2);
    expect(record.firstFailure).toMatch(/fetch failed|ECONNREFUSED/);
    expect(serverTokenCounts(record)).toBeNull();
  });
});
