import { useEffect, useState } from 'preact/hooks';
import { api, RecordData } from '../api';
import { Definition, pathLabel } from '../form/definition';
import { t } from '../i18n';
import { Change, diff, getAt, normalisePath, setAt } from '../paths';
import { ErrorNote, errorText } from '../shared';
import { ChangeTable, show } from './ChangeTable';

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

type Side = 'returned' | 'current';

const within = (path: string, clash: string) =>
  path === clash || path.startsWith(`${clash}.`) || path.startsWith(`${clash}[`);

/** The returned form's changes (against the version it was generated from) outside the clashing fields. */
function otherChanges(c: ConflictSides, clashing: string[]): Change[] {
  return diff(c.base, c.returned).filter((change) => !clashing.some((p) => within(change.path, p)));
}

/**
 * Returned forms whose changes clash with edits made since they went out (GET /records/:id/
 * conflicts, then GET /conflicts/:id for both sides): each clashing field with the returned value
 * and the record's, to choose from; the form's other changes are applied with the choice, as one
 * new version (POST /conflicts/:id/resolve). Keeping the record as it is drops the returned form.
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
  const [choice, setChoice] = useState<Record<string, Side>>({});
  const [errors, setErrors] = useState<Record<number, string>>({});
  const [busy, setBusy] = useState(false);
  const [loadError, setLoadError] = useState<unknown>(null);

  useEffect(() => {
    let stop = false;
    api<Conflict[]>('GET', `records/${recordId}/conflicts`)
      .then((list) =>
        Promise.all(
          list.filter((c) => c.status === 'open').map((c) => api<ConflictSides>('GET', `conflicts/${c.id}`)),
        ),
      )
      .then(
        (found) => !stop && setSides(found),
        (e: unknown) => !stop && setLoadError(e),
      );
    return () => {
      stop = true;
    };
  }, [recordId, latest.version]);

  if (loadError) return <ErrorNote error={loadError} />;
  if (!sides.length) return null;

  const send = async (c: ConflictSides, record?: RecordData) => {
    setBusy(true);
    try {
      await api('POST', `conflicts/${c.id}/resolve`, record ? { record } : {});
      setErrors({});
      // gone at once, not when the list is fetched again for the new version
      setSides((list) => list.filter((x) => x.id !== c.id));
      onResolved();
    } catch (e) {
      setErrors({ ...errors, [c.id]: errorText(e) });
    } finally {
      setBusy(false);
    }
  };

  const resolve = (c: ConflictSides) => {
    const clashing = c.paths.map(normalisePath);
    let merged = latest.data;
    for (const change of otherChanges(c, clashing)) merged = setAt(merged, change.path, change.after);
    for (const p of clashing)
      if ((choice[`${c.id}:${p}`] ?? 'current') === 'returned')
        merged = setAt(merged, p, getAt(c.returned, p));
    // conditional on the version shown: an edit saved meanwhile makes the API refuse (CONFLICT)
    return send(c, { ...merged, version: latest.version });
  };

  // "This record" is the record as it stands now: what keeping it keeps.
  const valueOf = (c: ConflictSides, side: Side, p: string) =>
    getAt(side === 'returned' ? c.returned : latest.data, p);

  return (
    <>
      {sides.map((c) => {
        const clashing = c.paths.map(normalisePath);
        const others = otherChanges(c, clashing);
        return (
          <section class="stale conflict" key={c.id} aria-labelledby={`conflict-${c.id}`}>
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
                {clashing.map((p) => {
                  const key = `${c.id}:${p}`;
                  const pick = choice[key] ?? 'current';
                  const field = pathLabel(def, p);
                  return (
                    <tr key={p}>
                      <th scope="row">{field}</th>
                      {(['returned', 'current'] as const).map((side) => {
                        const value = valueOf(c, side, p);
                        return (
                          <td key={side}>
                            <label class="choice-box">
                              <input
                                type="radio"
                                name={`conflict-${key}`}
                                checked={pick === side}
                                onChange={() => setChoice({ ...choice, [key]: side })}
                                aria-label={`${field} · ${t(side === 'returned' ? 'detail.theirs' : 'detail.ours')}：${show(value)}`}
                              />
                              {show(value)}
                            </label>
                          </td>
                        );
                      })}
                    </tr>
                  );
                })}
              </tbody>
            </table>
            {others.length > 0 && (
              <ChangeTable changes={others} def={def} caption={t('detail.conflictOthers')} />
            )}
            <div class="actions">
              <button type="button" disabled={busy} onClick={() => void resolve(c)}>
                {t('detail.resolve')}
              </button>
              <button type="button" class="secondary" disabled={busy} onClick={() => void send(c)}>
                {t('detail.dropReturned')}
              </button>
            </div>
            {errors[c.id] && (
              <p class="invalid-text" role="alert">
                {errors[c.id]}
              </p>
            )}
          </section>
        );
      })}
    </>
  );
}
