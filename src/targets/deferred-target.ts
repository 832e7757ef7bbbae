import type { Exchange, TargetDescription, TargetRequest } from '../core/types.js';
import type { SendContext, Target } from './target.js';

/**
 * A target whose real target is built on first use (a server to start, a module to import): the run's first check
 * builds it, and every request and the close go to it. Subclasses say how to build it and describe themselves.
 */
export abstract class DeferredTarget implements Target {
  abstract readonly kind: string;
  scoresContinuations = false;
  private inner: Promise<Target> | null = null;

  /** Builds the real target; called once. */
  protected abstract build(): Promise<Target>;

  abstract describe(): TargetDescription;

  protected target(): Promise<Target> {
    this.inner ??= this.build();
    return this.inner;
  }

  async checkReachable(): Promise<void> {
    await (await this.target()).checkReachable();
  }

  async send(request: TargetRequest, context: SendContext): Promise<Exchange> {
    return (await this.target()).send(request, context);
  }

  async close(): Promise<void> {
    if (this.inner !== null) await (await this.inner).close();
  }
}
