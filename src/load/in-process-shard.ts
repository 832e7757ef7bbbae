import { usageError } from '../core/errors.js';
import { MetricsRecorder, type RecorderState } from '../efficiency/recorder.js';
import { createTarget } from '../targets/registry.js';
import type { Target } from '../targets/target.js';
import { loadClientTokenizer } from '../tokens/client-tokenizer.js';
import { createInputSource } from './inputs/create.js';
import { runShard, type ShardInputs, type ShardProgress, type ShardSpec } from './shard.js';
import { TracePrompts } from './trace/trace-prompts.js';
import type { ShardHost, ShardSetup, ShardSnapshot } from './shard-host.js';

/** A shard that runs on the calling thread. */
export class InProcessShard implements ShardHost {
  private controller = new AbortController();
  private progress: ShardProgress = { sent: 0, inFlight: 0 };
  private recorder: MetricsRecorder | null = null;

  private constructor(
    private readonly target: Target,
    private readonly inputs: ShardInputs,
    private readonly ownsTarget: boolean,
  ) {}

  /**
   * Builds the shard's inputs, and its target from the config unless the caller brings its own (which the shard
   * uses but never closes); throws YardstickError on bad config or data.
   */
  static async create(setup: ShardSetup, own?: Target): Promise<InProcessShard> {
    const { config: run, traceVocabulary } = setup;
    const tokenizer = await loadClientTokenizer();
    const fixedOutputLength = run.input.kind !== 'file' && run.input.fixedOutputLength;
    const inputs: ShardInputs = {
      source: traceVocabulary === null ? await createInputSource(run.input, tokenizer, setup.prompts) : null,
      trace: traceVocabulary === null ? null : new TracePrompts(traceVocabulary, fixedOutputLength),
      count: (text) => tokenizer.count(text),
      thinkTimeMs: run.load.thinkTime ?? 0,
      fixedOutputLength,
    };
    if (own !== undefined) return new InProcessShard(own, inputs, false);
    const config = setup.config.target;
    if (config === undefined) throw usageError('TARGET_MISSING', 'the load has no target to send to');
    return new InProcessShard(await createTarget(config, { maxConnections: setup.maxConnections }), inputs, true);
  }

  async run(spec: ShardSpec): Promise<RecorderState> {
    this.controller = new AbortController();
    this.progress = { sent: 0, inFlight: 0 };
    this.recorder = new MetricsRecorder(spec.window, spec.slos);
    const recorder = await runShard(
      spec,
      this.target,
      this.inputs,
      this.controller.signal,
      this.progress,
      this.recorder,
    );
    return recorder.serialize();
  }

  snapshot(): ShardSnapshot {
    return { sent: this.progress.sent, inFlight: this.progress.inFlight, state: this.recorder?.serialize() ?? null };
  }

  stop(): void {
    this.controller.abort();
  }

  close(): Promise<void> {
    return this.ownsTarget ? this.target.close() : Promise.resolve();
  }
}
