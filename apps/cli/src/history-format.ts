import type { FieldChange } from '@formbridge/contract';
import type { PublicRecord, RecordConflict, RecordVersionRow, RecordWarning } from '@formbridge/storage';

const value = (v: unknown) =>
  v === undefined ? '—' : v === null ? '(空)' : typeof v === 'string' ? v : JSON.stringify(v);
const when = (d: Date | string) => new Date(d).toISOString().replace('T', ' ').slice(0, 16);

function change(c: FieldChange): string {
  if (c.op === 'add') return `    + ${c.path}: ${value(c.after)}`;
  if (c.op === 'remove') return `    - ${c.path}: ${value(c.before)}`;
  return `    ~ ${c.path}: ${value(c.before)} → ${value(c.after)}`;
}

const warning = (w: RecordWarning) => `    ! ${w.code}${w.path ? ` ${w.path}` : ''}: ${w.message}`;

/** `formbridge history`: one block per version, newest last, with the fields it changed. */
export function formatHistory(
  record: PublicRecord,
  versions: RecordVersionRow[],
  conflicts: RecordConflict[],
): string {
  const title = [record.projectName, record.departmentName].filter(Boolean).join(' · ');
  const lines = [`record ${record.id} (${String(record.formType)}, ${String(record.year)}) ${title}`];
  for (const v of versions) {
    const from = v.source
      ? ` from ${v.source.file ?? `document ${v.source.documentId}`} (form ${v.source.formIndex + 1})`
      : '';
    const base = v.baseVersion ? `, generated from v${v.baseVersion}` : '';
    lines.push(`v${v.version}  ${v.origin.padEnd(6)}  ${when(v.createdAt)}${from}${base}`);
    lines.push(...v.changes.map(change), ...v.warnings.map(warning));
  }
  lines.push(`sources (${record.sources.length}):`);
  for (const s of record.sources)
    lines.push(`    ${s.file} (form ${s.formIndex + 1}, v${s.version}) first seen ${when(s.firstSeen)}`);
  for (const c of conflicts)
    lines.push(
      `conflict ${c.id} (${c.status}): ${c.file} (form ${c.formIndex + 1}) from v${c.baseVersion} clashes with v${c.currentVersion} at ${c.paths.join(', ')}`,
    );
  return `${lines.join('\n')}\n`;
}
