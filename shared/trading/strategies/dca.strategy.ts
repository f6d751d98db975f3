/**
 * Dollar-cost averaging in cycles: a base order, then a fixed-notional order every `intervalBars`
 * bars and optional safety orders when the price moves against the last order, until the whole
 * position can be closed `takeProfitPct` beyond its average entry; then the next cycle starts.
 */
import { z } from 'zod';
import type { Bar } from '../types.js';
import type { OrderIntent, StepResult, Strategy, StrategyContext } from './strategy.js';
import { NO_INTENTS, STRATEGY_API_VERSION } from './strategy.js';

export const dcaParamsSchema = z.strictObject({
  orderNotional: z.number().positive('orderNotional must be positive').default(1000),
  intervalBars: z.number().int('intervalBars must be an integer').min(1, 'intervalBars must be at least 1').default(7),
  maxOrders: z.number().int('maxOrders must be an integer').min(1, 'maxOrders must be at least 1').default(8),
  safetyOrders: z.number().int('safetyOrders must be an integer').min(0, 'safetyOrders must be at least 0').default(0),
  deviationPct: z.number().gt(0, 'deviationPct must be above 0').lt(100, 'deviationPct must be below 100').default(3),
  safetyScale: z.number().positive('safetyScale must be positive').max(10, 'safetyScale must be at most 10').default(1),
  takeProfitPct: z.number().gt(0, 'takeProfitPct must be above 0').lt(100, 'takeProfitPct must be below 100').default(5),
  direction: z.enum(['long', 'short'], 'direction must be "long" or "short"').default('long'),
});

export type DcaParams = z.infer<typeof dcaParamsSchema>;

export interface DcaState {
  /** Orders placed in the current cycle; 0 when no cycle is running. */
  orders: number;
  safetyUsed: number;
  /** Bars since the base or the last scheduled order. */
  barsSinceScheduled: number;
  /** Decision close of the cycle's last order: safety orders measure the deviation from it. */
  lastOrderClose: number;
  /** The take-profit exit is on its way; the next cycle starts once the position is closed. */
  exiting: boolean;
}

interface DcaIntents {
  readonly base: readonly OrderIntent[];
  readonly scheduled: readonly OrderIntent[];
}

const intentsByParams = new WeakMap<DcaParams, DcaIntents>();

function intentsFor(p: DcaParams): DcaIntents {
  let intents = intentsByParams.get(p);
  if (intents === undefined) {
    const side = p.direction;
    const verb = side === 'long' ? 'buy' : 'sell short';
    const sizing = Object.freeze({ mode: 'notional', value: p.orderNotional } as const);
    intents = {
      base: Object.freeze([
        Object.freeze({ kind: 'entry', side, type: 'market', sizing, reason: `DCA cycle start: ${verb} ${p.orderNotional} worth` } as const),
      ]),
      scheduled: Object.freeze([
        Object.freeze({
          kind: 'entry',
          side,
          type: 'market',
          sizing,
          reason: `DCA scheduled order (every ${p.intervalBars} bars): ${verb} ${p.orderNotional} worth`,
        } as const),
      ]),
    };
    intentsByParams.set(p, intents);
  }
  return intents;
}

function formatPrice(price: number): string {
  return String(Number(price.toPrecision(8)));
}

function startCycle(state: DcaState, close: number): void {
  state.orders = 1;
  state.safetyUsed = 0;
  state.barsSinceScheduled = 0;
  state.lastOrderClose = close;
  state.exiting = false;
}

export const dcaStrategy: Strategy<DcaParams, DcaState> = {
  apiVersion: STRATEGY_API_VERSION,
  id: 'dca',
  name: 'Dollar-cost averaging',
  description: [
    'Accumulates a position in cycles with fixed-notional market orders (sizing mode `notional`).',
    '',
    '- **Base order**: when no cycle is running, buy `orderNotional` worth.',
    '- **Scheduled orders**: every `intervalBars` bars after the base (or the last scheduled) order, buy',
    '  `orderNotional` worth again.',
    '- **Safety orders** (up to `safetyOrders` per cycle): when the close is `deviationPct`% or more below the',
    '  decision close of the cycle\'s last order, buy `orderNotional` × `safetyScale`^k worth (k = 1, 2, …).',
    '- At most `maxOrders` orders per cycle (base, scheduled and safety together).',
    '- **Take profit**: when the close is at least `takeProfitPct`% above the position\'s average entry price,',
    '  close the whole position; once it is closed the next cycle starts with a new base order.',
    '- `direction: short` mirrors everything (sell short, safety orders on rises, take profit below the',
    '  average entry); it only acts where the market allows shorting. DCA accumulates one side by design, so',
    '  it has a `direction` rather than an `allowShort` switch.',
    '- There is no stop-loss: a cycle can stay open indefinitely.',
    '',
    'Orders are decided at the close and filled at the next open. Quantities are `notional / fill price`,',
    'rounded down to the market\'s lot; an order the account cannot pay for is refused by the engine.',
    '',
    '| param | default | meaning |',
    '|---|---|---|',
    '| `orderNotional` | 1000 | quote currency per base or scheduled order |',
    '| `intervalBars` | 7 | bars between scheduled orders |',
    '| `maxOrders` | 8 | most orders in one cycle |',
    '| `safetyOrders` | 0 | most safety orders in one cycle (0 disables them) |',
    '| `deviationPct` | 3 | adverse move from the last order that triggers a safety order, % |',
    '| `safetyScale` | 1 | notional multiplier per successive safety order |',
    '| `takeProfitPct` | 5 | exit when the close is this % beyond the average entry |',
    '| `direction` | long | `long` or `short` |',
  ].join('\n'),
  paramsSchema: dcaParamsSchema,

  warmup() {
    return 1;
  },

  initialState() {
    return { orders: 0, safetyUsed: 0, barsSinceScheduled: 0, lastOrderClose: 0, exiting: false };
  },

  step(state: DcaState, bar: Bar, ctx: StrategyContext, params: DcaParams): StepResult<DcaState> {
    const dir = params.direction === 'long' ? 1 : -1;
    if (dir < 0 && !ctx.shortAllowed) return { state, intents: NO_INTENTS };
    const close = bar.close;
    const held = ctx.positionSide === dir;
    if (state.exiting) {
      if (held) return { state, intents: NO_INTENTS };
      state.orders = 0;
      state.exiting = false;
    }
    if (state.orders === 0) {
      startCycle(state, close);
      return { state, intents: intentsFor(params).base };
    }
    state.barsSinceScheduled++;
    if (held) {
      const average = ctx.positionEntryPrice;
      const target = average * (1 + (dir * params.takeProfitPct) / 100);
      if (dir > 0 ? close >= target : close <= target) {
        state.exiting = true;
        const reason = `DCA take profit: close ${formatPrice(close)} is ${params.takeProfitPct}% or more ${dir > 0 ? 'above' : 'below'} the average entry ${formatPrice(average)}`;
        return { state, intents: [{ kind: 'exit', type: 'market', reason }] };
      }
    }
    if (state.orders >= params.maxOrders) return { state, intents: NO_INTENTS };
    if (state.barsSinceScheduled >= params.intervalBars) {
      state.barsSinceScheduled = 0;
      state.orders++;
      state.lastOrderClose = close;
      return { state, intents: intentsFor(params).scheduled };
    }
    if (state.safetyUsed < params.safetyOrders) {
      const last = state.lastOrderClose;
      const trigger = last * (1 - (dir * params.deviationPct) / 100);
      if (dir > 0 ? close <= trigger : close >= trigger) {
        const k = ++state.safetyUsed;
        state.orders++;
        state.lastOrderClose = close;
        const value = params.orderNotional * params.safetyScale ** k;
        const reason = `DCA safety order ${k}: close ${formatPrice(close)} is ${params.deviationPct}% or more ${dir > 0 ? 'below' : 'above'} the last order at ${formatPrice(last)}; ${dir > 0 ? 'buy' : 'sell short'} ${formatPrice(value)} worth`;
        return { state, intents: [{ kind: 'entry', side: params.direction, type: 'market', sizing: { mode: 'notional', value }, reason }] };
      }
    }
    return { state, intents: NO_INTENTS };
  },
};
