import { isJsonObject, isNumberOrNull } from '../core/json-object.js';
import { isDriftWindow, type DriftWindow } from '../monitor/drift-window.js';
import type { Store } from '../store/store.js';

/** One sampled exchange as the store keeps it (a proxy run's case): what was asked, answered and measured. */
export interface ProxySample {
  /** When the exchange ended (ISO 8601). */
  at: string;
  model: string | null;
  endpoint: string;
  /** `ok`, or the error's category. */
  outcome: string;
  /** The request body as JSON, redacted. */
  request: unknown;
  /** The generated text, redacted ('' when the request failed). */
  output: string;
  ttftMs: number | null;
  e2eMs: number;
  tokensIn: number | null;
  tokensOut: number | null;
  finishReason: string | null;
}

function isStringOrNull(value: unknown): value is string | null {
  return value === null || typeof value === 'string';
}

/** Whether a stored case is a proxy sample. */
export function isProxySample(value: unknown): value is ProxySample {
  return (
    isJsonObject(value) &&
    typeof value.at === 'string' &&
    isStringOrNull(value.model) &&
    typeof value.endpoint === 'string' &&
    typeof value.outcome === 'string' &&
    typeof value.output === 'string' &&
    isNumberOrNull(value.ttftMs) &&
    typeof value.e2eMs === 'number' &&
    isNumberOrNull(value.tokensIn) &&
    isNumberOrNull(value.tokensOut) &&
    isStringOrNull(value.finishReason) &&
    'request' in value
  );
}

/** The samples a proxy run kept, in the order they were taken; rows that are not samples are skipped. */
export async function readProxySamples(store: Store, runId: string): Promise<ProxySample[]> {
  return (await store.listCases(runId)).map((row) => row.result).filter(isProxySample);
}

/** The drift windows a proxy run recorded, in order. */
export async function readDriftWindows(store: Store, runId: string): Promise<DriftWindow[]> {
  return (await store.listCases(runId))
    .map((row) => row.result)
    .filter(isDriftWindow)
    .sort((a, b) => a.index - b.index);
}
