import { MetricsRecorder, type RecorderState } from '../efficiency/recorder.js';
import { createTarget } from '../targets/registry.js';
import type { Target } from '../targets/target.js';
import { loadClientTokenizer } from '../tokens/client-tokenizer.js';
import { createInputSource } from './inputs/create.js';
import type { InputSource } from './inputs/input-source.js';
import { runShard, type ShardProgress, type ShardSpec } from './shard.js';
import type { ShardHost, ShardSetup, ShardSnapshot } from './shard-host.js';

/** A shard that runs on the calling thread. */
export class InProcessShard implements ShardHost {
  private controller = new AbortController();
  private progress: ShardProgress = { sent: 0, inFlight: 0 };
  private recorder: MetricsRecorder | null = null;

  private constructor(
    private readonly target: Target,
    private readonly inputs: InputSource,
  ) {}

  /** Builds the shard's target and inputs; throws YardstickError on bad config or data. */
  static async create(setup: ShardSetup): Promise<InProcessShard> {
    const tokenizer = await loadClientTokenizer();
    const inputs = createInputSource(setup.config.input, tokenizer, setup.prompts);
    const target = await createTarget(setup.config.target, { maxConnections: setup.maxConnections });
    return new InProcessShard(target, inputs);
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
    return this.target.close();
  }
}
