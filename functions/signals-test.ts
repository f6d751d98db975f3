/**
 * POST /api/bots/{id}/signals/test: the test-alert button. Builds a sample alert for the bot's market,
 * signs it with the hook's key and sends it through the whole intake (content type, signature,
 * validation, market, permissions, bot state, idempotency, log, hand-off to the bot entity) as a
 * test: the bot evaluates it like a real one — sizing, risk checks, decision event — and places
 * nothing (paper mode, dry run). Answers the intake's answer and the log entry it wrote.
 */
import { app } from '@azure/functions';
import { appError, err, ok } from '../shared/core/result.js';
import { apiFunction } from '../shared/http/api-function.js';
import { reply } from '../shared/http/api-handler.js';
import { testSignalBodySchema, hookBotParams } from '../shared/signals/hook-schemas.js';
import { signBody, SIGNATURE_HEADER } from '../shared/signals/signal-auth.js';
import { toSignalView } from '../shared/signals/signal-record.js';
import { deliveryFor, hookServices, intakeFor, randomHex, withDurableDelivery } from './hooks-runtime.js';
import * as runtime from './runtime.js';

app.http(
  'signals-test',
  withDurableDelivery(
    apiFunction(runtime, {
      methods: ['POST'],
      route: 'bots/{id}/signals/test',
      auth: { allow: 'principal-or-token', scope: 'trade' },
      params: hookBotParams,
      body: testSignalBodySchema,
      handle: async ({ auth, params, body, request, log, nowMs }) => {
        const started = performance.now();
        const svc = await hookServices();
        const bot = await svc.signals.findBot(auth.tenantId, params.id);
        if (!bot) return err(appError('NOT_FOUND', 'No such bot.'));
        const binding = await svc.hooks.findBinding(auth.tenantId, params.id);
        if (!binding) return err(appError('NOT_FOUND', 'This bot has no webhook; enable it first.'));
        log.keepSecret(binding.record.hookId);
        const sample = {
          action: body?.action ?? 'buy',
          ticker: bot.symbol,
          ...(body?.quantity !== undefined ? { quantity: body.quantity } : {}),
          id: `test-${randomHex(8)}`,
          timestamp: new Date(nowMs).toISOString(),
          comment: 'test alert from TradingTower',
        };
        const text = JSON.stringify(sample);
        const key = await svc.signingKeys.get(binding.record.signingKeySecret);
        const signature = signBody(key, Math.floor(nowMs / 1000), text);
        const intake = intakeFor(svc, deliveryFor(request), { info: (m) => log.debug(m), warn: (m) => log.warn(m), error: (m) => log.error(m) });
        const result = await intake.handle({
          hookId: binding.record.hookId,
          bytes: Buffer.from(text, 'utf8'),
          contentType: 'application/json',
          signature,
          forwardedFor: null,
          receivedAtMs: nowMs,
          startedMonotonicMs: started,
          test: true,
        });
        const logged = result.signalId ? await svc.signals.get(auth.tenantId, params.id, result.signalId) : undefined;
        return ok(
          reply.ok({
            intake: { status: result.status, body: result.body },
            request: { body: sample, headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signature } },
            signal: logged ? toSignalView(logged.record) : null,
          }),
        );
      },
    }),
  ),
);
