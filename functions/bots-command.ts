/**
 * `POST /api/bots/{id}/{command}`, shared by bots-start/pause/resume/stop/kill: 404 for a bot the
 * tenant does not have, 409 `BOT.INVALID_TRANSITION` (details: current state, command, states it is
 * valid in) when the state does not allow the command — checked before anything else — then the
 * command's own checks, then the command is signalled and the answer is `202` with the bot's state
 * after it (`applied: false` with the last state read if the entity had not reached it in time).
 */
import { app } from '@azure/functions';
import type { z } from 'zod';
import type { BotCommand } from '../shared/bots/bot-machine.js';
import type { BotEntityState } from '../shared/bots/bot-operations.js';
import type { AuthContext } from '../shared/auth/auth-context.js';
import { ok, type Result } from '../shared/core/result.js';
import { apiFunction } from '../shared/http/api-function.js';
import type { ApiServices } from '../shared/http/api-services.js';
import { botIdParams, type BotApiCommand } from '../shared/schemas/bots-schemas.js';
import { botViewFromEntity, type BotCommandAnswer } from '../shared/schemas/bots-views.js';
import { entityPortFor, withDurableClient } from './bots-durable.js';
import { actorOf, botNotFound, botServices, checkTransition, connectionModes, sendBotCommand, TenantBotEntities, type BotServices } from './bots-support.js';
import * as runtime from './runtime.js';

export interface PrepareCall<B> {
  readonly auth: AuthContext;
  readonly body: B;
  readonly state: BotEntityState;
  readonly services: ApiServices;
  readonly bots: BotServices;
  readonly actor: string;
  readonly nowMs: number;
}

export interface PreparedCommand {
  readonly command: BotCommand;
  /** Entity input besides the command metadata. */
  readonly input: Readonly<Record<string, unknown>>;
}

export interface BotCommandSpec<B> {
  readonly command: BotApiCommand;
  readonly body?: z.ZodType<B>;
  /** Checks beyond the state machine (kill switch, connection) and the command to send. */
  prepare(call: PrepareCall<B>): Promise<Result<PreparedCommand>>;
  /** Runs after the command was applied (the kill switch re-check of start and resume). */
  after?(call: PrepareCall<B> & { readonly entities: TenantBotEntities; readonly stateAfter: BotEntityState }): Promise<Result<void>>;
}

export function registerBotCommand<B>(spec: BotCommandSpec<B>): void {
  app.http(
    `bots-${spec.command}`,
    withDurableClient(
      apiFunction(runtime, {
        methods: ['POST'],
        route: `bots/{id}/${spec.command}`,
        auth: { allow: 'principal-or-token', scope: 'trade' },
        params: botIdParams,
        ...(spec.body ? { body: spec.body } : {}),
        handle: async ({ auth, params, body, request, services, nowMs, log }) => {
          const bots = await botServices();
          const entities = new TenantBotEntities(entityPortFor(request), auth.tenantId);
          const state = await entities.read(params.id);
          if (!state) return botNotFound();
          const valid = checkTransition(state, spec.command);
          if (!valid.ok) return valid;
          const call: PrepareCall<B> = { auth, body, state, services, bots, actor: actorOf(auth), nowMs };
          const prepared = await spec.prepare(call);
          if (!prepared.ok) return prepared;
          const sent = await sendBotCommand({
            entities, records: bots.records, botId: params.id, state, command: prepared.value.command, operation: spec.command, input: prepared.value.input,
          });
          if (!sent.ok) return sent;
          const stateAfter = sent.value.state ?? state;
          log.info(`bot ${params.id}: ${spec.command} by ${call.actor} (${sent.value.applied ? `now ${stateAfter.machine.status}` : 'not applied yet'})`);
          if (spec.after && sent.value.applied) {
            const after = await spec.after({ ...call, entities, stateAfter });
            if (!after.ok) return after;
          }
          const modes = await connectionModes(services.connections, auth.tenantId, [stateAfter.machine.config.connectionId]);
          const answer: BotCommandAnswer = {
            commandId: sent.value.commandId,
            applied: sent.value.applied,
            bot: botViewFromEntity(stateAfter, modes.get(stateAfter.machine.config.connectionId) ?? null),
          };
          return ok({ status: 202, body: answer });
        },
      }),
    ),
  );
}
