import { useEffect, useState } from 'preact/hooks';
import { api, DefinitionSummary, PublicRecord, query, RecordPage } from '../api';
import { MessageKey, t } from '../i18n';
import { getAt } from '../paths';
import { href, navigate } from '../router';
import {
  ErrorNote,
  FILTER_KEYS,
  FilterValues,
  Filters,
  filterQuery,
  typeTitle,
  useDefinitions,
} from '../shared';

function amountOf(r: PublicRecord, types: DefinitionSummary[]): string | null {
  const path = types.find((d) => d.formType === r.formType)?.amountPath;
  const v = path ? getAt(r, path) : null;
  return typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? v : null;
}

/** The department or project of a record, where its form type's definition says they are. */
function textAt(r: PublicRecord, types: DefinitionSummary[], key: 'departmentPath' | 'projectPath'): string {
  const path = types.find((d) => d.formType === r.formType)?.[key];
  const v = path ? getAt(r, path) : null;
  return typeof v === 'string' ? v : '';
}

/** Sums decimal strings exactly (in hundredths), as the amounts are written. */
function sum(values: Array<string | null>): string {
  let cents = 0n;
  for (const v of values) {
    if (!v) continue;
    const neg = v.startsWith('-');
    const [i, f = ''] = v.replace('-', '').split('.');
    const c = BigInt(i) * 100n + BigInt((f + '00').slice(0, 2));
    cents += neg ? -c : c;
  }
  const neg = cents < 0n;
  const abs = neg ? -cents : cents;
  return `${neg ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

type SortKey = 'id' | 'year' | 'department' | 'project' | 'amount';

/** The records table; with `sort` its column headers sort. */
export function RecordTable({
  page,
  sort,
  onSort,
}: {
  page: RecordPage;
  sort?: { key: SortKey; desc: boolean };
  onSort?: (key: SortKey) => void;
}) {
  const types = useDefinitions();
  const typeName = (ft: string) => {
    const d = types.find((x) => x.formType === ft);
    return d ? typeTitle(d) : ft;
  };
  const head = (key: SortKey, label: MessageKey, cls?: string) => {
    const active = sort?.key === key;
    return (
      <th scope="col" class={cls} aria-sort={active ? (sort!.desc ? 'descending' : 'ascending') : undefined}>
        {onSort ? (
          <button
            type="button"
            class="sort"
            onClick={() => onSort(key)}
            title={t('records.sortBy', { column: t(label) })}
          >
            {t(label)}
            <span aria-hidden="true">{active ? (sort!.desc ? ' ▼' : ' ▲') : ' ↕'}</span>
          </button>
        ) : (
          t(label)
        )}
      </th>
    );
  };
  const amounts = page.items.map((r) => amountOf(r, types));
  return (
    <table class="data records">
      <thead>
        <tr>
          {head('id', 'records.id', 'num')}
          {head('year', 'records.year', 'num')}
          <th scope="col">{t('records.formType')}</th>
          {head('department', 'records.department')}
          {head('project', 'records.project')}
          {head('amount', 'records.amount', 'num')}
          <th scope="col" class="num">
            {t('records.version')}
          </th>
          <th scope="col" class="num">
            {t('records.warnings')}
          </th>
        </tr>
      </thead>
      <tbody>
        {page.items.map((r, i) => (
          <tr key={r.id}>
            <td class="num">
              <a href={href(`records/${r.id}`)}>{r.id}</a>
            </td>
            <td class="num">{String(r.year ?? '')}</td>
            <td>{typeName(r.formType)}</td>
            <td>{textAt(r, types, 'departmentPath')}</td>
            <td>
              {textAt(r, types, 'projectPath') && (
                <a href={href(`records/${r.id}`)}>{textAt(r, types, 'projectPath')}</a>
              )}
            </td>
            <td class="num">{amounts[i] ?? ''}</td>
            <td class="num">{r.version}</td>
            <td class="num warn-count">{r.warnings?.length ? `⚠ ${r.warnings.length}` : ''}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <td colSpan={8} class="totals">
            {t('records.pageTotal', { amount: sum(amounts) })}
            {page.totals?.amount != null && (
              <> · {t('records.allTotal', { total: page.total, amount: page.totals.amount })}</>
            )}
          </td>
        </tr>
      </tfoot>
    </table>
  );
}

export function RecordsPage({ params }: { params: URLSearchParams }) {
  const fromUrl = (): FilterValues =>
    Object.fromEntries(FILTER_KEYS.map((k) => [k, params.get(k) ?? undefined]));
  const [filters, setFilters] = useState<FilterValues>(fromUrl);
  const sortKey = (params.get('sort') as SortKey | null) ?? 'id';
  const desc = params.get('order') === 'desc';
  const limit = Number(params.get('limit')) || 20;
  const offset = Number(params.get('offset')) || 0;
  const [page, setPage] = useState<RecordPage | null>(null);
  const [error, setError] = useState<unknown>(null);

  const go = (over: Record<string, string | number | undefined>) =>
    navigate('records', {
      ...filterQuery(fromUrl()),
      sort: sortKey === 'id' ? undefined : sortKey,
      order: desc ? 'desc' : undefined,
      limit: limit === 20 ? undefined : limit,
      ...over,
    });

  const key = params.toString();
  useEffect(() => {
    setFilters(fromUrl());
    api<RecordPage>(
      'GET',
      `records${query({ ...filterQuery(fromUrl()), sort: sortKey, order: desc ? 'desc' : 'asc', limit, offset })}`,
    ).then((p) => {
      setPage(p);
      setError(null);
    }, setError);
  }, [key]);

  // Typing in a filter searches after a pause; the URL keeps the filters (back, reload, share).
  useEffect(() => {
    const same = FILTER_KEYS.every((k) => (filters[k] ?? '') === (params.get(k) ?? ''));
    if (same) return;
    const timer = setTimeout(
      () =>
        navigate('records', {
          ...filterQuery(filters),
          sort: params.get('sort') ?? undefined,
          order: params.get('order') ?? undefined,
          limit: params.get('limit') ?? undefined,
        }),
      400,
    );
    return () => clearTimeout(timer);
  }, [filters]);

  const pages = page ? Math.max(1, Math.ceil(page.total / limit)) : 1;
  const current = Math.floor(offset / limit) + 1;
  return (
    <>
      <h1>{t('records.title')}</h1>
      <form
        class="filter-form"
        role="search"
        aria-label={t('records.filters')}
        onSubmit={(e) => {
          e.preventDefault();
          navigate('records', {
            ...filterQuery(filters),
            sort: params.get('sort') ?? undefined,
            order: params.get('order') ?? undefined,
            limit: params.get('limit') ?? undefined,
          });
        }}
      >
        <Filters prefix="rf" values={filters} onChange={setFilters} />
        <div class="actions">
          <button type="submit">{t('records.apply')}</button>
          <button type="button" class="secondary" onClick={() => navigate('records')}>
            {t('records.reset')}
          </button>
        </div>
      </form>
      <ErrorNote error={error} />
      {page && !page.items.length && <p class="muted">{t('records.empty')}</p>}
      {page && page.items.length > 0 && (
        <>
          <RecordTable
            page={page}
            sort={{ key: sortKey, desc }}
            onSort={(k) =>
              go({
                sort: k === 'id' && sortKey === 'id' && desc ? undefined : k,
                order: k === sortKey && !desc ? 'desc' : undefined,
                offset: undefined,
              })
            }
          />
          <nav class="pager" aria-label={t('common.page', { page: current, pages, total: page.total })}>
            <button
              type="button"
              class="secondary"
              disabled={current <= 1}
              onClick={() => go({ offset: Math.max(0, offset - limit) || undefined })}
            >
              {t('common.prev')}
            </button>
            <span>{t('common.page', { page: current, pages, total: page.total })}</span>
            <button
              type="button"
              class="secondary"
              disabled={current >= pages}
              onClick={() => go({ offset: offset + limit })}
            >
              {t('common.next')}
            </button>
            <label for="page-size">{t('common.pageSize')}</label>
            <select
              id="page-size"
              value={String(limit)}
              onChange={(e) =>
                go({ limit: Number((e.currentTarget as HTMLSelectElement).value), offset: undefined })
              }
            >
              {[20, 50, 100, 200].map((n) => (
                <option key={n} value={String(n)}>
                  {n}
                </option>
              ))}
            </select>
          </nav>
        </>
      )}
    </>
  );
}
