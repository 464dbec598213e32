import type { ComponentChildren } from 'preact';
import type { Warning } from '../api';
import { t, tCode } from '../i18n';
import { getAt, normalisePath, setAt } from '../paths';
import {
  CellField,
  Definition,
  Field,
  fieldLabel,
  GridField,
  invalidReason,
  KeyedField,
  MatrixField,
  normaliseAmount,
  ReviewsField,
  ValueType,
} from './definition';

type Data = Record<string, unknown>;

export interface FieldsProps {
  def: Definition;
  value: Data;
  onChange: (next: Data) => void;
  /** Why a value is not valid, by path (the page's own checks and the API's field errors). */
  invalid: Map<string, string>;
  warnings: Warning[];
}

const idOf = (path: string) => `f-${path.replace(/[^A-Za-z0-9]+/g, '-')}`;

function covers(prefix: string, path: string): boolean {
  return path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`);
}

/** Every value the page can tell is not valid, before the API is asked. */
export function findInvalid(def: Definition, value: Data): Map<string, string> {
  const out = new Map<string, string>();
  const check = (path: string, type: ValueType, required?: boolean) => {
    const why = invalidReason(type, getAt(value, path), required);
    if (why) out.set(path, why);
  };
  const year = value.year;
  if (year !== null && year !== undefined && !(Number.isInteger(year) && String(year).length === 4))
    out.set('year', t('invalid.year'));
  for (const f of def.fields) {
    if (f.kind === 'cell' || f.kind === 'line') check(f.path, f.type, f.required);
    if (f.kind === 'keyed') for (const k of f.keys) check(`${f.path}.${k.path}`, k.type, k.required);
    const rows = getAt(value, f.path);
    if (f.kind === 'grid' && f.as === 'object')
      f.columns.forEach((c) => check(`${f.path}.${c.key}`, c.type, c.required));
    if (f.kind === 'matrix')
      f.rows.forEach((r) => f.columns.forEach((c) => check(`${f.path}.${r.key}.${c.key}`, c.type)));
    if (f.kind === 'grid' && f.as !== 'object' && Array.isArray(rows))
      rows.forEach((_, i) => f.columns.forEach((c) => check(`${f.path}[${i}].${c.key}`, c.type)));
    if (f.kind === 'reviews' && Array.isArray(rows))
      rows.forEach((_, i) => check(`${f.path}[${i}].date`, 'date'));
  }
  return out;
}

function Messages({ id, invalid, warnings }: { id: string; invalid?: string; warnings: Warning[] }) {
  if (!invalid && !warnings.length) return null;
  return (
    <div id={`${id}-msg`} class="field-messages">
      {invalid && <p class="invalid-text">{invalid}</p>}
      {warnings.map((w, i) => (
        <p key={i} class="warning-text">
          ⚠ {tCode('warning', w.code, w.message)}
        </p>
      ))}
    </div>
  );
}

interface InputProps {
  id: string;
  label: string;
  /** Said to screen readers after the label (which row of a grid). */
  labelSuffix?: string;
  labelHidden?: boolean;
  /** Text that wraps at a narrow width: more rows. */
  wide?: boolean;
  type: ValueType | 'year';
  value: unknown;
  required?: boolean;
  invalid?: string;
  warnings: Warning[];
  list?: string;
  onChange: (v: unknown) => void;
}

/** One value: its label (the form's own) is its accessible name. */
function ValueInput(p: InputProps) {
  const described = p.invalid || p.warnings.length ? `${p.id}-msg` : undefined;
  const common = {
    id: p.id,
    'aria-invalid': p.invalid ? ('true' as const) : undefined,
    'aria-describedby': described,
    'aria-required': p.required ? ('true' as const) : undefined,
    class: p.warnings.length ? 'has-warning' : undefined,
  };
  const label = (
    <label for={p.id} class={p.labelHidden ? 'visually-hidden' : undefined}>
      {p.label}
      {p.labelSuffix && <span class="visually-hidden">{p.labelSuffix}</span>}
      {p.required && <abbr title={t('field.required')}> *</abbr>}
    </label>
  );
  let input;
  if (p.type === 'list') {
    const text = Array.isArray(p.value) ? (p.value as string[]).join('\n') : '';
    input = (
      <textarea
        {...common}
        rows={Math.min(10, Math.max(2, text.split('\n').length + 1))}
        value={text}
        placeholder={t('field.listHint')}
        onInput={(e) => {
          const lines = (e.currentTarget as HTMLTextAreaElement).value.split('\n');
          p.onChange(lines.some((l) => l.trim()) ? lines : []);
        }}
        onBlur={(e) =>
          p.onChange(
            (e.currentTarget as HTMLTextAreaElement).value
              .split('\n')
              .map((l) => l.trim())
              .filter(Boolean),
          )
        }
      />
    );
  } else if (p.type === 'text' || p.type === 'item') {
    const text = typeof p.value === 'string' ? p.value : '';
    input = (
      <textarea
        {...common}
        rows={Math.min(8, Math.max(1, Math.ceil(text.length / (p.wide ? 14 : 36))))}
        value={text}
        onInput={(e) => p.onChange((e.currentTarget as HTMLTextAreaElement).value || null)}
      />
    );
  } else {
    const text = p.value === null || p.value === undefined ? '' : String(p.value);
    const placeholder = p.type === 'month' ? '2019-01' : p.type === 'date' ? '2019-03-15' : undefined;
    input = (
      <input
        {...common}
        type="text"
        inputMode={
          p.type === 'amount' || p.type === 'decimal' || p.type === 'percent'
            ? 'decimal'
            : p.type === 'year'
              ? 'numeric'
              : undefined
        }
        placeholder={placeholder}
        list={p.list}
        value={text}
        onInput={(e) => p.onChange((e.currentTarget as HTMLInputElement).value || null)}
        onBlur={(e) => {
          const v = (e.currentTarget as HTMLInputElement).value;
          if ((p.type === 'amount' || p.type === 'decimal' || p.type === 'percent') && v)
            p.onChange(normaliseAmount(v));
          else if (v !== v.trim()) p.onChange(v.trim() || null);
        }}
      />
    );
  }
  return (
    <div class={`field field-${p.type}${p.invalid ? ' is-invalid' : ''}`}>
      {label}
      {input}
      <Messages id={p.id} invalid={p.invalid} warnings={p.warnings} />
    </div>
  );
}

/** The value at a record path: its id, value, marks and edits all follow from the path. */
function PathInput({
  path,
  props,
  ...shown
}: { path: string; props: FieldsProps } & Pick<
  InputProps,
  'label' | 'labelSuffix' | 'type' | 'required' | 'list' | 'wide'
>) {
  return (
    <ValueInput
      {...shown}
      id={idOf(path)}
      value={getAt(props.value, path)}
      invalid={props.invalid.get(path)}
      warnings={props.warnings.filter((w) => covers(path, normalisePath(w.path)))}
      onChange={(v) => props.onChange(setAt(props.value, path, v))}
    />
  );
}

function Choice({ field, props }: { field: CellField; props: FieldsProps }) {
  const id = idOf(field.path);
  const current = getAt(props.value, field.path);
  const warnings = props.warnings.filter((w) => covers(field.path, normalisePath(w.path)));
  const invalid = props.invalid.get(field.path);
  return (
    <fieldset
      class="field field-choice"
      aria-describedby={invalid || warnings.length ? `${id}-msg` : undefined}
    >
      <legend>
        {field.labels[0]}
        {field.required && <abbr title={t('field.required')}> *</abbr>}
      </legend>
      <div class="choice-boxes">
        {field.options?.map((o) => (
          <label key={o.value} class="choice-box">
            <input
              type="checkbox"
              checked={current === o.value}
              onChange={(e) =>
                props.onChange(
                  setAt(
                    props.value,
                    field.path,
                    (e.currentTarget as HTMLInputElement).checked ? o.value : null,
                  ),
                )
              }
            />
            {o.labels[0]}
          </label>
        ))}
      </div>
      <Messages id={id} invalid={invalid} warnings={warnings} />
    </fieldset>
  );
}

function RowTools({
  path,
  rows,
  index,
  props,
}: {
  path: string;
  rows: unknown[];
  index: number;
  props: FieldsProps;
}) {
  const move = (to: number) => {
    const next = [...rows];
    const [row] = next.splice(index, 1);
    next.splice(to, 0, row);
    props.onChange(setAt(props.value, path, next));
  };
  const n = index + 1;
  return (
    <div class="row-tools">
      <button
        type="button"
        class="icon"
        aria-label={t('field.moveUp', { row: n })}
        title={t('field.moveUp', { row: n })}
        disabled={index === 0}
        onClick={() => move(index - 1)}
      >
        ↑
      </button>
      <button
        type="button"
        class="icon"
        aria-label={t('field.moveDown', { row: n })}
        title={t('field.moveDown', { row: n })}
        disabled={index === rows.length - 1}
        onClick={() => move(index + 1)}
      >
        ↓
      </button>
      <button
        type="button"
        class="icon danger"
        aria-label={t('field.removeRow', { row: n })}
        title={t('field.removeRow', { row: n })}
        onClick={() =>
          props.onChange(
            setAt(
              props.value,
              path,
              rows.filter((_, i) => i !== index),
            ),
          )
        }
      >
        ×
      </button>
    </div>
  );
}

function Block({
  title,
  children,
  warnings,
}: {
  title: string;
  children: ComponentChildren;
  warnings?: Warning[];
}) {
  return (
    <fieldset class="block">
      <legend>{title}</legend>
      {children}
      {warnings?.length ? <Messages id="" warnings={warnings} /> : null}
    </fieldset>
  );
}

function Grid({ field, props }: { field: GridField; props: FieldsProps }) {
  const rows = (getAt(props.value, field.path) as Data[] | null) ?? [];
  const label = field.labels[0];
  const vocab = field.vocabulary;
  const listId = (key: string, row: Data) => {
    if (!vocab) return undefined;
    if (key === vocab.level1) return `${idOf(field.path)}-l1`;
    if (
      key === vocab.level2 &&
      typeof row[vocab.level1] === 'string' &&
      vocab.terms[row[vocab.level1] as string]
    )
      return `${idOf(field.path)}-l2-${Object.keys(vocab.terms).indexOf(row[vocab.level1] as string)}`;
    return undefined;
  };
  const blank = Object.fromEntries(field.columns.map((c) => [c.key, null]));
  const gridWarnings = props.warnings.filter((w) => normalisePath(w.path) === field.path);
  return (
    <Block title={label} warnings={gridWarnings}>
      {vocab && (
        <>
          <datalist id={`${idOf(field.path)}-l1`}>
            {Object.keys(vocab.terms).map((k) => (
              <option key={k} value={k} />
            ))}
          </datalist>
          {Object.values(vocab.terms).map((terms, i) => (
            <datalist key={i} id={`${idOf(field.path)}-l2-${i}`}>
              {terms.map((k) => (
                <option key={k} value={k} />
              ))}
            </datalist>
          ))}
        </>
      )}
      {rows.length ? (
        <ol class="grid-rows">
          {rows.map((row, i) => (
            <li key={i} class="grid-row">
              <div class="grid-row-head">
                <span class="muted">{t('field.rowNo', { row: i + 1 })}</span>
                <RowTools path={field.path} rows={rows} index={i} props={props} />
              </div>
              <div class="grid-cells">
                {field.columns.map((c) => {
                  const path = `${field.path}[${i}].${c.key}`;
                  return (
                    <PathInput
                      key={c.key}
                      path={path}
                      props={props}
                      label={c.labels[0]}
                      labelSuffix={t('field.rowSuffix', { row: i + 1 })}
                      type={c.type}
                      list={listId(c.key, row ?? {})}
                      wide={c.type === 'text' || c.type === 'item'}
                    />
                  );
                })}
              </div>
            </li>
          ))}
        </ol>
      ) : (
        <p class="muted">{t('field.noRows')}</p>
      )}
      <button
        type="button"
        class="secondary"
        onClick={() => props.onChange(setAt(props.value, field.path, [...rows, { ...blank }]))}
      >
        + {t('field.addRow')}（{label}）
      </button>
    </Block>
  );
}

function Matrix({ field, props }: { field: MatrixField; props: FieldsProps }) {
  return (
    <Block title={field.labels[0]}>
      {field.rows.map((row) => (
        <div key={row.key} class="matrix-row">
          <div class="muted">{row.labels[0]}</div>
          <div class="keyed">
            {field.columns.map((c) => {
              const path = `${field.path}.${row.key}.${c.key}`;
              return (
                <PathInput
                  key={path}
                  path={path}
                  props={props}
                  label={`${row.labels[0]} · ${c.labels[0]}`}
                  type={c.type}
                />
              );
            })}
          </div>
        </div>
      ))}
    </Block>
  );
}

/** Named values under one label: a keyed block, or a grid the form draws as one row (one object). */
function ObjectBlock({ field, props }: { field: GridField | KeyedField; props: FieldsProps }) {
  const entries = field.kind === 'keyed' ? field.keys.map((k) => ({ ...k, key: k.path })) : field.columns;
  return (
    <Block title={field.labels[0]}>
      <div class="keyed">
        {entries.map((e) => (
          <PathInput
            key={e.key}
            path={`${field.path}.${e.key}`}
            props={props}
            label={e.labels[0]}
            type={e.type}
            required={e.required}
          />
        ))}
      </div>
    </Block>
  );
}

function Reviews({ field, props }: { field: ReviewsField; props: FieldsProps }) {
  const rows = (getAt(props.value, field.path) as Data[] | null) ?? [];
  return (
    <Block title={fieldLabel(field)}>
      {rows.map((row, i) => {
        const base = `${field.path}[${i}]`;
        const authority = typeof row?.authority === 'string' ? row.authority : '';
        return (
          <div class="review" key={i}>
            <div class="review-head">
              <PathInput
                path={`${base}.authority`}
                props={props}
                label={t('field.row', { label: t('field.authority'), row: i + 1 })}
                type="item"
              />
              <RowTools path={field.path} rows={rows} index={i} props={props} />
            </div>
            <PathInput
              path={`${base}.opinion`}
              props={props}
              label={t('field.opinion', {
                authority: authority || t('field.row', { label: '', row: i + 1 }),
                suffix: field.labelSuffix,
              })}
              type="text"
            />
            <PathInput
              path={`${base}.date`}
              props={props}
              label={`${authority}${field.labelSuffix} · ${t('field.date')}`}
              type="date"
            />
          </div>
        );
      })}
      <button
        type="button"
        class="secondary"
        onClick={() =>
          props.onChange(
            setAt(props.value, field.path, [...rows, { authority: null, opinion: null, date: null }]),
          )
        }
      >
        + {t('field.addRow')}（{fieldLabel(field)}）
      </button>
    </Block>
  );
}

function Single({ field, props }: { field: CellField; props: FieldsProps }) {
  if (field.type === 'choice') return <Choice field={field} props={props} />;
  return (
    <PathInput
      path={field.path}
      props={props}
      label={field.labels[0]}
      type={field.type}
      required={field.required}
    />
  );
}

function renderField(field: Field, props: FieldsProps) {
  switch (field.kind) {
    case 'grid':
      return field.as === 'object' ? (
        <ObjectBlock key={field.path} field={field} props={props} />
      ) : (
        <Grid key={field.path} field={field} props={props} />
      );
    case 'matrix':
      return <Matrix key={field.path} field={field} props={props} />;
    case 'keyed':
      return <ObjectBlock key={field.path} field={field} props={props} />;
    case 'reviews':
      return <Reviews key={field.path} field={field} props={props} />;
    default:
      return <Single key={field.path} field={field} props={props} />;
  }
}

/** The whole form as fields, in the definition's order; fields of a group sit under its label. */
export function FormFields(props: FieldsProps) {
  const { def } = props;
  const out = [];
  const done = new Set<string>();
  for (const field of def.fields) {
    if (done.has(field.path)) continue;
    const section = field.kind === 'cell' || field.kind === 'line' ? field.section : undefined;
    const group = section && def.groups.find((g) => g.id === section);
    if (group) {
      const members = def.fields.filter(
        (f) => (f.kind === 'cell' || f.kind === 'line') && f.section === section,
      );
      members.forEach((m) => done.add(m.path));
      out.push(
        <Block key={group.id} title={group.labels[0]}>
          {members.map((m) => renderField(m, props))}
        </Block>,
      );
    } else out.push(renderField(field, props));
  }
  return (
    <div class="form-fields">
      <div class="form-meta">
        <ValueInput
          id="f-year"
          label={t('detail.year')}
          type="year"
          value={props.value.year === null || props.value.year === undefined ? '' : String(props.value.year)}
          invalid={props.invalid.get('year')}
          warnings={props.warnings.filter((w) => normalisePath(w.path) === 'year')}
          onChange={(v) => {
            const s = typeof v === 'string' ? v.trim() : '';
            props.onChange(setAt(props.value, 'year', /^\d+$/.test(s) ? Number(s) : s || null));
          }}
        />
        <PathInput path="attachmentLabel" props={props} label={t('detail.attachmentLabel')} type="item" />
      </div>
      {out}
    </div>
  );
}

/** Warnings that no field shows (the form as a whole, or a path the page has no field for). */
export function unplacedWarnings(def: Definition, warnings: Warning[]): Warning[] {
  const prefixes = ['year', ...def.fields.map((f) => f.path)];
  return warnings.filter((w) => {
    const p = normalisePath(w.path);
    return !p || !prefixes.some((x) => covers(x, p));
  });
}
