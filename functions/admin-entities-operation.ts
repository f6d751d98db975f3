/**
 * POST /api/admin/entities/{name}/{id}/{operation} (role admin; `halt` takes `{ "reason": "…" }`): an
 * operator's operation on one of the tenant's entities — for bots `forceStop` (stopped, no orders),
 * `resetFault` (faulted → paused) and `halt` (reason required, it becomes the halt message). The
 * state machine checks it like any command (409 `BOT.INVALID_TRANSITION`); the bot records it as a
 * `command` event with actor `admin:<tenant>`, which is the audit event this answer points to.
 */
import { app } from '@azure/functions';
import type { BotCommand } from '../shared/bots/bot-machine.js';
import { appError, err, ok } from '../shared/core/result.js';
import { apiFunction } from '../shared/http/api-function.js';
import { ADMIN_OPERATIONS, adminOperationBodySchema, adminOperationParams } from '../shared/schemas/bots-schemas.js';
import { ADMIN_ROUTE_PREFIX, summarize } from './admin-support.js';
import { entityPortFor, withDurableClient } from './bots-durable.js';
import { adminActorOf, botServices, checkTransition, requireAdmin, sendBotCommand, TenantBotEntities } from './bots-support.js';
import * as runtime from './runtime.js';

const invalid = (path: string, message: string) => err(appError('VALIDATION.FAILED', `The request is invalid: ${path}: ${message}.`, [{ path, message }]));

app.http(
  'admin-entities-operation',
  withDurableClient(
    apiFunction(runtime, {
      methods: ['POST'],
      route: `${ADMIN_ROUTE_PREFIX}/entities/{name}/{key}/{operation}`,
      auth: { allow: 'principal', scope: 'trade' },
      params: adminOperationParams,
      body: adminOperationBodySchema,
      handle: async ({ auth, params, body, request, nowMs, log }) => {
        const admin = requireAdmin(auth);
        if (!admin.ok) return admin;
        const allowed: readonly string[] = ADMIN_OPERATIONS[params.name];
        if (!allowed.includes(params.operation)) return invalid('operation', `is not an admin operation of ${params.name} entities (${allowed.join(', ') || 'none'})`);
        const reason = body?.reason;
        if (params.operation === 'halt' && reason === undefined) return invalid('reason', 'is required to halt a bot (it becomes the halt message)');
        if (params.operation !== 'halt' && reason !== undefined) return invalid('reason', `only goes with halt (${params.operation} records who and when)`);

        const entities = new TenantBotEntities(entityPortFor(request), auth.tenantId);
        const state = await entities.read(params.key);
        if (!state) return err(appError('NOT_FOUND', `No such ${params.name} entity.`));
        const valid = checkTransition(state, params.operation);
        if (!valid.ok) return valid;
        const actor = adminActorOf(auth);
        const base = { actor, atMs: nowMs };
        const halt = { code: 'BOT.HALTED_BY_ADMIN', message: reason ?? '' };
        const command: BotCommand = params.operation === 'halt' ? { type: 'halt', ...halt, ...base } : { type: params.operation, ...base };
        const { records } = await botServices();
        const sent = await sendBotCommand({ entities, records, botId: params.key, state, command, operation: params.operation, input: params.operation === 'halt' ? halt : {} });
        if (!sent.ok) return sent;
        log.info(`admin ${actor}: ${params.operation} on bot ${params.key} (command ${sent.value.commandId})`);

        const events = await records.listEvents(auth.tenantId, params.key, { limit: 20 }, ['command']);
        const audit = events.ok ? events.value.items.map((s) => s.record).find((e) => e.data.commandId === sent.value.commandId) : undefined;
        return ok({
          status: 202,
          body: {
            commandId: sent.value.commandId,
            applied: sent.value.applied,
            auditEvent: audit ? { id: audit.id, seq: audit.seq, type: audit.type, atMs: audit.atMs, message: audit.message, data: audit.data } : null,
            summary: summarize('bot', sent.value.state ?? state),
          },
        });
      },
    }),
  ),
);
