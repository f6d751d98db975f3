/**
 * The local durable runtime with the real durable-functions library: the fixture app registers its
 * entities with `df.app.entity` and talks to them with `df.getClient(context)` from HTTP functions,
 * unmodified. Registrations are captured through a stand-in `@azure/functions-core`, as the host does
 * (under jest through a virtual module, since jest's module registry bypasses Module._resolveFilename).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpRequest, InvocationContext } from '@azure/functions';
import type { CounterState, AuditState } from '../fixtures/durable-app';
import type * as DurableRuntimeModule from '../../local/durable/index';
import type { LocalDurableRuntime as Runtime, EntityHandler } from '../../local/durable/index';
import { collectLogs, tempDir, type LogLine, type TempDir } from '../unit/local/durable/fake-entity';

interface Registration {
  metadata: { name: string; bindings: Record<string, { type: string; name?: string; direction?: string }> };
  callback: (...args: unknown[]) => unknown;
}

const mockRegistrations: Registration[] = [];
jest.doMock(
  '@azure/functions-core',
  () => ({
    registerFunction: (metadata: Registration['metadata'], callback: Registration['callback']) => {
      mockRegistrations.push({ metadata, callback });
      return { dispose: () => undefined };
    },
    setProgrammingModel: () => undefined,
    registerHook: () => ({ dispose: () => undefined }),
    log: () => undefined,
  }),
  { virtual: true },
);

// Loaded after the stand-in is in place, like the host loads the app.
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('../fixtures/durable-app');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { LocalDurableRuntime } = require('../../local/durable/index') as typeof DurableRuntimeModule;

const isEntity = (r: Registration) => Object.values(r.metadata.bindings).some((b) => b.type === 'entityTrigger');

describe('LocalDurableRuntime with durable-functions', () => {
  let dir: TempDir;
  let runtime: Runtime;
  let logs: LogLine[];
  let server: Server;
  let baseUrl: string;

  async function startRuntime(): Promise<void> {
    const collected = collectLogs();
    logs = collected.lines;
    runtime = new LocalDurableRuntime({ dataDir: dir.path, log: collected.log, hubName: 'TestHub' });
    for (const r of mockRegistrations.filter(isEntity)) runtime.registerEntity(r.metadata.name, r.callback as EntityHandler);
    await runtime.start();
  }

  beforeAll(async () => {
    dir = tempDir('integration');
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      void runtime.handleDurableHttp(req, res, url).then((handled) => {
        if (!handled) {
          res.writeHead(418);
          res.end();
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await startRuntime();
  });

  afterAll(async () => {
    await runtime.stop();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    dir.remove();
  });

  /** Invokes an HTTP function of the fixture app with the durableClient input, as the host does. */
  async function callFunction(name: string, method: string, params: Record<string, string>, body?: unknown): Promise<{ status: number; jsonBody?: unknown }> {
    const registration = mockRegistrations.find((r) => r.metadata.name === name);
    if (!registration) throw new Error(`fixture function ${name} was not registered`);
    const clientBinding = Object.values(registration.metadata.bindings).find((b) => b.type === 'durableClient')!;
    const context = new InvocationContext({
      functionName: name,
      options: { trigger: { type: 'httpTrigger', name: 'request' }, extraInputs: [clientBinding as never], extraOutputs: [] },
    });
    context.extraInputs.set(clientBinding.name!, runtime.clientBindingValue(baseUrl));
    const request = new HttpRequest({
      method,
      url: `http://127.0.0.1:7071/api/${name}`,
      params,
      ...(body === undefined ? {} : { body: { string: JSON.stringify(body) } }),
    });
    return (await registration.callback(request, context)) as { status: number; jsonBody?: unknown };
  }

  const signal = (key: string, op: string, input?: unknown) => callFunction('counterSignal', 'POST', { key, op }, input);
  const readCounter = (key: string) => callFunction('counterRead', 'GET', { key });

  it('captures both entities from df.app.entity as entityTrigger registrations', () => {
    expect(mockRegistrations.filter(isEntity).map((r) => r.metadata.name)).toEqual(['Counter', 'Audit']);
  });

  it('applies 1000 signals sent through df.getClient().signalEntity in the order they were sent', async () => {
    for (let i = 0; i < 1000; i++) expect(await signal('ordered', 'append', i)).toEqual({ status: 202 });
    await runtime.whenIdle();

    const read = await readCounter('ordered');
    expect(read.status).toBe(200);
    expect((read.jsonBody as CounterState).log).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  }, 120_000);

  it('answers 404 through readEntityState for an entity that has no state', async () => {
    expect(await readCounter('never-signalled')).toEqual({ status: 404 });
  });

  it('logs a throwing operation with its real message and stack and leaves state and outbox untouched', async () => {
    await signal('fragile', 'add', 5);
    await signal('fragile', 'explode');
    await signal('fragile', 'add', 1);
    await runtime.whenIdle();

    expect(((await readCounter('fragile')).jsonBody as CounterState).value).toBe(6);
    expect(runtime.readState('Audit', 'fragile')).toEqual({ ok: true, value: { entityExists: false } });
    const failure = logs.find((l) => l.level === 'error' && l.msg.includes('operation "explode" failed'));
    expect(failure?.msg).toContain('Error: counter exploded on purpose');
    expect(failure?.msg).toMatch(/at .*durable-app\.ts/);
    expect(failure?.msg).toContain('rolled back');
  });

  it('delivers signals that one entity sends to others', async () => {
    await signal('alice', 'add', 10);
    await signal('alice', 'transfer', { to: 'bob', amount: 4 });
    await runtime.whenIdle();

    expect(((await readCounter('alice')).jsonBody as CounterState).value).toBe(6);
    expect(((await readCounter('bob')).jsonBody as CounterState).value).toBe(4);
    const audit = runtime.readState('Audit', 'transfers');
    expect(audit.ok && audit.value.entityExists && (audit.value.entityState as AuditState).entries).toEqual(['alice->bob:4']);
  });

  it('lists entities with paging through x-ms-continuation-token and optional state', async () => {
    const keys: string[] = [];
    let token: string | null = null;
    do {
      const res: Response = await fetch(`${baseUrl}/runtime/webhooks/durabletask/entities/counter?top=2&fetchState=true`, {
        headers: token ? { 'x-ms-continuation-token': token } : {},
      });
      expect(res.status).toBe(200);
      const page = (await res.json()) as { entityId: { name: string; key: string }; lastOperationTime: string; state: CounterState }[];
      expect(page.length).toBeLessThanOrEqual(2);
      for (const e of page) {
        expect(e.entityId.name).toBe('counter');
        expect(Number.isNaN(Date.parse(e.lastOperationTime))).toBe(false);
        expect(typeof e.state.value).toBe('number');
      }
      keys.push(...page.map((e) => e.entityId.key));
      token = res.headers.get('x-ms-continuation-token');
    } while (token);

    expect(keys).toEqual(['alice', 'bob', 'fragile', 'ordered']);
    const everything = (await (await fetch(`${baseUrl}/runtime/webhooks/durabletask/entities`)).json()) as { entityId: { name: string } }[];
    expect(new Set(everything.map((e) => e.entityId.name))).toEqual(new Set(['audit', 'counter']));
  });

  it('answers the HTTP API with the extension status codes and JSON errors', async () => {
    const api = `${baseUrl}/runtime/webhooks/durabletask`;
    const post = (path: string, body?: string) => fetch(`${api}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });

    expect((await post('/entities/Counter/raw?op=add', '3')).status).toBe(202);
    expect((await post('/entities/Nobody/k?op=add', '1')).status).toBe(404);
    const badJson = await post('/entities/Counter/k?op=add', '{oops');
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toEqual({ error: { code: 'DURABLE.INVALID_INPUT', message: 'The operation input must be JSON.' } });
    expect((await post('/entities/Counter/k')).status).toBe(400);
    expect((await fetch(`${api}/entities/Counter/k?taskHub=OtherHub`)).status).toBe(404);
    expect((await fetch(`${api}/entities/Counter/k`, { method: 'DELETE' })).status).toBe(405);
    expect(await (await fetch(`${api}/instances`)).json()).toEqual([]);
    const orchestration = await post('/orchestrators/Checkout');
    expect(orchestration.status).toBe(501);
    expect(await orchestration.json()).toMatchObject({ error: { code: 'DURABLE.ORCHESTRATIONS_UNSUPPORTED' } });
    expect((await fetch(`${baseUrl}/api/something-else`)).status).toBe(418);
  });

  it('keeps every entity across a runtime restart on the same data directory', async () => {
    await runtime.whenIdle();
    const before = await readCounter('ordered');
    await runtime.stop();
    await startRuntime();

    expect(await readCounter('ordered')).toEqual(before);
    expect(((await readCounter('alice')).jsonBody as CounterState).value).toBe(6);
    await signal('alice', 'add', 1);
    await runtime.whenIdle();
    expect(((await readCounter('alice')).jsonBody as CounterState).value).toBe(7);
  });
});
