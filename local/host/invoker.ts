/**
 * Runs one invocation the way the Node worker does: the library's own programming model turns
 * RPC-shaped input data into handler arguments and the result back into RPC output, and the
 * registered pre/post invocation hooks wrap the call.
 */
import { randomUUID } from 'node:crypto';
import type { CapturedApp, Registration } from './functions-core-shim.js';

export interface RpcInput {
  name: string;
  data: Record<string, unknown>;
}

export interface InvocationOutcome {
  returnValue?: unknown;
  outputData?: unknown[];
  error?: unknown;
}

export type HostLog = (level: string, functionName: string, message: string) => void;

export async function invokeFunction(
  app: CapturedApp,
  registration: Registration,
  inputData: RpcInput[],
  triggerMetadata: Record<string, unknown>,
  log: HostLog,
): Promise<InvocationOutcome> {
  const model = app.programmingModel;
  if (!model) throw new Error('The app registered functions without setting a programming model.');
  const invocationId = randomUUID();
  const coreContext = {
    invocationId,
    request: { invocationId, functionId: registration.metadata.name, inputData, triggerMetadata },
    metadata: registration.metadata,
    state: 'preInvocationHooks' as 'preInvocationHooks' | 'invocation' | 'postInvocationHooks',
    log: (level: string, _category: string, message: string) => log(level, registration.metadata.name, message),
  };
  const invocationModel = model.getInvocationModel(coreContext);
  const { context, inputs } = await invocationModel.getArguments();
  const hookData: Record<string, unknown> = {};
  const pre = { invocationContext: context, inputs, functionCallback: registration.callback, hookData, appHookData: appHookData(app) };
  for (const hook of app.hooks.get('preInvocation') ?? []) await hook(pre);

  coreContext.state = 'invocation';
  let result: unknown;
  let error: unknown;
  try {
    result = await invocationModel.invokeFunction(context, pre.inputs, pre.functionCallback);
  } catch (e) {
    error = e;
  }
  coreContext.state = 'postInvocationHooks';
  const post = { invocationContext: context, inputs: pre.inputs, result, error, hookData, appHookData: appHookData(app) };
  for (const hook of app.hooks.get('postInvocation') ?? []) await hook(post);
  if (post.error !== undefined && post.error !== null) return { error: post.error };
  const response = await invocationModel.getResponse(context, post.result);
  return { returnValue: response.returnValue, outputData: response.outputData };
}

const appHookStore = new WeakMap<CapturedApp, Record<string, unknown>>();
export function appHookData(app: CapturedApp): Record<string, unknown> {
  let data = appHookStore.get(app);
  if (!data) {
    data = {};
    appHookStore.set(app, data);
  }
  return data;
}
