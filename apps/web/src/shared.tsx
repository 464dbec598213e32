import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { editionForYear } from '@formbridge/definitions/summary';
import { api, ApiError, BatchPage, BatchProgress, DefinitionSummary } from './api';
import type { Definition } from './form/definition';
import { formatTime, MessageKey, t, tCode } from './i18n';

let summaries: Promise<DefinitionSummary[]> | undefined;
const full = new Map<string, Promise<Definition>>();

/** The form types (newest edition of each), fetched once per page load. */
export function useDefinitions(): DefinitionSummary[] {
  const [list, setList] = useState<DefinitionSummary[]>([]);
  useEffect(() => {
    summaries ??= api<Definition[]>('GET', 'definitions').then((defs) => {
      const byType = new Map<string, DefinitionSummary>();
      for (const d of defs)
        byType.set(d.formType, {
          formType: d.formType,
          edition: d.edition,
          title: d.title.text,
          attachmentLabel: d.attachmentLabel.default,
          amountPath: d.amountPath,
          departmentPath: d.summary?.department ?? null,
          projectPath: d.summary?.project ?? null,
        });
      return [...byType.values()];
    });
    summaries.then(setList, () => (summaries = undefined));
  }, []);
  return list;
}

/** A form type as people know it: its attachment label (the national forms have none) and title. */
export function typeTitle(d: DefinitionSummary): string {
  return d.attachmentLabel ? `${d.attachmentLabel} ${d.title}` : d.title;
}

/**
 * A record's definition: its own edition when it names one, else the edition its year uses (the
 * one it was filed on, and the one `export` draws it in), else the newest.
 */
export function loadDefinition(formType: string, edition?: unknown, year?: unknown): Promise<Definition> {
  const key = `${formType}@${typeof edition === 'string' ? edition : ''}@${typeof year === 'number' ? year : ''}`;
  let p = full.get(key);
  if (!p) {
    p = api<{ editions: Definition[] }>('GET', `definitions/${encodeURIComponent(formType)}`).then(
      ({ editions }) =>
        editions.find((d) => d.edition === edition) ??
        (typeof year === 'number' ? editionForYear(editions, year) : undefined) ??
        editions[editions.length - 1],
    );
    full.set(key, p);
    p.catch(() => full.delete(key));
  }
  return p;
}

export function errorText(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.code === 'NETWORK') return t('error.NETWORK');
    if (e.code) return tCode('error', e.code, e.message);
    return `${t('error.HTTP', { status: e.status })}: ${e.message}`;
  }
  return String(e);
}

export function ErrorNote({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p class="error-note" role="alert">
      {t('common.error', { message: errorText(error) })}
    </p>
  );
}

export function BatchBar({ batch, label }: { batch: BatchProgress; label: MessageKey }) {
  const processed = batch.done + batch.failed;
  const text = t(label, { processed, total: batch.total, failed: batch.failed });
  return (
    <div class="progress-line">
      <progress
        max={Math.max(batch.total, 1)}
        value={batch.status === 'completed' ? Math.max(batch.total, 1) : processed}
        aria-label={text}
      />
      <span aria-live="polite">
        {t(`status.${batch.status}` as MessageKey)} · {text}
      </span>
    </div>
  );
}

/** Polls a batch until it completes. */
export function usePoll<T extends { status: string }>(url: string | null, every = 800): [T | null, unknown] {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (!url) return;
    let stop = false;
    let timer: number | undefined;
    const tick = () =>
      api<T>('GET', url).then(
        (v) => {
          if (stop) return;
          setValue(v);
          setError(null);
          if (v.status !== 'completed') timer = window.setTimeout(tick, every);
        },
        (e: unknown) => {
          if (stop) return;
          setError(e);
          timer = window.setTimeout(tick, every * 4);
        },
      );
    setValue(null);
    void tick();
    return () => {
      stop = true;
      clearTimeout(timer);
    };
  }, [url]);
  return [value, error];
}

export interface FilterValues {
  year?: string;
  formType?: string;
  department?: string;
  project?: string;
  hasWarnings?: string;
  origin?: string;
  q?: string;
}

export const FILTER_KEYS = [
  'year',
  'formType',
  'department',
  'project',
  'hasWarnings',
  'origin',
  'q',
] as const;

/** The record filters, shared by 记录 and 导出. */
export function Filters({
  values,
  onChange,
  prefix,
}: {
  values: FilterValues;
  onChange: (v: FilterValues) => void;
  prefix: string;
}) {
  const types = useDefinitions();
  const set = (key: keyof FilterValues) => (e: Event) =>
    onChange({
      ...values,
      [key]: (e.currentTarget as HTMLInputElement | HTMLSelectElement).value || undefined,
    });
  const id = (k: string) => `${prefix}-${k}`;
  const field = (key: keyof FilterValues, label: MessageKey, control: ComponentChildren, narrow = false) => (
    <div class={narrow ? 'filter narrow' : 'filter'}>
      <label for={id(key)}>{t(label)}</label>
      {control}
    </div>
  );
  const text = (key: keyof FilterValues, label: MessageKey, inputMode?: 'numeric') =>
    field(
      key,
      label,
      <input id={id(key)} type="text" inputMode={inputMode} value={values[key] ?? ''} onInput={set(key)} />,
      key === 'year',
    );
  const choice = (
    key: keyof FilterValues,
    label: MessageKey,
    options: Array<[string, string]>,
    narrow = true,
  ) =>
    field(
      key,
      label,
      <select id={id(key)} value={values[key] ?? ''} onChange={set(key)}>
        <option value="">{t('common.all')}</option>
        {options.map(([value, name]) => (
          <option key={value} value={value}>
            {name}
          </option>
        ))}
      </select>,
      narrow,
    );
  return (
    <div class="filters">
      {field(
        'q',
        'records.search',
        <input id={id('q')} type="search" value={values.q ?? ''} onInput={set('q')} />,
      )}
      {text('year', 'records.year', 'numeric')}
      {choice(
        'formType',
        'records.formType',
        types.map((d) => [d.formType, typeTitle(d)]),
        false,
      )}
      {text('department', 'records.department')}
      {text('project', 'records.project')}
      {choice('hasWarnings', 'records.hasWarnings', [
        ['true', t('records.withWarnings')],
        ['false', t('records.withoutWarnings')],
      ])}
      {choice('origin', 'records.origin', [
        ['import', t('origin.import')],
        ['edit', t('origin.edit')],
        ['return', t('origin.return')],
      ])}
    </div>
  );
}

/** Filters as the API takes them (only those set, year as a number). */
export function filterQuery(v: FilterValues): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const k of FILTER_KEYS) {
    const value = v[k]?.trim();
    if (value) out[k] = value;
  }
  if (out.year && !/^\d{4}$/.test(out.year)) delete out.year;
  return out;
}

/** Past imports or exports, newest first; `action` gives each its link (open, download). */
export function PastBatches({
  page,
  actionLabel,
  action,
}: {
  page: BatchPage;
  actionLabel: string;
  action: (b: BatchProgress) => ComponentChildren;
}) {
  return (
    <table class="data">
      <thead>
        <tr>
          <th scope="col">{t('records.id')}</th>
          <th scope="col">{t('common.time')}</th>
          <th scope="col">{t('common.status')}</th>
          <th scope="col" class="num">
            {t('import.files')}
          </th>
          <th scope="col" class="num">
            {t('import.failed')}
          </th>
          <th scope="col">
            <span class="visually-hidden">{actionLabel}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {page.items.map((b) => (
          <tr key={b.batchId}>
            <td>{b.batchId}</td>
            <td>{formatTime(b.createdAt)}</td>
            <td>{t(`status.${b.status}` as MessageKey)}</td>
            <td class="num">{b.total}</td>
            <td class="num">{b.failed}</td>
            <td>{action(b)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
