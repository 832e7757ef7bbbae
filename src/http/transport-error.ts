import type { ExchangeError } from '../core/types.js';
import { messageOf } from '../core/errors.js';
import { PARSE_ERROR_CODE } from './dispatcher.js';

/** The first code in an error's chain of causes that says more than that it was aborted; '' when none does. */
function codeOf(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth += 1) {
    const code = 'code' in current ? current.code : undefined;
    if (typeof code === 'string' && code !== 'UND_ERR_ABORTED' && code !== 'ABORT_ERR') return code;
    current = current.cause;
  }
  return '';
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * A request that failed before its response ended, by the error's code: `timeout` for a socket timeout,
 * `malformed_response` when the response broke HTTP's framing, else `connection`.
 */
export function transportError(error: Error): ExchangeError {
  const code = codeOf(error);
  const message = code === '' || code === PARSE_ERROR_CODE ? messageOf(error) : `${code}: ${messageOf(error)}`;
  const category = TIMEOUT_CODES.has(code)
    ? 'timeout'
    : code === PARSE_ERROR_CODE || code.startsWith('HPE_')
      ? 'malformed_response'
      : 'connection';
  return { category, message, httpStatus: null };
}
