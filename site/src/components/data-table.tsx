/** The site's tables: scrollable and focusable, a caption for screen readers, column headers, rows as children. */
import type { ComponentChildren } from 'preact';

export interface Column {
  readonly label: ComponentChildren;
  /** Numbers are right-aligned. */
  readonly num?: boolean;
}

export function DataTable(props: { caption: ComponentChildren; columns: readonly Column[]; class?: string; testId?: string; children: ComponentChildren }) {
  return (
    <div class="table-scroll" tabIndex={0}>
      <table class={props.class} data-testid={props.testId}>
        <caption class="visually-hidden">{props.caption}</caption>
        <thead>
          <tr>
            {props.columns.map((column, i) => (
              <th key={i} scope="col" class={column.num ? 'num' : undefined}>
                {column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{props.children}</tbody>
      </table>
    </div>
  );
}
