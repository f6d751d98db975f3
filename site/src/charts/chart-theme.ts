/** Chart colours from the page's CSS variables, so charts follow the light or dark theme. */
export interface ChartColors {
  readonly fg: string;
  readonly grid: string;
  readonly line: string;
  readonly price: string;
  readonly up: string;
  readonly down: string;
  readonly short: string;
  readonly bg: string;
}

export function chartColors(): ChartColors {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string): string => css.getPropertyValue(name).trim() || fallback;
  return {
    fg: v('--muted', '#5b6270'),
    grid: v('--grid', 'rgba(128,128,128,0.2)'),
    line: v('--accent', '#2457d6'),
    price: v('--fg', '#14171f'),
    up: v('--up', '#15803d'),
    down: v('--down', '#b91c1c'),
    short: v('--short', '#c2410c'),
    bg: v('--card', '#ffffff'),
  };
}

export function axis(colors: ChartColors, extra: Record<string, unknown> = {}) {
  return { stroke: colors.fg, grid: { stroke: colors.grid, width: 1 }, ticks: { stroke: colors.grid, width: 1 }, ...extra };
}
