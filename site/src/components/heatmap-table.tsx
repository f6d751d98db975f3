/** The optimizer heatmap as a table (readable by screen readers and at any width), cells coloured by score. */
import type { Statistics } from '../../../shared/schemas/backtest-views.js';
import { cellColors, type Heatmap } from '../lib/heatmap.js';
import { formatStat, statLabel } from '../lib/stat-labels.js';

export function HeatmapTable({ map, xName, yName, metric, onPick }: { map: Heatmap; xName: string; yName: string; metric: keyof Statistics; onPick: (index: number) => void }) {
  return (
    <div class="table-scroll" tabIndex={0}>
      <table class="heatmap" data-testid="heatmap">
        <caption>
          {statLabel(metric)} by {xName} (columns) and {yName} (rows); best {formatStat(metric, map.best)}, worst {formatStat(metric, map.worst)}
        </caption>
        <thead>
          <tr>
            <th scope="col">
              {yName} \ {xName}
            </th>
            {map.xs.map((x) => (
              <th scope="col" key={String(x)} class="num">
                {String(x)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {map.rows.map((row, yi) => (
            <tr key={String(map.ys[yi])}>
              <th scope="row" class="num">
                {String(map.ys[yi])}
              </th>
              {row.map((cell, xi) => (
                <td key={xi} style={cellColors(cell.score)} class="num">
                  {cell.run ? (
                    <button type="button" class="cell" onClick={() => onPick(cell.run!.index)} aria-label={`${xName} ${String(map.xs[xi])}, ${yName} ${String(map.ys[yi])}: ${formatStat(metric, cell.value)}, rank ${cell.run.rank}`}>
                      {formatStat(metric, cell.value)}
                    </button>
                  ) : (
                    <span title="not run: the strategy refuses this combination">·</span>
                  )}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
