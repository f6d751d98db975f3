/**
 * The `durableClient` input binding value, shaped like the one the Durable Task extension gives
 * the Node worker, so that unmodified `df.getClient(context)` works against the local runtime.
 *
 * What durable-functions 3.x reads (lib/src/durableClient/):
 * - getClient accepts the value only if `taskHubName`, `creationUrls` and `managementUrls` are set.
 * - With `rpcBaseUrl`, every client call (signalEntity, readEntityState, instance APIs) is built as
 *   `new URL('entities/{name}/{key}?op=…', rpcBaseUrl)`; without it the entity calls use `baseUrl` +
 *   `requiredQueryStringParameters`. We set both, pointing at the host that mounts the API.
 * - When `WEBSITE_HOSTNAME` is unset (always, locally) getClient rewrites the origin of every
 *   creation/management URL to http://localhost:7071. Those URLs are only handed back to callers
 *   (createCheckStatusResponse) for orchestrations, which the local runtime does not run; since the
 *   calls go through `rpcBaseUrl`, a host on another port still works.
 */
export const DURABLE_API_PREFIX = '/runtime/webhooks/durabletask';

export interface DurableClientBindingValue {
  readonly taskHubName: string;
  readonly creationUrls: Readonly<Record<string, string>>;
  readonly managementUrls: Readonly<Record<string, string>>;
  readonly baseUrl: string;
  readonly requiredQueryStringParameters: string;
  readonly rpcBaseUrl: string;
}

/** Placeholder the client replaces with an instance id (the extension uses the same one). */
const INSTANCE_ID_PLACEHOLDER = 'INSTANCEID';

export function durableClientBindingValue(hostBaseUrl: string, taskHubName: string): DurableClientBindingValue {
  const origin = hostBaseUrl.replace(/\/+$/, '');
  const base = `${origin}${DURABLE_API_PREFIX}`;
  const query = `taskHub=${encodeURIComponent(taskHubName)}&connection=Storage`;
  const instance = `${base}/instances/${INSTANCE_ID_PLACEHOLDER}`;
  return {
    taskHubName,
    creationUrls: {
      createNewInstancePostUri: `${base}/orchestrators/{functionName}[/{instanceId}]?${query}`,
      createAndWaitOnNewInstancePostUri: `${base}/orchestrators/{functionName}[/{instanceId}]?timeout={timeoutInSeconds}&pollingInterval={intervalInSeconds}&${query}`,
    },
    managementUrls: {
      id: INSTANCE_ID_PLACEHOLDER,
      statusQueryGetUri: `${instance}?${query}`,
      sendEventPostUri: `${instance}/raiseEvent/{eventName}?${query}`,
      terminatePostUri: `${instance}/terminate?reason={text}&${query}`,
      rewindPostUri: `${instance}/rewind?reason={text}&${query}`,
      purgeHistoryDeleteUri: `${instance}?${query}`,
      restartPostUri: `${instance}/restart?${query}`,
      suspendPostUri: `${instance}/suspend?reason={text}&${query}`,
      resumePostUri: `${instance}/resume?reason={text}&${query}`,
    },
    baseUrl: base,
    requiredQueryStringParameters: query,
    rpcBaseUrl: `${base}/`,
  };
}
