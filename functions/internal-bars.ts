/**
 * POST /api/internal/bars (function key): a batch of closed bars for one exchange, symbol and
 * timeframe, posted by the gateway. Validated, then one signal to that market's entity, which forwards
 * the bars to the accounts of the bots trading the market. Re-posting bars is harmless: accounts and
 * bots ignore bars at or before the last one they have.
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { z } from 'zod';
import { botMarketSchema } from '../shared/bots/bot-config.js';
import { barSchema, marketKey } from '../shared/bots/execution-messages.js';
import { ENTITY } from '../shared/entity-names.js';
import { zodIssueDetails } from '../shared/http/zod-details.js';

/** Keeps one signal under the durable runtime's 1 MiB operation input limit. */
export const MAX_BARS_PER_POST = 5000;

export const internalBarsBodySchema = botMarketSchema.extend({
  bars: z
    .array(barSchema)
    .min(1, 'must hold at least one bar')
    .max(MAX_BARS_PER_POST, `at most ${MAX_BARS_PER_POST} bars per request`)
    .refine((bars) => new Set(bars.map((b) => b.timeMs)).size === bars.length, 'bar times must be unique'),
});

const json = (status: number, body: unknown): HttpResponseInit => ({ status, jsonBody: body, headers: { 'cache-control': 'no-store' } });

export async function internalBars(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return json(400, { error: { code: 'VALIDATION.FAILED', message: 'The body is not JSON.' } });
  }
  const parsed = internalBarsBodySchema.safeParse(body);
  if (!parsed.success) {
    const details = zodIssueDetails(parsed.error);
    return json(400, { error: { code: 'VALIDATION.FAILED', message: `The request is invalid: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`, details } });
  }
  const { bars, ...market } = parsed.data;
  const key = marketKey(market);
  const sorted = [...bars].sort((a, b) => a.timeMs - b.timeMs);
  await df.getClient(context).signalEntity(new df.EntityId(ENTITY.market, key), 'bars', { bars: sorted, receivedAtMs: Date.now() });
  return json(202, { market: key, accepted: sorted.length, fromMs: sorted[0]!.timeMs, toMs: sorted[sorted.length - 1]!.timeMs });
}

app.http('internal-bars', {
  methods: ['POST'],
  route: 'internal/bars',
  authLevel: 'function',
  extraInputs: [df.input.durableClient()],
  handler: internalBars,
});
