import type { TargetRequest } from '../core/types.js';

const LIMIT = 100_000;

/** Encoded request bodies by prompt id: a load test cycles through a fixed set of prompts, so each is serialized once. Negative ids mark one-off requests, never cached. */
export class BodyCache {
  private readonly bodies = new Map<number, string>();

  constructor(private readonly encode: (request: TargetRequest) => string) {}

  bodyFor(request: TargetRequest): string {
    if (request.promptId < 0) return this.encode(request);
    let body = this.bodies.get(request.promptId);
    if (body === undefined) {
      body = this.encode(request);
      if (this.bodies.size >= LIMIT) this.bodies.clear();
      this.bodies.set(request.promptId, body);
    }
    return body;
  }
}
