import { LocalDurableRuntime, type LocalDurableRuntimeOptions } from '../../../../local/durable/local-durable-runtime.js';
import { collectLogs, counterApply, deferred, fakeEntity, tempDir, type TempDir } from './fake-entity.js';

describe('LocalDurableRuntime', () => {
  let dir: TempDir;
  const runtimes: LocalDurableRuntime[] = [];

  beforeEach(() => {
    dir = tempDir('runtime');
  });

  afterEach(async () => {
    for (const r of runtimes.splice(0)) await r.stop();
    dir.remove();
  });

  function runtime(options: Partial<LocalDurableRuntimeOptions> = {}): LocalDurableRuntime {
    const r = new LocalDurableRuntime({ dataDir: dir.path, log: collectLogs().log, ...options });
    runtimes.push(r);
    return r;
  }

  async function expectOk(result: Promise<{ ok: boolean }>): Promise<void> {
    expect(await result).toEqual({ ok: true, value: undefined });
  }

  it('hands operations of one entity to the handler in the order they were signalled', async () => {
    const entity = fakeEntity((state, op) => ({ state: [...((state as number[] | undefined) ?? []), op.input as number] }));
    const r = runtime();
    r.registerEntity('Recorder', entity.handler);
    await r.start();

    await Promise.all(Array.from({ length: 200 }, (_, i) => r.signal('Recorder', 'k', 'push', i)));
    await r.whenIdle();

    const seen = entity.batches.flatMap((b) => b.ops.map((o) => o.input));
    expect(seen).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expect(r.readState('Recorder', 'k')).toEqual({ ok: true, value: { entityExists: true, entityState: seen } });
  });

  it('runs one batch at a time per entity while different entities run concurrently', async () => {
    const active = new Map<string, number>();
    let maxPerKey = 0;
    let maxOverall = 0;
    const entity = fakeEntity(counterApply, async (input) => {
      const key = input.self.key;
      active.set(key, (active.get(key) ?? 0) + 1);
      maxPerKey = Math.max(maxPerKey, active.get(key)!);
      maxOverall = Math.max(maxOverall, [...active.values()].reduce((a, b) => a + b, 0));
      await new Promise((resolve) => setTimeout(resolve, 5));
      active.set(key, active.get(key)! - 1);
    });
    const r = runtime();
    r.registerEntity('Counter', entity.handler);
    await r.start();

    const keys = ['a', 'b', 'c', 'd'];
    await Promise.all(Array.from({ length: 80 }, (_, i) => r.signal('Counter', keys[i % keys.length]!, 'add', 1)));
    await r.whenIdle();

    expect(maxPerKey).toBe(1);
    expect(maxOverall).toBeGreaterThan(1);
    for (const key of keys) expect(r.readState('Counter', key)).toEqual({ ok: true, value: { entityExists: true, entityState: 20 } });
  });

  it('batches every queued operation up to maxBatchSize', async () => {
    const gate = deferred();
    let first = true;
    const entity = fakeEntity(counterApply, async () => {
      if (first) {
        first = false;
        await gate.promise;
      }
    });
    const r = runtime({ maxBatchSize: 10 });
    r.registerEntity('Counter', entity.handler);
    await r.start();

    await expectOk(r.signal('Counter', 'k', 'add', 1));
    // The first batch is now blocked in the handler; these 25 queue up behind it.
    await Promise.all(Array.from({ length: 25 }, () => r.signal('Counter', 'k', 'add', 1)));
    gate.resolve();
    await r.whenIdle();

    expect(entity.batches.map((b) => b.ops.length)).toEqual([1, 10, 10, 5]);
    expect(r.readState('Counter', 'k')).toEqual({ ok: true, value: { entityExists: true, entityState: 26 } });
  });

  it('delivers signals an entity emits to their target entities', async () => {
    const source = fakeEntity((state, op) => ({
      state: ((state as number | undefined) ?? 0) + 1,
      signals: [{ name: 'Sink', key: `from-${op.key}`, op: 'add', input: op.input }],
    }));
    const sink = fakeEntity(counterApply);
    const r = runtime();
    r.registerEntity('Source', source.handler);
    r.registerEntity('Sink', sink.handler);
    await r.start();

    await expectOk(r.signal('Source', 'x', 'forward', 5));
    await expectOk(r.signal('Source', 'x', 'forward', 7));
    await r.whenIdle();

    expect(r.readState('Sink', 'from-x')).toEqual({ ok: true, value: { entityExists: true, entityState: 12 } });
    expect(sink.batches.flatMap((b) => b.ops.map((o) => o.input))).toEqual([5, 7]);
  });

  it('persists state so that a new runtime on the same directory reads it back', async () => {
    const first = runtime();
    first.registerEntity('Counter', fakeEntity(counterApply).handler);
    await first.start();
    await Promise.all(Array.from({ length: 30 }, () => first.signal('Counter', 'persisted', 'add', 2)));
    await first.whenIdle();
    await first.stop();

    const second = runtime();
    second.registerEntity('Counter', fakeEntity(counterApply).handler);
    await second.start();
    expect(second.readState('Counter', 'persisted')).toEqual({ ok: true, value: { entityExists: true, entityState: 60 } });
  });

  it('keeps acknowledged but unprocessed operations across a restart and applies each exactly once', async () => {
    const gate = deferred();
    const blocked = fakeEntity(counterApply, () => gate.promise);
    const first = runtime();
    first.registerEntity('Counter', blocked.handler);
    await first.start();
    for (let i = 1; i <= 5; i++) await expectOk(first.signal('Counter', 'k', 'add', i));
    // Only the first operation is in flight; stop waits for it and leaves the rest queued.
    const stopping = first.stop();
    gate.resolve();
    await stopping;
    expect(blocked.batches.flatMap((b) => b.ops.map((o) => o.input))).toEqual([1]);

    const resumed = fakeEntity(counterApply);
    const second = runtime();
    second.registerEntity('Counter', resumed.handler);
    await second.start();
    await second.whenIdle();

    expect(resumed.batches.flatMap((b) => b.ops.map((o) => o.input))).toEqual([2, 3, 4, 5]);
    expect(second.readState('Counter', 'k')).toEqual({ ok: true, value: { entityExists: true, entityState: 15 } });
  });

  it('keeps the operations of a batch whose handler throws and retries them', async () => {
    let calls = 0;
    const flaky = fakeEntity(counterApply, () => {
      calls++;
      return calls === 1 ? Promise.reject(new Error('transient handler failure')) : Promise.resolve();
    });
    const logs = collectLogs();
    const r = runtime({ log: logs.log });
    r.registerEntity('Counter', flaky.handler);
    await r.start();

    await expectOk(r.signal('Counter', 'k', 'add', 4));
    await r.whenIdle();

    expect(calls).toBe(2);
    expect(r.readState('Counter', 'k')).toEqual({ ok: true, value: { entityExists: true, entityState: 4 } });
    expect(logs.lines.some((l) => l.level === 'error' && l.msg.includes('transient handler failure'))).toBe(true);
  });

  it('forgets an entity that destructs itself', async () => {
    const r = runtime();
    r.registerEntity('Counter', fakeEntity(counterApply).handler);
    await r.start();
    await expectOk(r.signal('Counter', 'gone', 'add', 1));
    await r.whenIdle();
    expect(r.listEntities('Counter')).toMatchObject({ ok: true, value: { entities: [{ entityId: { name: 'counter', key: 'gone' } }] } });

    await expectOk(r.signal('Counter', 'gone', 'delete'));
    await r.whenIdle();

    expect(r.readState('Counter', 'gone')).toEqual({ ok: true, value: { entityExists: false } });
    expect(r.listEntities('Counter')).toEqual({ ok: true, value: { entities: [], continuationToken: undefined } });
  });

  it('treats entity names case-insensitively and keys verbatim', async () => {
    const r = runtime();
    r.registerEntity('Counter', fakeEntity(counterApply).handler);
    await r.start();
    await expectOk(r.signal('COUNTER', 'Key', 'add', 1));
    await expectOk(r.signal('counter', 'Key', 'add', 1));
    await expectOk(r.signal('counter', 'key', 'add', 1));
    await r.whenIdle();

    expect(r.readState('Counter', 'Key')).toEqual({ ok: true, value: { entityExists: true, entityState: 2 } });
    expect(r.readState('Counter', 'key')).toEqual({ ok: true, value: { entityExists: true, entityState: 1 } });
  });

  it('refuses signals to unregistered entities, with bad names or non-JSON input, and while not running', async () => {
    const r = runtime();
    r.registerEntity('Counter', fakeEntity(counterApply).handler);
    expect(await r.signal('Counter', 'k', 'add', 1)).toMatchObject({ ok: false, error: { code: 'DURABLE.NOT_RUNNING' } });
    await r.start();

    expect(await r.signal('Nobody', 'k', 'add', 1)).toMatchObject({ ok: false, error: { code: 'DURABLE.ENTITY_NOT_FOUND' } });
    expect(await r.signal('9bad', 'k', 'add', 1)).toMatchObject({ ok: false, error: { code: 'DURABLE.INVALID_ENTITY_NAME' } });
    expect(await r.signal('Counter', '', 'add', 1)).toMatchObject({ ok: false, error: { code: 'DURABLE.INVALID_ENTITY_KEY' } });
    expect(await r.signalJson('Counter', 'k', null, undefined)).toMatchObject({ ok: false, error: { code: 'DURABLE.INVALID_OPERATION' } });
    expect(await r.signalJson('Counter', 'k', 'add', '{not json')).toMatchObject({ ok: false, error: { code: 'DURABLE.INVALID_INPUT' } });

    await r.stop();
    expect(await r.signal('Counter', 'k', 'add', 1)).toMatchObject({ ok: false, error: { code: 'DURABLE.NOT_RUNNING' } });
  });

  it('keeps operations for an entity registered only after start and runs them once it is', async () => {
    const r = runtime();
    const late = fakeEntity(counterApply);
    r.registerEntity('Counter', fakeEntity((state, op) => ({ state: 0, signals: [{ name: 'Late', key: op.key, op: 'add', input: 3 }] })).handler);
    await r.start();
    await expectOk(r.signal('Counter', 'k', 'poke'));
    await r.whenIdle();
    expect(r.status().pendingOperations).toBe(1);

    r.registerEntity('Late', late.handler);
    await r.whenIdle();

    expect(late.batches.flatMap((b) => b.ops.map((o) => o.op))).toEqual(['add']);
    expect(r.readState('Late', 'k')).toEqual({ ok: true, value: { entityExists: true, entityState: 3 } });
  });

  it('refuses a second runtime on a directory that is already open', async () => {
    const first = runtime();
    await first.start();
    const second = new LocalDurableRuntime({ dataDir: dir.path, log: collectLogs().log });
    await expect(second.start()).rejects.toThrow(/already open/);
  });
});
