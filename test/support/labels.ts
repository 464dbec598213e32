import type { FieldDefinition, FormDefinition } from '@formbridge/definitions';

/**
 * Every standard label a form prints, as its layout draws it: the label cells, grid and matrix
 * headers, the standard indicator rows, captions, group labels, the review label's suffix and
 * the labels of the lines above and below the table.
 */
export function standardLabels(def: FormDefinition): string[] {
  const field = (path: string): FieldDefinition => def.fields.find((f) => f.path === path)!;
  const label = (path: string) => {
    const f = field(path);
    return 'labels' in f ? f.labels[0] : undefined;
  };
  const labels = new Set<string>();
  const add = (...texts: Array<string | undefined>) => texts.forEach((t) => t && labels.add(t));
  for (const path of [...def.layout.before, ...def.layout.after].flat()) add(label(path));
  for (const row of def.layout.rows) {
    if ('cells' in row) row.cells.forEach((c) => 'label' in c && add(label(c.label)));
    else if ('grid' in row) {
      const f = field(row.grid);
      if (f.kind !== 'grid') continue;
      add(f.labels[0], ...f.columns.filter((c) => !c.derive).map((c) => c.labels[0]));
      if (Array.isArray(f.standardRows)) f.standardRows.forEach((s) => row.merge?.forEach((k) => add(s[k])));
    } else if ('keyed' in row) {
      const f = field(row.keyed);
      if (f.kind !== 'keyed') continue;
      add(f.labels[0], ...f.keys.map((k) => k.labels[0]));
      row.rows.flat().forEach((c) => add('caption' in c ? c.caption : c.lead));
    } else if ('group' in row) {
      add(def.groups.find((g) => g.id === row.group)?.labels[0], ...row.fields.map(label));
    } else if ('reviews' in row) {
      const f = field(row.reviews);
      if (f.kind === 'reviews') add(f.labelSuffix, f.groupLabels?.[0]);
    } else if ('matrix' in row) {
      const f = field(row.matrix);
      if (f.kind !== 'matrix') continue;
      add(f.labels[0], ...f.rows.map((r) => r.labels[0]), ...f.columns.map((c) => c.labels[0]));
    }
  }
  return [...labels];
}
