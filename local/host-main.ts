/**
 * The local platform process: embedded Cosmos, the durable runtime and the Functions host in one
 * process on 127.0.0.1:7071. `npm start` runs it behind the SWA CLI; tests spawn it directly.
 * Prints `TT_HOST_READY {json}` on stdout once everything answers.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfigOrExit, parseEnv } from '../shared/config/env-parse.js';
import { functionsConfigSchema } from '../shared/config/functions-config.js';
import { localConfigSchema } from '../shared/config/local-config.js';
import { durableClientBindingValue, LocalDurableRuntime, type EntityHandler } from './durable/index.js';
import { handleDurableHttpRequest } from './durable/durable-http-api.js';
import { loadOrCreateFunctionKeys } from './host/function-keys.js';
import { startFunctionsHost } from './host/functions-host.js';
import { createLogger } from './host/logger.js';
import { localTlsDir, processTrustsLocalCa } from './host-launch.js';
import { ensureLocalTlsCert } from './tls/local-tls.js';

async function main(): Promise<void> {
  const config = loadConfigOrExit(localConfigSchema, process.env, 'local');
  const projectRoot = resolve(__dirname, '..', '..');
  const dataDir = resolve(projectRoot, config.TT_DATA_DIR);
  const log = createLogger(config.TT_LOG_LEVEL);
  const started = performance.now();
  const step = (msg: string): void => log('info', `[start] ${msg}`);

  step(`data directory ${dataDir}`);
  // Check the Function App's settings before starting anything; the emulators' endpoints are
  // placeholders here and the real values are checked again once known.
  const early = parseEnv(functionsConfigSchema, { COSMOS_ENDPOINT: 'https://127.0.0.1:1/', SECRET_STORE: 'file', ...process.env }, 'functions');
  if (!early.ok) {
    process.stderr.write(`${early.error.message}\n`);
    process.exit(2);
  }
  const tls = ensureLocalTlsCert(localTlsDir(dataDir));
  if (!processTrustsLocalCa(tls)) {
    process.stderr.write(
      `The local host must start trusting its emulators' CA: NODE_EXTRA_CA_CERTS=${tls.caFile}\n` +
        'Start it with `npm start` (or `npm run host`), which sets this up.\n',
    );
    process.exit(2);
  }
  let cosmosEndpoint = config.COSMOS_ENDPOINT;
  let cosmosKey = config.COSMOS_KEY;
  let cosmosCaFile = process.env.COSMOS_CA_CERT_FILE;
  let stopCosmos: (() => Promise<void>) | undefined;
  if (!cosmosEndpoint) {
    step('starting embedded Cosmos DB emulator…');
    // Loaded only when embedded, so an external Cosmos start does not pay for the emulator.
    const { startLocalCosmos } = await import('./cosmos/local-cosmos.js');
    const cosmos = await startLocalCosmos({ dataDir: resolve(dataDir, 'cosmos'), port: config.TT_COSMOS_PORT, log: (m: string) => log('info', `[cosmos] ${m}`), tlsDir: localTlsDir(dataDir) });
    cosmosEndpoint = cosmos.endpoint;
    cosmosKey = cosmos.key;
    cosmosCaFile = cosmos.caFile;
    stopCosmos = () => cosmos.stop();
    step(`Cosmos DB emulator at ${cosmos.endpoint}`);
  } else {
    step(`using external Cosmos DB at ${cosmosEndpoint}`);
  }

  let webPubSubConnectionString = process.env.WEB_PUBSUB_CONNECTION_STRING;
  let stopWebPubSub: (() => Promise<void>) | undefined;
  let webPubSubBrowserOrigin: string | undefined;
  if (!webPubSubConnectionString && !process.env.WEB_PUBSUB_ENDPOINT) {
    step('starting embedded Web PubSub emulator…');
    const { startLocalWebPubSub } = await import('./webpubsub/local-web-pubsub.js');
    const wps = await startLocalWebPubSub({
      host: '127.0.0.1',
      port: config.TT_WEB_PUBSUB_PORT,
      tls: { cert: tls.cert, key: tls.key },
      browserPort: config.TT_WEB_PUBSUB_BROWSER_PORT,
      log: (level, m) => log(level, `[webpubsub] ${m}`),
    });
    log.redact(wps.accessKey);
    webPubSubConnectionString = wps.connectionString;
    webPubSubBrowserOrigin = wps.browserClientOrigin;
    stopWebPubSub = () => wps.stop();
    step(`Web PubSub emulator at ${wps.endpoint}`);
  }

  const appEnv: NodeJS.ProcessEnv = {
    ...process.env,
    COSMOS_ENDPOINT: cosmosEndpoint,
    COSMOS_KEY: cosmosKey,
    COSMOS_CA_CERT_FILE: cosmosCaFile,
    WEB_PUBSUB_CONNECTION_STRING: webPubSubConnectionString,
    ...(webPubSubBrowserOrigin ? { WEB_PUBSUB_BROWSER_ORIGIN: webPubSubBrowserOrigin } : {}),
    SECRET_STORE: process.env.SECRET_STORE ?? 'file',
    LOCAL_SECRETS_DIR: process.env.LOCAL_SECRETS_DIR ?? resolve(dataDir, 'secrets'),
    TT_TASK_HUB: process.env.TT_TASK_HUB ?? 'TradingTowerLocal',
  };
  const appConfig = parseEnv(functionsConfigSchema, appEnv, 'functions');
  if (!appConfig.ok) {
    process.stderr.write(`${appConfig.error.message}\n`);
    await stopCosmos?.();
    process.exit(2);
  }
  Object.assign(process.env, appEnv);
  if (cosmosKey) log.redact(cosmosKey);

  step('starting durable entity runtime…');
  const durable = new LocalDurableRuntime({ dataDir: resolve(dataDir, 'durable'), hubName: appEnv.TT_TASK_HUB, log: (level, m) => log(level, `[durable] ${m}`) });

  const keys = loadOrCreateFunctionKeys(dataDir);
  step('loading the Function App and starting the Functions host…');
  const host = await startFunctionsHost({
    projectRoot,
    appMain: config.TT_APP_MAIN,
    host: config.TT_HOST,
    port: config.TT_FUNCTIONS_PORT,
    routePrefix: 'api',
    keys,
    maxRequestBodyBytes: config.TT_MAX_BODY_BYTES,
    log,
    env: process.env,
    extraInputs: { durableClient: (hostBaseUrl) => durableClientBindingValue(hostBaseUrl, durable.hubName) },
    extensionRoutes: [(req, res, url) => handleDurableHttpRequest(durable, req, res, url)],
    beforeListen: (app) => {
      for (const reg of app.registrations) {
        const trigger = Object.values(reg.metadata.bindings).find((b) => b.type.toLowerCase() === 'entitytrigger');
        if (trigger) durable.registerEntity(reg.metadata.name, reg.callback as EntityHandler);
      }
      return durable.start();
    },
  });
  process.stdout.write(`\nFunctions host ready at ${host.baseUrl}/api\n`);
  process.stdout.write(`Function key (x-functions-key header or ?code=)${keys.created ? ' [new]' : ''}: ${keys.functionKey}\n\n`);
  log.redact(keys.functionKey);
  log.redact(keys.masterKey);
  step(`ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  // Endpoints and keys for sibling processes (the gateway) go to a 0600 file, never to stdout or logs.
  writeFileSync(
    resolve(dataDir, 'runtime.json'),
    JSON.stringify({ baseUrl: host.baseUrl, cosmosEndpoint, cosmosKey, webPubSubConnectionString, pid: process.pid }, null, 2),
    { mode: 0o600 },
  );
  process.stdout.write(`TT_HOST_READY ${JSON.stringify({ baseUrl: host.baseUrl, cosmosEndpoint, pid: process.pid })}\n`);

  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    step(`${signal}: shutting down…`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    void (async () => {
      await host.stop();
      await durable.stop();
      await stopWebPubSub?.();
      await stopCosmos?.();
      step('stopped cleanly');
      process.exit(0);
    })();
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((e: unknown) => {
  process.stderr.write(`The local host failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
