/** The dependency rules fail the build when a folder imports against docs/architecture.md. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');

function cruise(files: Record<string, string>): { code: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tt-deps-'));
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext' } }));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const bin = join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
  const res = spawnSync(process.execPath, [bin, '--config', join(ROOT, '.dependency-cruiser.cjs'), '--output-type', 'err', ...new Set(Object.keys(files).map((f) => f.split('/')[0]!))], { cwd: dir, encoding: 'utf8' });
  return { code: res.status, output: `${res.stdout}${res.stderr}` };
}

describe('dependency rules', () => {
  it('accept an allowed layout', () => {
    const r = cruise({
      'shared/trading/a.ts': "export const a = 1;\n",
      'shared/adapters/b.ts': "import { readFileSync } from 'node:fs';\nimport { a } from '../trading/a.js';\nexport const b = () => readFileSync('x') && a;\n",
      'functions/f.ts': "import { b } from '../shared/adapters/b.js';\nexport const f = b;\n",
    });
    expect(r.output).toContain('no dependency violations');
    expect(r.code).toBe(0);
  });

  it('fail when the pure core imports I/O', () => {
    const r = cruise({ 'shared/trading/bad.ts': "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n" });
    expect(r.code).not.toBe(0);
    expect(r.output).toContain('core-is-pure');
  });

  it('fail when one deployable imports another', () => {
    const r = cruise({
      'durable/e.ts': 'export const e = 1;\n',
      'functions/f.ts': "import { e } from '../durable/e.js';\nexport const f = e;\n",
    });
    expect(r.code).not.toBe(0);
    expect(r.output).toContain('deployables-are-independent');
  });

  it('fail when the site imports server-side shared code', () => {
    const r = cruise({
      'shared/adapters/k.ts': 'export const k = 1;\n',
      'site/src/p.ts': "import { k } from '../../shared/adapters/k.js';\nexport const p = k;\n",
    });
    expect(r.code).not.toBe(0);
    expect(r.output).toContain('site-is-browser-safe');
  });
});
