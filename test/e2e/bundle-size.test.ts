/**
 * The production build's initial JavaScript (what index.html loads before any page chunk: the entry
 * module and its modulepreloads) must stay under 100 KB gzipped. Reads dist/www, so it needs
 * `npm run build` (scripts/test.sh builds first). Prints the figures.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT } from './support/platform';

const WWW = join(ROOT, 'dist', 'www');
const gzipKb = (file: string): number => gzipSync(readFileSync(join(WWW, file))).length / 1024;

describe('production bundle', () => {
  it('loads under 100 KB of gzipped JavaScript before the first page chunk', () => {
    const html = readFileSync(join(WWW, 'index.html'), 'utf8');
    const initial = [...html.matchAll(/<script[^>]+type="module"[^>]+src="\/([^"]+)"|<link[^>]+rel="modulepreload"[^>]+href="\/([^"]+)"/g)].map((m) => m[1] ?? m[2]!);
    expect(initial.length).toBeGreaterThan(0);
    const initialKb = initial.reduce((sum, file) => sum + gzipKb(file), 0);
    const chunks = readdirSync(join(WWW, 'assets')).filter((f) => f.endsWith('.js'));
    const largest = chunks.map((f) => ({ f, kb: gzipKb(join('assets', f)) })).sort((a, b) => b.kb - a.kb).slice(0, 3);
    console.log(
      `initial JS ${initialKb.toFixed(1)} KB gzipped (${initial.join(', ')}); ${chunks.length} chunks; largest lazy: ${largest.map((c) => `${c.f} ${c.kb.toFixed(1)} KB`).join(', ')}`,
    );
    expect(initialKb).toBeLessThan(100);
    // uPlot is loaded by chart pages only.
    expect(initial.some((f) => /uPlot/i.test(f))).toBe(false);
  });
});
