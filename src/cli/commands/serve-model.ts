import { basename } from 'node:path';
import type { Command } from 'commander';
import { usageError } from '../../core/errors.js';
import { REFERENCE_MODEL_NAMES, isReferenceModel } from '../../models/reference-catalog.js';
import type { ServedModelSpec } from '../../serve/served-models.js';
import { startModelServerThread } from '../../serve/server-thread.js';
import { collect, integerFlag } from '../flags.js';

interface ServeModelFlags {
  models?: string;
  gguf: string[];
  host: string;
  port: string;
  contextSize: string;
  threads?: string;
}

/** The reference models named by `--models` (comma-separated, or `all`), checked against the catalogue. */
export function referenceSpecs(list: string): ServedModelSpec[] {
  const names =
    list === 'all'
      ? REFERENCE_MODEL_NAMES
      : list
          .split(',')
          .map((n) => n.trim())
          .filter((n) => n !== '');
  const unknown = names.filter((n) => !isReferenceModel(n));
  if (unknown.length > 0)
    throw usageError(
      'MODEL_UNKNOWN',
      `no reference model ${unknown.map((n) => `'${n}'`).join(', ')}`,
      `reference models: ${REFERENCE_MODEL_NAMES.join(', ')} (or all)`,
    );
  return names.filter(isReferenceModel).map((name) => ({ kind: 'reference', name, model: name, settings: {} }));
}

/** `yardstick serve-model`: reference models (and local GGUF models) over the OpenAI-compatible API until Ctrl-C. */
export function registerServeModel(program: Command): void {
  program
    .command('serve-model')
    .description(
      'train the reference models (spam filters on the SpamAssassin corpus, an iris classifier) and serve them, and local GGUF models, over the OpenAI-compatible API on 127.0.0.1',
    )
    .option(
      '--models <list>',
      `reference models to serve, comma-separated, or all (${REFERENCE_MODEL_NAMES.join(', ')}); default all, or none when --gguf is given`,
    )
    .option(
      '--gguf <file>',
      'also serve a local GGUF model through node-llama-cpp (repeatable; its model name is the file name)',
      collect,
      [],
    )
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--port <port>', 'port; 0 picks a free one', '0')
    .option('--context-size <n>', 'tokens of context for GGUF models', '2048')
    .option('--threads <n>', 'CPU threads for GGUF models (default: all cores but one)')
    .addHelpText(
      'after',
      `
Examples:
  yardstick serve-model --port 8080
  curl -s http://127.0.0.1:8080/v1/chat/completions -H 'content-type: application/json' \\
    -d '{"model":"spam-logreg","messages":[{"role":"user","content":"WIN a FREE cruise, reply now!"}],"logprobs":true,"top_logprobs":2}'
  yardstick serve-model --gguf ./models/llama-2-tiny-random.gguf --port 8081`,
    )
    .action(async (flags: ServeModelFlags) => {
      const port = integerFlag('port', flags.port, 0, 8);
      const contextSize = integerFlag('context-size', flags.contextSize, 16, 16);
      const threads = flags.threads === undefined ? null : integerFlag('threads', flags.threads, 1, 8);
      const specs: ServedModelSpec[] = [
        ...referenceSpecs(flags.models ?? (flags.gguf.length > 0 ? '' : 'all')),
        ...flags.gguf.map((path): ServedModelSpec => ({
          kind: 'gguf',
          name: basename(path).replace(/\.gguf$/i, ''),
          path,
          contextSize,
          threads,
        })),
      ];
      if (specs.length === 0)
        throw usageError(
          'FLAG_INVALID',
          'nothing to serve',
          'name reference models with --models, or a GGUF file with --gguf',
        );
      const server = await startModelServerThread({
        specs,
        host: flags.host,
        port,
        onProgress: (line) => process.stderr.write(`${line}\n`),
      });
      process.stderr.write(`serving ${server.models.join(', ')} at ${server.baseUrl} (Ctrl-C stops)\n`);
      process.stdout.write(`${server.baseUrl}\n`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
      await server.stop();
    });
}
