import { isAbsolute, resolve } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { Problem } from '../../core/errors.js';
import type { ScorerConfig } from '../suite-schema.js';
import type { RetryPolicy } from '../retry.js';
import { ChoiceExtractor, ChoiceScorer } from './choice.js';
import { CustomScorer } from './custom.js';
import { CostScorer, LatencyScorer } from './efficiency-scorers.js';
import { JudgeScorer } from './judge.js';
import { ReferenceAnswers } from './reference.js';
import type { Scorer } from './scorer.js';
import { JsonSchemaScorer, JsonScorer, NumericScorer } from './structured-scorers.js';
import { ContainsScorer, EqualsScorer, LengthScorer, RegexScorer, SimilarityScorer } from './text-scorers.js';

export interface ScorerContext {
  baseDir: string;
  where: (path: readonly PropertyKey[]) => string;
  retry: RetryPolicy;
}

export interface BuiltScorers {
  scorers: Scorer[];
  /** Variables the scorers' templates need from every case. */
  variables: { scorer: string; names: string[] }[];
  /** Scorers that compare with the expected column. */
  needExpected: string[];
  problems: Problem[];
}

function uniqueName(wanted: string, taken: Set<string>): string {
  let name = wanted;
  for (let i = 2; taken.has(name); i += 1) name = `${wanted}_${i}`;
  taken.add(name);
  return name;
}

/** Builds the suite's scorers, reporting every unusable one (bad regex, bad schema) at its line. */
export function createScorers(configs: readonly ScorerConfig[], context: ScorerContext): BuiltScorers {
  const taken = new Set<string>();
  const built: BuiltScorers = { scorers: [], variables: [], needExpected: [], problems: [] };
  configs.forEach((config, i) => {
    const name = uniqueName(config.name ?? config.type, taken);
    const where = context.where(['scorers', i]);
    const withReference = (value: string | undefined): ReferenceAnswers => {
      const reference = new ReferenceAnswers(value);
      if (reference.usesExpected) built.needExpected.push(name);
      else built.variables.push({ scorer: name, names: reference.variables.filter((v) => v !== 'expected') });
      return reference;
    };
    switch (config.type) {
      case 'equals':
        built.scorers.push(new EqualsScorer(name, config.weight, withReference(config.value), config));
        return;
      case 'contains':
      case 'icontains':
        built.scorers.push(new ContainsScorer(config.type, name, config.weight, withReference(config.value)));
        return;
      case 'regex': {
        try {
          built.scorers.push(new RegexScorer(name, config.weight, new RegExp(config.pattern, config.flags)));
        } catch (error) {
          built.problems.push({
            where: context.where(['scorers', i, 'pattern']),
            field: `scorers.${i}.pattern`,
            message: `not a valid regular expression: ${(error as Error).message}`,
            hint: 'patterns use JavaScript syntax; escape backslashes in YAML double quotes',
          });
        }
        return;
      }
      case 'choice':
        built.needExpected.push(name);
        built.scorers.push(new ChoiceScorer(name, config.weight, new ChoiceExtractor(config.choices, config.extract)));
        return;
      case 'json':
        built.scorers.push(new JsonScorer(name, config.weight));
        return;
      case 'json-schema': {
        try {
          const validate = new Ajv2020({ allErrors: false, strict: false }).compile(config.schema);
          built.scorers.push(new JsonSchemaScorer(name, config.weight, validate));
        } catch (error) {
          built.problems.push({
            where: context.where(['scorers', i, 'schema']),
            field: `scorers.${i}.schema`,
            message: `not a usable JSON Schema: ${(error as Error).message}`,
          });
        }
        return;
      }
      case 'numeric':
        built.scorers.push(
          new NumericScorer(name, config.weight, withReference(config.value), config.tolerance, config.relative),
        );
        return;
      case 'length':
        if (config.min === undefined && config.max === undefined)
          built.problems.push({ where, field: `scorers.${i}`, message: 'a length scorer needs min, max or both' });
        built.scorers.push(new LengthScorer(name, config.weight, config));
        return;
      case 'latency':
        built.scorers.push(new LatencyScorer(name, config.weight, config.max, config.metric));
        return;
      case 'cost':
        built.scorers.push(new CostScorer(name, config.weight, config.max));
        return;
      case 'similarity':
        built.scorers.push(
          new SimilarityScorer(name, config.weight, withReference(config.value), config.metric, config.min),
        );
        return;
      case 'judge': {
        const judge = new JudgeScorer(name, config.weight, config, context.retry);
        const provided = new Set(['rubric', 'input', 'output', 'expected', 'scale_min', 'scale_max']);
        built.variables.push({ scorer: name, names: judge.templateVariables.filter((v) => !provided.has(v)) });
        built.scorers.push(judge);
        return;
      }
      case 'custom': {
        const path = isAbsolute(config.module) ? config.module : resolve(context.baseDir, config.module);
        built.scorers.push(new CustomScorer(name, config.weight, path, config.export, where));
        return;
      }
    }
  });
  return built;
}
