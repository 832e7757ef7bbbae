import type { Command } from 'commander';
import { messageOf, type Problem } from '../../core/errors.js';
import { checkTcpReachable } from '../../targets/http-transport.js';
import { parseBytes, parseDurationMs, parseFraction } from '../../core/units.js';
import { ProxySession } from '../../proxy/proxy-session.js';
import { Redactor } from '../../proxy/redaction.js';
import { LONG_RUNNING_PAGE_CACHE_KIB, openStore } from '../../store/open-store.js';
import type { Store } from '../../store/store.js';
import type { GlobalOptions } from '../global-options.js';
import { parseSlo } from '../../efficiency/thresholds.js';
import type { Slo } from '../../efficiency/slo.js';
import { MEASURING_THREAD_NICE_STEPS, startProxy } from '../../proxy/proxy-server.js';
import { lowerThreadPriority } from '../../core/thread-priority.js';
import { parseMeasuredEndpoint, type MeasuredEndpoint } from '../../proxy/inference-call.js';
import { loadClientTokenizer } from '../../tokens/client-tokenizer.js';
import { collect, listenAddress } from '../flags.js';
import { MonitorMetrics } from '../../prometheus/monitor-metrics.js';
import { flagProblemsError, monitoringOptions, monitoringSettings, type MonitoringFlags } from './proxy-monitoring.js';

interface ProxyFlags extends MonitoringFlags {
  upstream?: string;
  listen: string;
  slo: string[];
  metricsPath: string;
  timeout: string;
  maxConnections: string;
  sample?: string;
  redact: string[];
  redactField: string[];
  sampleBudget: string;
  seed: string;
  measure: string[];
}

function upstreamUrl(text: string | undefined): URL | string {
  if (text === undefined) return 'missing';
  try {
    const url = new URL(text);
    return url.protocol === 'http:' ? url : `'${url.protocol}' is not supported (plain http only)`;
  } catch {
    return `'${text}' is not a URL`;
  }
}

/** `yardstick proxy`: measure live traffic to a model server and export it to Prometheus. */
export function registerProxy(program: Command, globals: () => GlobalOptions): void {
  const command = program
    .command('proxy')
    .description(
      'pass traffic through to an OpenAI-compatible server unchanged, measuring every chat and completions call (and --measure paths of any JSON API) as Prometheus metrics; with a reference, drift of the sampled requests window by window; with a capacity, the replicas the load needs',
    )
    .option('--upstream <url>', 'the server requests go to, e.g. http://127.0.0.1:8080')
    .option('--listen <host:port>', 'where clients connect (port 0 picks a free one)', '127.0.0.1:8089')
    .option('--slo <expr>', "per-request objective for goodput, repeatable, e.g. 'ttft < 500ms'", collect, [])
    .option('--metrics-path <path>', 'the path that answers with the metrics instead of being forwarded', '/metrics')
    .option('--timeout <duration>', 'cut a request still running after this long', '10m')
    .option('--max-connections <n>', 'keep-alive connections to the upstream at most', '256')
    .option(
      '--sample <share>',
      "keep this share of measured requests and their answers in the store, e.g. '1%' (off by default)",
    )
    .option(
      '--redact <regex>',
      'replace every match in kept requests and answers with [redacted], repeatable',
      collect,
      [],
    )
    .option(
      '--redact-field <name>',
      'replace the value of this JSON field (any depth) with [redacted], repeatable',
      collect,
      [],
    )
    .option('--sample-budget <size>', 'stop sampling once the kept samples reach this size', '100MB')
    .option('--seed <n>', 'seed of the sampling draws', '1')
    .option(
      '--measure <path=output>',
      "also measure POSTs to this path of a JSON API, its answer at the output path, e.g. '/predict=label' (repeatable)",
      collect,
      [],
    );
  monitoringOptions(command)
    .addHelpText(
      'after',
      `
Examples:
  yardstick proxy --upstream http://127.0.0.1:8080 --listen 127.0.0.1:8089 --slo 'ttft < 500ms' --slo 'tpot < 50ms'
  yardstick proxy --upstream http://127.0.0.1:8080 --sample 1% --redact '[\\w.+-]+@[\\w-]+\\.[\\w.]+' --redact-field user
  yardstick proxy --upstream http://127.0.0.1:8080 --sample 5% --reference prompts.jsonl --window 1h \\
    --capacity 20261128-045720-d81e --capacity-slo 'p95(ttft) < 500ms' --replicas 2
  # then send clients to http://127.0.0.1:8089/v1 and scrape http://127.0.0.1:8089/metrics`,
    )
    .action(async (flags: ProxyFlags) => {
      const problems: Problem[] = [];
      const upstream = upstreamUrl(flags.upstream);
      if (typeof upstream === 'string')
        problems.push({
          where: 'command line',
          field: '--upstream',
          message: upstream === 'missing' ? 'the server to pass traffic to is missing' : upstream,
          hint: 'e.g. --upstream http://127.0.0.1:8080',
        });
      const listen = listenAddress(flags.listen);
      if (listen === null)
        problems.push({
          where: 'command line',
          field: '--listen',
          message: `'${flags.listen}' is not host:port`,
          hint: 'e.g. --listen 127.0.0.1:8089, or --listen 0.0.0.0:8089 to take connections from other machines',
        });
      const slos: Slo[] = [];
      flags.slo.forEach((expr, i) => {
        const parsed = parseSlo(expr);
        if (parsed.ok && (parsed.value.metric === 'scheduleLag' || parsed.value.metric === 'e2eFromIntended'))
          problems.push({
            where: 'command line',
            field: `--slo[${i}]`,
            message: `${parsed.value.metric} needs an intended send time, which live traffic does not have`,
            hint: "use e2e, ttft, ttfo or tpot, e.g. 'e2e < 10s'",
          });
        else if (parsed.ok) slos.push(parsed.value);
        else problems.push({ where: 'command line', field: `--slo[${i}]`, message: parsed.message, hint: parsed.hint });
      });
      const timeoutMs = parseDurationMs(flags.timeout);
      if (timeoutMs === null || timeoutMs <= 0)
        problems.push({
          where: 'command line',
          field: '--timeout',
          message: `'${flags.timeout}' is not a duration`,
          hint: 'e.g. --timeout 5m',
        });
      const maxConnections = Number(flags.maxConnections);
      if (!Number.isInteger(maxConnections) || maxConnections < 1)
        problems.push({
          where: 'command line',
          field: '--max-connections',
          message: `'${flags.maxConnections}' is not a positive integer`,
          hint: 'e.g. --max-connections 64',
        });
      if (!flags.metricsPath.startsWith('/'))
        problems.push({
          where: 'command line',
          field: '--metrics-path',
          message: `'${flags.metricsPath}' is not a path`,
          hint: 'e.g. --metrics-path /metrics',
        });
      const sampleShare = flags.sample === undefined ? null : parseFraction(flags.sample);
      if (flags.sample !== undefined && (sampleShare === null || sampleShare <= 0 || sampleShare > 1))
        problems.push({
          where: 'command line',
          field: '--sample',
          message: `'${flags.sample}' is not a share above 0% and at most 100%`,
          hint: 'e.g. --sample 1% or --sample 0.05',
        });
      const patterns: RegExp[] = [];
      flags.redact.forEach((source, i) => {
        try {
          patterns.push(new RegExp(source));
        } catch (error) {
          problems.push({
            where: 'command line',
            field: `--redact[${i}]`,
            message: messageOf(error),
            hint: "write a JavaScript regular expression, e.g. --redact '\\b\\d{16}\\b'",
          });
        }
      });
      const budgetBytes = parseBytes(flags.sampleBudget);
      if (budgetBytes === null || budgetBytes <= 0)
        problems.push({
          where: 'command line',
          field: '--sample-budget',
          message: `'${flags.sampleBudget}' is not a size`,
          hint: 'e.g. --sample-budget 500MB',
        });
      const measured: MeasuredEndpoint[] = [];
      flags.measure.forEach((text, i) => {
        const endpoint = parseMeasuredEndpoint(text);
        if (endpoint === null)
          problems.push({
            where: 'command line',
            field: `--measure[${i}]`,
            message: `'${text}' is not PATH=OUTPUT_PATH`,
            hint: "e.g. --measure '/predict=label' or --measure '/v1/generate=results[0].text'",
          });
        else measured.push(endpoint);
      });
      const seed = Number(flags.seed);
      if (!Number.isInteger(seed))
        problems.push({
          where: 'command line',
          field: '--seed',
          message: `'${flags.seed}' is not an integer`,
          hint: 'e.g. --seed 7',
        });
      const monitoring = await monitoringSettings(flags, sampleShare !== null, globals().store, problems);
      if (problems.length > 0 || typeof upstream === 'string' || listen === null || timeoutMs === null)
        throw flagProblemsError(problems);
      let session: ProxySession | null = null;
      let store: Store | null = null;
      const report = (message: string): void => {
        process.stderr.write(`yardstick proxy: ${message}\n`);
      };
      const proxy = await startProxy({
        upstream,
        host: listen.host,
        port: listen.port,
        slos,
        metricsPath: flags.metricsPath,
        maxConnections,
        timeoutMs,
        measured,
        tokenizer: await loadClientTokenizer(),
        onOwnError: report,
        onExchange: (exchange, labels, body, good) => session?.measured(exchange, labels, body, good),
        keepRequestBodies: sampleShare !== null,
        onPassThrough: () => session?.passedThrough(),
      });
      // Forwarding runs on a thread of its own, started by now; this one measures, and gives way to it for a core.
      lowerThreadPriority(MEASURING_THREAD_NICE_STEPS);
      const monitorMetrics =
        monitoring.drift === null && monitoring.capacity === null ? null : new MonitorMetrics(proxy.metrics.registry);
      try {
        store = openStore(globals().store, { pageCacheKib: LONG_RUNNING_PAGE_CACHE_KIB });
        session = await ProxySession.open({
          store,
          upstream,
          listen: proxy.url,
          slos: slos.map((s) => s.expr),
          config: {
            upstream: upstream.href,
            listen: flags.listen,
            slo: flags.slo,
            sample: flags.sample ?? null,
            redact: flags.redact,
            redactField: flags.redactField,
            sampleBudget: flags.sampleBudget,
            seed,
            measure: flags.measure,
            reference: flags.reference ?? null,
            window: flags.window,
            windowMinRows: flags.windowMinRows,
            windowMaxRows: flags.windowMaxRows,
            driftMethod: flags.driftMethod,
            capacity: flags.capacity ?? null,
            capacitySlo: flags.capacitySlo,
            headroom: flags.headroom,
            replicas: flags.replicas ?? null,
          },
          drift: monitoring.drift,
          capacity: monitoring.capacity,
          metrics: monitorMetrics,
          sampling:
            sampleShare === null
              ? null
              : {
                  share: sampleShare,
                  budgetBytes: budgetBytes ?? 0,
                  redactor: new Redactor({ patterns, fields: flags.redactField }),
                  seed,
                },
          flushIntervalMs: 1000,
          onError: (message) => {
            proxy.metrics.ownError('sample');
            report(message);
          },
        });
      } catch (error) {
        // The traffic passes through all the same; only the run (and its samples) go unrecorded.
        report(`the run is not recorded: ${messageOf(error)}`);
      }
      process.stdout.write(`${proxy.url}\n`);
      await checkTcpReachable(upstream, 2000).catch((error: unknown) =>
        process.stderr.write(
          `warning: ${messageOf(error)}; requests get 502 from the proxy until the upstream answers\n`,
        ),
      );
      process.stderr.write(
        `passing traffic to ${upstream.href}; Prometheus metrics at ${proxy.url}${flags.metricsPath}${session === null ? '' : `; run ${session.runId}`} (Ctrl-C stops)\n`,
      );
      await new Promise<void>((resolve) => {
        const stop = (): void => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await proxy.close();
      await session?.close();
      await store?.close();
    });
}
