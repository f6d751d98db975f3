/**
 * POST /api/hooks/{hookId}: TradingView-compatible signal intake. Anonymous at the platform (alert
 * senders have no account); the hook authenticates by passphrase or signature itself. Validates,
 * records, hands the signal to the bot entity and answers — the order is placed asynchronously.
 * The checks and their statuses: shared/signals/signal-intake.ts and docs/webhooks.md.
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { createRequestLog } from '../shared/http/log-redaction.js';
import { MAX_SIGNAL_BODY_BYTES } from '../shared/signals/signal-body.js';
import { SIGNATURE_HEADER } from '../shared/signals/signal-auth.js';
import { NOT_FOUND_REPLY, type IntakeReply } from '../shared/signals/signal-intake.js';
import { HOOK_ID } from '../shared/signals/hook-records.js';
import { durableDelivery, hookServices, intakeFor, withDurableDelivery } from './hooks-runtime.js';

const BASE_HEADERS = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

async function hookIntake(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const startedMonotonicMs = performance.now();
  const receivedAtMs = Date.now();
  const log = createRequestLog({ debug: (m) => context.debug(m), info: (m) => context.info(m), warn: (m) => context.warn(m), error: (m) => context.error(m) });
  const hookId = request.params.hookId ?? '';
  // The hook id is a capability: keep it (and any passphrase or signature) out of every log line.
  log.keepSecret(hookId);
  log.keepSecret(request.headers.get(SIGNATURE_HEADER));
  if (!HOOK_ID.test(hookId)) return respond(NOT_FOUND_REPLY);
  try {
    const services = await hookServices();
    const intake = intakeFor(services, durableDelivery(context), { info: (m) => log.debug(m), warn: (m) => log.warn(m), error: (m) => log.error(m) });
    const declared = Number(request.headers.get('content-length') ?? '0');
    // Above the limit the body is not read at all; the intake answers 413 (and logs it for the owner).
    const oversize = Number.isFinite(declared) && declared > MAX_SIGNAL_BODY_BYTES;
    const bytes = oversize ? new Uint8Array(0) : new Uint8Array(await request.arrayBuffer());
    const reply = await intake.handle({
      hookId,
      bytes,
      declaredBytes: oversize ? declared : bytes.length,
      contentType: request.headers.get('content-type'),
      signature: request.headers.get(SIGNATURE_HEADER),
      forwardedFor: request.headers.get('x-forwarded-for'),
      receivedAtMs,
      startedMonotonicMs,
    });
    return respond(reply);
  } catch (e) {
    log.error(`hook intake failed (ref ${context.invocationId}): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return { status: 503, jsonBody: { error: { code: 'SIGNAL.UNAVAILABLE', message: `The signal could not be processed (ref ${context.invocationId}); retry.` } }, headers: BASE_HEADERS };
  }
}

function respond(reply: IntakeReply): HttpResponseInit {
  return { status: reply.status, jsonBody: reply.body, headers: { ...BASE_HEADERS, ...reply.headers } };
}

app.http('hooks-intake', withDurableDelivery({ methods: ['POST'], route: 'hooks/{hookId}', authLevel: 'anonymous', handler: hookIntake }));
