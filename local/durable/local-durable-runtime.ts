/**
 * Runs durable-functions entity handlers (`df.app.entity`) locally the way the Durable Task
 * extension does: a queue per entity, one batch at a time per entity, operations in arrival order,
 * the batch's state, consumed operations and emitted signals persisted together before the next
 * batch of that entity starts, signals between entities delivered, and the extension's HTTP API so
 * unmodified `df.getClient(context)` code works. See docs/durable-runtime.md for the guarantees.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { format } from 'node:util';
import { InvocationContext } from '@azure/functions';
import { appError, err, ok, type AppError, type Result } from '../../shared/core/result.js';
import type { BatchRecord, JournalRecord, PendingSignal, SignalRecord } from './durable-records.js';
import { DurableStore, type DurableLog, type JournalStats } from './durable-store.js';
import { durableClientBindingValue, type DurableClientBindingValue } from './durable-client-binding.js';
import { handleDurableHttpRequest, type DurableHttpBackend } from './durable-http-api.js';
import { formatEntityId, parseEntityId, parseOperationName } from './entity-id.js';
import { installEntityOperationGuard, takeOperationError } from './entity-operation-guard.js';
import { listEntityPage, type EntityListOptions, type EntityListPage } from './entity-query.js';
import { EntityTable, type EntityInstance } from './entity-table.js';
import { parseEntityBatchOutput, type EntityBatchOutput, type EntityTriggerInput } from './entity-wire.js';

export type EntityHandler = (input: unknown, context: InvocationContext) => Promise<unknown>;

export interface BatchCommittedEvent {
  readonly name: string;
  readonly key: string;
  readonly operations: number;
  readonly failedOperations: number;
  readonly committedAtMs: number;
}

export interface LocalDurableRuntimeOptions {
  readonly dataDir: string;
  readonly log: DurableLog;
  readonly hubName?: string;
  /** Most operations handed to one handler call (the extension's maxEntityOperationBatchSize). */
  readonly maxBatchSize?: number;
  /** Batches of different entities running at once. */
  readonly maxConcurrentBatches?: number;
  /** Journal size that triggers compaction into a snapshot. */
  readonly compactAtBytes?: number;
  /** Called once a batch is durable and applied (benchmarks, diagnostics). */
  readonly onBatchCommitted?: (event: BatchCommittedEvent) => void;
}

export type EntityStateView = { readonly entityExists: false } | { readonly entityExists: true; readonly entityState: unknown };

export interface DurableRuntimeStatus {
  readonly phase: Phase;
  readonly registeredEntities: readonly string[];
  readonly entities: number;
  readonly pendingOperations: number;
  readonly runningBatches: number;
  readonly operationRollback: boolean;
  /** Group commit figures: records per fdatasync and the mean write+fdatasync time. */
  readonly journal: { readonly groups: number; readonly records: number; readonly meanRecordsPerGroup: number; readonly meanSyncMs: number } | undefined;
}

type Phase = 'created' | 'starting' | 'running' | 'stopping' | 'stopped' | 'failed';

interface RegisteredEntity {
  readonly functionName: string;
  readonly handler: EntityHandler;
}

const DEFAULT_HUB_NAME = 'TradingTowerLocal';
const DEFAULT_MAX_BATCH_SIZE = 1000;
const DEFAULT_MAX_CONCURRENT_BATCHES = 32;
const RETRY_BASE_MS = 500;
const RETRY_MAX_MS = 30_000;
const STOP_DRAIN_TIMEOUT_MS = 30_000;
const LOG_LEVELS: Record<string, 'info' | 'warn' | 'error' | undefined> = {
  trace: 'info',
  debug: 'info',
  information: 'info',
  warning: 'warn',
  error: 'error',
  critical: 'error',
};

export class LocalDurableRuntime implements DurableHttpBackend {
  readonly hubName: string;
  private readonly log: DurableLog;
  private readonly maxBatchSize: number;
  private readonly maxConcurrentBatches: number;
  private readonly handlers = new Map<string, RegisteredEntity>();
  private readonly table = new EntityTable();
  /** Makes request ids unique across runtimes in one process (the guard keys errors by them). */
  private readonly requestIdPrefix = randomUUID().slice(0, 8);
  private readonly ready: EntityInstance[] = [];
  private readonly readySet = new Set<EntityInstance>();
  private readonly retryTimers = new Map<EntityInstance, NodeJS.Timeout>();
  private readonly failureStreaks = new Map<EntityInstance, number>();
  private readonly warnedUnknownTargets = new Set<string>();
  private idleWaiters: (() => void)[] = [];
  private drainWaiters: (() => void)[] = [];
  private runningBatches = 0;
  private phase: Phase = 'created';
  private store: DurableStore | undefined;
  private operationRollback = false;

  constructor(private readonly options: LocalDurableRuntimeOptions) {
    this.hubName = options.hubName ?? DEFAULT_HUB_NAME;
    this.log = options.log;
    this.maxBatchSize = options.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE;
    this.maxConcurrentBatches = options.maxConcurrentBatches ?? DEFAULT_MAX_CONCURRENT_BATCHES;
  }

  /** `handler` is the callback `df.app.entity` registered (the library's entity wrapper). */
  registerEntity(name: string, handler: EntityHandler): void {
    const id = parseEntityId(name, 'registration');
    if (!id.ok) throw new Error(id.error.message);
    if (this.handlers.has(id.value.name)) throw new Error(`An entity named "${name}" is already registered (entity names are case-insensitive).`);
    this.handlers.set(id.value.name, { functionName: name, handler });
    if (this.phase === 'running') for (const instance of this.table.instances(id.value.name)) this.schedule(instance);
  }

  async start(): Promise<void> {
    if (this.phase !== 'created') throw new Error(`The durable runtime cannot start from phase "${this.phase}".`);
    this.phase = 'starting';
    this.operationRollback = installEntityOperationGuard();
    if (!this.operationRollback) {
      this.log('warn', 'durable-functions internals changed shape: failed entity operations are logged without their stack and are not rolled back.');
    }
    try {
      this.store = await DurableStore.open({ dir: this.options.dataDir, log: this.log, compactAtBytes: this.options.compactAtBytes }, this.table);
    } catch (e) {
      this.phase = 'failed';
      throw e;
    }
    const r = this.store.recovery;
    const status = this.status();
    this.log(
      'info',
      `Durable runtime started (task hub ${this.hubName}): ${status.entities} entities, ${status.pendingOperations} pending operation(s) recovered` +
        ` from ${r.snapshotGeneration === undefined ? 'no snapshot' : 'a snapshot'} and ${r.recordsReplayed} journal record(s).`,
    );
    this.phase = 'running';
    for (const instance of this.table.instances()) this.schedule(instance);
  }

  /** Lets running batches finish (new ones are not started), persists, and releases the data directory. */
  async stop(): Promise<void> {
    if (this.phase !== 'running') return;
    this.phase = 'stopping';
    for (const timer of this.retryTimers.values()) clearTimeout(timer);
    this.retryTimers.clear();
    this.ready.length = 0;
    this.readySet.clear();
    if (this.runningBatches > 0) {
      let timer: NodeJS.Timeout | undefined;
      const drained = new Promise<boolean>((resolve) => this.drainWaiters.push(() => resolve(true)));
      const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), STOP_DRAIN_TIMEOUT_MS)));
      const finished = await Promise.race([drained, timedOut]);
      clearTimeout(timer);
      if (!finished) this.log('warn', `${this.runningBatches} entity batch(es) did not finish within ${STOP_DRAIN_TIMEOUT_MS} ms; their operations stay queued for the next start.`);
    }
    await this.store?.close();
    this.phase = 'stopped';
    this.resolveIdleWaiters();
    this.log('info', 'Durable runtime stopped; state persisted.');
  }

  /** Accepts an operation for an entity; resolves once the signal is durable (the HTTP API then answers 202). */
  signal(name: string, key: string, op: string, input?: unknown): Promise<Result<void, AppError>> {
    let inputJson: string | undefined;
    try {
      inputJson = input === undefined ? undefined : JSON.stringify(input);
    } catch (e) {
      return Promise.resolve(err(appError('DURABLE.INVALID_INPUT', `The operation input is not JSON-serializable: ${e instanceof Error ? e.message : String(e)}.`)));
    }
    return this.signalJson(name, key, op, inputJson);
  }

  async signalJson(name: string, key: string, op: string | null, inputJson: string | undefined): Promise<Result<void, AppError>> {
    const id = parseEntityId(name, key);
    if (!id.ok) return id;
    const operation = parseOperationName(op);
    if (!operation.ok) return operation;
    if (inputJson !== undefined && !isJson(inputJson)) return err(appError('DURABLE.INVALID_INPUT', 'The operation input must be JSON.'));
    if (!this.handlers.has(id.value.name)) return err(appError('DURABLE.ENTITY_NOT_FOUND', `No entity named "${name}" is registered.`));
    const store = this.store;
    if (this.phase !== 'running' || !store) return err(appError('DURABLE.NOT_RUNNING', `The durable runtime is ${this.phase}.`));
    const signal: PendingSignal = { seq: this.table.takeSeq(), name: id.value.name, key: id.value.key, op: operation.value, atMs: Date.now() };
    const record: SignalRecord = { t: 'signal', signal: inputJson === undefined ? signal : { ...signal, input: inputJson } };
    try {
      await store.append(record, () => this.applyDurable(record));
    } catch (e) {
      return err(appError('DURABLE.STORE_FAILED', `The signal could not be persisted: ${e instanceof Error ? e.message : String(e)}.`));
    }
    return ok(undefined);
  }

  readState(name: string, key: string): Result<EntityStateView, AppError> {
    const state = this.readStateJson(name, key);
    if (!state.ok) return state;
    return ok(state.value.exists ? { entityExists: true, entityState: JSON.parse(state.value.stateJson) as unknown } : { entityExists: false });
  }

  readStateJson(name: string, key: string): Result<{ exists: false } | { exists: true; stateJson: string }, AppError> {
    const id = parseEntityId(name, key);
    if (!id.ok) return id;
    const instance = this.table.get(id.value.name, id.value.key);
    if (!instance?.exists) return ok({ exists: false });
    return ok({ exists: true, stateJson: instance.state ?? 'null' });
  }

  listEntities(name: string | undefined, options: EntityListOptions = {}): Result<EntityListPage, AppError> {
    if (name === undefined) return listEntityPage(this.table.instances(), options);
    const id = parseEntityId(name, 'query');
    if (!id.ok) return id;
    return listEntityPage(this.table.instances(id.value.name), options);
  }

  list(name: string | undefined, options: EntityListOptions): Result<EntityListPage, AppError> {
    return this.listEntities(name, options);
  }

  /** Mount on the host's HTTP server; resolves false when the path is not the durable API. */
  readonly handleDurableHttp = (req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> => handleDurableHttpRequest(this, req, res, url);

  /** The `durableClient` extra-input value; `baseUrl` is the host's origin, e.g. http://127.0.0.1:7071. */
  clientBindingValue(baseUrl: string): DurableClientBindingValue {
    return durableClientBindingValue(baseUrl, this.hubName);
  }

  /** Resolves once no registered entity has queued operations and no batch runs (tests, benchmarks). */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  status(): DurableRuntimeStatus {
    let entities = 0;
    let pendingOperations = 0;
    for (const instance of this.table.instances()) {
      if (instance.exists) entities++;
      pendingOperations += instance.queue.length;
    }
    return {
      phase: this.phase,
      registeredEntities: [...this.handlers.values()].map((h) => h.functionName),
      entities,
      pendingOperations,
      runningBatches: this.runningBatches,
      operationRollback: this.operationRollback,
      journal: journalFigures(this.store?.stats()),
    };
  }

  /** The only place the table changes: a record has just become durable. */
  private applyDurable(record: JournalRecord): void {
    for (const instance of this.table.applyRecord(record)) this.schedule(instance);
  }

  private schedule(instance: EntityInstance): void {
    if (this.phase !== 'running' || instance.busy || instance.queue.length === 0) return;
    if (this.readySet.has(instance) || this.retryTimers.has(instance)) return;
    if (!this.handlers.has(instance.name)) {
      this.warnUnknownTarget(instance.name);
      return;
    }
    this.readySet.add(instance);
    this.ready.push(instance);
    this.pump();
  }

  private pump(): void {
    while (this.phase === 'running' && this.runningBatches < this.maxConcurrentBatches && this.ready.length > 0) {
      const instance = this.ready.shift()!;
      this.readySet.delete(instance);
      if (instance.busy || instance.queue.length === 0) continue;
      instance.busy = true;
      this.runningBatches++;
      void this.runBatch(instance).catch((e: unknown) => {
        this.log('error', `Entity batch for ${formatEntityId(instance)} failed unexpectedly: ${describeError(e)}`);
        this.finishBatch(instance);
      });
    }
  }

  private async runBatch(instance: EntityInstance): Promise<void> {
    const registered = this.handlers.get(instance.name)!;
    const operations = instance.queue.slice(0, this.maxBatchSize);
    const requestIds = operations.map((o) => `${this.requestIdPrefix}:${o.seq}`);
    const input: EntityTriggerInput = {
      self: { name: instance.name, key: instance.key },
      exists: instance.exists,
      state: instance.state,
      batch: operations.map((o, i) => ({ id: requestIds[i]!, name: o.op, signal: true, input: o.input })),
    };
    const context = this.invocationContext(registered.functionName, instance);

    let output: EntityBatchOutput;
    try {
      const parsed = parseEntityBatchOutput(await registered.handler(input, context));
      if (!parsed.ok) throw new Error(parsed.message);
      output = parsed.value;
    } catch (e) {
      for (const id of requestIds) takeOperationError(id);
      this.retryLater(instance, e);
      return;
    }

    const failed = this.logFailedOperations(instance, operations, requestIds, output);
    const committedAtMs = Date.now();
    const record: BatchRecord = {
      t: 'batch',
      name: instance.name,
      key: instance.key,
      consumed: operations.map((o) => o.seq),
      // An entity "exists" once it has state; a read-only operation on a new entity leaves none.
      exists: output.entityExists && output.entityState !== undefined,
      ...(output.entityExists && output.entityState !== undefined ? { state: output.entityState } : {}),
      lastOperationMs: committedAtMs,
      emitted: this.emittedSignals(instance, output, committedAtMs),
    };
    const store = this.store;
    if (!store) throw new Error('The durable store is not open.');
    try {
      await store.append(record, () => {
        this.applyDurable(record);
        this.failureStreaks.delete(instance);
        this.finishBatch(instance);
        this.options.onBatchCommitted?.({ name: instance.name, key: instance.key, operations: operations.length, failedOperations: failed, committedAtMs });
      });
    } catch (e) {
      // The store is failing or closing: the operations stay queued and will run after a restart.
      this.log('error', `Entity batch for ${formatEntityId(instance)} could not be persisted: ${describeError(e)}`);
      this.finishBatch(instance);
    }
  }

  private finishBatch(instance: EntityInstance): void {
    instance.busy = false;
    this.runningBatches--;
    this.table.prune(instance);
    this.schedule(instance);
    this.pump();
    if (this.runningBatches === 0 && this.drainWaiters.length > 0) {
      const waiters = this.drainWaiters;
      this.drainWaiters = [];
      for (const w of waiters) w();
    }
    this.resolveIdleWaiters();
  }

  /** The handler itself failed (not one operation): keep the operations, back off, try again. */
  private retryLater(instance: EntityInstance, error: unknown): void {
    const streak = (this.failureStreaks.get(instance) ?? 0) + 1;
    this.failureStreaks.set(instance, streak);
    const delayMs = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** (streak - 1));
    this.log('error', `Entity function for ${formatEntityId(instance)} failed on a batch of ${Math.min(instance.queue.length, this.maxBatchSize)} operation(s); retrying in ${delayMs} ms: ${describeError(error)}`);
    if (this.phase === 'running') {
      this.retryTimers.set(
        instance,
        setTimeout(() => {
          this.retryTimers.delete(instance);
          this.schedule(instance);
        }, delayMs),
      );
    }
    this.finishBatch(instance);
  }

  private logFailedOperations(instance: EntityInstance, operations: readonly PendingSignal[], requestIds: readonly string[], output: EntityBatchOutput): number {
    let failed = 0;
    operations.forEach((operation, i) => {
      const captured = takeOperationError(requestIds[i]!);
      const result = output.results[i];
      if (!result?.isError) return;
      failed++;
      const detail = captured.captured ? describeError(captured.error) : `(the library reported only ${result.result ?? 'no detail'})`;
      const rolledBack = this.operationRollback ? 'its changes were rolled back' : 'its changes were NOT rolled back';
      this.log('error', `Entity ${formatEntityId(instance)} operation "${operation.op}" failed (${rolledBack}): ${detail}`);
    });
    return failed;
  }

  private emittedSignals(source: EntityInstance, output: EntityBatchOutput, atMs: number): PendingSignal[] {
    const emitted: PendingSignal[] = [];
    for (const s of output.signals) {
      const target = parseEntityId(s.target.name, s.target.key);
      const operation = parseOperationName(s.name);
      if (!target.ok || !operation.ok) {
        const reason = !target.ok ? target.error.message : !operation.ok ? operation.error.message : '';
        this.log('error', `Entity ${formatEntityId(source)} emitted a signal that cannot be delivered and is dropped: ${reason}`);
        continue;
      }
      const signal: PendingSignal = { seq: this.table.takeSeq(), name: target.value.name, key: target.value.key, op: operation.value, atMs };
      emitted.push(s.input === undefined || s.input === '' ? signal : { ...signal, input: s.input });
    }
    return emitted;
  }

  private invocationContext(functionName: string, instance: EntityInstance): InvocationContext {
    const prefix = `[${functionName} ${formatEntityId(instance)}]`;
    return new InvocationContext({
      invocationId: randomUUID(),
      functionName,
      logHandler: (level, ...args) => this.log(LOG_LEVELS[level] ?? 'info', `${prefix} ${format(...args)}`),
      options: { trigger: { type: 'entityTrigger', name: 'entityTrigger' }, extraInputs: [], extraOutputs: [] },
    });
  }

  private warnUnknownTarget(name: string): void {
    if (this.warnedUnknownTargets.has(name)) return;
    this.warnedUnknownTargets.add(name);
    this.log('warn', `Operations are queued for entity "${name}", but no entity function of that name is registered; they are kept until one is.`);
  }

  private isIdle(): boolean {
    if (this.phase !== 'running') return true;
    if (this.runningBatches > 0 || this.ready.length > 0) return false;
    for (const instance of this.table.instances()) {
      if (instance.queue.length > 0 && this.handlers.has(instance.name)) return false;
    }
    return true;
  }

  private resolveIdleWaiters(): void {
    if (this.idleWaiters.length === 0 || !this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}

function journalFigures(stats: JournalStats | undefined): DurableRuntimeStatus['journal'] {
  if (!stats) return undefined;
  return {
    groups: stats.groups,
    records: stats.records,
    meanRecordsPerGroup: stats.groups === 0 ? 0 : stats.records / stats.groups,
    meanSyncMs: stats.groups === 0 ? 0 : stats.syncMsTotal / stats.groups,
  };
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function describeError(e: unknown): string {
  if (e instanceof Error) return e.stack ?? `${e.name}: ${e.message}`;
  if (typeof e === 'string') return e;
  try {
    return JSON.stringify(e);
  } catch {
    return String(e);
  }
}

