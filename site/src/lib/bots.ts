/** What the bot pages need to know about bot states and commands (mirrors the bot state machine). */
import type { BotView } from '../../../shared/schemas/bots-views.js';

export type BotStatus = BotView['status'];
export type BotCommand = 'start' | 'pause' | 'resume' | 'stop' | 'kill';

/** Commands offered per state; the API still decides (409 BOT.INVALID_TRANSITION otherwise). */
export const COMMANDS_IN: Readonly<Record<BotStatus, readonly BotCommand[]>> = {
  draft: ['start'],
  running: ['pause', 'stop', 'kill'],
  paused: ['resume', 'stop', 'kill'],
  halted: ['resume', 'stop', 'kill'],
  stopping: ['kill'],
  stopped: ['start'],
  faulted: ['stop', 'kill'],
};

export const COMMAND_LABEL: Readonly<Record<BotCommand, string>> = { start: 'Start', pause: 'Pause', resume: 'Resume', stop: 'Stop', kill: 'Kill' };

/** States in which the bot may change by itself, so its page keeps refreshing. */
export const isLive = (s: BotStatus): boolean => s === 'running' || s === 'paused' || s === 'halted' || s === 'stopping';

export const marketText = (b: Pick<BotView, 'market'>): string => `${b.market.symbol} ${b.market.timeframe} on ${b.market.exchange}`;
