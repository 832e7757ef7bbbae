import type { CustomTargetConfig } from './custom-config.js';
import { messageOf, usageError } from '../core/errors.js';
import type { TargetDescription } from '../core/types.js';
import { importUserModule } from '../plugins/import-user-module.js';
import { DeferredTarget } from './deferred-target.js';
import { isTarget, type Target, type TargetOptions } from './target.js';
import { wrongKind, type TargetKind } from './target-kind.js';

/** What a target module's function receives besides the config's `options`. */
export interface TargetModuleContext {
  /** Upper bound on requests the run has in flight at once. */
  maxConnections: number;
}

type TargetFactory = (options: Record<string, unknown>, context: TargetModuleContext) => unknown;

function isFactory(value: unknown): value is TargetFactory {
  return typeof value === 'function';
}

/**
 * A target of the user's own (`kind: custom`): the module is imported, and its function called with the config's
 * `options`, when the run first checks the target; every request then goes to the target it built.
 */
export class ModuleTarget extends DeferredTarget {
  readonly kind = 'custom';
  private built: Target | null = null;

  constructor(
    private readonly config: CustomTargetConfig,
    private readonly options: TargetOptions,
  ) {
    super();
  }

  describe(): TargetDescription {
    const own = this.built?.describe();
    return {
      kind: 'custom',
      name: this.config.name ?? own?.name ?? this.config.export,
      url: own?.url ?? `module://${this.config.module}#${this.config.export}`,
      model: own?.model ?? null,
      streaming: own?.streaming ?? false,
    };
  }

  protected async build(): Promise<Target> {
    const where = `${this.config.module} (export '${this.config.export}')`;
    let exported: unknown;
    try {
      exported = (await importUserModule(this.config.module))[this.config.export];
    } catch (error) {
      throw usageError('TARGET_MODULE', `cannot import the target module ${this.config.module}: ${messageOf(error)}`);
    }
    if (!isFactory(exported))
      throw usageError(
        'TARGET_MODULE',
        `${where} is not a function`,
        'export a function (options, context) => Target, and name it with `export` in the config',
      );
    const context: TargetModuleContext = { maxConnections: this.options.maxConnections };
    const made: unknown = await Promise.resolve(exported(this.config.options, context));
    if (!isTarget(made))
      throw usageError(
        'TARGET_MODULE',
        `${where} did not return a target`,
        'return an object with describe(), checkReachable(), send(request, context) and close()',
      );
    this.built = made;
    this.scoresContinuations = made.scoresContinuations;
    return made;
  }
}

/** `kind: custom`: a target built by a function of the user's module. */
export const customTargetKind: TargetKind = {
  kind: 'custom',
  create: (config, options) =>
    config.kind === 'custom' ? new ModuleTarget(config, options) : wrongKind('custom', config),
};
