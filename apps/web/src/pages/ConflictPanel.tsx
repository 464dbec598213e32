import { useEffect, useState } from 'preact/hooks';
import { api, RecordData } from '../api';
import { Definition, pathLabel } from '../form/definition';
import { t } from '../i18n';
import { diff, getAt, normalisePath, setAt } from '../paths';
import { errorText } from '../shared';

interface Conflict {
  id: number;
  status: 'open' | 'resolved';
  file: string;
  paths: string[];
}

interface ConflictSides extends Conflict {
  base: RecordData;
  current: RecordData;
  returned: RecordData;
}

function show(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/**
 * A returned form whose changes clash with edits made since it went out (GET /records/:id/
 * conflicts): both sides of each clashing field, side by side, and the clerk's choice is saved as
 * the record's next version together with the form's other changes.
 */
export function ConflictPanel({
  recordId,
  def,
  latest,
  onResolved,
}: {
  recordId: number;
  def: Definition;
  latest: { data: RecordData; version: number };
  onResolved: () => void;
}) {
  const [sides, setSides] = useState<ConflictSides[]>([]);
  const [choice, setChoice] = useState<Record<string, 'returned' | 'current'>>({});
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api<Conflict[]>('GET', `records/${recordId}/conflicts`)
      .then((list) =>
        Promise.all(
          list.filter((c) => c.status === 'open').map((c) => api<ConflictSides>('GET', `conflicts/${c.id}`)),
        ),
      )
      .then(setSides, () => setSides([])); // an API without returned forms has no conflicts to show
  }, [recordId, latest.version]);

  if (!sides.length) return null;
  const resolve = async (c: ConflictSides) => {
    const clashing = new Set(c.paths.map(normalisePath));
    let merged = latest.data;
    // the form's other changes apply as they would have without the clash
    for (const change of diff(c.base, c.returned))
      if (
        ![...clashing].some(
          (p) => change.path === p || change.path.startsWith(`${p}.`) || change.path.startsWith(`${p}[`),
        )
      )
        merged = setAt(merged, change.path, change.after);
    for (const p of clashing)
      if ((choice[`${c.id}:${p}`] ?? 'current') === 'returned')
        merged = setAt(merged, p, getAt(c.returned, p));
    try {
      await api('POST', `conflicts/${c.id}/resolve`, { record: { ...merged, version: latest.version } });
      onResolved();
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <>
      {sides.map((c) => (
        <div class="stale conflict" key={c.id} role="region" aria-labelledby={`conflict-${c.id}`}>
          <h3 id={`conflict-${c.id}`}>
            {t('detail.conflict')}：{c.file}
          </h3>
          <p>{t('detail.conflictIntro')}</p>
          <table class="data diff">
            <thead>
              <tr>
                <th scope="col">{t('detail.field')}</th>
                <th scope="col">{t('detail.theirs')}</th>
                <th scope="col">{t('detail.ours')}</th>
              </tr>
            </thead>
            <tbody>
              {c.paths.map(normalisePath).map((p) => {
                const key = `${c.id}:${p}`;
                const pick = choice[key] ?? 'current';
                return (
                  <tr key={p}>
                    <th scope="row">{pathLabel(def, p)}</th>
                    {(['returned', 'current'] as const).map((side) => (
                      <td key={side}>
                        <label class="choice-box">
                          <input
                            type="radio"
                            name={key}
                            checked={pick === side}
                            onChange={() => setChoice({ ...choice, [key]: side })}
                          />
                          {show(getAt(c[side], p))}
                        </label>
                      </td>
                    ))}
                  </tr>
                );
              })}
            </tbody>
          </table>
          <div class="actions">
            <button type="button" onClick={() => void resolve(c)}>
              {t('detail.resolve')}
            </button>
          </div>
          {error && <p class="invalid-text">{error}</p>}
        </div>
      ))}
    </>
  );
}
