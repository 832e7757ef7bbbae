import { isJsonObject } from '../core/json-object.js';
import { compilePath } from '../targets/json-template.js';

/** A JSON API the proxy measures besides the OpenAI endpoints: POSTs to `path`, the answer at `outputPath`. */
export interface MeasuredEndpoint {
  path: string;
  outputPath: string;
  outputSteps: (string | number)[];
}

/** The endpoint a measured call goes to: an OpenAI one, or a JSON API given with `--measure`. */
export type InferenceEndpoint =
  { kind: 'chat' } | { kind: 'completions' } | { kind: 'json'; endpoint: MeasuredEndpoint };

/** What the proxy reads from a request it measures: the endpoint, the model asked for, and whether it streams. */
export interface InferenceCall {
  endpoint: InferenceEndpoint;
  /** The label of the endpoint in the metrics: `chat`, `completions`, or the JSON API's path. */
  label: string;
  /** The body's `model`, or null when it names none. */
  model: string | null;
  stream: boolean;
}

/** `PATH=OUTPUT_PATH` of `--measure` (e.g. `/predict=label`, `/v1/generate=results[0].text`); null when malformed. */
export function parseMeasuredEndpoint(text: string): MeasuredEndpoint | null {
  const at = text.indexOf('=');
  if (at <= 0) return null;
  const path = text.slice(0, at).replace(/\/+$/, '');
  const outputPath = text.slice(at + 1);
  const outputSteps = compilePath(outputPath);
  if (!path.startsWith('/') || outputSteps.length === 0) return null;
  return { path, outputPath, outputSteps };
}

function endpointOf(path: string, measured: readonly MeasuredEndpoint[]): InferenceEndpoint | null {
  const query = path.indexOf('?');
  const pathname = (query === -1 ? path : path.slice(0, query)).replace(/\/+$/, '');
  const json = measured.find((m) => m.path === pathname);
  if (json !== undefined) return { kind: 'json', endpoint: json };
  if (pathname.endsWith('/chat/completions')) return { kind: 'chat' };
  if (pathname.endsWith('/completions')) return { kind: 'completions' };
  return null;
}

/**
 * The inference call a request makes, or null for any other request (a model list, a health check, a body that is
 * not JSON), which passes through unmeasured. `measured` adds JSON APIs by their exact path.
 */
export function inferenceCallOf(
  method: string,
  path: string,
  body: Buffer,
  measured: readonly MeasuredEndpoint[] = [],
): InferenceCall | null {
  if (method !== 'POST') return null;
  const endpoint = endpointOf(path, measured);
  if (endpoint === null) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return null;
  }
  if (!isJsonObject(parsed)) return null;
  return {
    endpoint,
    label: endpoint.kind === 'json' ? endpoint.endpoint.path : endpoint.kind,
    model: typeof parsed.model === 'string' && parsed.model !== '' ? parsed.model : null,
    stream: parsed.stream === true,
  };
}
