export * from './indicator-params.js';
export * from './sma.js';
export * from './ema.js';
