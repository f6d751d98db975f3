/**
 * Credentials of a connection in the secret store. Each write goes to a fresh name
 * (`conn-<tenant>-<connection>-<revision>`) recorded on the connection only once the record update
 * succeeds, so a rejected (stale-ETag) update never overwrites the credentials in use.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Credentials } from '../../domain/connection.js';
import { connectionSecretName, type SecretStore } from '../../ports/secret-store.js';

const storedCredentials = z.object({ apiKey: z.string(), secret: z.string(), passphrase: z.string().optional() });

export const credentialsSecretName = (tenantId: string, connectionId: string, revision: string): string =>
  `${connectionSecretName(tenantId, connectionId)}-${revision}`.slice(0, 127);

export const newCredentialsRevision = (): string => randomBytes(4).toString('hex');

export async function saveCredentials(store: SecretStore, tenantId: string, connectionId: string, credentials: Credentials): Promise<string> {
  const revision = newCredentialsRevision();
  const value = storedCredentials.parse(credentials);
  await store.set(credentialsSecretName(tenantId, connectionId, revision), JSON.stringify(value));
  return revision;
}

export async function loadCredentials(store: SecretStore, tenantId: string, connectionId: string, revision: string | null): Promise<Credentials | undefined> {
  if (revision === null) return undefined;
  const text = await store.get(credentialsSecretName(tenantId, connectionId, revision));
  return text === undefined ? undefined : storedCredentials.parse(JSON.parse(text));
}

export async function deleteCredentials(store: SecretStore, tenantId: string, connectionId: string, revision: string | null): Promise<void> {
  if (revision !== null) await store.delete(credentialsSecretName(tenantId, connectionId, revision));
}
