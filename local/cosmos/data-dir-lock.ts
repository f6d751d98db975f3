/**
 * One emulator per data directory: two processes appending to the same WAL would corrupt it.
 * The lock is a `LOCK` file holding the owner's pid; a lock left by a dead process (kill -9) is
 * taken over.
 */
import { openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { isProcessAlive } from '../process-alive.js';

const heldInThisProcess = new Set<string>();

export interface DataDirLock {
  release(): void;
}

export class DataDirLockedError extends Error {
  readonly code = 'COSMOS.DATA_DIR_LOCKED';
}

export function acquireDataDirLock(dir: string): DataDirLock {
  const path = join(dir, 'LOCK');
  if (heldInThisProcess.has(path)) throw new DataDirLockedError(`${dir} is already used by a local Cosmos emulator in this process`);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      heldInThisProcess.add(path);
      return {
        release: () => {
          heldInThisProcess.delete(path);
          rmSync(path, { force: true });
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const owner = Number.parseInt(readOwner(path), 10);
      if (Number.isInteger(owner) && owner !== process.pid && isProcessAlive(owner)) {
        throw new DataDirLockedError(`${dir} is used by another local Cosmos emulator (pid ${owner}); stop it, or delete ${path} if that pid is not an emulator`);
      }
      rmSync(path, { force: true });
    }
  }
  throw new DataDirLockedError(`could not lock ${dir}`);
}

function readOwner(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '';
  }
}
