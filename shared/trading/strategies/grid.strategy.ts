/**
 * Grid trading: a fixed ladder of price levels. Long-only, every level below the price holds a limit
 * buy; each filled lot gets a limit sell one level up; when it sells, the level re-arms. With shorts,
 * the grid is neutral around the starting price: levels below it trade long as above, levels above it
 * sell short and buy back one level down.
 *
 * The strategy learns about fills only through its context (working order tags and the position), so
 * each level's order carries the tag `grid-<level>`. A tag that disappeared means its order filled
 * (or was refused); the change in position says how many entries really filled. All entries ask for
 * the same quantity, so every fill has the same size and exits name exactly that size.
 */
import { z } from 'zod';
import type { Bar } from '../types.js';
import type { OrderIntent, StepResult, Strategy, StrategyContext } from './strategy.js';
import { NO_INTENTS, STRATEGY_API_VERSION } from './strategy.js';

const MAX_LEVELS = 1000;
/** Share of equity the automatic size may commit when every entry level of one side is filled. */
const AUTO_SIZE_SHARE = 0.95;

const IDLE = 0;
const ENTRY_WORKING = 1;
const EXIT_WORKING = 2;
/** Transient, inside one step: the entry's tag disappeared and the fill is not yet attributed. */
const ENTRY_GONE = 3;

export const gridParamsSchema = z
  .strictObject({
    lower: z.number().min(0, 'lower must be a positive price (or 0 for automatic)').default(0),
    upper: z.number().min(0, 'upper must be a positive price (or 0 for automatic)').default(0),
    rangePct: z.number().gt(0, 'rangePct must be above 0').lt(100, 'rangePct must be below 100').default(10),
    levels: z.number().int('levels must be an integer').min(2, 'levels must be at least 2').max(MAX_LEVELS, `levels must be at most ${MAX_LEVELS}`).default(10),
    step: z.number().min(0, 'step must be at least 0 (0: use levels)').default(0),
    quantityPerLevel: z.number().min(0, 'quantityPerLevel must be at least 0 (0: automatic)').default(0),
    allowShort: z.boolean().default(false),
  })
  .refine((p) => (p.lower === 0) === (p.upper === 0), { message: 'set both lower and upper, or neither', path: ['lower'] })
  .refine((p) => p.lower === 0 || p.upper === 0 || p.upper > p.lower, { message: 'upper must be above lower', path: ['upper'] })
  .refine((p) => p.step === 0 || (p.lower > 0 && p.upper > 0), { message: 'step needs explicit lower and upper', path: ['step'] })
  .refine((p) => p.step === 0 || p.lower === 0 || p.upper <= p.lower || p.upper - p.lower >= p.step, {
    message: 'step must fit at least two levels between lower and upper',
    path: ['step'],
  })
  .refine((p) => p.step === 0 || p.lower === 0 || p.upper <= p.lower || (p.upper - p.lower) / p.step < MAX_LEVELS, {
    message: `step is too small: at most ${MAX_LEVELS} levels`,
    path: ['step'],
  });

export type GridParams = z.infer<typeof gridParamsSchema>;

export interface GridState {
  /** Levels are laid out on the first bar (automatic range and size need its close and equity). */
  initialized: boolean;
  /** Level prices, ascending. */
  levels: number[];
  /** Per level: 1 buys (exit one level up), -1 sells short (exit one level down), 0 no entry. */
  levelSide: number[];
  /** Per level: 0 idle, 1 entry working, 2 exit working. */
  phase: number[];
  tags: string[];
  /** Units every entry asks for. */
  quantity: number;
  /** Units one entry actually filled (after lot rounding); 0 until the first fill. */
  fillQty: number;
  /** Orders this strategy believes are working; a different count in the context means something filled. */
  workingCount: number;
  /** Signed position at the previous step. */
  lastSignedQty: number;
  /** Lowest idle buy level and highest idle short level: the price moving past them arms an order. */
  minIdleLong: number;
  maxIdleShort: number;
}

function formatPrice(price: number): string {
  return String(Number(price.toPrecision(10)));
}

function initialize(state: GridState, close: number, ctx: StrategyContext, params: GridParams): void {
  const lower = params.lower > 0 ? params.lower : close * (1 - params.rangePct / 100);
  const upper = params.upper > 0 ? params.upper : close * (1 + params.rangePct / 100);
  const count = params.step > 0 ? Math.floor((upper - lower) / params.step + 1e-9) + 1 : params.levels;
  const spacing = params.step > 0 ? params.step : (upper - lower) / (count - 1);
  const shorts = params.allowShort && ctx.shortAllowed;
  // Neutral grid: the level nearest the first close separates the long levels from the short ones.
  const centre = shorts ? Math.min(count - 1, Math.max(0, Math.round((close - lower) / spacing))) : count - 1;
  let longCost = 0;
  let shortCost = 0;
  for (let i = 0; i < count; i++) {
    const price = i === count - 1 && params.step === 0 ? upper : lower + i * spacing;
    const side = i < centre ? 1 : i > centre ? -1 : 0;
    state.levels.push(price);
    state.levelSide.push(side);
    state.phase.push(IDLE);
    state.tags.push(`grid-${i}`);
    if (side > 0) longCost += price;
    else if (side < 0) shortCost += price;
  }
  const cost = Math.max(longCost, shortCost);
  state.quantity = params.quantityPerLevel > 0 ? params.quantityPerLevel : cost > 0 ? (AUTO_SIZE_SHARE * ctx.equity) / cost : 0;
  state.initialized = true;
  refresh(state);
}

/** Recomputes the working count and the arming thresholds from the phases. */
function refresh(state: GridState): void {
  const { levels, levelSide, phase } = state;
  let working = 0;
  let minIdleLong = Number.MAX_VALUE;
  let maxIdleShort = 0;
  for (let i = 0; i < levels.length; i++) {
    if (phase[i] !== IDLE) working++;
    else if (levelSide[i]! > 0) minIdleLong = Math.min(minIdleLong, levels[i]!);
    else if (levelSide[i]! < 0) maxIdleShort = Math.max(maxIdleShort, levels[i]!);
  }
  state.workingCount = working;
  state.minIdleLong = minIdleLong;
  state.maxIdleShort = maxIdleShort;
}

function exitIntent(state: GridState, i: number): OrderIntent {
  const long = state.levelSide[i]! > 0;
  const target = state.levels[long ? i + 1 : i - 1]!;
  const entry = formatPrice(state.levels[i]!);
  return {
    kind: 'exit',
    type: 'limit',
    price: target,
    quantity: state.fillQty,
    tag: state.tags[i]!,
    reason: long
      ? `Grid level ${i} bought at ${entry}: sell at level ${i + 1} (${formatPrice(target)})`
      : `Grid level ${i} sold short at ${entry}: buy back at level ${i - 1} (${formatPrice(target)})`,
  };
}

/**
 * Works out which of this strategy's orders filled since the last step and places the exits of the
 * new lots. Exits that disappeared sold (or bought back) exactly `fillQty`; whatever else the position
 * moved by came from entries, all of one size, so it says how many of the vanished entries filled.
 * When fewer filled than vanished (an order refused for lack of funds), the ones nearest the market
 * are taken as filled: falling prices reach the highest buy first.
 */
function reconcile(state: GridState, ctx: StrategyContext, signedQty: number, out: OrderIntent[]): void {
  const { phase, levelSide, tags } = state;
  const working = ctx.workingOrderTags;
  const n = phase.length;
  let exitDelta = 0;
  let longGone = 0;
  let shortGone = 0;
  for (let i = 0; i < n; i++) {
    const p = phase[i]!;
    if (p === IDLE || working.includes(tags[i]!)) continue;
    if (p === EXIT_WORKING) {
      exitDelta -= levelSide[i]! * state.fillQty;
      phase[i] = IDLE;
    } else {
      phase[i] = ENTRY_GONE;
      if (levelSide[i]! > 0) longGone++;
      else shortGone++;
    }
  }
  if (longGone + shortGone === 0) return;
  const entryDelta = signedQty - state.lastSignedQty - exitDelta;
  const direction = entryDelta > 0 ? 1 : entryDelta < 0 ? -1 : 0;
  const candidates = direction > 0 ? longGone : direction < 0 ? shortGone : 0;
  if (state.fillQty === 0 && candidates > 0) state.fillQty = Math.abs(entryDelta) / candidates;
  let fills = state.fillQty > 0 ? Math.min(candidates, Math.round(Math.abs(entryDelta) / state.fillQty)) : 0;
  if (direction > 0) {
    for (let i = n - 1; i >= 0 && fills > 0; i--) {
      if (phase[i] === ENTRY_GONE && levelSide[i]! > 0) {
        phase[i] = EXIT_WORKING;
        out.push(exitIntent(state, i));
        fills--;
      }
    }
  } else if (direction < 0) {
    for (let i = 0; i < n && fills > 0; i++) {
      if (phase[i] === ENTRY_GONE && levelSide[i]! < 0) {
        phase[i] = EXIT_WORKING;
        out.push(exitIntent(state, i));
        fills--;
      }
    }
  }
  for (let i = 0; i < n; i++) if (phase[i] === ENTRY_GONE) phase[i] = IDLE;
}

/** Places entries on idle levels the price has moved past: buys below the close, shorts above it. */
function arm(state: GridState, close: number, ctx: StrategyContext, out: OrderIntent[]): void {
  const { levels, levelSide, phase } = state;
  if (!(state.quantity > 0)) return;
  for (let i = 0; i < levels.length; i++) {
    if (phase[i] !== IDLE) continue;
    const side = levelSide[i]!;
    const price = levels[i]!;
    if (side > 0 && close > price) {
      phase[i] = ENTRY_WORKING;
      out.push({
        kind: 'entry',
        side: 'long',
        type: 'limit',
        price,
        sizing: { mode: 'quantity', value: state.quantity },
        tag: state.tags[i]!,
        reason: `Grid level ${i}: buy at ${formatPrice(price)}, to sell one level up`,
      });
    } else if (side < 0 && close < price && ctx.shortAllowed) {
      phase[i] = ENTRY_WORKING;
      out.push({
        kind: 'entry',
        side: 'short',
        type: 'limit',
        price,
        sizing: { mode: 'quantity', value: state.quantity },
        tag: state.tags[i]!,
        reason: `Grid level ${i}: sell short at ${formatPrice(price)}, to buy back one level down`,
      });
    }
  }
}

export const gridStrategy: Strategy<GridParams, GridState> = {
  apiVersion: STRATEGY_API_VERSION,
  id: 'grid',
  name: 'Grid',
  description: [
    'A fixed ladder of price levels from `lower` to `upper`: `levels` evenly spaced prices, or every `step`',
    'from `lower`. Without `lower`/`upper` the ladder spans the first close ± `rangePct`%.',
    '',
    '- **Long grid** (default): every level except the top holds a limit buy while the price is above it.',
    '  When a buy fills, a limit sell for that lot is placed one level up; when it sells, the level re-arms',
    '  (its buy is placed again once the close is above it).',
    '- **Neutral grid** (`allowShort` on a market that allows shorting): the level nearest the first close',
    '  splits the ladder. Levels below it trade long as above; levels above it hold a limit sell-short while',
    '  the price is below them, and each short lot is bought back one level down.',
    '- Every entry asks for `quantityPerLevel` units (0: automatic, chosen on the first bar so that filling',
    '  every entry level of one side commits 95% of equity). Quantities are rounded down to the market\'s lot',
    '  by the engine; all lots are the same size.',
    '- Orders are tagged `grid-<level>`. Nothing is sold below its buy level: there is no stop, so a price',
    '  that leaves the ladder downwards leaves every long lot open.',
    '',
    '| param | default | meaning |',
    '|---|---|---|',
    '| `lower` | 0 | lowest level price; 0 = first close × (1 − `rangePct`/100) |',
    '| `upper` | 0 | highest level price; 0 = first close × (1 + `rangePct`/100) |',
    '| `rangePct` | 10 | half-width of the automatic range, % of the first close |',
    '| `levels` | 10 | number of levels including both ends (2–1000) |',
    '| `step` | 0 | spacing in price; > 0 replaces `levels` (needs `lower` and `upper`) |',
    '| `quantityPerLevel` | 0 | units per order; 0 = automatic from equity |',
    '| `allowShort` | false | neutral grid with short levels above the start |',
  ].join('\n'),
  paramsSchema: gridParamsSchema,

  warmup() {
    return 1;
  },

  initialState() {
    return {
      initialized: false,
      levels: [],
      levelSide: [],
      phase: [],
      tags: [],
      quantity: 0,
      fillQty: 0,
      workingCount: 0,
      lastSignedQty: 0,
      minIdleLong: Number.MAX_VALUE,
      maxIdleShort: 0,
    };
  },

  step(state: GridState, bar: Bar, ctx: StrategyContext, params: GridParams): StepResult<GridState> {
    if (!state.initialized) initialize(state, bar.close, ctx, params);
    const close = bar.close;
    const signedQty = ctx.positionSide * ctx.positionQty;
    const changed = ctx.workingOrderTags.length !== state.workingCount || signedQty !== state.lastSignedQty;
    if (!changed && !(close > state.minIdleLong) && !(close < state.maxIdleShort)) return { state, intents: NO_INTENTS };
    const out: OrderIntent[] = [];
    if (changed) reconcile(state, ctx, signedQty, out);
    arm(state, close, ctx, out);
    refresh(state);
    state.lastSignedQty = signedQty;
    return { state, intents: out.length === 0 ? NO_INTENTS : out };
  },
};
