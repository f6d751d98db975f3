/**
 * Publishes market messages to Web PubSub groups with the unmodified server SDK
 * (`@azure/web-pubsub`): one REST call per group message. Locally the same calls reach the
 * emulator (TLS; trust its CA with NODE_EXTRA_CA_CERTS).
 */
import { WebPubSubServiceClient, type WebPubSubGroup } from '@azure/web-pubsub';
import { DefaultAzureCredential } from '@azure/identity';
import type { JSONTypes } from '@azure/web-pubsub';

export interface TickPublisher {
  publish(group: string, message: JSONTypes): Promise<void>;
}

export interface WebPubSubConnection {
  /** `Endpoint=…;AccessKey=…;Version=1.0;` (local emulator, keyed service). */
  readonly connectionString?: string | undefined;
  /** Service endpoint for managed identity (Azure), used when there is no connection string. */
  readonly endpoint?: string | undefined;
  readonly hub: string;
}

export function createWebPubSubServiceClient(connection: WebPubSubConnection): WebPubSubServiceClient {
  if (connection.connectionString) return new WebPubSubServiceClient(connection.connectionString, connection.hub);
  if (connection.endpoint) return new WebPubSubServiceClient(connection.endpoint, new DefaultAzureCredential(), connection.hub);
  throw new Error('Web PubSub needs a connection string or an endpoint');
}

export class WebPubSubTickPublisher implements TickPublisher {
  private readonly groups = new Map<string, WebPubSubGroup>();

  constructor(private readonly client: WebPubSubServiceClient) {}

  async publish(group: string, message: JSONTypes): Promise<void> {
    let target = this.groups.get(group);
    if (!target) {
      target = this.client.group(group);
      this.groups.set(group, target);
    }
    await target.sendToAll(message);
  }
}
