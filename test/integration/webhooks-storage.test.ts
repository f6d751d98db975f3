/**
 * Webhook storage against the embedded Cosmos emulator (in process, no host): idempotency keys
 * claimed by create-if-absent (exactly one of concurrent claims wins; expired keys are taken over
 * with an ETag), the replay mark, and hook bindings switched with an ETag.
 */
import { HooksRepository } from '../../shared/adapters/cosmos/hooks-repository';
import { SignalsRepository } from '../../shared/adapters/cosmos/signals-repository';
import { ensureCosmosSchema } from '../../shared/adapters/cosmos/ensure-cosmos-schema';
import { DEFAULT_HOOK_SETTINGS, type HookBindingRecord, type HookIndexRecord } from '../../shared/signals/hook-records';
import { IDEMPOTENCY_WINDOW_MS } from '../../shared/signals/signal-intake';
import type { SignalRecord } from '../../shared/signals/signal-record';
import { startCosmosKit, type CosmosKit } from '../unit/shared/adapters/cosmos/cosmos-test-kit';

const TENANT = 'c'.repeat(32);
const OTHER = 'd'.repeat(32);
const BOT = 'b'.repeat(24);

function binding(hookId: string, revision = 1): HookBindingRecord {
  return {
    kind: 'binding', id: `bot-${BOT}`, tenantId: TENANT, botId: BOT, hookId, revision, passphraseHash: 'e'.repeat(64), signingKeySecret: `hook-${hookId}`,
    settings: DEFAULT_HOOK_SETTINGS, createdAtMs: 1, rotatedAtMs: null, updatedAtMs: 1,
  };
}
const index = (hookId: string, tenantId = TENANT): HookIndexRecord => ({ kind: 'hook', id: hookId, tenantId, botId: BOT, createdAtMs: 1 });
const hookId = (tenant: string, n: number): string => `${tenant}${n.toString(16).padStart(32, '0')}`;

function record(id: string, extra: Partial<SignalRecord> = {}): SignalRecord {
  return {
    id, tenantId: TENANT, botId: BOT, hookRevision: 1, receivedAtMs: 1000, latencyMs: 1, sourceAddress: null, bytes: 10, format: 'json', auth: 'passphrase',
    outcome: 'rejected', httpStatus: 409, code: 'SIGNAL.BOT_NOT_ACCEPTING', reason: 'stopped', details: null, order: null, ticker: null, alertId: null,
    timestampMs: null, keyHash: 'f'.repeat(64), duplicateOf: null, test: false, replayOf: null, replayed: null, replayableUntilMs: 5000, suppressed: 0,
    payload: { kind: 'json', value: { action: 'buy' } }, ...extra,
  };
}

describe('webhook storage (embedded Cosmos)', () => {
  let kit: CosmosKit;
  let hooks: HooksRepository;
  let signals: SignalsRepository;

  beforeAll(async () => {
    kit = await startCosmosKit();
    const schema = await ensureCosmosSchema(kit.client, 'webhooks-storage');
    hooks = new HooksRepository(schema.containers.hooks);
    signals = new SignalsRepository(schema.containers.signals, schema.containers.signalKeys, schema.containers.bots);
    await schema.containers.bots.items.create({ id: BOT, tenantId: TENANT, status: 'running', config: { strategy: { id: 'signal' }, market: { symbol: 'BTC/USDT' } }, deleted: false });
  });

  afterAll(async () => {
    await kit?.stop();
  });

  describe('SignalsRepository.claimKey', () => {
    it('lets exactly one of many concurrent claims of a key win; the others see it as the duplicate', async () => {
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => signals.claimKey(TENANT, BOT, '1'.repeat(64), `s${i}`, 10_000)));
      const winners = results.map((r, i) => (r.claimed ? `s${i}` : null)).filter((w): w is string => w !== null);
      expect(winners).toHaveLength(1);
      for (const r of results) if (!r.claimed) expect(r.duplicateOf).toBe(winners[0]);
    });

    it('keeps a key for 24 hours, then one concurrent taker wins it', async () => {
      const key = '2'.repeat(64);
      expect(await signals.claimKey(TENANT, BOT, key, 'first', 0)).toEqual({ claimed: true });
      expect(await signals.claimKey(TENANT, BOT, key, 'second', IDEMPOTENCY_WINDOW_MS - 1)).toEqual({ claimed: false, duplicateOf: 'first' });
      const later = await Promise.all(Array.from({ length: 10 }, (_, i) => signals.claimKey(TENANT, BOT, key, `late${i}`, IDEMPOTENCY_WINDOW_MS + 1)));
      const winners = later.filter((r) => r.claimed);
      expect(winners).toHaveLength(1);
      const winner = `late${later.findIndex((r) => r.claimed)}`;
      for (const r of later) if (!r.claimed) expect(r.duplicateOf).toBe(winner);
    });

    it('releases a key only for the signal holding it', async () => {
      const key = '3'.repeat(64);
      await signals.claimKey(TENANT, BOT, key, 'holder', 0);
      await signals.releaseKey(TENANT, BOT, key, 'someone-else');
      expect(await signals.claimKey(TENANT, BOT, key, 'next', 1)).toEqual({ claimed: false, duplicateOf: 'holder' });
      await signals.releaseKey(TENANT, BOT, key, 'holder');
      expect(await signals.claimKey(TENANT, BOT, key, 'next', 2)).toEqual({ claimed: true });
    });

    it("keeps tenants' keys apart", async () => {
      const key = '4'.repeat(64);
      expect(await signals.claimKey(TENANT, BOT, key, 'mine', 0)).toEqual({ claimed: true });
      expect(await signals.claimKey(OTHER, BOT, key, 'theirs', 0)).toEqual({ claimed: true });
    });
  });

  describe('SignalsRepository log and replay mark', () => {
    it('marks a signal replayed once: of two concurrent marks one wins', async () => {
      await signals.record(record('s0000000000000000000000001'));
      const stored = await signals.get(TENANT, BOT, 's0000000000000000000000001');
      const marks = await Promise.all([
        signals.setReplayed(stored!.record, stored!.etag, { atMs: 2, by: 'user:a', signalId: 'r1' }),
        signals.setReplayed(stored!.record, stored!.etag, { atMs: 2, by: 'user:a', signalId: 'r2' }),
      ]);
      expect(marks.filter((m) => m.ok)).toHaveLength(1);
      expect(marks.find((m) => !m.ok)).toMatchObject({ ok: false, error: { code: 'SIGNAL.NOT_REPLAYABLE' } });
    });

    it('lists newest first, filters by outcome and never across tenants', async () => {
      await signals.record(record('s0000000000000000000000002', { receivedAtMs: 2000, outcome: 'accepted' }));
      await signals.record(record('s0000000000000000000000003', { receivedAtMs: 3000, outcome: 'duplicate' }));
      await signals.record(record('s0000000000000000000000004', { tenantId: OTHER, receivedAtMs: 4000, outcome: 'accepted' }));
      const all = await signals.list(TENANT, BOT, { limit: 10 });
      expect(all.ok && all.value.items.map((s) => s.record.id)).toEqual(['s0000000000000000000000003', 's0000000000000000000000002', 's0000000000000000000000001']);
      const accepted = await signals.list(TENANT, BOT, { limit: 10, outcome: 'accepted' });
      expect(accepted.ok && accepted.value.items.map((s) => s.record.id)).toEqual(['s0000000000000000000000002']);
    });

    it('reads the bot document the intake needs', async () => {
      expect(await signals.findBot(TENANT, BOT)).toEqual({ status: 'running', strategyId: 'signal', symbol: 'BTC/USDT' });
      expect(await signals.findBot(OTHER, BOT)).toBeUndefined();
    });
  });

  describe('HooksRepository', () => {
    it('creates a binding once, resolves its id, and refuses a second hook for the bot', async () => {
      const first = hookId(TENANT, 1);
      const created = await hooks.create(binding(first), index(first));
      expect(created.ok).toBe(true);
      expect(await hooks.resolve(first)).toMatchObject({ botId: BOT, hookId: first });
      const again = await hooks.create(binding(hookId(TENANT, 2)), index(hookId(TENANT, 2)));
      expect(again).toMatchObject({ ok: false, error: { code: 'CONFLICT', details: { reason: 'hook-exists' } } });
      // The loser's index was removed again.
      expect(await hooks.findIndex(hookId(TENANT, 2))).toBeUndefined();
    });

    it('switches the binding with its ETag: of two concurrent rotations one wins, the old id is dead at once', async () => {
      const current = await hooks.findBinding(TENANT, BOT);
      const a = hookId(TENANT, 3);
      const b = hookId(TENANT, 4);
      const results = await Promise.all([
        hooks.replace(binding(a, 2), current!.etag, index(a)),
        hooks.replace(binding(b, 2), current!.etag, index(b)),
      ]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      const winner = results[0].ok ? a : b;
      const loser = winner === a ? b : a;
      expect(await hooks.resolve(winner)).toMatchObject({ hookId: winner });
      expect(await hooks.resolve(loser)).toBeUndefined();
      expect(await hooks.findIndex(loser)).toBeUndefined();
      expect(await hooks.resolve(hookId(TENANT, 1))).toBeUndefined();
    });

    it('never resolves an id whose tenant half names another tenant, and disables a hook at once', async () => {
      const live = (await hooks.findBinding(TENANT, BOT))!.record.hookId;
      expect(await hooks.resolve(`${OTHER}${live.slice(32)}`)).toBeUndefined();
      expect((await hooks.delete(TENANT, BOT)).ok).toBe(true);
      expect(await hooks.resolve(live)).toBeUndefined();
      expect(await hooks.delete(TENANT, BOT)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    });
  });
});
