/** Key Vault adapter: the Function App's managed identity reads and writes secrets; nothing is cached. */
import { DefaultAzureCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';
import type { SecretStore } from '../../ports/secret-store.js';

export class KeyVaultSecretStore implements SecretStore {
  readonly kind = 'keyvault' as const;
  private readonly client: SecretClient;

  constructor(vaultUrl: string) {
    this.client = new SecretClient(vaultUrl, new DefaultAzureCredential());
  }

  async get(name: string): Promise<string | undefined> {
    try {
      return (await this.client.getSecret(name)).value;
    } catch (e) {
      if ((e as { statusCode?: number }).statusCode === 404) return undefined;
      throw e;
    }
  }

  async set(name: string, value: string): Promise<void> {
    await this.client.setSecret(name, value, { contentType: 'application/vnd.tradingtower.credentials+json' });
  }

  async delete(name: string): Promise<void> {
    try {
      const poller = await this.client.beginDeleteSecret(name);
      await poller.pollUntilDone();
    } catch (e) {
      if ((e as { statusCode?: number }).statusCode !== 404) throw e;
    }
  }

  async probe(): Promise<void> {
    const page = this.client.listPropertiesOfSecrets().byPage({ maxPageSize: 1 });
    await page.next();
  }
}
