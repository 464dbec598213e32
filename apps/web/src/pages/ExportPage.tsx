import { useEffect, useState } from 'preact/hooks';
import { api, BatchPage, ExportReport } from '../api';
import { t, tCode } from '../i18n';
import { href } from '../router';
import { BatchBar, ErrorNote, FilterValues, Filters, filterQuery, PastBatches, usePoll } from '../shared';

export function ExportPage() {
  const [filters, setFilters] = useState<FilterValues>({});
  const [roll, setRoll] = useState(false);
  const [asYear, setAsYear] = useState(String(new Date().getFullYear()));
  const [batchId, setBatchId] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [past, setPast] = useState<BatchPage | null>(null);
  const [report, pollError] = usePoll<ExportReport>(batchId ? `exports/${batchId}` : null);
  const done = report?.status === 'completed';

  useEffect(() => {
    api<BatchPage>('GET', 'exports?limit=10').then(setPast, setError);
  }, [done, batchId]);

  const start = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      const q = filterQuery(filters);
      const body = {
        ...q,
        year: q.year ? Number(q.year) : undefined,
        hasWarnings: q.hasWarnings ? q.hasWarnings === 'true' : undefined,
        asYear: roll && /^\d{4}$/.test(asYear) ? Number(asYear) : undefined,
      };
      const { batchId: id } = await api<{ batchId: number }>('POST', 'exports', body);
      setBatchId(id);
    } catch (err) {
      setError(err);
    }
  };

  return (
    <>
      <h1>{t('export.title')}</h1>
      <p>{t('export.intro')}</p>
      <form class="filter-form" onSubmit={(e) => void start(e)}>
        <Filters prefix="ef" values={filters} onChange={setFilters} />
        <div class="roll">
          <label class="choice-box">
            <input
              type="checkbox"
              checked={roll}
              onChange={(e) => setRoll((e.currentTarget as HTMLInputElement).checked)}
            />
            {t('export.roll')}
          </label>
          <label for="as-year" class={roll ? undefined : 'muted'}>
            {t('export.asYear')}
          </label>
          <input
            id="as-year"
            type="text"
            inputMode="numeric"
            value={asYear}
            disabled={!roll}
            onInput={(e) => setAsYear((e.currentTarget as HTMLInputElement).value)}
          />
        </div>
        <div class="actions">
          <button type="submit" disabled={!!batchId && !done}>
            {t('export.start')}
          </button>
        </div>
      </form>
      <ErrorNote error={error || pollError} />
      {batchId && (
        <section class="batch" aria-labelledby="export-batch">
          <h2 id="export-batch">{t('export.batch', { id: batchId })}</h2>
          {report && <BatchBar batch={report} label="export.progress" />}
          {done && report?.filesAvailable !== false && (
            <p>
              <a class="button" href={`exports/${batchId}/download`} download>
                {t('export.download')}
              </a>
            </p>
          )}
          {report && report.failures.length > 0 && (
            <>
              <h3>{t('export.failures')}</h3>
              <ul>
                {report.failures.map((f, i) => (
                  <li key={i}>
                    {f.recordId ? <a href={href(`records/${f.recordId}`)}>{f.recordId}</a> : '—'}：
                    {tCode('error', f.code, f.reason ?? '')}
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      )}
      <section aria-labelledby="past-exports">
        <h2 id="past-exports">{t('export.past')}</h2>
        {past && !past.items.length && <p class="muted">{t('export.none')}</p>}
        {past && past.items.length > 0 && (
          <PastBatches
            page={past}
            actionLabel={t('common.download')}
            action={(b) =>
              b.status === 'completed' &&
              (b.filesAvailable === false ? (
                <span class="muted" title={t('export.notKeptWhy')}>
                  {t('export.notKept')}
                </span>
              ) : (
                <a
                  href={`exports/${b.batchId}/download`}
                  download
                  aria-label={`${t('export.download')} ${t('export.batch', { id: b.batchId })}`}
                >
                  {t('export.download')}
                </a>
              ))
            }
          />
        )}
      </section>
    </>
  );
}
