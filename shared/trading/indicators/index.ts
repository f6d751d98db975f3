/** Technical indicators: each has a streaming form (`xxxInit` / `xxxUpdate`) and a batch form that agree exactly. */
export * from './indicator-params.js';
export * from './indicator-state.js';
export * from './sma.js';
export * from './ema.js';
export * from './wma.js';
export * from './std-dev.js';
export * from './rsi.js';
export * from './macd.js';
export * from './bollinger.js';
export * from './atr.js';
export * from './donchian.js';
export * from './vwap.js';
