/** uPlot (and its stylesheet) load only on pages that draw charts, keeping them out of the initial bundle. */
import type uPlotType from 'uplot';

let loading: Promise<typeof uPlotType> | undefined;

export function loadUplot(): Promise<typeof uPlotType> {
  loading ??= Promise.all([import('uplot'), import('uplot/dist/uPlot.min.css')]).then(([m]) => m.default);
  return loading;
}
