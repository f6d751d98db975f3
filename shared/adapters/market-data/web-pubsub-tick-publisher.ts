/**
 * Publishes market messages to Web PubSub groups with the unmodified server SDK
 * (`@azure/web-pubsub`): one REST call per group message. Locally the same calls reach the
 * emulator (TLS; trust its CA with NODE_EXTRA_CA_CERTS).
 */
import { createSecretKey } from 'node:crypto';
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
  if (connection.connectionString) {
    const { endpoint, accessKey } = parseConnectionString(connection.connectionString);
    return new WebPubSubServiceClient(endpoint, secretKeyCredential(accessKey), connection.hub);
  }
  if (connection.endpoint) return new WebPubSubServiceClient(connection.endpoint, new DefaultAzureCredential(), connection.hub);
  throw new Error('Web PubSub needs a connection string or an endpoint');
}

/**
 * The SDK signs a JWT for every REST call with `jsonwebtoken`, which, given the access key as a
 * string, first tries (and fails, with a thrown exception) to parse it as a private key: about half
 * of the SDK's CPU per send. Handing it the key as a ready HMAC KeyObject signs the same tokens
 * (same bytes, HS256) without that detour. The SDK only reads `credential.key` and passes it to
 * `jsonwebtoken.sign`, which accepts a KeyObject.
 */
export function secretKeyCredential(accessKey: string): KeyCredential {
  const key = createSecretKey(Buffer.from(accessKey, 'utf8'));
  return { key } as unknown as KeyCredential;
}

/** The SDK's key credential type (AzureKeyCredential), taken from its constructor. */
type KeyCredential = ConstructorParameters<typeof WebPubSubServiceClient>[1];

/** `Endpoint=https://host;AccessKey=…;Port=443;Version=1.0;` as the SDK reads it (Port overrides the endpoint's). */
export function parseConnectionString(connectionString: string): { endpoint: string; accessKey: string } {
  const parts = new Map<string, string>();
  for (const part of connectionString.split(';')) {
    const at = part.indexOf('=');
    if (at > 0) parts.set(part.slice(0, at).trim().toLowerCase(), part.slice(at + 1).trim());
  }
  const rawEndpoint = parts.get('endpoint');
  const accessKey = parts.get('accesskey');
  if (!rawEndpoint || !accessKey) throw new Error('the Web PubSub connection string needs Endpoint and AccessKey');
  const url = new URL(rawEndpoint.startsWith('http') ? rawEndpoint : `https://${rawEndpoint}`);
  const port = parts.get('port');
  if (port) url.port = port;
  return { endpoint: url.toString(), accessKey };
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
