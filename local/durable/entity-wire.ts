/**
 * The wire shapes between the Durable Task extension and durable-functions 3.x's entity wrapper
 * (lib/src/entities/Entity.js): the trigger input the wrapper reads and the output it returns.
 * State and inputs travel as JSON *strings*, exactly as the extension sends them.
 */
import { z } from 'zod';

export interface EntityBatchOperation {
  /** Request id; the wrapper copies it into `requestId` of signals the operation emits. */
  readonly id: string;
  readonly name: string;
  readonly signal: boolean;
  /** JSON text, or undefined for no input (`ctx.df.getInput()` then returns undefined). */
  readonly input: string | undefined;
}

export interface EntityTriggerInput {
  readonly self: { readonly name: string; readonly key: string };
  readonly exists: boolean;
  readonly state: string | undefined;
  readonly batch: readonly EntityBatchOperation[];
}

const operationResultSchema = z.object({
  isError: z.boolean(),
  result: z.string().optional(),
  duration: z.number().optional(),
  startTime: z.number().optional(),
});

const emittedSignalSchema = z.object({
  target: z.object({ name: z.string(), key: z.string() }),
  name: z.string(),
  /** The wrapper writes "" when the operation passed no input. */
  input: z.string().optional(),
});

export const entityBatchOutputSchema = z.object({
  entityExists: z.boolean(),
  entityState: z.string().optional(),
  results: z.array(operationResultSchema.nullable()),
  signals: z.array(emittedSignalSchema),
});

export type EntityBatchOutput = z.infer<typeof entityBatchOutputSchema>;
export type EmittedSignal = z.infer<typeof emittedSignalSchema>;

/**
 * The captured handler returns the wrapper's object; a host that routes the call through the
 * programming model (to run invocation hooks) gets RPC typed data (`{ json }` or `{ string }`) or the
 * JSON text instead, so all of these are accepted.
 */
export function parseEntityBatchOutput(raw: unknown): { ok: true; value: EntityBatchOutput } | { ok: false; message: string } {
  let candidate = raw;
  const text = typeof raw === 'string' ? raw : rpcText(raw);
  if (text !== undefined) {
    try {
      candidate = JSON.parse(text);
    } catch {
      return { ok: false, message: 'the entity function returned a string that is not JSON' };
    }
  }
  const parsed = entityBatchOutputSchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, message: `the entity function returned an unexpected shape (${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'})` };
  }
  return { ok: true, value: parsed.data };
}

function rpcText(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const typed = raw as { json?: unknown; string?: unknown };
  if (typeof typed.json === 'string') return typed.json;
  if (typeof typed.string === 'string') return typed.string;
  return undefined;
}
