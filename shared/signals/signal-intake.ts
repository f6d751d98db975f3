/**
 * The webhook intake, end to end, over ports (storage, secret store, bot entity, clock), so the same
 * code runs behind `POST /api/hooks/{hookId}`, the owner's replay and the test alert, and unit tests
 * drive it with fakes.
 *
 * Order of checks (each failure answers at once and, from step 2 on, is logged):
 *  1. hook id well-formed and known, else 404 (same answer for malformed, unknown and rotated ids)
 *  2. body ≤ 16 KB (413) · source address on the allowlist (403) · content type (415)
 *  3. authentication: `X-TT-Signature` over the raw bytes, or the body passphrase (401)
 *  4. payload syntax and fields (400 with field errors) · alert age (`timestamp`/`max_lag`, 401)
 *  5. per-hook rate limit (429 + Retry-After); only authenticated signals spend tokens, so junk sent
 *     to a leaked URL cannot starve the real alerts
 *  6. ticker matches the bot's market (400) · action allowed for this bot/hook (403) · bot state (409)
 *  7. idempotency: the alert `id` (else the body) claimed for 24 h; a repeat answers 200 `duplicate`
 *  8. hand-off to the bot entity (the order is placed asynchronously), log, answer 202.
 */
import { createHash } from 'node:crypto';
import type { BotSignalInput, SignalOrder } from '../bots/signal-order.js';
import { isControlAction, isTradingAction } from '../bots/signal-order.js';
import type { AppError } from '../core/result.js';
import { appError } from '../core/result.js';
import { statusForCode } from '../http/error-status.js';
import type { HookBindingRecord } from './hook-records.js';
import { HOOK_ID } from './hook-records.js';
import { clientAddress, isAllowed } from './ip-allowlist.js';
import { AUTH_CODES, checkAlertAge, passphraseMatches, verifySignature } from './signal-auth.js';
import { bodySecret, decodeSignalBody, MAX_SIGNAL_BODY_BYTES, payloadWithoutSecret, signalMediaType, type DecodedBody } from './signal-body.js';
import type { FieldError, ParsedSignal, SignalFormat } from './signal-payload.js';
import { parsePlainTextSignal, parseSignalObject } from './signal-payload.js';
import type { SignalOutcome, SignalRecord, StoredPayload } from './signal-record.js';
import { matchTicker } from './ticker-match.js';
import type { TakeResult } from './token-bucket.js';

export const SIGNAL_CODES = {
  unauthenticated: AUTH_CODES.unauthenticated,
  stale: AUTH_CODES.stale,
  sourceNotAllowed: 'SIGNAL.SOURCE_NOT_ALLOWED',
  rateLimited: 'SIGNAL.RATE_LIMITED',
  actionNotAllowed: 'SIGNAL.ACTION_NOT_ALLOWED',
  botNotAccepting: 'SIGNAL.BOT_NOT_ACCEPTING',
  unavailable: 'SIGNAL.UNAVAILABLE',
  notReplayable: 'SIGNAL.NOT_REPLAYABLE',
} as const;

export const IDEMPOTENCY_WINDOW_MS = 24 * 3600 * 1000;
/** Rejections a signal's owner can fix and then replay. */
const REPLAYABLE_CODES: ReadonlySet<string> = new Set([
  SIGNAL_CODES.rateLimited,
  SIGNAL_CODES.actionNotAllowed,
  SIGNAL_CODES.botNotAccepting,
  SIGNAL_CODES.unavailable,
  'SIGNAL.MARKET_MISMATCH',
]);
/** Rejections logged at most once a second per hook (the rest are counted): floods must not become writes. */
const SAMPLED_CODES: ReadonlySet<string> = new Set([
  SIGNAL_CODES.unauthenticated,
  SIGNAL_CODES.stale,
  SIGNAL_CODES.sourceNotAllowed,
  SIGNAL_CODES.rateLimited,
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
]);

/** What the intake needs to know about the bot (from the bots container). */
export interface BotSnapshot {
  readonly status: string;
  readonly strategyId: string;
  readonly symbol: string;
}

export interface KnownHook {
  readonly binding: HookBindingRecord;
  /** The bot, when the lookup read it alongside the binding (null: read, absent); else read on demand. */
  readonly bot?: BotSnapshot | null;
  /** The HMAC key from the secret store (cached by the adapter). */
  signingKey(): Promise<string>;
}

export type ClaimResult = { readonly claimed: true } | { readonly claimed: false; readonly duplicateOf: string };

export type BotDelivery =
  | { readonly op: 'signal'; readonly input: BotSignalInput }
  | { readonly op: 'pause' | 'resume'; readonly input: { readonly commandId: string; readonly actor: string; readonly atMs: number } };

export interface IntakePorts {
  findHook(hookId: string): Promise<KnownHook | undefined>;
  findBot(tenantId: string, botId: string): Promise<BotSnapshot | undefined>;
  takeToken(hookId: string, binding: HookBindingRecord, nowMs: number): TakeResult;
  claimKey(tenantId: string, botId: string, keyHash: string, signalId: string, nowMs: number): Promise<ClaimResult>;
  releaseKey(tenantId: string, botId: string, keyHash: string, signalId: string): Promise<void>;
  deliver(tenantId: string, botId: string, delivery: BotDelivery): Promise<void>;
  /** Writes the log entry; an entry with the same id is replaced (a failed hand-off corrects its entry). */
  record(record: SignalRecord): Promise<void>;
  newSignalId(nowMs: number): string;
  nowMs(): number;
  /** Monotonic milliseconds for latencies. */
  monotonicMs(): number;
  log: { info(m: string): void; warn(m: string): void; error(m: string): void };
}

export interface HookRequest {
  readonly hookId: string;
  readonly bytes: Uint8Array;
  /** The declared Content-Length when the body was too large to read; else the bytes' length. */
  readonly declaredBytes?: number;
  readonly contentType: string | null;
  readonly signature: string | null;
  readonly forwardedFor: string | null;
  readonly receivedAtMs: number;
  readonly startedMonotonicMs: number;
  /** Set by the test-alert route only; a request can never set it. */
  readonly test?: boolean;
}

export interface IntakeReply {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** The log entry written for it (absent for 404s). */
  readonly signalId?: string;
}

export const NOT_FOUND_REPLY: IntakeReply = { status: 404, body: { error: { code: 'NOT_FOUND', message: 'No such resource.' } } };

/** Statuses come from the API's one error table. */
export const statusForSignalCode = (code: string): number => statusForCode(code) ?? 500;

/** Everything known about a signal once it passed authentication. */
interface Admitted {
  readonly hook: KnownHook;
  readonly body: DecodedBody;
  readonly auth: 'passphrase' | 'signature' | 'owner';
  readonly bytes: Uint8Array;
}

interface Draft {
  readonly signalId: string;
  readonly binding: HookBindingRecord;
  readonly request: Pick<HookRequest, 'receivedAtMs' | 'startedMonotonicMs' | 'forwardedFor' | 'test'> & { readonly bytes: number };
  format: SignalFormat | null;
  auth: SignalRecord['auth'];
  payload: StoredPayload | null;
  parsed: ParsedSignal | null;
  replayOf: string | null;
  /** SHA-256 of the alert id (or of the raw body), kept so a replay claims the same key. */
  keyHash: string | null;
  /** Who acts for a replay (`user:<id>`); null for webhook requests. */
  actor: string | null;
}

export class SignalIntake {
  private readonly lastLogged = new Map<string, { atMs: number; suppressed: number }>();

  constructor(private readonly ports: IntakePorts) {}

  async handle(request: HookRequest): Promise<IntakeReply> {
    if (!HOOK_ID.test(request.hookId)) return NOT_FOUND_REPLY;
    const hook = await this.ports.findHook(request.hookId);
    if (!hook) return NOT_FOUND_REPLY;
    const binding = hook.binding;
    const size = Math.max(request.bytes.length, request.declaredBytes ?? 0);
    const draft: Draft = {
      signalId: this.ports.newSignalId(request.receivedAtMs),
      binding,
      request: { ...request, bytes: size },
      format: null,
      auth: null,
      payload: null,
      parsed: null,
      replayOf: null,
      keyHash: null,
      actor: null,
    };

    if (size > MAX_SIGNAL_BODY_BYTES) {
      return this.reject(draft, appError('PAYLOAD_TOO_LARGE', `The signal exceeds ${MAX_SIGNAL_BODY_BYTES} bytes.`, { limitBytes: MAX_SIGNAL_BODY_BYTES }));
    }
    const source = clientAddress(request.forwardedFor);
    // Test alerts start inside the platform: there is no sender address to check.
    if (request.test !== true && !isAllowed(binding.settings.ipAllowlist, source)) {
      return this.reject(draft, appError(SIGNAL_CODES.sourceNotAllowed, `The source address ${source ?? '(unknown)'} is not on this hook's allowlist.`), 'The source address is not allowed for this hook.');
    }
    const media = signalMediaType(request.contentType);
    if (!media.ok) return this.reject(draft, media.error);

    const admitted = await this.authenticate(draft, hook, request, media.value);
    if ('reply' in admitted) return admitted.reply;
    return this.evaluate(draft, admitted);
  }

  private async authenticate(draft: Draft, hook: KnownHook, request: HookRequest, media: 'json' | 'text'): Promise<Admitted | { reply: IntakeReply }> {
    const settings = hook.binding.settings;
    const denied = (reason: string) => this.reject(draft, appError(SIGNAL_CODES.unauthenticated, reason), 'The signal is not authenticated.');
    if (request.signature !== null) {
      // Verify the raw bytes before parsing anything a stranger sent.
      const verified = verifySignature(request.signature, request.bytes, await hook.signingKey(), request.receivedAtMs);
      if (!verified.ok) {
        return { reply: await (verified.error.code === SIGNAL_CODES.stale ? this.reject(draft, verified.error) : denied(verified.error.message)) };
      }
      const body = decodeSignalBody(request.bytes, media);
      if (!body.ok) return { reply: await this.reject(draft, body.error) };
      draft.auth = 'signature';
      return { hook, body: body.value, auth: 'signature', bytes: request.bytes };
    }
    if (settings.requireSignature) return { reply: await denied('This hook requires the X-TT-Signature header.') };
    const body = decodeSignalBody(request.bytes, media);
    if (!body.ok) return { reply: await this.reject(draft, body.error) };
    const secret = bodySecret(body.value);
    if (secret === null) return { reply: await denied('The signal carries no secret (JSON field "secret", or secret=… in plain text) and no X-TT-Signature header.') };
    if (!passphraseMatches(secret, hook.binding.passphraseHash)) return { reply: await denied('The secret does not match this hook.') };
    draft.auth = 'passphrase';
    return { hook, body: body.value, auth: 'passphrase', bytes: request.bytes };
  }

  /** Steps 4-8 for an authenticated body (webhook, replay, test alert). */
  private async evaluate(draft: Draft, admitted: Admitted): Promise<IntakeReply> {
    const binding = admitted.hook.binding;
    draft.payload = payloadWithoutSecret(admitted.body);
    const parsed = admitted.body.kind === 'text' ? parsePlainTextSignal(admitted.body.text) : parseSignalObject(admitted.body.value, 'json');
    draft.format = parsed.ok ? parsed.value.format : admitted.body.kind === 'text' ? 'text' : 'json';
    if (!parsed.ok) return this.reject(draft, parsed.error);
    draft.parsed = parsed.value;
    const signal = parsed.value;
    draft.keyHash ??= idempotencyKeyHash(signal.idempotencyKey, admitted.bytes);
    const keyHash = draft.keyHash;

    if (draft.replayOf === null) {
      const age = checkAlertAge(signal.timestampMs, signal.maxLagSeconds, draft.request.receivedAtMs);
      if (!age.ok) return this.reject(draft, age.error);
      const token = this.ports.takeToken(binding.hookId, binding, draft.request.receivedAtMs);
      if (!token.allowed) {
        const retryAfter = Math.max(1, Math.ceil(token.retryAfterMs / 1000));
        return this.reject(draft, appError(SIGNAL_CODES.rateLimited, `This hook's rate limit (${binding.settings.rateLimit.burst} at once, ${binding.settings.rateLimit.perMinute} per minute) is exhausted; retry in ${retryAfter} s.`, { retryAfterSeconds: retryAfter }), undefined, { 'retry-after': String(retryAfter) });
      }
    }

    const bot = admitted.hook.bot !== undefined ? (admitted.hook.bot ?? undefined) : await this.ports.findBot(binding.tenantId, binding.botId);
    if (!bot) return this.reject(draft, appError(SIGNAL_CODES.botNotAccepting, 'The bot of this hook no longer exists.', { state: null }));
    const market = matchTicker(signal.ticker, bot.symbol);
    if (!market.ok) return this.reject(draft, market.error);
    const permission = actionPermission(signal.order, bot, binding);
    if (permission) return this.reject(draft, permission);
    const state = stateCheck(signal.order, bot, draft.request.test === true);
    if (state) return this.reject(draft, state);

    const claim = await this.ports.claimKey(binding.tenantId, binding.botId, keyHash, draft.signalId, draft.request.receivedAtMs);
    if (!claim.claimed) {
      await this.write(draft, 'duplicate', 200, null, `duplicate of ${claim.duplicateOf}: the same ${signal.idempotencyKey === null ? 'body' : 'id'} was accepted within 24 hours; nothing was done`, null, claim.duplicateOf);
      return { status: 200, body: { status: 'duplicate', signalId: draft.signalId, duplicateOf: claim.duplicateOf }, signalId: draft.signalId };
    }

    // Hand-off and log entry in parallel (one storage round trip less on the acknowledgement path);
    // if the hand-off fails, the entry is overwritten with the rejection and the key released.
    const what = `${signal.order.action}${draft.request.test ? ' (test alert: evaluated, nothing placed)' : ''}`;
    const [failure] = await Promise.all([
      this.ports.deliver(binding.tenantId, binding.botId, deliveryFor(draft, signal.order)).then(
        () => undefined,
        (e: unknown) => (e instanceof Error ? e : new Error(String(e))),
      ),
      this.write(draft, 'accepted', 202, null, `accepted: ${what} handed to the bot`, null, null),
    ]);
    if (failure) {
      this.ports.log.error(`signal ${draft.signalId}: hand-off to bot ${binding.botId} failed: ${failure.message}`);
      await this.ports.releaseKey(binding.tenantId, binding.botId, keyHash, draft.signalId).catch((releaseError: unknown) => {
        this.ports.log.error(`signal ${draft.signalId}: releasing its idempotency key failed: ${releaseError instanceof Error ? releaseError.message : String(releaseError)}`);
      });
      return this.reject(draft, appError(SIGNAL_CODES.unavailable, 'The bot could not be reached; the signal was not accepted. Retry, or replay it from the signal log.'));
    }
    this.ports.log.info(`signal ${draft.signalId} accepted for bot ${binding.botId}: ${signal.order.action}`);
    return {
      status: 202,
      body: { status: 'accepted', signalId: draft.signalId, action: signal.order.action, test: draft.request.test === true },
      signalId: draft.signalId,
    };
  }

  /**
   * Runs a stored, rejected signal again on its owner's behalf: authentication, age and rate limit
   * are not checked again (the owner is signed in); everything from the market check on is.
   */
  async replay(original: SignalRecord, hook: KnownHook, actor: string, receivedAtMs: number, startedMonotonicMs: number, signalId?: string): Promise<IntakeReply> {
    const payload = original.payload;
    if (!payload || original.keyHash === null) {
      return { status: 409, body: { error: { code: SIGNAL_CODES.notReplayable, message: 'This signal has no stored payload to replay.' } } };
    }
    const body: DecodedBody = payload.kind === 'text' ? { kind: 'text', text: payload.text } : { kind: 'json', value: payload.value, text: '' };
    const draft: Draft = {
      signalId: signalId ?? this.ports.newSignalId(receivedAtMs),
      binding: hook.binding,
      request: { receivedAtMs, startedMonotonicMs, forwardedFor: null, bytes: original.bytes },
      format: null,
      auth: 'owner',
      payload: null,
      parsed: null,
      replayOf: original.id,
      // The original's key: a copy of the alert accepted meanwhile makes the replay a duplicate.
      keyHash: original.keyHash,
      actor,
    };
    return this.evaluate(draft, { hook, body, auth: 'owner', bytes: new Uint8Array(0) });
  }

  private async reject(draft: Draft, error: AppError, publicMessage?: string, headers?: Record<string, string>): Promise<IntakeReply> {
    const status = statusForSignalCode(error.code);
    const details = Array.isArray(error.details) ? (error.details as FieldError[]) : null;
    const replayable = REPLAYABLE_CODES.has(error.code) && draft.auth !== null && draft.payload !== null && draft.replayOf === null && draft.request.test !== true;
    let replayableUntilMs: number | null = null;
    if (replayable) {
      replayableUntilMs = draft.request.receivedAtMs + draft.binding.settings.replayWindowSeconds * 1000;
      const parsed = draft.parsed;
      if (parsed?.timestampMs != null && parsed.maxLagSeconds !== null) replayableUntilMs = Math.min(replayableUntilMs, parsed.timestampMs + parsed.maxLagSeconds * 1000);
    }
    await this.write(draft, 'rejected', status, error.code, error.message, details, null, replayableUntilMs);
    const authenticated = draft.auth !== null;
    const body: Record<string, unknown> = { code: error.code, message: publicMessage ?? error.message };
    // Field errors of body syntax are safe for anyone; everything else only for authenticated callers.
    if (error.details !== undefined && (authenticated || error.code === 'VALIDATION.FAILED' || error.code === 'PAYLOAD_TOO_LARGE')) body.details = error.details;
    if (authenticated) body.signalId = draft.signalId;
    return { status, body: { error: body }, ...(headers ? { headers } : {}), signalId: draft.signalId };
  }

  private async write(
    draft: Draft,
    outcome: SignalOutcome,
    httpStatus: number,
    code: string | null,
    reason: string,
    details: readonly FieldError[] | null,
    duplicateOf: string | null,
    replayableUntilMs: number | null = null,
  ): Promise<void> {
    let suppressed = 0;
    if (code !== null && SAMPLED_CODES.has(code)) {
      const key = `${draft.binding.hookId}|${code}`;
      const last = this.lastLogged.get(key);
      if (last && draft.request.receivedAtMs - last.atMs < 1000) {
        last.suppressed++;
        return;
      }
      suppressed = last?.suppressed ?? 0;
      this.lastLogged.set(key, { atMs: draft.request.receivedAtMs, suppressed: 0 });
      if (this.lastLogged.size > 10_000) this.lastLogged.delete(this.lastLogged.keys().next().value ?? key);
    }
    const parsed = draft.parsed;
    const record: SignalRecord = {
      id: draft.signalId,
      tenantId: draft.binding.tenantId,
      botId: draft.binding.botId,
      hookRevision: draft.binding.revision,
      receivedAtMs: draft.request.receivedAtMs,
      latencyMs: Math.round((this.ports.monotonicMs() - draft.request.startedMonotonicMs) * 1000) / 1000,
      sourceAddress: clientAddress(draft.request.forwardedFor),
      bytes: draft.request.bytes,
      format: draft.format,
      auth: draft.auth,
      outcome,
      httpStatus,
      code,
      reason,
      details,
      order: parsed?.order ?? null,
      ticker: parsed?.ticker ?? null,
      alertId: parsed?.idempotencyKey ?? null,
      timestampMs: parsed?.timestampMs ?? null,
      keyHash: draft.auth === null ? null : draft.keyHash,
      duplicateOf,
      test: draft.request.test === true,
      replayOf: draft.replayOf,
      replayed: null,
      replayableUntilMs,
      suppressed,
      // Unauthenticated bodies are not kept: anyone can send them.
      payload: draft.auth === null ? null : draft.payload,
    };
    try {
      await this.ports.record(record);
    } catch (e) {
      this.ports.log.error(`signal ${draft.signalId}: writing the signal log failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}

/** Trading actions need the `signal` strategy; control actions need the hook's permission. */
function actionPermission(order: SignalOrder, bot: BotSnapshot, binding: HookBindingRecord): AppError | undefined {
  const signalBot = bot.strategyId === 'signal';
  if (isTradingAction(order.action) && !signalBot) {
    return appError(SIGNAL_CODES.actionNotAllowed, `This bot runs the ${bot.strategyId} strategy: only bots with the signal strategy take trading signals (${order.action}). Control signals (pause, resume, close, flat) need "allowControl" on the hook.`);
  }
  const control = isControlAction(order.action) && !(signalBot && (order.action === 'close' || order.action === 'flat'));
  if (control && !binding.settings.allowControl) {
    return appError(SIGNAL_CODES.actionNotAllowed, `This hook does not accept control signals (${order.action}); enable "allowControl" on the hook.`);
  }
  return undefined;
}

const EXITS = new Set(['close', 'flat', 'exit_long', 'exit_short', 'buy', 'sell']);

/** Running bots take every signal; paused bots manage exits and can be resumed. Test alerts only need the bot. */
function stateCheck(order: SignalOrder, bot: BotSnapshot, test: boolean): AppError | undefined {
  if (test) return undefined;
  const status = bot.status;
  const ok =
    order.action === 'pause' ? status === 'running'
    : order.action === 'resume' ? status === 'paused'
    : status === 'running' || (status === 'paused' && EXITS.has(order.action));
  if (ok) return undefined;
  const hint = status === 'paused' ? 'a paused bot only takes exits (and resume)' : status === 'halted' ? 'a halted bot needs a person: resume it in the app' : 'start the bot to trade on signals';
  return appError(SIGNAL_CODES.botNotAccepting, `The bot is ${status} and does not take ${order.action} signals now: ${hint}.`, { state: status, action: order.action });
}

function deliveryFor(draft: Draft, order: SignalOrder): BotDelivery {
  const actor = draft.actor ?? `hook:${draft.signalId}`;
  const atMs = draft.request.receivedAtMs;
  if (!draft.request.test && (order.action === 'pause' || order.action === 'resume')) {
    return { op: order.action, input: { commandId: draft.signalId, actor, atMs } };
  }
  return { op: 'signal', input: { signalId: draft.signalId, actor, atMs, test: draft.request.test === true, order } };
}

/** SHA-256 of the alert id, or of the raw body when the alert has none. */
export function idempotencyKeyHash(alertId: string | null, body: Uint8Array): string {
  const hash = createHash('sha256');
  if (alertId !== null) hash.update(`id:${alertId}`, 'utf8');
  else hash.update('body:', 'utf8').update(body);
  return hash.digest('hex');
}
