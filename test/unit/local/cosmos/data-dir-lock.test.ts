import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { acquireDataDirLock, DataDirLockedError } from '../../../../local/cosmos/data-dir-lock';

describe('acquireDataDirLock', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tt-lock-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the owner pid and frees the directory on release', () => {
    const lock = acquireDataDirLock(dir);
    expect(readFileSync(join(dir, 'LOCK'), 'utf8')).toBe(String(process.pid));
    expect(() => acquireDataDirLock(dir)).toThrow(DataDirLockedError);
    lock.release();
    acquireDataDirLock(dir).release();
  });

  it('refuses a directory locked by another live process', () => {
    writeFileSync(join(dir, 'LOCK'), String(process.ppid));
    expect(() => acquireDataDirLock(dir)).toThrow(/used by another local Cosmos emulator/);
    try {
      acquireDataDirLock(dir);
    } catch (e) {
      expect((e as DataDirLockedError).code).toBe('COSMOS.DATA_DIR_LOCKED');
    }
  });

  it('takes over a lock left by a process that died', () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    writeFileSync(join(dir, 'LOCK'), dead);
    const lock = acquireDataDirLock(dir);
    expect(readFileSync(join(dir, 'LOCK'), 'utf8')).toBe(String(process.pid));
    lock.release();
  });
});
