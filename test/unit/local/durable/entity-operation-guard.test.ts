import { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { installEntityOperationGuard, takeOperationError } from '../../../../local/durable/entity-operation-guard.js';
import { parseEntityBatchOutput, type EntityTriggerInput } from '../../../../local/durable/entity-wire.js';

// The same wrapper `df.app.entity` registers, without going through app registration.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createEntityFunction } = require('durable-functions/lib/src/util/testingUtils') as {
  createEntityFunction: (fn: df.EntityHandler<unknown>) => (input: unknown, context: InvocationContext) => Promise<unknown>;
};

interface Ledger {
  total: number;
}

const ledger = createEntityFunction((context) => {
  const ctx = context as df.EntityContext<Ledger>;
  const state = ctx.df.getState(() => ({ total: 0 })) ?? { total: 0 };
  const amount = ctx.df.getInput<number>() ?? 0;
  state.total += amount;
  ctx.df.setState(state);
  ctx.df.signalEntity(new df.EntityId('Audit', 'all'), 'record', amount);
  if (ctx.df.operationName === 'fail') throw new RangeError(`amount ${amount} rejected`);
});

function batchInput(ops: { id: string; name: string; input: number }[]): EntityTriggerInput {
  return {
    self: { name: 'ledger', key: 'k' },
    exists: true,
    state: JSON.stringify({ total: 100 }),
    batch: ops.map((o) => ({ id: o.id, name: o.name, signal: true, input: JSON.stringify(o.input) })),
  };
}

async function run(input: EntityTriggerInput) {
  const output = parseEntityBatchOutput(await ledger(input, new InvocationContext({ functionName: 'Ledger' })));
  if (!output.ok) throw new Error(output.message);
  return output.value;
}

describe('installEntityOperationGuard', () => {
  it('patches the durable-functions entity wrapper', () => {
    expect(installEntityOperationGuard()).toBe(true);
  });

  it('rolls back the state change and the signals of a failed operation and keeps the other operations', async () => {
    installEntityOperationGuard();
    const output = await run(
      batchInput([
        { id: 'g1', name: 'add', input: 5 },
        { id: 'g2', name: 'fail', input: 1000 },
        { id: 'g3', name: 'add', input: 7 },
      ]),
    );

    expect(output.results.map((r) => r?.isError)).toEqual([false, true, false]);
    expect(JSON.parse(output.entityState!)).toEqual({ total: 112 });
    expect(output.signals.map((s) => s.input)).toEqual(['5', '7']);
  });

  it('keeps the real error of a failed operation for its request id, once', async () => {
    installEntityOperationGuard();
    await run(batchInput([{ id: 'h1', name: 'fail', input: 3 }]));

    const taken = takeOperationError('h1');
    expect(taken.captured).toBe(true);
    const error = taken.captured ? taken.error : undefined;
    expect(error).toBeInstanceOf(RangeError);
    expect((error as Error).message).toBe('amount 3 rejected');
    expect((error as Error).stack).toContain('entity-operation-guard.test.ts');
    expect(takeOperationError('h1')).toEqual({ captured: false });
  });

  it('restores "does not exist" when a failed operation was the first to set state', async () => {
    installEntityOperationGuard();
    const output = parseEntityBatchOutput(
      await ledger(
        { self: { name: 'ledger', key: 'new' }, exists: false, state: undefined, batch: [{ id: 'n1', name: 'fail', signal: true, input: '1' }] },
        new InvocationContext({ functionName: 'Ledger' }),
      ),
    );
    takeOperationError('n1');

    expect(output).toMatchObject({ ok: true, value: { entityExists: false, entityState: undefined, signals: [] } });
  });
});
