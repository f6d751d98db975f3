/** Display formatting. Times are shown in UTC, like the CLI and its report. */
export const DASH = '—';

export function fmtNumber(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export const fmtInt = (value: number | null | undefined): string => fmtNumber(value, 0);

export function fmtPct(value: number | null | undefined, digits = 2): string {
  const text = fmtNumber(value, digits);
  return text === DASH ? text : `${text}%`;
}

export function fmtSignedPct(value: number | null | undefined, digits = 2): string {
  const text = fmtPct(value, digits);
  return value !== null && value !== undefined && value > 0 ? `+${text}` : text;
}

export function fmtDate(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return DASH;
  return new Date(ms).toISOString().slice(0, 10);
}

export function fmtDateTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return DASH;
  const iso = new Date(ms).toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

export function fmtAgo(ms: number, nowMs: number): string {
  const s = Math.max(0, Math.round((nowMs - ms) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return fmtDate(ms);
}

export const toneOf = (value: number | null | undefined): 'up' | 'down' | '' => (value === null || value === undefined || value === 0 ? '' : value > 0 ? 'up' : 'down');
