import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, ApiError, PublicRecord, RecordData, RecordVersion, Warning } from '../api';
import { Definition } from '../form/definition';
import { findInvalid, FormFields, unplacedWarnings } from '../form/FormFields';
import { formatTime, MessageKey, t, tCode } from '../i18n';
import { Change, diff, getAt, normalisePath, parsePath } from '../paths';
import { href } from '../router';
import { ErrorNote, errorText, loadDefinition } from '../shared';
import { ChangeTable } from './ChangeTable';
import { ConflictPanel } from './ConflictPanel';

/** Keys a record carries besides the contract's fields: never sent back as data. */
const OWN_KEYS = ['id', 'version', 'source', 'sources', 'warnings'];

function dataOf(r: PublicRecord): RecordData {
  return Object.fromEntries(Object.entries(r).filter(([k]) => !OWN_KEYS.includes(k)));
}

function History({ versions, def }: { versions: RecordVersion[]; def?: Definition }) {
  const newest = [...versions].reverse();
  return (
    <section aria-labelledby="history-title" class="history">
      <h2 id="history-title">{t('detail.history')}</h2>
      {newest.map((v, i) => {
        const before = newest[i + 1];
        const changes = before ? changesOf(v, before) : [];
        return (
          <details key={v.version} open={i === 0 && !!before} class="version">
            <summary>
              {t('detail.version', { version: v.version })} · {tOrigin(v.origin)} · {formatTime(v.createdAt)}
              {before && `（${changes.length}）`}
            </summary>
            {!before ? (
              <p class="muted">{t('detail.firstVersion')}</p>
            ) : changes.length ? (
              <ChangeTable changes={changes} def={def} />
            ) : (
              <p class="muted">{t('detail.noChanges')}</p>
            )}
          </details>
        );
      })}
    </section>
  );
}

/** The API's own field changes when it reports them, else the page's diff of the two versions. */
function changesOf(v: RecordVersion, before: RecordVersion): Change[] {
  if (Array.isArray(v.changes))
    return v.changes.map((c) => ({
      path: normalisePath(c.path),
      before: c.before ?? null,
      after: c.after ?? null,
    }));
  return diff(before.data, v.data);
}

function tOrigin(origin: string): string {
  return ['import', 'edit', 'return'].includes(origin) ? t(`origin.${origin}` as MessageKey) : origin;
}

/** The source file as HTML; of a file holding several forms, only the record's own (`form`). */
interface Preview {
  html: string;
  file: string | null;
  form: { index: number; count: number } | null;
}

function SourcePane({ id, record }: { id: number; record: PublicRecord }) {
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (record.source?.sha256) api<Preview>('GET', `records/${id}/preview`).then(setPreview, setError);
  }, [id, record.source?.sha256]);
  const file = record.source?.file;
  const doc = preview
    ? `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>
        body{font:15px/1.6 "Noto Serif CJK SC","Source Han Serif SC",FangSong,serif;margin:16px;color:#111}
        table{border-collapse:collapse;width:100%;margin:8px 0}td,th{border:1px solid #555;padding:4px 6px;vertical-align:top}
        p{margin:4px 0}img{max-width:100%}</style></head><body>${preview.html}</body></html>`
    : '';
  return (
    <section class="source-pane" aria-labelledby="source-title">
      <div class="pane-head">
        <h2 id="source-title">{file ? t('detail.sourceFile', { file }) : t('detail.source')}</h2>
        {record.source?.sha256 && (
          <a class="button secondary small" href={`records/${id}/source`} download>
            {t('detail.sourceDownload')}
          </a>
        )}
      </div>
      {preview?.form && (
        <p class="muted source-note">
          {t('detail.formOfFile', { index: preview.form.index + 1, count: preview.form.count })}
        </p>
      )}
      {!record.source?.sha256 && <p class="muted">{t('detail.noSource')}</p>}
      <ErrorNote error={error} />
      {record.source?.sha256 && !preview && !error && <p class="muted">{t('common.loading')}</p>}
      {preview && <iframe title={t('detail.sourceFrame')} sandbox="" srcdoc={doc} class="source-frame" />}
    </section>
  );
}

let pdfAvailable: Promise<boolean> | undefined;
/** PDF downloads appear once the API documents them (GET /records/{id}/pdf). */
function usePdf(): boolean {
  const [yes, setYes] = useState(false);
  useEffect(() => {
    pdfAvailable ??= api<{ paths?: Record<string, unknown> }>('GET', 'docs/json').then(
      (doc) => !!doc.paths?.['/records/{id}/pdf'],
      () => false,
    );
    void pdfAvailable.then(setYes);
  }, []);
  return yes;
}

interface Stale {
  latest: PublicRecord;
  theirs: Change[];
}

export function RecordPage({ id }: { id: number; params: URLSearchParams }) {
  const [record, setRecord] = useState<PublicRecord | null>(null);
  const [def, setDef] = useState<Definition | undefined>();
  const [draft, setDraft] = useState<RecordData | null>(null);
  const [versions, setVersions] = useState<RecordVersion[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [serverInvalid, setServerInvalid] = useState(new Map<string, string>());
  const [tried, setTried] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [stale, setStale] = useState<Stale | null>(null);
  const pdf = usePdf();

  const load = async () => {
    const r = await api<PublicRecord>('GET', `records/${id}`);
    const [d, v] = await Promise.all([
      loadDefinition(r.formType, r.edition, r.year),
      api<RecordVersion[]>('GET', `records/${id}/versions`),
    ]);
    setRecord(r);
    setDef(d);
    setDraft(dataOf(r));
    setVersions(v);
    return r;
  };

  useEffect(() => {
    load().catch(setError);
  }, [id]);

  const invalid = useMemo(() => {
    const out = def && draft && tried ? findInvalid(def, draft) : new Map<string, string>();
    for (const [k, v] of serverInvalid) out.set(k, v);
    return out;
  }, [def, draft, tried, serverInvalid]);

  if (error && !record) return <ErrorNote error={error} />;
  if (!record || !def || !draft) return <p>{t('common.loading')}</p>;

  const warnings: Warning[] = record.warnings ?? [];
  const edit = (next: RecordData) => {
    setDraft(next);
    setStatus(null);
    if (serverInvalid.size) setServerInvalid(new Map());
  };

  const save = async (base: PublicRecord = record, data: RecordData = draft) => {
    setTried(true);
    const problems = findInvalid(def, data);
    if (problems.size) {
      setStatus(t('detail.invalid', { count: problems.size }));
      return;
    }
    if (!diff(dataOf(base), data).length) {
      setStatus(t('detail.unchanged'));
      return;
    }
    setSaving(true);
    setStatus(t('detail.saving'));
    try {
      const saved = await api<PublicRecord>('PUT', `records/${id}`, { ...data, version: base.version });
      setStale(null);
      setTried(false);
      await load();
      setStatus(t('detail.saved', { version: saved.version }));
    } catch (e) {
      if (e instanceof ApiError && e.code === 'CONFLICT') {
        const latest = await api<PublicRecord>('GET', `records/${id}`);
        setStale({ latest, theirs: diff(dataOf(base), dataOf(latest)) });
        setStatus(null);
      } else if (e instanceof ApiError && e.errors.length) {
        setServerInvalid(new Map(e.errors.map((x) => [normalisePath(x.path), x.reason])));
        setStatus(t('detail.invalid', { count: e.errors.length }));
      } else setStatus(errorText(e));
    } finally {
      setSaving(false);
    }
  };

  /** My changes, field by field (top-level), on top of the latest version. */
  const reapply = (latest: PublicRecord) => {
    const mine = new Set(diff(dataOf(record), draft).map((c) => String(parsePath(c.path)[0])));
    const merged = { ...dataOf(latest), ...Object.fromEntries([...mine].map((k) => [k, draft[k]])) };
    setRecord(latest);
    setDraft(merged);
    setStale(null);
    void api<RecordVersion[]>('GET', `records/${id}/versions`).then(setVersions);
  };

  const named = [def.summary?.project, def.summary?.department].map((p) => (p ? getAt(record, p) : null));
  const title = String(named.find((v) => typeof v === 'string' && v) ?? '');
  const others = unplacedWarnings(def, warnings);
  return (
    <>
      <div class="detail-head">
        <a href={href('records')}>← {t('detail.back')}</a>
        <h1>
          {t('detail.title', { id })} · {title}
        </h1>
        <span class="badge">{t('detail.version', { version: record.version })}</span>
        <span class="muted">
          {def.attachmentLabel.default} {def.title.text}
        </span>
      </div>
      <div class="detail">
        <SourcePane id={id} record={record} />
        <section class="form-pane" aria-labelledby="form-title">
          <form
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              void save();
            }}
          >
            <div class="pane-head sticky">
              <h2 id="form-title">{t('detail.form')}</h2>
              <div class="actions">
                <button type="submit" disabled={saving}>
                  {t('detail.save')}
                </button>
                <a class="button secondary" href={`records/${id}/docx`} download>
                  {t('detail.downloadDocx')}
                </a>
                {pdf && (
                  <a class="button secondary" href={`records/${id}/pdf`} download>
                    {t('detail.downloadPdf')}
                  </a>
                )}
              </div>
              {status && (
                <p class={invalid.size ? 'invalid-text status' : 'status'} role="status">
                  {status}
                </p>
              )}
            </div>
            {stale && (
              <div class="stale" role="alert">
                <p>{t('detail.stale', { version: stale.latest.version })}</p>
                <ChangeTable changes={stale.theirs} def={def} />
                <div class="actions">
                  <button type="button" onClick={() => reapply(stale.latest)}>
                    {t('detail.reapply')}
                  </button>
                  <button
                    type="button"
                    class="secondary"
                    onClick={() => {
                      setStale(null);
                      void load();
                    }}
                  >
                    {t('detail.discard')}
                  </button>
                </div>
              </div>
            )}
            <ConflictPanel
              recordId={id}
              def={def}
              latest={{ data: dataOf(record), version: record.version }}
              onResolved={() => void load()}
            />
            {others.length > 0 && (
              <div class="warnings-box">
                <h3>{t('detail.warnings')}</h3>
                <ul>
                  {others.map((w, i) => (
                    <li key={i}>⚠ {tCode('warning', w.code, w.message)}</li>
                  ))}
                </ul>
              </div>
            )}
            <FormFields def={def} value={draft} onChange={edit} invalid={invalid} warnings={warnings} />
          </form>
          <History versions={versions} def={def} />
        </section>
      </div>
    </>
  );
}
