/**
 * One uPlot chart that follows its container's width. uPlot draws on canvas and handles 100,000+
 * points per series smoothly; the wrapper only creates it once per data set and resizes it.
 */
import type uPlotType from 'uplot';
import { useEffect, useRef, useState } from 'preact/hooks';
import { loadUplot } from './load-uplot.js';

export interface UplotChartProps {
  /** Options without width/height, which the wrapper sets. */
  readonly options: Omit<uPlotType.Options, 'width' | 'height'>;
  readonly data: uPlotType.AlignedData;
  readonly height: number;
  /** Text alternative: what the chart shows (the same data is in the tables on the page). */
  readonly label: string;
  readonly testId?: string;
  /** Called once drawn, e.g. to measure. */
  readonly onReady?: (chart: uPlotType) => void;
}

export function UplotChart({ options, data, height, label, testId, onReady }: UplotChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState<string | undefined>();
  useEffect(() => {
    let chart: uPlotType | undefined;
    let observer: ResizeObserver | undefined;
    let cancelled = false;
    loadUplot().then(
      (uPlot) => {
        const el = box.current;
        if (cancelled || !el) return;
        chart = new uPlot({ ...options, width: Math.max(200, el.clientWidth), height }, data, el);
        observer = new ResizeObserver(() => chart?.setSize({ width: Math.max(200, el.clientWidth), height }));
        observer.observe(el);
        onReady?.(chart);
      },
      (e: unknown) => setFailed(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      cancelled = true;
      observer?.disconnect();
      chart?.destroy();
    };
    // A new data array or option set means a new chart; callers memoize both.
  }, [options, data, height]);
  if (failed) return <p role="alert">The chart could not be loaded: {failed}</p>;
  return <div ref={box} class="chart" role="img" aria-label={label} data-testid={testId} data-points={data[0]?.length ?? 0} style={{ minHeight: `${height}px` }} />;
}
