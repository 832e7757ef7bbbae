import { messageOf } from '../core/errors.js';

/** Something that renders Prometheus metrics: a registry of yardstick's. */
export interface MetricsSource {
  text(): Promise<string>;
  readonly contentType: string;
}

/** Where a scrape's answer goes: node:http's ServerResponse is one. */
export interface MetricsResponse {
  writeHead(status: number, headers: Record<string, string>): unknown;
  end(text: string): unknown;
}

/** Answers a scrape with the source's exposition; a failure to render is a 500 in plain text, and told to `onError`. */
export function answerMetrics(
  source: MetricsSource,
  response: MetricsResponse,
  onError?: (error: unknown) => void,
): void {
  source.text().then(
    (text) => {
      response.writeHead(200, { 'content-type': source.contentType });
      response.end(text);
    },
    (error: unknown) => {
      onError?.(error);
      response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(`cannot render the metrics: ${messageOf(error)}\n`);
    },
  );
}
