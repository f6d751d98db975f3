/**
 * What the webhook functions share: their repositories, the signing-key cache, the per-hook rate
 * limiter (in memory: each Function App instance limits on its own), the durable client as a
 * delivery port, and the intake wired to all of it. Built once per process.
 */
import { randomBytes } from 'node:crypto';
import type { HttpFunctionOptions, HttpRequest, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { HooksRepository } from '../shared/adapters/cosmos/hooks-repository.js';
import { SignalsRepository } from '../shared/adapters/cosmos/signals-repository.js';
import { ensureCosmosSchema } from '../shared/adapters/cosmos/ensure-cosmos-schema.js';
import { ENTITY_NAMES } from '../shared/bots/bot-operations.js';
import { botEntityKey } from '../shared/bots/entity-keys.js';
import type { SecretStore } from '../shared/ports/secret-store.js';
import type { RequestLog } from '../shared/http/log-redaction.js';
import { alertTemplates } from '../shared/signals/alert-templates.js';
import { newHookCredentials, signingKeySecretName, toHookView, type HookBindingRecord, type HookCredentials, type HookIndexRecord } from '../shared/signals/hook-records.js';
import { sha256Hex } from '../shared/signals/signal-auth.js';
import type { BotDelivery, IntakePorts, KnownHook } from '../shared/signals/signal-intake.js';
import { SignalIntake } from '../shared/signals/signal-intake.js';
import { newSignalId } from '../shared/signals/signal-record.js';
import { RateLimiterTable } from '../shared/signals/token-bucket.js';
import * as runtime from './runtime.js';

export interface HookServices {
  readonly hooks: HooksRepository;
  readonly signals: SignalsRepository;
  readonly secrets: SecretStore;
  readonly signingKeys: SigningKeyCache;
  readonly limiter: RateLimiterTable;
  readonly hookIndex: HookIndexCache;
}

/** Hook id → its (immutable) index document, bounded; only live ids are kept. */
export class HookIndexCache {
  private readonly entries = new Map<string, HookIndexRecord>();

  constructor(private readonly maxEntries = 10_000) {}

  get(hookId: string): HookIndexRecord | undefined {
    return this.entries.get(hookId);
  }

  put(hookId: string, index: HookIndexRecord): void {
    if (this.entries.has(hookId)) return;
    this.entries.set(hookId, index);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value ?? hookId);
  }

  forget(hookId: string): void {
    this.entries.delete(hookId);
  }
}

let services: Promise<HookServices> | undefined;

export function hookServices(): Promise<HookServices> {
  if (!services) {
    services = build();
    // Cosmos may still be starting: the next request tries again.
    services.catch(() => (services = undefined));
  }
  return services;
}

async function build(): Promise<HookServices> {
  const schema = await ensureCosmosSchema(runtime.cosmosClient(), runtime.functionsConfig().COSMOS_DATABASE);
  const { hooks, signals, signalKeys, bots } = schema.containers;
  const secrets = runtime.secretStore();
  return {
    hooks: new HooksRepository(hooks),
    signals: new SignalsRepository(signals, signalKeys, bots),
    secrets,
    signingKeys: new SigningKeyCache(secrets),
    limiter: new RateLimiterTable(),
    hookIndex: new HookIndexCache(),
  };
}

/**
 * Signing keys by secret name. A name belongs to one hook id and is never reused, and the intake
 * reads the live binding before asking for a key, so a cached key of a rotated hook is never used.
 */
export class SigningKeyCache {
  private readonly keys = new Map<string, { value: string; atMs: number }>();
  private static readonly TTL_MS = 10 * 60_000;

  constructor(private readonly secrets: SecretStore) {}

  async get(name: string): Promise<string> {
    const hit = this.keys.get(name);
    if (hit && Date.now() - hit.atMs < SigningKeyCache.TTL_MS) return hit.value;
    const value = await this.secrets.get(name);
    if (value === undefined) throw new Error(`webhook signing key ${name} is missing from the secret store`);
    this.keys.set(name, { value, atMs: Date.now() });
    if (this.keys.size > 10_000) this.keys.delete(this.keys.keys().next().value ?? name);
    return value;
  }

  put(name: string, value: string): void {
    this.keys.set(name, { value, atMs: Date.now() });
  }

  forget(name: string): void {
    this.keys.delete(name);
  }
}

export const randomHex = (bytes: number): string => randomBytes(bytes).toString('hex');

export function knownHook(binding: HookBindingRecord, keys: SigningKeyCache): KnownHook {
  return { binding, signingKey: () => keys.get(binding.signingKeySecret) };
}

export interface Delivery {
  deliver(tenantId: string, botId: string, delivery: BotDelivery): Promise<void>;
}

/** Hands signals to the bot entity through the unmodified durable client. */
export function durableDelivery(context: InvocationContext): Delivery {
  const client = df.getClient(context);
  return {
    deliver: (tenantId, botId, delivery) => client.signalEntity(new df.EntityId(ENTITY_NAMES.bot, botEntityKey(tenantId, botId)), delivery.op, delivery.input),
  };
}

export function intakeFor(svc: HookServices, delivery: Delivery, log: IntakePorts['log']): SignalIntake {
  return new SignalIntake({
    findHook: async (hookId) => {
      // Index first (it names the bot), then the binding and the bot document in parallel. An index
      // never changes, so it is cached; the binding read decides whether the id is still live.
      const index = svc.hookIndex.get(hookId) ?? (await svc.hooks.findIndex(hookId));
      if (!index) return undefined;
      svc.hookIndex.put(hookId, index);
      const [binding, bot] = await Promise.all([svc.hooks.findBinding(index.tenantId, index.botId), svc.signals.findBot(index.tenantId, index.botId)]);
      if (binding?.record.hookId !== hookId) {
        svc.hookIndex.forget(hookId);
        return undefined;
      }
      return { ...knownHook(binding.record, svc.signingKeys), bot: bot ?? null };
    },
    findBot: (tenantId, botId) => svc.signals.findBot(tenantId, botId),
    takeToken: (hookId, binding, nowMs) => svc.limiter.take(hookId, binding.settings.rateLimit, nowMs),
    claimKey: (tenantId, botId, keyHash, signalId, nowMs) => svc.signals.claimKey(tenantId, botId, keyHash, signalId, nowMs),
    releaseKey: (tenantId, botId, keyHash, signalId) => svc.signals.releaseKey(tenantId, botId, keyHash, signalId),
    deliver: (tenantId, botId, d) => delivery.deliver(tenantId, botId, d),
    record: (record) => svc.signals.record(record),
    newSignalId: (nowMs) => newSignalId(nowMs, randomHex(8)),
    nowMs: () => Date.now(),
    monotonicMs: () => performance.now(),
    log,
  });
}

const durableClientInput = df.input.durableClient();
const contexts = new WeakMap<HttpRequest, InvocationContext>();

/** Adds the durable client input binding and remembers each request's invocation context for `deliveryFor`. */
export function withDurableDelivery(options: HttpFunctionOptions): HttpFunctionOptions {
  const handler = options.handler;
  return {
    ...options,
    extraInputs: [...(options.extraInputs ?? []), durableClientInput],
    handler: (request, context) => {
      contexts.set(request, context);
      return handler(request, context);
    },
  };
}

export function deliveryFor(request: HttpRequest): Delivery {
  const context = contexts.get(request);
  if (!context) throw new Error('deliveryFor: the function was not registered through withDurableDelivery');
  return durableDelivery(context);
}

/** The public origin the caller used (behind Static Web Apps: its forwarded host). */
export function publicOrigin(request: HttpRequest): string {
  const host = request.headers.get('x-forwarded-host')?.split(',')[0]?.trim();
  const proto = request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim();
  if (host && /^[A-Za-z0-9.-]+(?::\d{1,5})?$/.test(host)) return `${proto === 'http' ? 'http' : 'https'}://${host}`;
  return new URL(request.url).origin;
}

/**
 * New credentials for a bot's hook (enable and rotate): registered as log secrets and the signing key
 * stored under its secret name. The caller deletes that secret if its binding write then fails.
 */
export async function issueHookCredentials(
  svc: HookServices,
  tenantId: string,
  log: Pick<RequestLog, 'keepSecret'>,
): Promise<{ credentials: HookCredentials; secretName: string; passphraseHash: string }> {
  const credentials = newHookCredentials(tenantId, (n) => randomBytes(n));
  log.keepSecret(credentials.hookId);
  log.keepSecret(credentials.passphrase);
  log.keepSecret(credentials.signingKey);
  const secretName = signingKeySecretName(credentials.hookId);
  await svc.secrets.set(secretName, credentials.signingKey);
  return { credentials, secretName, passphraseHash: sha256Hex(credentials.passphrase) };
}

/** The answer of enable and rotate, the only two that show the credentials, with alert templates for them. */
export function hookCredentialsAnswer(stored: { record: HookBindingRecord; etag: string }, request: HttpRequest, credentials: HookCredentials, symbol: string) {
  const hook = toHookView(stored.record, publicOrigin(request), stored.etag);
  const body = { hook, credentials: { passphrase: credentials.passphrase, signingKey: credentials.signingKey }, alertTemplates: alertTemplates(credentials.passphrase, symbol) };
  return { body, etag: hook.etag };
}
