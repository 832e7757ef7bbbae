import { createServer, type Server } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDir, runCli } from './helpers/cli.js';

let busy: Server;
let busyPort = 0;

beforeAll(async () => {
  busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', () => resolve()));
  busyPort = (busy.address() as { port: number }).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => busy.close(() => resolve()));
});

describe('every failure says what, where and how to fix it, with exit code 2', () => {
  it('a config file that does not exist', async () => {
    const result = await runCli(['bench', '-c', '/nonexistent/bench.yaml']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error[CONFIG_UNREADABLE]: cannot read config file /nonexistent/bench.yaml');
    expect(result.stderr).toContain('hint: ');
  });

  it('a store that cannot be opened', async () => {
    const cwd = freshDir();
    const file = join(cwd, 'not-a-folder');
    writeFileSync(file, 'x');
    const result = await runCli(['--store', join(file, 'store.db'), 'runs', 'list'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`error[STORE_UNAVAILABLE]: cannot open the store at ${join(file, 'store.db')}`);
    expect(result.stderr).toContain('--store');
  });

  it('a simulator port already in use', async () => {
    const result = await runCli(['serve-sim', '--port', String(busyPort)]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`error[PORT_UNAVAILABLE]: cannot listen on 127.0.0.1:${busyPort} (EADDRINUSE)`);
    expect(result.stderr).toContain('--port 0');
  });

  it('bad simulator flags', async () => {
    const faults = await runCli(['serve-sim', '--faults', 'http500=2']);
    expect(faults.code).toBe(2);
    expect(faults.stderr).toContain("error[FLAG_INVALID]: fault rate '2' for http500 is not in [0, 1]");
    const ttft = await runCli(['serve-sim', '--ttft', 'soon']);
    expect(ttft.stderr).toContain("error[FLAG_INVALID]: --ttft 'soon' is not a duration");
  });

  it('bad metrics flags and a missing probability column', async () => {
    const cwd = freshDir();
    const file = join(cwd, 'p.csv');
    writeFileSync(file, 'y,p_a\na,0.5\n');
    const task = await runCli(['metrics', file, '--true', 'y', '--pred', 'y', '--task', 'ranking'], { cwd });
    expect(task.code).toBe(2);
    expect(task.stderr).toContain("error[FLAG_INVALID]: --task 'ranking' is not a task");
    const prefix = await runCli(['metrics', file, '--true', 'y', '--proba-prefix', 'prob_'], { cwd });
    expect(prefix.code).toBe(2);
    expect(prefix.stderr).toContain('error[PROBA_COLUMNS_MISSING]: ');
    expect(prefix.stderr).toContain('available columns: y, p_a');
    const confidence = await runCli(['metrics', file, '--true', 'y', '--pred', 'y', '--confidence', '95'], { cwd });
    expect(confidence.stderr).toContain("error[FLAG_INVALID]: --confidence '95' is not valid");
  });

  it('an unknown --prefer for tradeoff, and --top-logprobs 0 for a benchmark', async () => {
    const prefer = await runCli(['tradeoff', 'a', 'b', '--prefer', 'fast']);
    expect(prefer.code).toBe(2);
    expect(prefer.stderr).toContain("error[FLAG_INVALID]: --prefer 'fast' is not cost, latency or accuracy");
    expect(prefer.stderr).toContain('hint: ');
    const top = await runCli([
      'eval',
      '--benchmark',
      'mmlu',
      '--url',
      'http://127.0.0.1:9/v1',
      '--model',
      'm',
      '--top-logprobs',
      '0',
      '--offline',
    ]);
    expect(top.code).toBe(2);
    expect(top.stderr).toContain('error[CONFIG_INVALID]');
    expect(top.stderr).toContain('command line: targets.0.topLogprobs: must be greater than 0');
  });

  it('a data file whose header names a column twice, in every command that reads one', async () => {
    const cwd = freshDir();
    const file = join(cwd, 'dup.csv');
    writeFileSync(file, 'text,y,y\nhello,1,0\nbye,0,1\n');
    writeFileSync(
      join(cwd, 'suite.yaml'),
      `name: s\ndataset: ${file}\nprompt: { text: "{{text}}" }\ntargets:\n  - { kind: openai-chat, baseUrl: "http://127.0.0.1:9/v1", model: m }\nscorers:\n  - { type: choice, choices: ["0", "1"] }\n`,
    );
    const message = `error[DATA_INVALID]: ${file}:1: the header names 'y' (columns 2, 3) more than once`;
    for (const args of [
      ['metrics', file, '--true', 'y', '--pred', 'y'],
      ['data', 'check', file],
      ['eval', 'suite.yaml'],
    ]) {
      const result = await runCli(args, { cwd });
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toContain(message);
    }
  });

  it('runs export and import: a wrong number of runs for the format, and a file that cannot be read', async () => {
    const cwd = freshDir();
    const cases: [string[], string][] = [
      [['runs', 'export', 'a', 'b'], 'error[FLAG_INVALID]: --format json exports one run'],
      [['runs', 'export', '--all', '--format', 'csv'], 'error[FLAG_INVALID]: --format csv exports one run'],
      [['runs', 'export', '--format', 'runs'], 'error[FLAG_INVALID]: name the runs to export, or --all'],
      [['runs', 'export', 'a', '--all', '--format', 'runs'], 'error[FLAG_INVALID]: name the runs to export, or --all'],
      [['runs', 'export', 'a', '--format', 'xml'], "error[FLAG_INVALID]: unknown format 'xml'"],
      [
        ['runs', 'import', join(cwd, 'missing.jsonl')],
        `error[FILE_UNREADABLE]: cannot read ${join(cwd, 'missing.jsonl')}: ENOENT`,
      ],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(args, { cwd });
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toContain(message);
      expect(result.stderr, args.join(' ')).toContain('hint: ');
    }
  });
});
