/**
 * Two gaps in durable-functions 3.x's entity wrapper (lib/src/entities/Entity.js) that the local
 * runtime closes without touching user code:
 *
 * 1. A throwing operation is recorded as `JSON.stringify(error)`, which is "{}" for an Error, so
 *    the real message and stack are lost. We keep the thrown value, keyed by the operation's
 *    request id, for the runtime to log.
 * 2. The wrapper does not roll back what a failing operation did: a `setState` before the throw
 *    stays in the batch state, and its `signalEntity` calls stay in the outbox. We restore the
 *    state, the exists flag and the outbox to what they were when the operation started, which is
 *    what the extension guarantees for .NET entities ("a failed operation has no effect").
 *
 * Both are done by wrapping `Entity.prototype.getCurrentDurableEntityContext`, which the wrapper
 * calls through `this` once per operation, just before it calls the user function. Patching the
 * prototype reaches Entity instances created before or after this module loads, so the host need
 * not install anything before it loads the app.
 */
interface BatchState {
  entityExists: boolean;
  entityState: string | undefined;
  signals: unknown[];
}

interface BindingInfo {
  batch: { id: string }[];
}

type UserEntityFunction = ((context: { df?: unknown }) => unknown) & { [WRAPPED]?: true };

interface EntityInstance {
  fn: UserEntityFunction;
}

interface EntityPrototype {
  getCurrentDurableEntityContext(this: EntityInstance, bindingInfo: BindingInfo, batchState: BatchState, requestIndex: number, startTime: Date): object;
}

interface OperationStart {
  readonly batchState: BatchState;
  readonly requestId: string | undefined;
  readonly entityExists: boolean;
  readonly entityState: string | undefined;
  readonly signalCount: number;
}

const WRAPPED = Symbol.for('tradingtower.local-durable.wrapped-entity-fn');
const PATCHED = Symbol.for('tradingtower.local-durable.patched-entity-prototype');

/** One entry per operation context object the wrapper hands to user code. */
const operationStarts = new WeakMap<object, OperationStart>();
/** Thrown values by request id; the runtime takes them after each batch. */
const capturedErrors = new Map<string, unknown>();

let guardActive: boolean | undefined;

/**
 * Patches the entity wrapper once per process (module registry). Returns false when the library's
 * internals changed shape; the runtime then logs the wrapper's "{}" and warns that failed
 * operations are not rolled back.
 */
export function installEntityOperationGuard(): boolean {
  if (guardActive !== undefined) return guardActive;
  guardActive = patchEntityPrototype();
  return guardActive;
}

/** Returns and forgets what the operation with this request id threw, if it threw. */
export function takeOperationError(requestId: string): { captured: true; error: unknown } | { captured: false } {
  if (!capturedErrors.has(requestId)) return { captured: false };
  const error = capturedErrors.get(requestId);
  capturedErrors.delete(requestId);
  return { captured: true, error };
}

function patchEntityPrototype(): boolean {
  let prototype: Partial<EntityPrototype> & { [PATCHED]?: true };
  try {
    // A plain require, so the patch reaches the same module instance the app gets (also under jest).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const entityModule = require('durable-functions/lib/src/entities/Entity') as { Entity?: { prototype: Partial<EntityPrototype> & { [PATCHED]?: true } } };
    if (!entityModule.Entity) return false;
    prototype = entityModule.Entity.prototype;
  } catch {
    return false;
  }
  if (prototype[PATCHED]) return true;
  const original = prototype.getCurrentDurableEntityContext;
  if (typeof original !== 'function') return false;

  prototype.getCurrentDurableEntityContext = function guardedContext(this: EntityInstance, bindingInfo, batchState, requestIndex, startTime) {
    const df = original.call(this, bindingInfo, batchState, requestIndex, startTime);
    if (typeof this.fn === 'function' && !this.fn[WRAPPED]) this.fn = wrapUserFunction(this.fn);
    operationStarts.set(df, {
      batchState,
      requestId: bindingInfo.batch[requestIndex]?.id,
      entityExists: batchState.entityExists,
      entityState: batchState.entityState,
      signalCount: batchState.signals.length,
    });
    return df;
  };
  prototype[PATCHED] = true;
  return true;
}

function wrapUserFunction(fn: UserEntityFunction): UserEntityFunction {
  const wrapped: UserEntityFunction = async (context) => {
    // The wrapper assigns context.df right before this call; keep that object, user code may reassign.
    const df = context.df;
    try {
      return await fn(context);
    } catch (error) {
      const start = typeof df === 'object' && df !== null ? operationStarts.get(df) : undefined;
      if (start) {
        start.batchState.entityExists = start.entityExists;
        start.batchState.entityState = start.entityState;
        start.batchState.signals.length = start.signalCount;
        if (start.requestId !== undefined) capturedErrors.set(start.requestId, error);
      }
      throw error;
    }
  };
  wrapped[WRAPPED] = true;
  return wrapped;
}
