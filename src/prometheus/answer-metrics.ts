import type { ServerResponse } from 'node:http';
import { messageOf } from '../core/errors.js';

/** Something that renders Prometheus metrics: a registry of yardstick's. */
export interface MetricsSource {
  text(): Promise<string>;
  readonly contentType: string;
}

/** Answers a scrape with the source's exposition; a failure to render is a 500 in plain text, and told to `onError`. */
export function answerMetrics(
  source: MetricsSource,
  response: ServerResponse,
  onError?: (error: unknown) => void,
): void {
  source.text().then(
    (text) => response.writeHead(200, { 'content-type': source.contentType }).end(text),
    (error: unknown) => {
      onError?.(error);
      response.writeHead(500, { 'content-type': 'text/plain' }).end(`cannot render the metrics: ${messageOf(error)}\n`);
    },
  );
}
