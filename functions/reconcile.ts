/**
 * Every minute: each bot that is attached to its account (running, paused, halted, stopping, faulted)
 * is told to reconcile. The bot asks its account for the account's view of its orders and position;
 * the account first re-sends any bar delivery that went unanswered, then answers; the bot repairs an
 * explained drift and halts on an unexplained one (docs/bots.md). Bots are found through the durable
 * extension's entity listing (`GET …/entities/bot`), which the df client does not wrap.
 */
import { app, type InvocationContext, type Timer } from '@azure/functions';
import * as df from 'durable-functions';
import { z } from 'zod';
import { ATTACHED_STATUSES } from '../shared/bots/bot-machine.js';
import { ENTITY } from '../shared/entity-names.js';

const durableInput = df.input.durableClient();

const bindingSchema = z.object({ baseUrl: z.string(), requiredQueryStringParameters: z.string().default('') });
const listingSchema = z.array(
  z.object({
    entityId: z.object({ name: z.string(), key: z.string() }),
    state: z.unknown().optional(),
  }),
);
const statusOf = z.object({ machine: z.object({ status: z.string() }) });

const PAGE = 500;
/** Bounds one run; bots past it are reconciled on the next minute's run. */
const MAX_PAGES = 200;

export async function reconcile(_timer: Timer, context: InvocationContext): Promise<void> {
  const binding = bindingSchema.parse(typeof context.extraInputs.get(durableInput) === 'string' ? JSON.parse(context.extraInputs.get(durableInput) as string) : context.extraInputs.get(durableInput));
  const client = df.getClient(context);
  const atMs = Date.now();
  let continuation: string | null = null;
  let signalled = 0;
  for (let page = 0; page < MAX_PAGES; page++) {
    const query = new URLSearchParams(binding.requiredQueryStringParameters);
    query.set('fetchState', 'true');
    query.set('top', String(PAGE));
    const res = await fetch(`${binding.baseUrl.replace(/\/$/, '')}/entities/${ENTITY.bot}?${query.toString()}`, {
      headers: continuation ? { 'x-ms-continuation-token': continuation } : {},
    });
    if (!res.ok) throw new Error(`reconcile: listing bot entities answered ${res.status}`);
    const entities = listingSchema.parse(await res.json());
    for (const entity of entities) {
      const state = statusOf.safeParse(typeof entity.state === 'string' ? JSON.parse(entity.state) : entity.state);
      if (!state.success || !(ATTACHED_STATUSES as readonly string[]).includes(state.data.machine.status)) continue;
      await client.signalEntity(new df.EntityId(ENTITY.bot, entity.entityId.key), 'reconcile', { atMs });
      signalled++;
    }
    continuation = res.headers.get('x-ms-continuation-token');
    if (!continuation) break;
  }
  if (signalled > 0) context.log(`reconcile: ${signalled} bot(s) asked to reconcile`);
}

app.timer('reconcile', {
  schedule: '0 * * * * *',
  runOnStartup: false,
  extraInputs: [durableInput],
  handler: reconcile,
});
