import type { Command } from 'commander';
import { usageError } from '../../core/errors.js';
import { parseDurationMs } from '../../core/units.js';
import type { UsageMode } from '../../simulator/options.js';
import { parseFaults } from '../../simulator/parse-faults.js';
import { startSimulator } from '../../simulator/server.js';

interface SimFlags {
  host: string;
  port: string;
  ttft: string;
  itl: string;
  tokensPerChunk: string;
  outputTokens: string;
  usage: string;
  slots: string;
  faults: string;
  seed: string;
}

function positiveInt(name: string, text: string, allowZero = false): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < (allowZero ? 0 : 1))
    throw usageError(
      'FLAG_INVALID',
      `--${name} '${text}' is not a ${allowZero ? 'non-negative' : 'positive'} integer`,
      `e.g. --${name} 8`,
    );
  return n;
}

function duration(name: string, text: string): number {
  const ms = parseDurationMs(text);
  if (ms === null) throw usageError('FLAG_INVALID', `--${name} '${text}' is not a duration`, `e.g. --${name} 50ms`);
  return ms;
}

/** `yardstick serve-sim`: an OpenAI-compatible server with exactly known timing, for calibrating and testing. */
export function registerServeSim(program: Command): void {
  program
    .command('serve-sim')
    .description(
      'serve a simulated OpenAI-compatible model with known timing (first token after --ttft, then one every --itl) and optional faults',
    )
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--port <port>', 'port (0 picks a free one)', '0')
    .option('--ttft <duration>', 'time to first token', '50ms')
    .option('--itl <duration>', 'time between tokens', '10ms')
    .option('--tokens-per-chunk <n>', 'tokens sent together in one chunk', '1')
    .option('--output-tokens <n>', 'tokens per response when the request has no max_tokens', '16')
    .option('--usage <mode>', 'final | continuous | none: how usage is streamed', 'final')
    .option(
      '--slots <n>',
      "requests served at once (like a server's slots); more wait in arrival order, so the capacity is slots ÷ latency; 0 for no limit",
      '0',
    )
    .option(
      '--faults <list>',
      'fault rates, e.g. http500=0.05,http429=0.02,reset=0.01,stall=0.01,malformed=0.01,streamError=0.01',
      '',
    )
    .option('--seed <n>', 'seed for fault draws', '1')
    .addHelpText('after', '\nExample:\n  yardstick serve-sim --port 8000 --ttft 80ms --itl 15ms --faults http429=0.05')
    .action(async (flags: SimFlags) => {
      if (!['final', 'continuous', 'none'].includes(flags.usage))
        throw usageError('FLAG_INVALID', `--usage '${flags.usage}' is not a mode`, 'use final, continuous or none');
      const sim = await startSimulator({
        host: flags.host,
        port: positiveInt('port', flags.port, true),
        ttftMs: duration('ttft', flags.ttft),
        itlMs: duration('itl', flags.itl),
        tokensPerChunk: positiveInt('tokens-per-chunk', flags.tokensPerChunk),
        defaultOutputTokens: positiveInt('output-tokens', flags.outputTokens),
        usage: flags.usage as UsageMode,
        slots: positiveInt('slots', flags.slots, true),
        faults: parseFaults(flags.faults),
        seed: positiveInt('seed', flags.seed, true),
      }).catch((error: unknown) => {
        const code = (error as { code?: string }).code;
        throw usageError(
          'PORT_UNAVAILABLE',
          `cannot listen on ${flags.host}:${flags.port}${code === undefined ? '' : ` (${code})`}`,
          code === 'EADDRINUSE'
            ? 'that port is taken: pick another, or --port 0 for a free one'
            : 'check the host and port',
        );
      });
      process.stdout.write(`${sim.url}/v1\n`);
      await new Promise<void>((resolve) => {
        const stop = (): void => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await sim.close();
    });
}
