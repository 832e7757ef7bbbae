import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EvalJson } from '../src/eval/eval-summary.js';
import { freshDir, runCli } from './helpers/cli.js';
import { useScriptedServers } from './helpers/scripted-server.js';
import { DATA_DIR } from './helpers/fixtures.js';

const serve = useScriptedServers();

/**
 * MNLI, QQP and ReCoRD have no copy here, so these tests write small files in their original formats (the GLUE TSVs
 * with their header columns, the ReCoRD JSONL with entity character spans) and check the readers and prompts on them.
 */
function dataDir(): string {
  const dir = freshDir();
  mkdirSync(join(dir, 'glue', 'MNLI'), { recursive: true });
  mkdirSync(join(dir, 'glue', 'QQP'), { recursive: true });
  mkdirSync(join(dir, 'superglue', 'ReCoRD'), { recursive: true });
  const mnliHeader =
    'index\tpromptID\tpairID\tgenre\tsentence1_binary_parse\tsentence2_binary_parse\tsentence1_parse\tsentence2_parse\tsentence1\tsentence2\tlabel1\tgold_label';
  const mnli = (i: number, premise: string, hypothesis: string, label: string): string =>
    `${i}\t1\t${i}n\tfiction\t(x)\t(y)\t(X)\t(Y)\t${premise}\t${hypothesis}\t${label}\t${label}`;
  writeFileSync(
    join(dir, 'glue', 'MNLI', 'dev_matched.tsv'),
    [
      mnliHeader,
      mnli(0, 'The cat sat.', 'A cat sat', 'entailment'),
      mnli(1, 'He ran "fast.', 'He walked.', 'contradiction'),
      mnli(2, 'It rained.', 'It was cold', 'neutral'),
    ].join('\n') + '\n',
  );
  writeFileSync(
    join(dir, 'glue', 'MNLI', 'dev_mismatched.tsv'),
    [mnliHeader, mnli(0, 'A dog barked.', 'An animal made noise.', 'entailment')].join('\n') + '\n',
  );
  writeFileSync(
    join(dir, 'glue', 'QQP', 'dev.tsv'),
    [
      'id\tqid1\tqid2\tquestion1\tquestion2\tis_duplicate',
      '1\t1\t2\tHow do I cook rice?\tWhat is the way to cook rice?\t1',
      '2\t3\t4\tWhy is the sky blue?\tHow tall is "Everest?\t0',
    ].join('\n') + '\n',
  );
  const passage = 'Paris is in France. Berlin is in Germany.\n@highlight\nCapitals of Europe';
  const span = (word: string): { start: number; end: number } => ({
    start: passage.indexOf(word),
    end: passage.indexOf(word) + word.length - 1,
  });
  const record = {
    idx: 0,
    passage: { text: passage, entities: [span('Paris'), span('France'), span('Berlin'), span('Germany')] },
    qas: [
      { idx: 0, query: '@placeholder is the capital of Germany.', answers: [{ ...span('Berlin'), text: 'Berlin' }] },
      {
        idx: 1,
        query: 'The Eiffel Tower stands in @placeholder.',
        answers: [
          { ...span('Paris'), text: 'Paris' },
          { ...span('France'), text: 'France' },
        ],
      },
    ],
  };
  writeFileSync(join(dir, 'superglue', 'ReCoRD', 'val.jsonl'), `${JSON.stringify(record)}\n`);
  return dir;
}

describe('benchmark readers on files in the original formats', () => {
  it('MNLI (matched and mismatched) and QQP: labels, prompts and quotes read as text', async () => {
    const dir = dataDir();
    const server = await serve((r) => ({ continuationLogprobs: r.prompts.map((_, i) => (i === 0 ? -1 : -2)) }));
    const result = await runCli([
      'eval',
      '--benchmark',
      'mnli,mnli_mismatch,qqp',
      '--data-dir',
      dir,
      '--url',
      server.baseUrl,
      '--model',
      'm',
      '--json',
      '--concurrency',
      '1',
    ]);
    expect(result.stderr).toBe('');
    const tasks = new Map((JSON.parse(result.stdout) as EvalJson).benchmark?.tasks.map((t) => [t.task, t]));
    // Always the first choice: "True" (entailment) for MNLI, "no" for QQP.
    expect(tasks.get('mnli')?.metrics.acc?.value).toBeCloseTo(1 / 3, 12);
    expect(tasks.get('mnli_mismatch')?.metrics.acc?.value).toBe(1);
    expect(tasks.get('qqp')?.metrics.acc?.value).toBe(0.5);
    expect(tasks.get('qqp')?.metrics.f1?.value).toBe(0);
    const prompts = server.requests.map((r) => r.prompts[0] ?? '');
    expect(prompts).toContain('The cat sat.\nQuestion: A cat sat. True, False or Neither?\nAnswer: True');
    expect(prompts).toContain('He ran "fast.\nQuestion: He walked. True, False or Neither?\nAnswer: True');
    expect(prompts).toContain(
      'Question 1: Why is the sky blue?\nQuestion 2: How tall is "Everest?\nQuestion: Do both questions ask the same thing?\nAnswer: no',
    );
  });

  it('ReCoRD: entities from character spans, the query filled in, max-over-gold F1 and exact match', async () => {
    const dir = dataDir();
    // Sorted entities: Berlin, France, Germany, Paris. The model prefers "Paris" for every query.
    const server = await serve((r) => ({
      continuationLogprobs: r.prompts.map((p) =>
        p.includes('Paris is the capital') || p.includes('stands in Paris') ? -1 : -3,
      ),
    }));
    const result = await runCli([
      'eval',
      '--benchmark',
      'record',
      '--data-dir',
      dir,
      '--url',
      server.baseUrl,
      '--model',
      'm',
      '--json',
    ]);
    expect(result.stderr).toBe('');
    const task = (JSON.parse(result.stdout) as EvalJson).benchmark?.tasks[0];
    expect(task?.n).toBe(2);
    expect(task?.metrics.record_em?.value).toBe(0.5);
    expect(task?.metrics.record_f1?.value).toBe(0.5);
    const request = server.requests.find((r) => r.prompts.some((p) => p.includes('Eiffel')));
    expect(request?.prompts[0]).toBe(
      'Paris is in France. Berlin is in Germany.\n\n  - Capitals of Europe.\n  - The Eiffel Tower stands in Berlin.',
    );
    expect(request?.prompts).toHaveLength(4);
  });

  it('missing data is a usage error naming where it looked, and --offline never downloads', async () => {
    const dir = freshDir();
    const result = await runCli([
      'eval',
      '--benchmark',
      'cola',
      '--data-dir',
      dir,
      '--offline',
      '--url',
      'http://127.0.0.1:9/v1',
      '--model',
      'm',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error[BENCHMARK_DATA_MISSING]');
    expect(result.stderr).toContain(join(dir, 'glue', 'CoLA', 'dev.tsv'));
    expect(result.stderr).toContain('nyu-mll/glue');
    expect(result.stderr).toContain('--offline');
  });

  it('a malformed MMLU row is reported at its file:line', async () => {
    const dir = freshDir();
    mkdirSync(join(dir, 'mmlu', 'test'), { recursive: true });
    writeFileSync(
      join(dir, 'mmlu', 'test', 'anatomy_test.csv'),
      'What is 1+1?,1,2,3,4,B\n"A question, with a comma",a,b,c,d,E\n',
    );
    const result = await runCli([
      'eval',
      '--benchmark',
      'mmlu',
      '--subjects',
      'anatomy',
      '--fewshot',
      '0',
      '--data-dir',
      dir,
      '--url',
      'http://127.0.0.1:9/v1',
      '--model',
      'm',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${join(dir, 'mmlu', 'test', 'anatomy_test.csv')}:2`);
    expect(result.stderr).toContain("answer 'E' is not one of A, B, C, D");
  });
});

describe('few-shot GLUE and SuperGLUE prompts from the train split', () => {
  it('draws seeded examples from train.tsv, the same on every run, with their gold answers', async () => {
    const dir = freshDir();
    mkdirSync(join(dir, 'glue', 'RTE'), { recursive: true });
    const header = 'index\tsentence1\tsentence2\tlabel';
    const train = [
      '0\tCats purr.\tCats make sounds.\tentailment',
      '1\tIt is noon.\tIt is night.\tnot_entailment',
      '2\tAnn sings.\tAnn is silent.\tnot_entailment',
      '3\tRain fell.\tThe ground got wet.\tentailment',
    ];
    writeFileSync(join(dir, 'glue', 'RTE', 'train.tsv'), `${[header, ...train].join('\n')}\n`);
    writeFileSync(
      join(dir, 'glue', 'RTE', 'dev.tsv'),
      `${[header, '0\tBob ran.\tBob moved.\tentailment', '1\tSky is blue.\tSky is green.\tnot_entailment'].join('\n')}\n`,
    );
    const server = await serve((r) => ({ continuationLogprobs: r.prompts.map(() => -1) }));
    const args = [
      'eval',
      '--benchmark',
      'rte',
      '--fewshot',
      '2',
      '--data-dir',
      dir,
      '--url',
      server.baseUrl,
      '--model',
      'm',
      '--json',
      '--concurrency',
      '1',
      '--no-cache',
    ];
    expect((await runCli(args, { cwd: dir })).code).toBe(0);
    expect((await runCli(args, { cwd: dir })).code).toBe(0);
    const prompts = server.requests.map((r) => r.prompts[0] ?? '');
    expect(prompts[2]).toBe(prompts[0]);
    const first = prompts[0] ?? '';
    const examples = first.split('\n\n');
    expect(examples).toHaveLength(3);
    for (const example of examples.slice(0, 2))
      expect(example).toMatch(
        /^(Cats purr\.\nQuestion: Cats make sounds\. True or False\?\nAnswer: True|It is noon\.\nQuestion: It is night\. True or False\?\nAnswer: False|Ann sings\.\nQuestion: Ann is silent\. True or False\?\nAnswer: False|Rain fell\.\nQuestion: The ground got wet\. True or False\?\nAnswer: True)$/,
      );
    expect(examples[0]).not.toBe(examples[1]);
    expect(examples[2]?.startsWith('Bob ran.\nQuestion: Bob moved. True or False?\nAnswer: ')).toBe(true);
  });
});

describe('benchmark usage errors', () => {
  const DATA = DATA_DIR;
  it.each([
    [['--benchmark', 'mmlux'], 'error[BENCHMARK_UNKNOWN]', 'known: glue, superglue'],
    [
      ['--benchmark', 'mmlu', '--subjects', 'astrology'],
      'error[MMLU_SUBJECT_UNKNOWN]',
      'subjects are: abstract_algebra',
    ],
    [['--benchmark', 'cola', '--split', 'test'], 'error[SPLIT_UNKNOWN]', '--split validation'],
    [
      ['--benchmark', 'mmlu', '--subjects', 'anatomy', '--fewshot', '6'],
      'error[FEWSHOT_TOO_MANY]',
      '--fewshot 5 or less',
    ],
    [['--benchmark', 'boolq', '--mode', 'vibes'], 'error[FLAG_INVALID]', 'loglikelihood, choice, generate'],
  ])('%j', async (args, code, hint) => {
    const result = await runCli([
      'eval',
      ...args,
      '--data-dir',
      DATA,
      '--offline',
      '--url',
      'http://127.0.0.1:9/v1',
      '--model',
      'm',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(code);
    expect(result.stderr).toContain(hint);
  });
});
