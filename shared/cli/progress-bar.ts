/** A one-line progress bar on stderr, redrawn at most ten times a second; silent when not a terminal. */
import type { CliIo } from './cli-io.js';

const REDRAW_MS = 100;

export function renderProgress(label: string, done: number, total: number, elapsedMs: number, width: number): string {
  const fraction = total === 0 ? 1 : done / total;
  const rate = elapsedMs > 0 ? (done * 1000) / elapsedMs : 0;
  const remainingS = rate > 0 ? (total - done) / rate : NaN;
  const stats = ` ${Math.floor(fraction * 100)}% ${done}/${total} ${rate.toFixed(0)}/s${Number.isFinite(remainingS) ? ` ETA ${Math.ceil(remainingS)}s` : ''}`;
  const barWidth = Math.max(10, Math.min(40, width - label.length - stats.length - 4));
  const filled = Math.round(fraction * barWidth);
  return `${label} [${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}]${stats}`;
}

export class ProgressBar {
  private readonly startedMs = performance.now();
  private lastDrawMs = -Infinity;
  private drawn = false;

  constructor(
    private readonly io: CliIo,
    private readonly label: string,
  ) {}

  update(done: number, total: number): void {
    if (!this.io.errIsTty) return;
    const now = performance.now();
    if (done < total && now - this.lastDrawMs < REDRAW_MS) return;
    this.lastDrawMs = now;
    this.drawn = true;
    this.io.err(`\r${renderProgress(this.label, done, total, now - this.startedMs, this.io.errColumns)}\x1b[K`);
  }

  /** Ends the bar's line so later output starts clean. */
  finish(): void {
    if (this.drawn) this.io.err('\n');
    this.drawn = false;
  }
}
