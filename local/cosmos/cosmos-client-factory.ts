/**
 * Which Cosmos the local host uses: the embedded emulator, or a real account / the official emulator
 * named by env (`COSMOS_ENDPOINT`, `COSMOS_KEY`, optional `COSMOS_CA_CERT_FILE`). TLS verification is
 * never turned off: emulator CAs are trusted per client (see shared/adapters/cosmos/cosmos-client-factory.ts).
 */
import { readFileSync } from 'node:fs';
import type { CosmosConnection } from '../../shared/adapters/cosmos/cosmos-client-factory.js';
import { z } from 'zod';
import { appError, err, ok, type Result } from '../../shared/core/result.js';

export { cosmosClientOptions, createCosmosClient, type CosmosConnection } from '../../shared/adapters/cosmos/cosmos-client-factory.js';

/**
 * The emulators' well-known account key (published by Microsoft for the official emulator). The local
 * emulator accepts any key; clients still sign requests with it, exactly as against Azure.
 */
export const LOCAL_COSMOS_KEY = 'C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==';

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
