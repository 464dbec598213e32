import { FieldChange, diffRecords, revertChanges } from '@formbridge/contract';
import type { JsonObject } from './storage.types';

/** A version row as stored: new rows keep only their changes; rows from before migration 004 their data. */
export interface StoredVersion {
  version: number;
  changes: FieldChange[] | null;
  data: JsonObject | null;
}

/**
 * Every version's data and changes, rebuilt from the record's current data by undoing each
 * version's changes in turn, newest first. `rows` are the versions from some version up to the
 * current one; a row that still holds its whole data (written before versions kept diffs) is
 * taken as it is, and its changes are worked out against the row before it.
 */
export function rebuildVersions(
  current: JsonObject,
  rows: readonly StoredVersion[],
): Map<number, { data: JsonObject; changes: FieldChange[] }> {
  const sorted = [...rows].sort((a, b) => b.version - a.version);
  const out = new Map<number, { data: JsonObject; changes: FieldChange[] }>();
  let state: JsonObject | undefined = current;
  for (const row of sorted) {
    const data: JsonObject | undefined = row.data ?? state;
    if (data === undefined) break;
    out.set(row.version, { data, changes: row.changes ?? [] });
    state = row.changes ? revertChanges(data, row.changes) : undefined;
  }
  // Old rows: their changes are the difference from the row before.
  for (const row of sorted) {
    const prev = out.get(row.version - 1);
    const mine = out.get(row.version);
    if (!row.changes && prev && mine) mine.changes = diffRecords(prev.data, mine.data);
  }
  return out;
}
