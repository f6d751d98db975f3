/**
 * Quantity arithmetic for fills: how many units a budget buys, rounded down to the lot step.
 *
 * The reference semantics (docs/backtesting.md) must reproduce established tools to the last digit,
 * so the floor division mirrors CPython's float `//`, which is exact where `Math.floor(a / b)` can
 * round a quotient just below an integer up to that integer and buy one unit too many.
 */

/** CPython's `a // b` for floats (Objects/floatobject.c `_float_div_mod`). */
export function floorDiv(a: number, b: number): number {
  const mod = a % b; // JS `%` is C fmod: exact, sign of the dividend
  let div = (a - mod) / b;
  if (mod !== 0 && b < 0 !== mod < 0) div -= 1;
  if (div === 0) return 0;
  let floored = Math.floor(div);
  if (div - floored > 0.5) floored += 1;
  return floored;
}

/**
 * Multiplies a lot count by the lot step. When the step is a decimal fraction (0.01, 0.001) dividing
 * by its inverse gives the correctly rounded decimal (7 / 10 = 0.7, where 7 × 0.1 = 0.7000000000000001).
 */
export function lotsToQuantity(lots: number, lotStep: number): number {
  if (lotStep === 1) return lots;
  const inverse = 1 / lotStep;
  const roundedInverse = Math.round(inverse);
  if (roundedInverse >= 1 && Math.abs(inverse - roundedInverse) < 1e-9 * roundedInverse) return lots / roundedInverse;
  return lots * lotStep;
}

/** Rounds a quantity down to a multiple of the lot step; never up. */
export function roundDownToLot(quantity: number, lotStep: number): number {
  if (!(quantity > 0)) return 0;
  let lots = floorDiv(quantity, lotStep);
  // A decimal step can make floorDiv see 0.3 / 0.1 as 2.9999…; accept the next lot when it reproduces the input.
  if (lotsToQuantity(lots + 1, lotStep) <= quantity) lots += 1;
  let rounded = lotsToQuantity(lots, lotStep);
  for (let k = 0; k < MAX_CORRECTIONS && lots > 0 && rounded > quantity; k++) rounded = lotsToQuantity(--lots, lotStep);
  return rounded > quantity ? shrinkBelow(quantity, lotStep) : rounded;
}

/**
 * Largest quantity (a multiple of the lot step) whose cost `units × price × (1 + rate) + fixedFee`
 * fits in `budget`. Zero when not even one lot fits.
 */
export function affordableQuantity(budget: number, price: number, rate: number, fixedFee: number, lotStep: number): number {
  const spendable = budget - fixedFee;
  if (!(spendable > 0) || !(price > 0)) return 0;
  const unitCost = price + price * rate;
  let lots = lotStep === 1 ? floorDiv(spendable, unitCost) : floorDiv(spendable, unitCost * lotStep);
  if (!(lots > 0)) return 0;
  let quantity = lotsToQuantity(lots, lotStep);
  // The lot-step product can round the cost above the budget; step down rather than overspend.
  for (let k = 0; k < MAX_CORRECTIONS && lots > 0 && quantity * unitCost > spendable; k++) quantity = lotsToQuantity(--lots, lotStep);
  return quantity * unitCost > spendable ? shrinkBelow(spendable / unitCost, lotStep) : quantity;
}

/** Rounding is off by at most one lot; more means magnitudes beyond 2^53 lots, where one lot is below float resolution. */
const MAX_CORRECTIONS = 3;

function shrinkBelow(limit: number, lotStep: number): number {
  return lotsToQuantity(Math.floor((limit / lotStep) * (1 - 1e-12)), lotStep);
}

/** Commission for one fill: relative on notional plus a fixed amount. */
export function commissionFor(quantity: number, price: number, rate: number, fixedFee: number): number {
  return fixedFee + quantity * price * rate;
}
