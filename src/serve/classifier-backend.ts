import { InvalidModelInput } from '../models/classifier.js';
import type { TrainedModel } from '../models/train-model.js';
import {
  BadModelRequest,
  type GenerationRequest,
  type GenerationResult,
  type ModelBackend,
  type ServedModelInfo,
  type TokenLogprob,
} from './model-backend.js';

/**
 * Serves a trained classifier: the input is the last user message (chat) or the prompt (completions), the answer is
 * the predicted label, and the log-probabilities are those of the labels. Usage counts the units the model reads
 * (words, or feature values) as prompt tokens and the label as one completion token.
 */
export class ClassifierBackend implements ModelBackend {
  readonly id: string;
  readonly details: ServedModelInfo;

  constructor(private readonly model: TrainedModel) {
    this.id = model.name;
    this.details = {
      kind: 'classifier',
      description: model.classifier.description,
      dataset: model.dataset,
      labels: model.classifier.labels,
      trainMs: Math.round(model.trainMs),
      validationAccuracy: model.validationAccuracy,
      validationExamples: model.validationCount,
      split: model.splitSizes,
    };
  }

  generate(
    request: GenerationRequest,
    prompt: string,
    onText: (piece: string, logprob: TokenLogprob | null) => void,
  ): Promise<GenerationResult> {
    const input = request.endpoint === 'chat' ? lastUserMessage(request.messages ?? []) : prompt;
    let prediction;
    try {
      prediction = this.model.classifier.predict(input);
    } catch (error) {
      if (error instanceof InvalidModelInput) throw new BadModelRequest(`${this.id}: ${error.message}`);
      throw error;
    }
    const { labels } = this.model.classifier;
    const ranked = labels
      .map((token, c) => ({ token, logprob: Math.log(prediction.probabilities[c] ?? 0) }))
      .sort((a, b) => (b.logprob > a.logprob ? 1 : b.logprob < a.logprob ? -1 : 0));
    const own = ranked.find((r) => r.token === prediction.label);
    const logprob: TokenLogprob | null =
      request.topLogprobs === null
        ? null
        : {
            token: prediction.label,
            logprob: own?.logprob ?? null,
            top: ranked.slice(0, Math.max(1, request.topLogprobs)),
            offset: 0,
          };
    onText(prediction.label, logprob);
    return Promise.resolve({
      text: prediction.label,
      promptTokens: this.model.classifier.inputUnits(input),
      completionTokens: 1,
      finishReason: 'stop',
      logprobs: logprob === null ? null : [logprob],
    });
  }
}

function lastUserMessage(messages: readonly { role: string; content: string }[]): string {
  for (let i = messages.length - 1; i >= 0; i -= 1) if (messages[i]?.role === 'user') return messages[i]?.content ?? '';
  throw new BadModelRequest('a classifier reads the last user message, and there is none');
}
