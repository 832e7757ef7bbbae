import type { EvalCase } from '../eval/cases.js';
import { MMLU_SUBJECTS } from './mmlu/subjects.js';
import type { LoadedTask, TaskDoc } from './task.js';

/** How a benchmark asks for an answer. */
export { SCORING_MODES, type ScoringMode } from '../eval/scoring-mode.js';

/** One document of one task, with the two prompts it can be asked with. */
export interface BenchmarkCase {
  task: LoadedTask;
  doc: TaskDoc;
  /** `loglikelihood`: description, few-shot examples (each with its gold choice) and the document's text. */
  context: string;
  /** `choice` and `generate`: the same with the documents' ask-texts and labels. */
  ask: string;
}

/** A regression task's answer in a few-shot example: its gold value on the scale. */
function goldAnswer(doc: TaskDoc, asLabel: boolean): string {
  const index = doc.gold[0];
  if (index === undefined) return doc.goldValue === undefined ? '' : String(Math.round(doc.goldValue));
  return (asLabel ? doc.labels[index] : doc.choices[index]) ?? '';
}

/**
 * Builds the prompts as lm-evaluation-harness does: `description + example₁ + Δ + … + exampleₖ + Δ + text`, where
 * each example is its text, the target delimiter and its gold answer, and Δ the few-shot delimiter.
 */
export function benchmarkCase(task: LoadedTask, doc: TaskDoc, fewshot: number): BenchmarkCase {
  const examples = fewshot > 0 ? task.fewshot(doc, fewshot) : [];
  const assemble = (pick: (d: TaskDoc) => string, asLabel: boolean): string => {
    const shots = examples.map((e) => `${pick(e)}${task.targetDelimiter}${goldAnswer(e, asLabel)}`);
    return task.description(doc) + [...shots, pick(doc)].join(task.fewshotDelimiter);
  };
  const context = assemble((d) => d.text, false);
  const hasAsk = doc.askText !== undefined || examples.some((e) => e.askText !== undefined);
  const ask = hasAsk
    ? assemble((d) => d.askText ?? d.text, true)
    : examples.length === 0
      ? context
      : assemble((d) => d.text, true);
  return { task, doc, context, ask };
}

/** The eval case the runner sends and stores: id `task/doc`, tags for per-task and per-subject pass rates. */
export function evalCaseOf(item: BenchmarkCase, index: number): EvalCase {
  const { task, doc } = item;
  const subject = doc.subject;
  const category = subject === undefined ? undefined : MMLU_SUBJECTS[subject];
  const expected = doc.gold.length > 0 ? doc.gold.map((g) => doc.labels[g] ?? '') : [String(doc.goldValue ?? '')];
  return {
    id: `${task.name}/${doc.id}`,
    index,
    where: doc.where,
    vars: {},
    expected,
    tags: [task.name, ...(subject === undefined ? [] : [subject]), ...(category === undefined ? [] : [category])],
    weight: 1,
  };
}
