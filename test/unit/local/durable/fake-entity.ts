/**
 * Test doubles that speak the entity wrapper's wire format (see local/durable/entity-wire.ts)
 * without durable-functions, so queue and batch semantics can be observed directly.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EntityHandler } from '../../../../local/durable/local-durable-runtime.js';
import type { EntityTriggerInput } from '../../../../local/durable/entity-wire.js';

export interface FakeOperation {
  readonly key: string;
  readonly op: string;
  readonly input: unknown;
}

export interface FakeSignal {
  readonly name: string;
  readonly key: string;
  readonly op: string;
  readonly input?: unknown;
}

export type FakeApply = (state: unknown, operation: FakeOperation) => { state: unknown; signals?: FakeSignal[]; fail?: boolean };

export interface FakeEntity {
  readonly handler: EntityHandler;
  /** Every batch the runtime handed over, in call order. */
  readonly batches: { key: string; ops: FakeOperation[] }[];
}

export function fakeEntity(apply: FakeApply, beforeBatch?: (input: EntityTriggerInput) => Promise<void>): FakeEntity {
  const batches: FakeEntity['batches'] = [];
  const handler: EntityHandler = async (raw) => {
    const input = raw as EntityTriggerInput;
    if (beforeBatch) await beforeBatch(input);
    let state: unknown = input.state === undefined ? undefined : JSON.parse(input.state);
    let exists = input.exists;
    const ops: FakeOperation[] = [];
    const results: { isError: boolean; result?: string }[] = [];
    const signals: { target: { name: string; key: string }; name: string; input: string }[] = [];
    for (const request of input.batch) {
      const operation = { key: input.self.key, op: request.name, input: request.input ? (JSON.parse(request.input) as unknown) : undefined };
      ops.push(operation);
      const outcome = apply(state, operation);
      if (outcome.fail) {
        results.push({ isError: true, result: '{}' });
        continue;
      }
      state = outcome.state;
      exists = state !== undefined;
      results.push({ isError: false });
      for (const s of outcome.signals ?? []) {
        signals.push({ target: { name: s.name, key: s.key }, name: s.op, input: s.input === undefined ? '' : JSON.stringify(s.input) });
      }
    }
    batches.push({ key: input.self.key, ops });
    return Promise.resolve({ entityExists: exists, entityState: state === undefined ? undefined : JSON.stringify(state), results, signals });
  };
  return { handler, batches };
}

export function counterApply(state: unknown, operation: FakeOperation): { state: unknown } {
  const current = typeof state === 'number' ? state : 0;
  if (operation.op === 'add') return { state: current + (typeof operation.input === 'number' ? operation.input : 0) };
  if (operation.op === 'delete') return { state: undefined };
  return { state: current };
}

export interface Deferred {
  readonly promise: Promise<void>;
  resolve(): void;
}

export function deferred(): Deferred {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

export interface TempDir {
  readonly path: string;
  remove(): void;
}

export function tempDir(label: string): TempDir {
  const path = mkdtempSync(join(tmpdir(), `tt-durable-${label}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export interface LogLine {
  readonly level: 'info' | 'warn' | 'error';
  readonly msg: string;
}

export function collectLogs(): { lines: LogLine[]; log: (level: 'info' | 'warn' | 'error', msg: string) => void } {
  const lines: LogLine[] = [];
  return { lines, log: (level, msg) => lines.push({ level, msg }) };
}
