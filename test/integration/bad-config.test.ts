/** A bad or missing setting stops the start with every problem listed and a non-zero exit; nothing starts. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, tempDataDir } from '../support/local-host';

function run(script: string, env: Record<string, string>) {
  const res = spawnSync(process.execPath, [join(ROOT, script)], { cwd: ROOT, env: { ...process.env, TT_DATA_DIR: tempDataDir(), ...env }, encoding: 'utf8', timeout: 60_000 });
  return { code: res.status, stderr: res.stderr, stdout: res.stdout };
}

describe('configuration at start', () => {
  it('lists every invalid local setting and exits non-zero before starting anything', () => {
    const r = run('dist/local/start.js', { TT_FUNCTIONS_PORT: 'seventy', TT_SWA: 'maybe', TT_LOG_LEVEL: 'loud' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Invalid local configuration');
    for (const name of ['TT_FUNCTIONS_PORT', 'TT_SWA', 'TT_LOG_LEVEL']) expect(r.stderr).toContain(name);
    expect(r.stdout).not.toContain('starting the local platform');
  });

  it('refuses an invalid Function App setting without leaving the emulators running', () => {
    const r = run('dist/local/start.js', { TT_SWA: 'false', SECRET_STORE: 'vault', COSMOS_DATABASE: 'bad name!' });
    expect(r.code).not.toBe(0);
    const output = `${r.stdout}${r.stderr}`;
    expect(output).toContain('Invalid functions configuration');
    expect(output).toContain('SECRET_STORE');
    expect(output).toContain('COSMOS_DATABASE');
    expect(output).not.toContain('TT_HOST_READY');
  });
});
