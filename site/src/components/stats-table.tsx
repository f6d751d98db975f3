/** The statistics of one run, or of several side by side (the best value of each comparable row marked). */
import type { Statistics } from '../../../shared/schemas/backtest-views.js';
import { STAT_ROWS } from '../lib/stat-labels.js';

export interface StatsColumn {
  readonly label: string;
  readonly stats: Statistics;
}

export function StatsTable({ columns, caption }: { columns: readonly StatsColumn[]; caption: string }) {
  const single = columns.length === 1;
  return (
    <div class="table-scroll" tabIndex={0}>
      <table class="stats" data-testid="stats-table">
        <caption class="visually-hidden">{caption}</caption>
        {!single && (
          <thead>
            <tr>
              <th scope="col">Statistic</th>
              {columns.map((c, i) => (
                <th key={i} scope="col" class="num">
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
        )}
        <tbody>
          {STAT_ROWS.map((row) => {
            const values = columns.map((c) => c.stats[row.key]);
            const numeric = values.filter((v): v is number => typeof v === 'number');
            const best = !single && row.higherIsBetter !== undefined && numeric.length > 1 ? (row.higherIsBetter ? Math.max(...numeric) : Math.min(...numeric)) : undefined;
            return (
              <tr key={row.key} data-stat={row.key}>
                <th scope="row">{row.label}</th>
                {values.map((v, i) => (
                  <td key={i} class={`num${best !== undefined && v === best ? ' best' : ''}`}>
                    {row.format(v)}
                    {best !== undefined && v === best && <span class="visually-hidden"> (best)</span>}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
