/**
 * Durable entity access for the bots, kill-switch and admin HTTP functions, behind a small port
 * (`EntityPort`) so handlers and tests do not depend on the durable client's shape.
 *
 * - signal and read go through the unmodified `df.getClient(context)`;
 * - listing has no client method in durable-functions 3.x, so it calls the extension's HTTP list API
 *   (`GET …/entities/{name}?top=&fetchState=true`, paged with the `x-ms-continuation-token` header)
 *   at the address the durable client binding names: `rpcBaseUrl` when set (the extension's local
 *   RPC endpoint in Azure, the local runtime here), else `baseUrl` with its required query string
 *   (which carries the system key in Azure).
 *
 * `apiFunction` hands handlers the request but not the invocation context, so `withDurableClient`
 * remembers the context per request and adds the durable client input binding.
 */
import type { HttpFunctionOptions, HttpRequest, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { z } from 'zod';

const clientInput = df.input.durableClient();
const contexts = new WeakMap<HttpRequest, InvocationContext>();

/** Adds the durable client binding and makes `entityPortFor(request)` work inside the handler. */
export function withDurableClient(options: HttpFunctionOptions): HttpFunctionOptions {
  const handler = options.handler;
  return {
    ...options,
    extraInputs: [...(options.extraInputs ?? []), clientInput],
    handler: (request, context) => {
      contexts.set(request, context);
      return handler(request, context);
    },
  };
}

export interface EntityRead {
  readonly exists: boolean;
  readonly state: unknown;
}

export interface EntityListItem {
  readonly name: string;
  readonly key: string;
  readonly lastOperationTime: string;
  readonly state: unknown;
}

export interface EntityListPage {
  readonly items: readonly EntityListItem[];
  /** The backend's token for the next page; null on the last page. */
  readonly continuation: string | null;
}

export interface EntityPort {
  read(name: string, key: string): Promise<EntityRead>;
  signal(name: string, key: string, operation: string, input: unknown): Promise<void>;
  list(name: string, page: { readonly top: number; readonly continuation: string | null }): Promise<EntityListPage>;
}

export function entityPortFor(request: HttpRequest): EntityPort {
  const context = contexts.get(request);
  if (!context) throw new Error('entityPortFor: the function was not registered through withDurableClient');
  const client = df.getClient(context);
  const binding = bindingSchema.parse(context.extraInputs.get(clientInput));
  return {
    async read(name, key) {
      const response = await client.readEntityState<unknown>(new df.EntityId(name, key));
      return { exists: response.entityExists, state: response.entityExists ? response.entityState : undefined };
    },
    async signal(name, key, operation, input) {
      await client.signalEntity(new df.EntityId(name, key), operation, input);
    },
    list: (name, page) => listEntities(binding, name, page),
  };
}

const bindingSchema = z.object({
  rpcBaseUrl: z.string().optional(),
  baseUrl: z.string().optional(),
  requiredQueryStringParameters: z.string().optional(),
});

const listAnswerSchema = z.array(
  z.object({
    entityId: z.object({ name: z.string(), key: z.string() }),
    lastOperationTime: z.string(),
    state: z.unknown().optional(),
  }),
);

const CONTINUATION_HEADER = 'x-ms-continuation-token';

async function listEntities(binding: z.infer<typeof bindingSchema>, name: string, page: { top: number; continuation: string | null }): Promise<EntityListPage> {
  const query = `top=${page.top}&fetchState=true`;
  let url: string;
  if (binding.rpcBaseUrl) url = new URL(`entities/${encodeURIComponent(name)}?${query}`, binding.rpcBaseUrl).href;
  else if (binding.baseUrl) url = `${binding.baseUrl.replace(/\/+$/, '')}/entities/${encodeURIComponent(name)}?${query}${binding.requiredQueryStringParameters ? `&${binding.requiredQueryStringParameters}` : ''}`;
  else throw new Error('the durable client binding names no endpoint for the entity list API');
  const response = await fetch(url, { headers: page.continuation ? { [CONTINUATION_HEADER]: page.continuation } : {} });
  if (response.status !== 200) throw new Error(`entity list API answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
  const items = listAnswerSchema.parse(await response.json());
  return {
    items: items.map((i) => ({ name: i.entityId.name, key: i.entityId.key, lastOperationTime: i.lastOperationTime, state: i.state })),
    continuation: response.headers.get(CONTINUATION_HEADER) || null,
  };
}
