/**
 * What engaging the tenant's kill switch does to one bot, shared by `POST /api/kill-switch` and by the
 * start/resume routes (which re-check the switch after their command, closing the race with an
 * engagement that ran while they were in flight). Each bot gets exactly one operation:
 *
 * | state | flatten: false | flatten: true |
 * |---|---|---|
 * | running, paused, halted, faulted | `stop { closePosition: false }` (cancel orders, detach) | `kill` (cancel orders, flatten now) |
 * | stopping | `kill` (it was closing its position anyway; `stop` is not valid there) | `kill` |
 * | draft, stopped | nothing | nothing |
 */
import type { BotCommand, BotStatus } from '../shared/bots/bot-machine.js';
import type { BotEntityState } from '../shared/bots/bot-operations.js';
import type { BotRecordsRepository } from '../shared/adapters/cosmos/bot-records-repository.js';
import type { KillSwitchBotAction, KillSwitchRecord } from '../shared/adapters/cosmos/kill-switch-repository.js';
import type { KillSwitchView } from '../shared/schemas/bots-views.js';
import type { AuthContext } from '../shared/auth/auth-context.js';
import { appError, err, ok, type AppError, type Result } from '../shared/core/result.js';
import { sendBotCommand, type BotServices, type TenantBotEntities } from './bots-support.js';

export const KILL_SWITCH_ACTOR = 'system:kill-switch';

export function killSwitchActionFor(status: BotStatus, flatten: boolean): KillSwitchBotAction['action'] {
  switch (status) {
    case 'running':
    case 'paused':
    case 'halted':
    case 'faulted':
      return flatten ? 'kill' : 'stop';
    case 'stopping':
      return 'kill';
    case 'draft':
    case 'stopped':
      return 'none';
  }
}

export const killSwitchEngaged = (): AppError =>
  appError('KILL_SWITCH.ENGAGED', 'The kill switch is engaged: no bot may start or resume until it is released (POST /api/kill-switch with engaged: false).');

/** Sends the bot its one kill-switch operation and reports what happened. */
export async function applyKillSwitch(
  entities: TenantBotEntities,
  records: BotRecordsRepository,
  state: BotEntityState,
  flatten: boolean,
  nowMs: number,
): Promise<KillSwitchBotAction> {
  const action = killSwitchActionFor(state.machine.status, flatten);
  const statusBefore = state.machine.status;
  if (action === 'none') return { botId: state.botId, action, statusBefore, statusAfter: statusBefore };
  const base = { actor: KILL_SWITCH_ACTOR, atMs: nowMs };
  const command: BotCommand = action === 'kill' ? { type: 'kill', ...base } : { type: 'stop', closePosition: false, ...base };
  const sent = await sendBotCommand({
    entities, records, botId: state.botId, state, command, operation: action, input: action === 'stop' ? { closePosition: false } : {},
  });
  // A rejection means the bot changed state in between (e.g. it stopped by itself): report where it is now.
  if (!sent.ok) return { botId: state.botId, action, statusBefore, statusAfter: (await entities.read(state.botId))?.machine.status ?? null };
  return { botId: state.botId, action, statusBefore, statusAfter: sent.value.applied ? (sent.value.state?.machine.status ?? null) : null };
}

/**
 * After a start or resume: if the switch was engaged meanwhile, the engagement may have read the bot
 * before this command reached it, so stop it here and refuse.
 */
export async function recheckKillSwitch(call: {
  readonly auth: AuthContext;
  readonly bots: BotServices;
  readonly entities: TenantBotEntities;
  readonly stateAfter: BotEntityState;
}): Promise<Result<void>> {
  const killSwitch = await call.bots.killSwitch.get(call.auth.tenantId);
  if (!killSwitch.record.engaged) return ok(undefined);
  const action = await applyKillSwitch(call.entities, call.bots.records, call.stateAfter, killSwitch.record.flatten, Date.now());
  return err(appError('KILL_SWITCH.ENGAGED', 'The kill switch was engaged while this command ran; the bot has been stopped again.', { state: action.statusAfter }));
}

export const toKillSwitchView = (record: KillSwitchRecord): KillSwitchView => ({
  engaged: record.engaged,
  flatten: record.flatten,
  changedBy: record.changedBy,
  changedAtMs: record.changedAtMs,
  engagedAtMs: record.engagedAtMs,
  lastRun: record.lastRun,
});
