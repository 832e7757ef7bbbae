import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { usageError, type Problem } from '../../core/errors.js';
import { parseDurationMs } from '../../core/units.js';
import type { Slo } from '../../efficiency/slo.js';
import { parseSlo } from '../../efficiency/thresholds.js';
import { alertRulesYaml, isLiveSlo } from '../../prometheus/alert-rules.js';
import { collect } from '../flags.js';

interface AlertFlags {
  slo: string[];
  quantile: string;
  objective: string;
  errorRatio: string;
  for: string;
  window: string;
  output?: string;
}

function share(field: string, text: string, problems: Problem[], example: string): number {
  const value = Number(text);
  if (Number.isFinite(value) && value > 0 && value < 1) return value;
  problems.push({
    where: 'command line',
    field,
    message: `'${text}' is not a share strictly between 0 and 1`,
    hint: `e.g. ${field} ${example}`,
  });
  return 0.5;
}

/** `yardstick alert-rules`: Prometheus alerting rules for the proxy's metrics and a set of SLOs. */
export function registerAlertRules(program: Command): void {
  program
    .command('alert-rules')
    .description(
      "write Prometheus alerting rules over yardstick proxy's metrics: each SLO's latency quantile, the error ratio, and goodput error-budget burn over two windows",
    )
    .option(
      '--slo <expr>',
      "per-request objective, repeatable, e.g. 'ttft < 500ms' (e2e, ttft, ttfo, tpot)",
      collect,
      [],
    )
    .option('--quantile <q>', 'the latency quantile compared with each SLO', '0.95')
    .option('--objective <share>', 'share of requests that must be good (meet every SLO and not fail)', '0.99')
    .option('--error-ratio <share>', 'share of failed requests that raises the error alert', '0.05')
    .option('--window <duration>', 'the window of the latency quantiles and the error ratio', '5m')
    .option('--for <duration>', 'how long a latency or error condition lasts before it fires', '5m')
    .option('-o, --output <file>', 'write the rule file here instead of stdout')
    .addHelpText(
      'after',
      `
Examples:
  yardstick alert-rules --slo 'ttft < 500ms' --slo 'e2e < 10s' --objective 0.99 -o alerts.yaml
  promtool check rules alerts.yaml`,
    )
    .action((flags: AlertFlags) => {
      const problems: Problem[] = [];
      const slos: Slo[] = [];
      flags.slo.forEach((expr, i) => {
        const parsed = parseSlo(expr);
        if (!parsed.ok)
          problems.push({ where: 'command line', field: `--slo[${i}]`, message: parsed.message, hint: parsed.hint });
        else if (!isLiveSlo(parsed.value))
          problems.push({
            where: 'command line',
            field: `--slo[${i}]`,
            message: `the proxy exports no histogram of ${parsed.value.metric}`,
            hint: 'use e2e, ttft, ttfo or tpot',
          });
        else slos.push(parsed.value);
      });
      const quantile = share('--quantile', flags.quantile, problems, '0.95');
      const objective = share('--objective', flags.objective, problems, '0.99');
      const errorRatio = share('--error-ratio', flags.errorRatio, problems, '0.05');
      const duration = (field: string, text: string, least: number, example: string): number => {
        const ms = parseDurationMs(text);
        if (ms !== null && ms >= least) return ms;
        problems.push({
          where: 'command line',
          field,
          message: `'${text}' is not a duration of ${least === 0 ? 'zero or more' : `${least / 1000} s or more`}`,
          hint: `e.g. ${field} ${example}`,
        });
        return least;
      };
      const windowMs = duration('--window', flags.window, 1000, '5m');
      const forMs = duration('--for', flags.for, 0, '5m');
      if (problems.length > 0)
        throw usageError(
          'FLAG_INVALID',
          `the alert rules' flags have ${problems.length} problem${problems.length === 1 ? '' : 's'}`,
          'fix each one listed above (yardstick alert-rules --help)',
          problems,
        );
      const yaml = alertRulesYaml({ slos, quantile, objective, errorRatio, windowMs, forMs });
      if (flags.output === undefined) process.stdout.write(yaml);
      else writeFileSync(flags.output, yaml);
    });
}
