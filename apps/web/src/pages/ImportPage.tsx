import { useEffect, useRef, useState } from 'preact/hooks';
import { api, BatchPage, ImportReport, query, RecordPage, uploadImport } from '../api';
import { t, tCode } from '../i18n';
import { href, navigate } from '../router';
import { BatchBar, ErrorNote, PastBatches, usePoll } from '../shared';
import { RecordTable } from './RecordsPage';

interface Picked {
  file: File;
  name: string;
}

const TAKEN = /\.(docx|doc|rtf|zip)$/i;
/** Files a folder holds that are not submissions: hidden files and Word's lock files (~$…). */
const skipped = (name: string) => name.startsWith('.') || name.startsWith('~$') || !TAKEN.test(name);

async function readEntry(entry: FileSystemEntry, out: Picked[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((res, rej) => (entry as FileSystemFileEntry).file(res, rej));
    if (!skipped(file.name)) out.push({ file, name: entry.fullPath.replace(/^\//, '') });
  } else if (entry.isDirectory) {
    const reader = (entry as FileSystemDirectoryEntry).createReader();
    for (;;) {
      const batch = await new Promise<FileSystemEntry[]>((res, rej) => reader.readEntries(res, rej));
      if (!batch.length) break;
      for (const child of batch.sort((a, b) => a.name.localeCompare(b.name)))
        if (!child.name.startsWith('.')) await readEntry(child, out);
    }
  }
}

/** Files dropped: files as they are, folders walked (only .docx/.doc/.rtf/.zip taken from them). */
async function dropped(data: DataTransfer): Promise<Picked[]> {
  const out: Picked[] = [];
  const entries = [...data.items].map((i) => i.webkitGetAsEntry?.()).filter((e): e is FileSystemEntry => !!e);
  if (!entries.length) return [...data.files].map((file) => ({ file, name: file.name }));
  for (const entry of entries) {
    if (entry.isFile) {
      const file = await new Promise<File>((res, rej) => (entry as FileSystemFileEntry).file(res, rej));
      out.push({ file, name: file.name });
    } else await readEntry(entry, out);
  }
  return out;
}

function PastImports({ refresh }: { refresh: unknown }) {
  const [page, setPage] = useState<BatchPage | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api<BatchPage>('GET', 'imports?limit=10').then(setPage, setError);
  }, [refresh]);
  return (
    <section aria-labelledby="past-imports">
      <h2 id="past-imports">{t('import.past')}</h2>
      <ErrorNote error={error} />
      {page && !page.items.length && <p class="muted">{t('import.none')}</p>}
      {page && page.items.length > 0 && (
        <PastBatches
          page={page}
          actionLabel={t('import.open')}
          action={(b) => (
            <a
              href={href('import', { batch: b.batchId })}
              aria-label={`${t('import.open')} ${t('import.batch', { id: b.batchId })}`}
            >
              {t('import.open')}
            </a>
          )}
        />
      )}
    </section>
  );
}

function BatchView({ id, onDone }: { id: number; onDone: () => void }) {
  const [report, error] = usePoll<ImportReport>(`imports/${id}`);
  const [records, setRecords] = useState<RecordPage | null>(null);
  const done = report?.status === 'completed';
  useEffect(() => {
    if (!done) return;
    onDone();
    api<RecordPage>('GET', `records${query({ batchId: id, limit: 200 })}`).then(setRecords, () => undefined);
  }, [done, id]);
  return (
    <section aria-labelledby="batch-title" class="batch">
      <h2 id="batch-title">{t('import.batch', { id })}</h2>
      <ErrorNote error={error} />
      {report && <BatchBar batch={report} label="import.progress" />}
      {report && done && (
        <p class="summary">
          {t('import.summary', {
            files: report.total,
            done: report.done,
            failed: report.failed,
            records: report.records,
            newRecords: report.newRecords,
            updatedRecords: report.updatedRecords,
          })}
        </p>
      )}
      {report && report.conflicts.length > 0 && (
        <>
          <h3>{t('import.conflicts')}</h3>
          <table class="data conflicts">
            <thead>
              <tr>
                <th scope="col">{t('common.file')}</th>
                <th scope="col">{t('import.conflictRecord')}</th>
              </tr>
            </thead>
            <tbody>
              {report.conflicts.map((c) => (
                <tr key={c.conflictId}>
                  <td>{c.file}</td>
                  <td>
                    <a href={href(`records/${c.recordId}`)}>
                      {t('import.resolveConflict', { id: c.recordId, count: c.paths.length })}
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {report && report.failures.length > 0 && (
        <>
          <h3>{t('import.failures')}</h3>
          <table class="data failures">
            <thead>
              <tr>
                <th scope="col">{t('common.file')}</th>
                <th scope="col">{t('common.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {report.failures.map((f, i) => (
                <tr key={i}>
                  <td>{f.file}</td>
                  <td>{tCode('error', f.code, f.reason ?? '')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {report && report.warnings.length > 0 && (
        <details>
          <summary>
            {t('import.warnings')}（{report.warnings.length}）
          </summary>
          <ul class="warning-list">
            {report.warnings.map((w, i) => (
              <li key={i}>
                {w.file}：{tCode('warning', w.code, w.message)}
              </li>
            ))}
          </ul>
        </details>
      )}
      {records && records.items.length > 0 && (
        <>
          <h3>{t('import.records')}</h3>
          <RecordTable page={records} />
        </>
      )}
    </section>
  );
}

export function ImportPage({ params }: { params: URLSearchParams }) {
  const batch = Number(params.get('batch')) || null;
  const [percent, setPercent] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [note, setNote] = useState<string | null>(null);
  const [over, setOver] = useState(false);
  // the past imports list again once the batch shown completes, so it does not say 处理中 forever
  const [finished, setFinished] = useState(0);
  const files = useRef<HTMLInputElement>(null);
  const folder = useRef<HTMLInputElement>(null);

  useEffect(() => folder.current?.setAttribute('webkitdirectory', ''), []);

  const send = async (picked: Picked[]) => {
    setError(null);
    setNote(null);
    if (!picked.length) return setNote(t('import.noFiles'));
    setPercent(0);
    try {
      const { batchId } = await uploadImport(picked, (f) => setPercent(Math.round(f * 100)));
      navigate('import', { batch: batchId });
    } catch (e) {
      setError(e);
    } finally {
      setPercent(null);
    }
  };

  const fromInput = (input: HTMLInputElement, walk: boolean) => {
    const list = [...(input.files ?? [])].map((file) => ({
      file,
      name: file.webkitRelativePath || file.name,
    }));
    input.value = '';
    const hidden = (p: Picked) => p.name.split('/').some((part) => part.startsWith('.'));
    void send(walk ? list.filter((p) => !hidden(p) && !skipped(p.file.name)) : list);
  };

  return (
    <>
      <h1>{t('import.title')}</h1>
      <div
        class={`dropzone${over ? ' over' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          if (e.dataTransfer) void dropped(e.dataTransfer).then(send, setError);
        }}
      >
        <p>{t('import.drop')}</p>
        <div class="actions">
          <label class="button">
            {t('import.chooseFiles')}
            <input
              ref={files}
              type="file"
              multiple
              accept=".docx,.doc,.rtf,.zip"
              class="visually-hidden"
              onChange={(e) => fromInput(e.currentTarget as HTMLInputElement, false)}
            />
          </label>
          <label class="button secondary">
            {t('import.chooseFolder')}
            <input
              ref={folder}
              type="file"
              multiple
              class="visually-hidden"
              onChange={(e) => fromInput(e.currentTarget as HTMLInputElement, true)}
            />
          </label>
        </div>
        {percent !== null && (
          <div class="progress-line">
            <progress max={100} value={percent} aria-label={t('import.uploading', { percent })} />
            <span aria-live="polite">{t('import.uploading', { percent })}</span>
          </div>
        )}
        {note && <p class="muted">{note}</p>}
        <ErrorNote error={error} />
      </div>
      {batch && <BatchView key={batch} id={batch} onDone={() => setFinished((n) => n + 1)} />}
      <PastImports refresh={`${batch}:${finished}`} />
    </>
  );
}
