// An OpenAI-compatible server that answers at once, for the benchmark bench: chat completions answer "A" (streamed
// when asked);
// /completions with `echo` + `logprobs` echo each prompt as one token per word with fixed log-probabilities.
// Prints its base URL on the first line.
import { createServer } from 'node:http';

function echo(prompts) {
  return prompts.map((prompt, index) => {
    const tokens = [];
    const offsets = [];
    for (const m of prompt.matchAll(/\s*\S+/g)) {
      tokens.push(m[0]);
      offsets.push(m.index);
    }
    const logprobs = tokens.map((_, i) => (i === 0 ? null : -1 - (index % 4) / 10));
    return {
      index,
      text: `${prompt} x`,
      logprobs: {
        tokens: [...tokens, ' x'],
        token_logprobs: [...logprobs, -1],
        text_offset: [...offsets, prompt.length],
        top_logprobs: null,
      },
      finish_reason: 'length',
    };
  });
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    if (body.stream === true) {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: 'A' } }] })}\n\n`);
      res.write(`data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 100, completion_tokens: 1 } })}\n\n`);
      res.end('data: [DONE]\n\n');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    if (body.echo === true) {
      const prompts = Array.isArray(body.prompt) ? body.prompt : [body.prompt];
      res.end(
        JSON.stringify({
          choices: echo(prompts),
          usage: { prompt_tokens: 100 * prompts.length, completion_tokens: prompts.length },
        }),
      );
    } else {
      res.end(
        JSON.stringify({
          choices: [{ index: 0, message: { role: 'assistant', content: 'A' }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 100, completion_tokens: 1 },
        }),
      );
    }
  });
});
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => console.log(`http://127.0.0.1:${server.address().port}/v1`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
