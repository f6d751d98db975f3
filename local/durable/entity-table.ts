/**
 * The in-memory picture of every entity: its state and its queue of accepted operations.
 *
 * It changes only through `applyRecord`, both when the live runtime's journal records become
 * durable and when the journal is replayed after a restart. So memory is always exactly "the
 * durable journal, replayed" and recovery cannot drift from what the runtime did before the crash.
 */
import type { BatchRecord, JournalRecord, PendingSignal, Snapshot, SnapshotBody } from './durable-records.js';

export interface EntityInstance {
  readonly name: string;
  readonly key: string;
  exists: boolean;
  /** JSON text, as the entity wrapper reads and writes it; undefined if never set. */
  state: string | undefined;
  lastOperationMs: number;
  /** Accepted operations in arrival order; a batch in progress still holds its operations here. */
  readonly queue: PendingSignal[];
  /** A batch is being processed (one at a time per entity). */
  busy: boolean;
}

export class EntityTable {
  private readonly byName = new Map<string, Map<string, EntityInstance>>();
  private seqCounter = 1;

  get nextSeq(): number {
    return this.seqCounter;
  }

  /** Sequence numbers are assigned when a record is written, in journal order. */
  takeSeq(): number {
    return this.seqCounter++;
  }

  get(name: string, key: string): EntityInstance | undefined {
    return this.byName.get(name)?.get(key);
  }

  getOrCreate(name: string, key: string): EntityInstance {
    let keys = this.byName.get(name);
    if (!keys) {
      keys = new Map();
      this.byName.set(name, keys);
    }
    let instance = keys.get(key);
    if (!instance) {
      instance = { name, key, exists: false, state: undefined, lastOperationMs: 0, queue: [], busy: false };
      keys.set(key, instance);
    }
    return instance;
  }

  /** Every instance, or those of one entity name. */
  *instances(name?: string): IterableIterator<EntityInstance> {
    if (name !== undefined) {
      yield* this.byName.get(name)?.values() ?? [];
      return;
    }
    for (const keys of this.byName.values()) yield* keys.values();
  }

  /** Applies one durable record; returns the instances whose queue grew (they may need a batch). */
  applyRecord(record: JournalRecord): EntityInstance[] {
    if (record.t === 'signal') return [this.enqueue(record.signal)];
    return this.applyBatch(record);
  }

  /** Drops instances that hold nothing, so deleted entities and idle keys do not accumulate. */
  prune(instance: EntityInstance): void {
    if (instance.exists || instance.busy || instance.queue.length > 0) return;
    const keys = this.byName.get(instance.name);
    keys?.delete(instance.key);
    if (keys && keys.size === 0) this.byName.delete(instance.name);
  }

  toSnapshotBody(): SnapshotBody {
    const entities: SnapshotBody['entities'] = [];
    const pending: PendingSignal[] = [];
    for (const instance of this.instances()) {
      if (instance.exists) {
        entities.push(
          instance.state === undefined
            ? { name: instance.name, key: instance.key, lastOperationMs: instance.lastOperationMs }
            : { name: instance.name, key: instance.key, state: instance.state, lastOperationMs: instance.lastOperationMs },
        );
      }
      pending.push(...instance.queue);
    }
    // Per-entity order is what matters; sorting by seq also keeps the file stable and readable.
    pending.sort((a, b) => a.seq - b.seq);
    return { nextSeq: this.seqCounter, entities, pending };
  }

  loadSnapshot(snapshot: Snapshot): void {
    this.byName.clear();
    for (const e of snapshot.entities) {
      const instance = this.getOrCreate(e.name, e.key);
      instance.exists = true;
      instance.state = e.state;
      instance.lastOperationMs = e.lastOperationMs;
    }
    for (const signal of snapshot.pending) this.enqueue(signal);
    this.seqCounter = Math.max(this.seqCounter, snapshot.nextSeq);
  }

  private enqueue(signal: PendingSignal): EntityInstance {
    const instance = this.getOrCreate(signal.name, signal.key);
    instance.queue.push(signal);
    if (signal.seq >= this.seqCounter) this.seqCounter = signal.seq + 1;
    return instance;
  }

  private applyBatch(record: BatchRecord): EntityInstance[] {
    const instance = this.getOrCreate(record.name, record.key);
    const consumed = new Set(record.consumed);
    // The consumed operations are the head of the queue; filtering by seq stays correct regardless.
    let head = 0;
    while (head < instance.queue.length && consumed.has(instance.queue[head]!.seq)) head++;
    if (head === consumed.size) instance.queue.splice(0, head);
    else {
      const rest = instance.queue.filter((s) => !consumed.has(s.seq));
      instance.queue.length = 0;
      instance.queue.push(...rest);
    }
    instance.exists = record.exists;
    instance.state = record.exists ? record.state : undefined;
    instance.lastOperationMs = record.lastOperationMs;
    const grown = record.emitted.map((signal) => this.enqueue(signal));
    this.prune(instance);
    return grown;
  }
}
