import { describe, expect, it } from 'vitest';
import { reasonOfErrorBody } from './http-call.js';

describe('the reason of an error response', () => {
  it.each([
    [
      'llama.cpp / OpenAI',
      '{"error":{"code":400,"message":"request (543 tokens) exceeds the available context size (512 tokens)","type":"exceed_context_size_error"}}',
      'request (543 tokens) exceeds the available context size (512 tokens)',
    ],
    [
      'vLLM',
      '{"object":"error","message":"The model `tiny` does not exist.","type":"NotFoundError","param":null,"code":404}',
      'The model `tiny` does not exist.',
    ],
    [
      'TGI',
      '{"error":"Input validation error: `inputs` tokens + `max_new_tokens` must be <= 2048","error_type":"validation"}',
      'Input validation error: `inputs` tokens + `max_new_tokens` must be <= 2048',
    ],
    ['FastAPI string', '{"detail":"Not Found"}', 'Not Found'],
    [
      'FastAPI list',
      '{"detail":[{"loc":["body","model"],"msg":"field required"}]}',
      '[{"loc":["body","model"],"msg":"field required"}]',
    ],
    ['plain text', 'Bad   Gateway\n', 'Bad Gateway'],
  ])('%s', (_server, body, reason) => {
    expect(reasonOfErrorBody(body)).toBe(reason);
  });
});
