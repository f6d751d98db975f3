/** GET /api/health (anonymous): each component with status and latency; 503 when any is down. */
import { app, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { ENTITY, HEALTH_PROBE_KEY, type HealthProbeState } from '../shared/entity-names.js';
import { cosmosClient, functionsConfig, secretStore, webPubSubClient } from './runtime.js';

interface ComponentHealth {
  status: 'up' | 'down';
  latencyMs: number;
  detail?: string;
}

async function probe(fn: () => Promise<string | undefined>): Promise<ComponentHealth> {
  const started = performance.now();
  try {
    const detail = await fn();
    const result: ComponentHealth = { status: 'up', latencyMs: round(performance.now() - started) };
    if (detail) result.detail = detail;
    return result;
  } catch (e) {
    return { status: 'down', latencyMs: round(performance.now() - started), detail: e instanceof Error ? e.message.split('\n')[0] : 'unreachable' };
  }
}

const round = (ms: number): number => Math.round(ms * 100) / 100;

export async function health(_request: unknown, context: InvocationContext): Promise<HttpResponseInit> {
  const started = performance.now();
  const client = df.getClient(context);
  const wps = webPubSubClient();
  const gatewayUrl = functionsConfig().GATEWAY_HEALTH_URL;
  const [durable, cosmos, secrets, webPubSub, gateway] = await Promise.all([
    probe(async () => {
      const state = await client.readEntityState<HealthProbeState>(new df.EntityId(ENTITY.healthProbe, HEALTH_PROBE_KEY));
      return state.entityExists && state.entityState ? `${state.entityState.pings} heartbeat(s) applied` : 'no heartbeat applied yet';
    }),
    probe(async () => {
      await cosmosClient().getDatabaseAccount();
      return functionsConfig().COSMOS_DATABASE;
    }),
    probe(async () => {
      await secretStore().probe();
      return secretStore().kind;
    }),
    wps
      ? probe(async () => {
          await wps.groupExists('health.probe');
          return `hub ${wps.hubName}`;
        })
      : Promise.resolve<ComponentHealth>({ status: 'down', latencyMs: 0, detail: 'not configured' }),
    gatewayUrl
      ? probe(async () => {
          const res = await fetch(gatewayUrl, { signal: AbortSignal.timeout(2000) });
          if (!res.ok) throw new Error(`gateway answered ${res.status}`);
          return undefined;
        })
      : Promise.resolve<ComponentHealth | undefined>(undefined),
  ]);
  const components = {
    functions: { status: 'up' as const, latencyMs: round(performance.now() - started) },
    durable,
    cosmos,
    secretStore: secrets,
    webPubSub,
    // Absent where no gateway runs next to this app (e.g. tests of the API alone).
    ...(gateway ? { gateway } : {}),
  };
  const allUp = Object.values(components).every((c) => c.status === 'up');
  return { status: allUp ? 200 : 503, jsonBody: { status: allUp ? 'up' : 'degraded', components }, headers: { 'cache-control': 'no-store' } };
}

app.http('health', {
  methods: ['GET'],
  authLevel: 'anonymous',
  route: 'health',
  extraInputs: [df.input.durableClient()],
  handler: health,
});
