/**
 * A stand-in for `@azure/functions-core`, the module the Azure Functions Node worker injects.
 * `@azure/functions` requires it lazily on the first `app.*` call; supplying it before the app loads
 * lets us capture every registration exactly as the worker would receive it (see docs/adr/0001).
 */
import Module from 'node:module';

export interface BindingInfo {
  type: string;
  direction?: 'in' | 'out';
  name?: string;
  [key: string]: unknown;
}

export interface FunctionMetadata {
  name: string;
  bindings: Record<string, BindingInfo>;
  [key: string]: unknown;
}

export type FunctionCallback = (...args: unknown[]) => unknown;
export type HookCallback = (context: Record<string, unknown>) => unknown;

export interface CoreInvocationContext {
  invocationId: string;
  request: Record<string, unknown>;
  metadata: FunctionMetadata;
  state?: 'preInvocationHooks' | 'invocation' | 'postInvocationHooks';
  log(level: string, category: string, message: string): void;
}

export interface InvocationModel {
  getArguments(): Promise<{ context: unknown; inputs: unknown[] }>;
  invokeFunction(context: unknown, inputs: unknown[], handler: FunctionCallback): Promise<unknown>;
  getResponse(context: unknown, result: unknown): Promise<{ returnValue?: unknown; outputData?: unknown[] }>;
}

export interface ProgrammingModel {
  name: string;
  version: string;
  getInvocationModel(coreContext: CoreInvocationContext): InvocationModel;
}

export interface Registration {
  metadata: FunctionMetadata;
  callback: FunctionCallback;
}

export interface CapturedApp {
  readonly registrations: Registration[];
  readonly hooks: Map<string, HookCallback[]>;
  programmingModel: ProgrammingModel | undefined;
  /** Receives logs the library writes through the core API (`workerSystemLog`). */
  systemLog: (level: string, category: string, message: string) => void;
}

const CORE_MODULE_ID = '@azure/functions-core';
let installed: CapturedApp | undefined;

/** Installs the stand-in once per process; returns the capture the host reads after loading the app. */
export function installFunctionsCoreShim(): CapturedApp {
  if (installed) return installed;
  const capture: CapturedApp = {
    registrations: [],
    hooks: new Map(),
    programmingModel: undefined,
    systemLog: () => undefined,
  };
  const coreApi = {
    version: '4.0.0-local',
    hostVersion: '4.0.0-local',
    registerFunction(metadata: FunctionMetadata, callback: FunctionCallback) {
      if (capture.registrations.some((r) => r.metadata.name === metadata.name)) {
        throw new Error(`A function named "${metadata.name}" is already registered.`);
      }
      capture.registrations.push({ metadata, callback });
      return { dispose: () => undefined };
    },
    setProgrammingModel(model: ProgrammingModel) {
      capture.programmingModel = model;
    },
    getProgrammingModel() {
      return capture.programmingModel;
    },
    registerHook(hookName: string, callback: HookCallback) {
      const list = capture.hooks.get(hookName) ?? [];
      list.push(callback);
      capture.hooks.set(hookName, list);
      return {
        dispose: () => {
          const current = capture.hooks.get(hookName) ?? [];
          capture.hooks.set(hookName, current.filter((cb) => cb !== callback));
        },
      };
    },
    log(level: string, category: string, message: string) {
      capture.systemLog(level, category, message);
    },
    Disposable: class {
      constructor(private readonly fn: () => void) {}
      dispose(): void {
        this.fn();
      }
    },
  };

  const moduleInternals = Module as unknown as {
    _resolveFilename: (request: string, ...rest: unknown[]) => string;
    _cache: Record<string, unknown>;
  };
  const originalResolve = moduleInternals._resolveFilename;
  moduleInternals._resolveFilename = function resolveWithCore(request: string, ...rest: unknown[]): string {
    if (request === CORE_MODULE_ID) return CORE_MODULE_ID;
    return originalResolve.call(this, request, ...rest);
  };
  const cached = new Module(CORE_MODULE_ID);
  cached.exports = coreApi;
  cached.loaded = true;
  moduleInternals._cache[CORE_MODULE_ID] = cached;
  installed = capture;
  return capture;
}
