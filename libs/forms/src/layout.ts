import type { SourceLocation, WordCell, WordTable } from '@formbridge/word';

/** A table cell as the form reader sees it: merges resolved, nested tables laid out as rows. */
export interface GridCell {
  text: string;
  /** First grid column and width; nested tables use fractional columns inside their host cell. */
  col: number;
  span: number;
  /** Continues a vertical merge from the row above (its text is that of the merge's first cell). */
  continued: boolean;
  location: SourceLocation;
}

export interface GridRow {
  cells: GridCell[];
}

function cellOf(cell: WordCell, table: WordTable, row: number, col: number, scale: number): GridCell {
  return {
    text: cell.text,
    col: col + cell.col * scale,
    span: cell.gridSpan * scale,
    continued: cell.vMerge === 'continue',
    location: { table: table.index, row, cell: cell.index },
  };
}

/**
 * Lays a table out as rows of cells. A nested table becomes rows of its own placed at its host
 * cell's column, and the host row's cells to the left repeat (as continuations) beside every
 * nested row after the first: that is how the nesting reads on paper. A one-cell table that only
 * wraps other tables disappears the same way.
 */
export function layoutTable(table: WordTable, origin = 0, scale = 1): GridRow[] {
  const rows: GridRow[] = [];
  for (const row of table.rows) {
    let current: GridCell[] = [];
    const pending: GridRow[] = [];
    for (const cell of row.cells) {
      const host = cellOf(cell, table, row.index, origin, scale);
      if (!cell.tables.length) {
        current.push(host);
        continue;
      }
      if (cell.text.trim()) current.push(host);
      const left = current.map((c) => ({ ...c, continued: true, text: '' }));
      const inner = cell.tables.flatMap((t) =>
        layoutTable(t, host.col, host.span / Math.max(1, t.grid.length || widest(t))),
      );
      inner.forEach((r, i) => {
        if (i === 0 && !cell.text.trim()) current.push(...r.cells);
        else pending.push({ cells: [...left, ...r.cells] });
      });
      if (!cell.text.trim() && inner.length === 0) current.push(host);
    }
    rows.push({ cells: current }, ...pending);
    current = [];
  }
  return rows.filter((r) => r.cells.length > 0);
}

function widest(t: WordTable): number {
  return Math.max(1, ...t.rows.map((r) => r.cells.reduce((n, c) => n + c.gridSpan, r.gridBefore)));
}
