/** In-memory ports for SignalIntake: hooks, bots, idempotency keys, deliveries and the signal log. */
import type { BotDelivery, BotSnapshot, ClaimResult, IntakePorts, KnownHook } from '../../../../shared/signals/signal-intake.js';
import { DEFAULT_HOOK_SETTINGS, type HookBindingRecord, type HookSettings } from '../../../../shared/signals/hook-records.js';
import { sha256Hex } from '../../../../shared/signals/signal-auth.js';
import type { SignalRecord } from '../../../../shared/signals/signal-record.js';
import { RateLimiterTable } from '../../../../shared/signals/token-bucket.js';

export const TENANT = 'a'.repeat(32);
export const HOOK_ID = `${TENANT}${'1'.repeat(32)}`;
export const PASSPHRASE = 'ttp_passphrase';
export const SIGNING_KEY = 'whsec_key';

export class FakeIntakePorts implements IntakePorts {
  nowValue = Date.UTC(2024, 0, 15, 14, 30, 0);
  bots = new Map<string, BotSnapshot>([['bot1', { status: 'running', strategyId: 'signal', symbol: 'BTC/USDT' }]]);
  hooks = new Map<string, KnownHook>();
  keys = new Map<string, { signalId: string; atMs: number }>();
  deliveries: { tenantId: string; botId: string; delivery: BotDelivery }[] = [];
  records: SignalRecord[] = [];
  failDelivery = false;
  private seq = 0;
  readonly limiter = new RateLimiterTable();
  log = { info: (): void => undefined, warn: (): void => undefined, error: (): void => undefined };

  constructor(settings: Partial<HookSettings> = {}) {
    const binding: HookBindingRecord = {
      kind: 'binding', id: 'bot-bot1', tenantId: TENANT, botId: 'bot1', hookId: HOOK_ID, revision: 1, passphraseHash: sha256Hex(PASSPHRASE),
      signingKeySecret: `hook-${HOOK_ID}`, settings: { ...DEFAULT_HOOK_SETTINGS, ...settings }, createdAtMs: 0, rotatedAtMs: null, updatedAtMs: 0,
    };
    this.hooks.set(HOOK_ID, { binding, signingKey: () => Promise.resolve(SIGNING_KEY) });
  }

  findHook = (hookId: string): Promise<KnownHook | undefined> => Promise.resolve(this.hooks.get(hookId));
  findBot = (_tenantId: string, botId: string): Promise<BotSnapshot | undefined> => Promise.resolve(this.bots.get(botId));
  takeToken = (hookId: string, binding: HookBindingRecord, nowMs: number) => this.limiter.take(hookId, binding.settings.rateLimit, nowMs);

  claimKey(_t: string, _b: string, keyHash: string, signalId: string, nowMs: number): Promise<ClaimResult> {
    const existing = this.keys.get(keyHash);
    if (existing && nowMs - existing.atMs < 24 * 3600 * 1000) return Promise.resolve({ claimed: false, duplicateOf: existing.signalId });
    this.keys.set(keyHash, { signalId, atMs: nowMs });
    return Promise.resolve({ claimed: true });
  }

  releaseKey(_t: string, _b: string, keyHash: string, signalId: string): Promise<void> {
    if (this.keys.get(keyHash)?.signalId === signalId) this.keys.delete(keyHash);
    return Promise.resolve();
  }

  deliver(tenantId: string, botId: string, delivery: BotDelivery): Promise<void> {
    if (this.failDelivery) return Promise.reject(new Error('durable runtime down'));
    this.deliveries.push({ tenantId, botId, delivery });
    return Promise.resolve();
  }

  record(record: SignalRecord): Promise<void> {
    this.records.push(record);
    return Promise.resolve();
  }

  newSignalId = (nowMs: number): string => `s${nowMs.toString(36).padStart(9, '0').slice(-9)}${(++this.seq).toString(16).padStart(16, '0')}`;
  nowMs = (): number => this.nowValue;
  monotonicMs = (): number => 0;
}
