/**
 * The embedded Cosmos DB (NoSQL) emulator: `@vercel/cosmosdb-server` (patched, see
 * docs/cosmos-emulator.md) in this process, HTTPS on 127.0.0.1 with the local CA's certificate, made
 * durable by a write-ahead log + snapshots in `dataDir`. A response is sent only after the changes
 * it reports are fsynced, so anything a client saw acknowledged survives a restart or `kill -9`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CosmosClientOptions } from '@azure/cosmos';
import { ensureLocalTlsCert } from '../tls/local-tls.js';
import { cosmosClientOptions, LOCAL_COSMOS_KEY } from './cosmos-client-factory.js';
import { CosmosPersistence } from './cosmos-persistence.js';
import { assertPatched, createCosmosServer, type AccountInternals, type CosmosRequestListener } from './cosmosdb-server-internals.js';
import { acquireDataDirLock } from './data-dir-lock.js';

export interface LocalCosmosOptions {
  /** Holds the snapshot, the WAL and (by default) the TLS material. Created if missing. */
  readonly dataDir: string;
  /** 0 or absent: a free port. */
  readonly port?: number;
  readonly log?: (message: string) => void;
  /** Where the local CA + server certificate live (local/tls); default `<dataDir>/tls`. Share it between emulators. */
  readonly tlsDir?: string;
  /**
   * `fsync` (default): crash-safe. `no-fsync`: written but not fsynced before acknowledging (survives a
   * process kill, not a power loss). `memory`: nothing persisted. The last two exist for benchmarks.
   */
  readonly durability?: 'fsync' | 'no-fsync' | 'memory';
  /** Compaction threshold (see CosmosPersistence); tests lower it. */
  readonly compactMinWalBytes?: number;
}

export interface LocalCosmos {
  /** `https://127.0.0.1:<port>/` */
  readonly endpoint: string;
  readonly key: string;
  readonly port: number;
  /** PEM of the CA that signed the server certificate, and its file (for NODE_EXTRA_CA_CERTS). */
  readonly ca: string;
  readonly caFile: string;
  /** Options for `new CosmosClient(...)` that trust this emulator's certificate (and nothing else extra). */
  clientOptions(): CosmosClientOptions;
  /** Writes a snapshot now and drops the WAL it covers (normally automatic). */
  compact(): Promise<void>;
  /** Stops accepting requests, finishes in-flight ones, flushes and closes the log. */
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';

export async function startLocalCosmos(options: LocalCosmosOptions): Promise<LocalCosmos> {
  const started = performance.now();
  const log = options.log ?? (() => undefined);
  const durability = options.durability ?? 'fsync';
  mkdirSync(options.dataDir, { recursive: true });
  const lock = acquireDataDirLock(options.dataDir);
  try {
    const tls = ensureLocalTlsCert(options.tlsDir ?? join(options.dataDir, 'tls'));
    // Filled in by onAccount, which runs synchronously on `listening`.
    const state: { persistence?: CosmosPersistence; error?: unknown; accountSeen: boolean } = { accountSeen: false };
    const server = createCosmosServer({
      cert: tls.cert,
      key: tls.key,
      // The library closes every connection after one response unless asked; TLS handshakes would dominate.
      keepAlive: true,
      onAccount: (account: AccountInternals) => {
        state.accountSeen = true;
        try {
          assertPatched(account);
          if (durability !== 'memory') {
            state.persistence = CosmosPersistence.open(account, {
              dir: options.dataDir,
              fsync: durability === 'fsync',
              compactMinWalBytes: options.compactMinWalBytes,
              log,
            });
          }
        } catch (e) {
          state.error = e;
        }
      },
    });
    const gate = acknowledgeWhenDurable(server, () => state.persistence);
    const port = await listen(server, options.port ?? 0);
    if (!state.accountSeen) state.error = new Error('@vercel/cosmosdb-server is not patched (no onAccount hook): run `npm install`');
    const { persistence } = state;
    if (state.error !== undefined) {
      await closeServer(server);
      await persistence?.close();
      throw state.error instanceof Error ? state.error : new Error(`local Cosmos failed to start: ${JSON.stringify(state.error)}`);
    }
    const stats = persistence?.restoreStats;
    if (stats) {
      log(
        `restored ${stats.snapshotRecords} snapshot + ${stats.walRecords} WAL records (${stats.walSegments} segment(s)) in ${stats.durationMs.toFixed(0)} ms` +
          (stats.tornTailBytes > 0 ? `; cut ${stats.tornTailBytes} bytes of an unacknowledged torn write` : ''),
      );
    }
    const endpoint = `https://${HOST}:${port}/`;
    log(`listening at ${endpoint} (${durability}) after ${(performance.now() - started).toFixed(0)} ms`);

    let stopping: Promise<void> | undefined;
    return {
      endpoint,
      key: LOCAL_COSMOS_KEY,
      port,
      ca: tls.ca,
      caFile: tls.caFile,
      clientOptions: () => cosmosClientOptions({ endpoint, key: LOCAL_COSMOS_KEY, ca: tls.ca }),
      compact: () => persistence?.compact() ?? Promise.resolve(),
      stop: () => {
        stopping ??= (async () => {
          await gate.drain();
          await closeServer(server);
          try {
            await persistence?.close();
          } finally {
            lock.release();
          }
          log('stopped');
        })();
        return stopping;
      },
    };
  } catch (e) {
    lock.release();
    throw e;
  }
}

interface RequestGate {
  /** Refuses new requests and resolves once in-flight ones have been answered. */
  drain(): Promise<void>;
}

/**
 * Wraps the library's request listener: its `res.end` is deferred until the WAL holds every change
 * made so far (group commit: concurrent requests share one fsync). A failed log turns the emulator
 * into 503s, because memory would otherwise run ahead of the disk unnoticed.
 */
function acknowledgeWhenDurable(server: Server, persistence: () => CosmosPersistence | undefined): RequestGate {
  const [handler] = server.listeners('request') as CosmosRequestListener[];
  if (!handler) throw new Error('@vercel/cosmosdb-server registered no request listener');
  server.removeAllListeners('request');
  let inFlight = 0;
  let draining = false;
  let drained: (() => void) | undefined;
  const finished = (): void => {
    inFlight -= 1;
    if (draining && inFlight === 0) drained?.();
  };
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const store = persistence();
    if (draining || store?.failure) {
      sendUnavailable(res, draining ? 'the local Cosmos emulator is stopping' : `local Cosmos persistence failed: ${store?.failure?.message ?? ''}`);
      return;
    }
    inFlight += 1;
    res.once('close', finished);
    if (store) {
      const end = res.end.bind(res) as EndFunction;
      res.end = ((...args: unknown[]) => {
        store.whenDurable().then(
          () => end(...args),
          (e: unknown) => sendUnavailable(res, `local Cosmos persistence failed: ${e instanceof Error ? e.message : String(e)}`, end),
        );
        return res;
      }) as ServerResponse['end'];
    }
    handler(req, res);
  });
  return {
    drain: () => {
      draining = true;
      return inFlight === 0 ? Promise.resolve() : new Promise((resolve) => (drained = resolve));
    },
  };
}

type EndFunction = (...args: unknown[]) => ServerResponse;

function sendUnavailable(res: ServerResponse, message: string, end: EndFunction = res.end.bind(res) as EndFunction): void {
  if (!res.headersSent) {
    res.statusCode = 503;
    res.setHeader('content-type', 'application/json');
  }
  end(JSON.stringify({ code: 'ServiceUnavailable', message }));
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Clients keep connections alive; nothing is in flight any more.
    server.closeAllConnections();
  });
}
