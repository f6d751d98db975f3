/**
 * How code builds a CosmosClient for the emulator started here, or for a real account / the official
 * emulator named by env, without turning TLS verification off anywhere:
 *
 * - local emulator: its self-signed CA (local/tls) is passed as `ca` of an https.Agent given to the
 *   SDK's `agent` option, so only connections made by that client trust it;
 * - external: `COSMOS_ENDPOINT` + `COSMOS_KEY` (or, without a key, DefaultAzureCredential like in
 *   Azure); the official emulator's certificate can be trusted the same way through
 *   `COSMOS_CA_CERT_FILE`, or process-wide through Node's own `NODE_EXTRA_CA_CERTS`.
 *
 * The shared data layer has its own factory; this one serves the local host, tests and benchmarks.
 */
import { readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { CosmosClient, type CosmosClientOptions } from '@azure/cosmos';
import { DefaultAzureCredential } from '@azure/identity';
import { z } from 'zod';
import { appError, err, ok, type Result } from '../../shared/core/result.js';

/**
 * The emulators' well-known account key (published by Microsoft for the official emulator). The local
 * emulator accepts any key; clients still sign requests with it, exactly as against Azure.
 */
export const LOCAL_COSMOS_KEY = 'C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==';

export interface CosmosConnection {
  readonly endpoint: string;
  /** Absent: authenticate with DefaultAzureCredential (managed identity, az login, …). */
  readonly key?: string | undefined;
  /** PEM of a CA to trust for this endpoint only (local or official emulator). */
  readonly ca?: string | undefined;
}

/** Client options for a connection; with `ca`, a dedicated keep-alive agent that trusts it. */
export function cosmosClientOptions(connection: CosmosConnection): CosmosClientOptions {
  const auth = connection.key ? { key: connection.key } : { aadCredentials: new DefaultAzureCredential() };
  return {
    endpoint: connection.endpoint,
    ...auth,
    ...(connection.ca ? { agent: new Agent({ ca: connection.ca, keepAlive: true }) } : {}),
    // Emulators have one region; discovery would only add a metadata round trip at first use.
    connectionPolicy: { enableEndpointDiscovery: false },
  };
}

export function createCosmosClient(connection: CosmosConnection): CosmosClient {
  return new CosmosClient(cosmosClientOptions(connection));
}

/** Either connect to what env names, or start the embedded emulator. */
export type CosmosTarget = { readonly kind: 'embedded' } | ({ readonly kind: 'external' } & CosmosConnection);

const cosmosEnvSchema = z
  .object({
    COSMOS_ENDPOINT: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
    COSMOS_KEY: z.string().min(1, 'must not be empty').optional(),
    COSMOS_CA_CERT_FILE: z.string().min(1, 'must not be empty').optional(),
  })
  .superRefine((env, ctx) => {
    if (!env.COSMOS_ENDPOINT && env.COSMOS_KEY) ctx.addIssue({ code: 'custom', path: ['COSMOS_ENDPOINT'], message: 'is required when COSMOS_KEY is set' });
    if (!env.COSMOS_ENDPOINT && env.COSMOS_CA_CERT_FILE) {
      ctx.addIssue({ code: 'custom', path: ['COSMOS_ENDPOINT'], message: 'is required when COSMOS_CA_CERT_FILE is set' });
    }
  });

/**
 * `COSMOS_ENDPOINT` set → external (real account or official emulator); unset → embedded.
 * Fails with `COSMOS.CONFIG_INVALID` listing every problem.
 */
export function resolveCosmosTarget(env: Readonly<Record<string, string | undefined>>): Result<CosmosTarget> {
  const parsed = cosmosEnvSchema.safeParse({
    COSMOS_ENDPOINT: env.COSMOS_ENDPOINT || undefined,
    COSMOS_KEY: env.COSMOS_KEY || undefined,
    COSMOS_CA_CERT_FILE: env.COSMOS_CA_CERT_FILE || undefined,
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`);
    return err(appError('COSMOS.CONFIG_INVALID', `invalid Cosmos settings: ${problems.join('; ')}`, problems));
  }
  const { COSMOS_ENDPOINT: endpoint, COSMOS_KEY: key, COSMOS_CA_CERT_FILE: caFile } = parsed.data;
  if (!endpoint) return ok({ kind: 'embedded' });
  if (!caFile) return ok({ kind: 'external', endpoint, key });
  try {
    return ok({ kind: 'external', endpoint, key, ca: readFileSync(caFile, 'utf8') });
  } catch (e) {
    return err(appError('COSMOS.CONFIG_INVALID', `invalid Cosmos settings: COSMOS_CA_CERT_FILE cannot be read (${(e as Error).message})`));
  }
}
