/**
 * The account entity's behaviour as one pure function, like `handleBotOperation`: parse the input,
 * apply it to the paper account, answer the new state and the signals to send to bots. The entity
 * (durable/account.entity.ts) persists the state and sends the signals; it does no other I/O.
 */
import { z } from 'zod';
import { appError, err, ok, type Result } from '../core/result.js';
import { botSizingSchema } from '../bots/bot-config.js';
import { barSchema, orderRequestSchema } from '../bots/execution-messages.js';
import { bookView } from './paper-book.js';
import type { AccountSignal, AccountStep, PaperAccountState } from './paper-account.js';
import { attachBot, barDone, detachBot, flattenBot, newPaperAccount, placeOrders, receiveBars, resendStale } from './paper-account.js';

/** A delivery not answered for this long is sent again by the reconciliation timer. */
export const STALE_DELIVERY_MS = 60_000;

const executionSchema = z.object({
  feeRate: z.number().finite().min(0).lt(1),
  fixedFee: z.number().finite().min(0),
  slippageBps: z.number().finite().min(0).lt(10_000),
  maxVolumeShare: z.number().finite().positive().max(1).nullable(),
});

export const accountOperationSchemas = {
  attach: z.object({
    botId: z.string().min(1),
    settings: z.object({
      market: z.string().min(1),
      capital: z.number().finite().positive(),
      sizing: botSizingSchema,
      lotStep: z.number().finite().positive(),
      shortAllowed: z.boolean(),
    }),
    /** Used when this attach creates the account. */
    account: z.object({ currency: z.string().min(1), startingBalance: z.number().finite().positive(), execution: executionSchema }),
  }),
  detach: z.object({ botId: z.string().min(1) }),
  bars: z.object({ market: z.string().min(1), bars: z.array(barSchema).min(1), receivedAtMs: z.number().int().nonnegative() }),
  barDone: z.object({ botId: z.string().min(1), barTimeMs: z.number(), orders: z.array(orderRequestSchema) }),
  orders: z.object({ botId: z.string().min(1), orders: z.array(orderRequestSchema).min(1) }),
  flatten: z.object({ botId: z.string().min(1), clientOrderId: z.string().min(1), seq: z.number().int().positive() }),
  reconcile: z.object({ botId: z.string().min(1), seq: z.number().int().nonnegative(), fillsSeen: z.number().int().nonnegative() }),
  resend: z.object({ atMs: z.number().int().nonnegative() }),
} as const;

export type AccountOperation = keyof typeof accountOperationSchemas;

export type AccountOutSignal = AccountSignal | { readonly op: 'reconcileResult'; readonly botId: string; readonly input: unknown };

export interface AccountOperationResult {
  /** null: the account does not exist (and the operation did not create it). */
  readonly state: PaperAccountState | null;
  readonly signals: readonly AccountOutSignal[];
  /** What was ignored and why, for the log. */
  readonly notes: readonly string[];
}

const done = (step: AccountStep): Result<AccountOperationResult> => ok({ state: step.state, signals: step.outbox, notes: step.notes });

export function handleAccountOperation(
  current: PaperAccountState | undefined,
  key: { tenantId: string; connectionId: string },
  operation: string,
  rawInput: unknown,
  nowMs: number,
): Result<AccountOperationResult> {
  if (!(operation in accountOperationSchemas)) return err(appError('ACCOUNT.UNKNOWN_OPERATION', `account: unknown operation "${operation}".`));
  const op = operation as AccountOperation;
  const parsed = accountOperationSchemas[op].safeParse(rawInput);
  if (!parsed.success) {
    return err(appError('ACCOUNT.INVALID_INPUT', `account.${op}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ')}`));
  }
  if (op === 'attach') {
    const input = accountOperationSchemas.attach.parse(parsed.data);
    const account = current ?? newPaperAccount({ tenantId: key.tenantId, connectionId: key.connectionId, ...input.account });
    return done(attachBot(account, input.botId, input.settings));
  }
  if (!current) return ok({ state: null, signals: [], notes: [`account ${key.connectionId} does not exist: ${op} ignored`] });
  switch (op) {
    case 'detach':
      return done(detachBot(current, accountOperationSchemas.detach.parse(parsed.data).botId, nowMs));
    case 'bars': {
      const input = accountOperationSchemas.bars.parse(parsed.data);
      return done(receiveBars(current, input.market, input.bars, input.receivedAtMs, nowMs));
    }
    case 'barDone': {
      const input = accountOperationSchemas.barDone.parse(parsed.data);
      return done(barDone(current, input.botId, input.barTimeMs, input.orders, nowMs));
    }
    case 'orders': {
      const input = accountOperationSchemas.orders.parse(parsed.data);
      return done(placeOrders(current, input.botId, input.orders, nowMs));
    }
    case 'flatten': {
      const input = accountOperationSchemas.flatten.parse(parsed.data);
      return done(flattenBot(current, input.botId, input, nowMs));
    }
    case 'reconcile': {
      const input = accountOperationSchemas.reconcile.parse(parsed.data);
      const book = current.books[input.botId];
      const market = book ? current.markets[book.settings.market] : undefined;
      const awaiting = market?.inFlight?.waiting.includes(input.botId) ? market.inFlight.barTimeMs : null;
      // Anything stuck is sent again first, so the bot's next view explains the drift.
      const resent = resendStale(current, nowMs, STALE_DELIVERY_MS);
      const state = book ? { ...resent.state, books: { ...resent.state.books, [input.botId]: { ...book, lastReconcileAtMs: nowMs } } } : resent.state;
      const answer = { op: 'reconcileResult' as const, botId: input.botId, input: { atMs: nowMs, attached: book?.attached ?? false, view: book ? bookView(book) : null, awaitingBarTimeMs: awaiting } };
      return ok({ state, signals: [...resent.outbox, answer], notes: [] });
    }
    case 'resend':
      return done(resendStale(current, nowMs, STALE_DELIVERY_MS));
  }
}
