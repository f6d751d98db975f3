/**
 * POST /api/bots/{id}/signals/{signalId}/replay: runs a rejected signal again for its owner once the
 * cause is fixed (bot stopped, rate limit, control signals disabled, market mismatch …). Only
 * authenticated rejections qualify, within the hook's replay window (capped by the alert's own
 * timestamp + max_lag), and only once: the record is marked with an ETag-guarded replace before the
 * replay runs, and unmarked if the replay is rejected again so it can be retried.
 */
import { app } from '@azure/functions';
import { appError, err, ok } from '../shared/core/result.js';
import { apiFunction } from '../shared/http/api-function.js';
import type { ApiReply } from '../shared/http/api-handler.js';
import { hookServices, intakeFor, knownHook, deliveryFor, randomHex, withDurableDelivery } from './hooks-runtime.js';
import { newSignalId, signalIdParams } from '../shared/signals/signal-record.js';
import * as runtime from './runtime.js';

const notReplayable = (message: string, reason: string) => err(appError('SIGNAL.NOT_REPLAYABLE', message, { reason }));

app.http(
  'signals-replay',
  withDurableDelivery(
    apiFunction(runtime, {
      methods: ['POST'],
      route: 'bots/{id}/signals/{signalId}/replay',
      auth: { allow: 'principal-or-token', scope: 'trade' },
      params: signalIdParams,
      handle: async ({ auth, params, request, log, nowMs }) => {
        const started = performance.now();
        const svc = await hookServices();
        if (!(await svc.signals.findBot(auth.tenantId, params.id))) return err(appError('NOT_FOUND', 'No such bot.'));
        const found = await svc.signals.get(auth.tenantId, params.id, params.signalId);
        if (!found) return err(appError('NOT_FOUND', 'No such signal.'));
        const record = found.record;
        if (record.outcome !== 'rejected') return notReplayable(`Only rejected signals can be replayed; this one was ${record.outcome}.`, 'not-rejected');
        if (record.replayOf !== null) return notReplayable('This signal is itself a replay; replay the original.', 'is-replay');
        if (record.replayed !== null) return notReplayable(`This signal was replayed already (as ${record.replayed.signalId}).`, 'already-replayed');
        if (record.replayableUntilMs === null || record.payload === null) {
          return notReplayable('This signal cannot be replayed: it was not authenticated, was malformed, or its rejection is not one a fix can change.', 'not-eligible');
        }
        if (nowMs > record.replayableUntilMs) return notReplayable(`The replay window of this signal closed at ${new Date(record.replayableUntilMs).toISOString()}.`, 'window-closed');
        const binding = await svc.hooks.findBinding(auth.tenantId, params.id);
        if (!binding) return notReplayable('The bot has no webhook any more; enable it to replay signals.', 'no-hook');

        const replayId = newSignalId(nowMs, randomHex(8));
        const actor = auth.via === 'token' && auth.tokenId !== null ? `token:${auth.tokenId}` : `user:${auth.tenantId}`;
        const marked = await svc.signals.setReplayed(record, found.etag, { atMs: nowMs, by: actor, signalId: replayId });
        if (!marked.ok) return marked;
        const intake = intakeFor(svc, deliveryFor(request), { info: (m) => log.debug(m), warn: (m) => log.warn(m), error: (m) => log.error(m) });
        const result = await intake.replay(record, knownHook(binding.record, svc.signingKeys), actor, nowMs, started, replayId);
        if (result.status !== 202 && result.status !== 200) {
          // Rejected again: the owner may fix the next cause and try again.
          await svc.signals.setReplayed(marked.value.record, marked.value.etag, null);
        }
        log.info(`signal ${record.id} of bot ${params.id} replayed as ${replayId}: ${result.status}`);
        const answer: ApiReply = { status: result.status, body: result.body, ...(result.headers ? { headers: result.headers } : {}) };
        return ok(answer);
      },
    }),
  ),
);
