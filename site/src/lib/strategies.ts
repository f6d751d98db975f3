/** The strategy catalog (GET /api/strategies), loaded once per session. */
import type { StrategyView } from '../../../shared/schemas/backtest-views.js';
import type { Page } from './api.js';
import { useApi, type Loaded } from './use-api.js';

export const useStrategies = (): Loaded<Page<StrategyView>> => useApi<Page<StrategyView>>('/api/strategies');

/** The first paragraph of a strategy's markdown description, as plain text. */
export const summaryOf = (description: string): string => description.split('\n\n')[0]!.replace(/[`*]/g, '').replace(/\s+/g, ' ').trim();
