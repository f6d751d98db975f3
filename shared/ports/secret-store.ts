/** Where exchange credentials live. Values never leave the server side; names never contain secrets. */
export interface SecretStore {
  readonly kind: 'keyvault' | 'file';
  get(name: string): Promise<string | undefined>;
  set(name: string, value: string): Promise<void>;
  delete(name: string): Promise<void>;
  /** Throws when the store cannot be reached or decrypted. */
  probe(): Promise<void>;
}

/** Key Vault names allow 1-127 of [0-9a-zA-Z-]; tenant and connection ids are hex/uuid so they fit. */
export function connectionSecretName(tenantId: string, connectionId: string): string {
  const clean = (s: string): string => s.replace(/[^0-9a-zA-Z]/g, '');
  return `conn-${clean(tenantId)}-${clean(connectionId)}`.slice(0, 127);
}
