import { isJsonObject } from '../core/json-object.js';

/** The OpenAI endpoints whose exchanges the proxy measures. */
export type InferenceEndpoint = 'chat' | 'completions';

/** What the proxy reads from a request it measures: the endpoint, the model asked for, and whether it streams. */
export interface InferenceCall {
  endpoint: InferenceEndpoint;
  /** The body's `model`, or null when it names none. */
  model: string | null;
  stream: boolean;
}

function endpointOf(path: string): InferenceEndpoint | null {
  const query = path.indexOf('?');
  const pathname = (query === -1 ? path : path.slice(0, query)).replace(/\/+$/, '');
  if (pathname.endsWith('/chat/completions')) return 'chat';
  if (pathname.endsWith('/completions')) return 'completions';
  return null;
}

/**
 * The inference call a request makes, or null for any other request (a model list, a health check, a body that is
 * not JSON), which passes through unmeasured.
 */
export function inferenceCallOf(method: string, path: string, body: Buffer): InferenceCall | null {
  if (method !== 'POST') return null;
  const endpoint = endpointOf(path);
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
    model: typeof parsed.model === 'string' && parsed.model !== '' ? parsed.model : null,
    stream: parsed.stream === true,
  };
}
