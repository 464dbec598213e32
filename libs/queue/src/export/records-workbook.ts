import type { Writable } from 'node:stream';
// Types only at the top: ExcelJS takes 0.15-0.4 s to load, which every `formbridge` command and
// service paid at start-up though only the workbooks need it (loadWorkbookWriter).
import type ExcelJS from 'exceljs';
import { loadWorkbookWriter } from './load-excel';
import type { FieldDefinition, FormDefinition, ValueType } from '@formbridge/definitions';
import type { JsonObject, PublicRecord, Storage } from '@formbridge/storage';

type Value = string | number | null;

/** One column: its header, how wide it is drawn, and how a value becomes a cell. */
interface Column {
  header: string;
  width: number;
  /** Excel number format of a numeric column (amounts, scores, rates). */
  format?: string;
  get: (row: JsonObject) => Value;
}

/** A sheet of rows that repeat within a record (a grid, a list, the reviews), keyed by record id. */
interface PartSheet {
  name: string;
  columns: Column[];
  rows: (record: JsonObject) => JsonObject[];
}

interface FormSheets {
  main: Column[];
  parts: PartSheet[];
}

/** Columns every form sheet starts with: the record's own keys and what every form prints. */
const RECORD_ID = '记录编号';
const HEAD: Column[] = [
  { header: RECORD_ID, width: 10, get: (r) => num(r.id) },
  { header: '版本', width: 6, get: (r) => num(r.version) },
  { header: '年度', width: 8, get: (r) => num(r.year) },
  { header: '附件', width: 10, get: (r) => str(r.attachmentLabel) },
];
const SOURCE: Column = {
  header: '来源文件',
  width: 40,
  get: (r) => str((r.source as JsonObject | undefined)?.file),
};
/** The reviews' own keys; the forms print only the authority and a `…审核意见` suffix. */
const REVIEW_COLUMNS: Array<[string, string, ValueType]> = [
  ['authority', '审核单位', 'text'],
  ['opinion', '审核意见', 'text'],
  ['date', '审核日期', 'date'],
];
/** The parts of a derived comparison target (`≥95%` → ≥, 95, %). */
const COMPARISON_COLUMNS: Array<[string, string]> = [
  ['op', '比较'],
  ['number', '数值'],
  ['unit', '单位'],
];
/** Amounts, weights and scores with two decimals; rates as stored (97.20) with a percent sign. */
const NUMBER_FORMATS: Partial<Record<ValueType, string>> = {
  amount: '#,##0.00',
  decimal: '#,##0.00',
  percent: '0.00"%"',
};

const num = (v: unknown): Value => (typeof v === 'number' ? v : null);
const str = (v: unknown): Value => (v === null || v === undefined ? null : String(v));

function getPath(obj: JsonObject, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o as JsonObject | null | undefined)?.[k], obj);
}

/** Amounts (万元), weights, scores and rates are stored as decimal strings; Excel gets numbers it can sum. */
function cellValue(type: ValueType, v: unknown, field?: FieldDefinition): Value {
  if (v === null || v === undefined) return null;
  if (NUMBER_FORMATS[type]) {
    const n = Number(v);
    return Number.isFinite(n) ? n : String(v);
  }
  if (type === 'choice' && field && 'options' in field) {
    return field.options?.find((o) => o.value === v)?.labels[0] ?? String(v);
  }
  return String(v);
}

/** A column of the main sheet or of a part sheet, for one value of the record. */
function column(
  header: string,
  type: ValueType,
  get: (row: JsonObject) => unknown,
  field?: FieldDefinition,
): Column {
  const shown = amountHeader(header, type);
  return {
    header: shown,
    width: widthOf(shown, type),
    format: NUMBER_FORMATS[type],
    get: (row) => cellValue(type, get(row), field),
  };
}

/** Width in Excel's character units: a CJK or full-width character takes two. */
function textWidth(text: string): number {
  return [...text].reduce((w, ch) => w + (ch <= '\u00ff' ? 1 : 2), 0);
}

/** Text columns at least this wide wrap their text. */
const WRAP_WIDTH = 24;

function widthOf(header: string, type: ValueType): number {
  const fit = textWidth(header) + 2;
  return Math.min(60, Math.max(fit, type === 'text' || type === 'list' ? 24 : 12));
}

function amountHeader(label: string, type: ValueType): string {
  return type === 'amount' && !label.includes('万元') ? `${label}（万元）` : label;
}

/** Excel refuses sheet names over 31 characters, with []:*?/\ in them, or used twice. */
function sheetName(wanted: string, taken: Set<string>): string {
  const base = [...wanted.replace(/[[\]:*?/\\]/g, '_')].slice(0, 31).join('');
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${[...base].slice(0, 28).join('')}(${n})`;
  taken.add(name);
  return name;
}

/** A form definition's columns and part sheets, derived from its fields in their order. */
function sheetsOf(def: FormDefinition, taken: Set<string>): FormSheets {
  const main: Column[] = [...HEAD];
  const parts: PartSheet[] = [];
  const part = (label: string) => sheetName(`${def.title.text}-${label}`, taken);
  for (const f of def.fields) {
    if (f.kind === 'cell' || f.kind === 'line') {
      if (f.type === 'list') {
        parts.push({
          name: part(f.labels[0]),
          columns: [{ header: f.labels[0], width: 80, get: (r) => str(r.item) }],
          rows: (record) => ((getPath(record, f.path) as string[] | null) ?? []).map((item) => ({ item })),
        });
      } else main.push(column(f.labels[0], f.type, (r) => getPath(r, f.path), f));
    } else if (f.kind === 'keyed') {
      for (const k of f.keys)
        main.push(column(k.labels[0], k.type, (r) => getPath(r, `${f.path}.${k.path}`)));
    } else if (f.kind === 'matrix') {
      // A fixed table of values (项目资金: 年度资金总额 × 年初预算数 …): one column per cell.
      for (const row of f.rows)
        for (const c of f.columns)
          main.push(
            column(`${row.labels[0]}-${c.labels[0]}`, c.type, (r) =>
              getPath(r, `${f.path}.${row.key}.${c.key}`),
            ),
          );
    } else if (f.kind === 'grid' && f.as === 'object') {
      // A grid of one row (年度总体目标: 预期目标, 实际完成情况) is scalars of the record.
      for (const c of f.columns)
        main.push(column(`${f.labels[0]}-${c.labels[0]}`, c.type, (r) => getPath(r, `${f.path}.${c.key}`)));
    } else if (f.kind === 'grid') {
      parts.push({
        name: part(f.labels[0]),
        columns: f.columns.flatMap((c) =>
          c.derive
            ? // A target derived from its printed value ({op, number, unit}): one column for each.
              COMPARISON_COLUMNS.map(([key, name]) => ({
                header: `${c.labels[0]}-${name}`,
                width: 10,
                get: (row: JsonObject) => {
                  const v = (row[c.key] as JsonObject | null | undefined)?.[key];
                  return key === 'number' && v != null && Number.isFinite(Number(v)) ? Number(v) : str(v);
                },
              }))
            : [column(c.labels[0], c.type, (row) => row[c.key])],
        ),
        rows: (record) => (getPath(record, f.path) as JsonObject[] | null) ?? [],
      });
    } else if (f.kind === 'reviews') {
      parts.push({
        name: part(f.groupLabels?.[0] ?? f.labelSuffix),
        columns: REVIEW_COLUMNS.map(([key, header, type]) => ({
          header,
          width: widthOf(header, type),
          get: (row) => cellValue(type, row[key]),
        })),
        rows: (record) => (getPath(record, f.path) as JsonObject[] | null) ?? [],
      });
    }
  }
  main.push(SOURCE);
  return { main, parts };
}

export interface RecordsWorkbookSource {
  records: AsyncIterable<PublicRecord>;
  /** The warnings stored for a record (those of its form in its source document). */
  warnings: (record: PublicRecord) => Promise<JsonObject[]>;
}

/**
 * The records as a spreadsheet for people who live in Excel: one sheet per form type, a row per
 * record with every scalar field as a column (amounts as numbers shown with two decimals), the
 * repeating parts (grids, lists, reviews) on sheets of their own keyed by record id, and a sheet
 * of warnings. Every column comes from the form definitions, so a new form type or edition needs
 * no code here. Headers are frozen and filtered.
 */
export async function writeRecordsWorkbook(
  definitions: readonly FormDefinition[],
  source: RecordsWorkbookSource,
  out: Writable,
): Promise<number> {
  const workbook = new (await loadWorkbookWriter())({ stream: out, useStyles: true });
  const taken = new Set<string>(['警告']);
  // A definition per form type: the newest edition names the columns.
  const byType = new Map<string, FormDefinition>();
  for (const d of definitions)
    if (!byType.has(d.formType) || byType.get(d.formType)!.edition < d.edition) byType.set(d.formType, d);
  const forms = new Map(
    [...byType.values()].map((def) => {
      const { main, parts } = sheetsOf(def, taken);
      return [
        def.formType,
        {
          main: { sheet: addSheet(workbook, sheetName(def.title.text, taken), main), columns: main },
          parts: parts.map((p) => {
            const columns = [
              HEAD[0],
              { header: '序号', width: 6, get: (r: JsonObject) => num(r.n) },
              ...p.columns,
            ];
            return { part: p, columns, sheet: addSheet(workbook, p.name, columns) };
          }),
        },
      ] as const;
    }),
  );
  const warningColumns: Column[] = [
    HEAD[0],
    { header: '表名', width: 28, get: (r) => str(r.form) },
    { header: '项目或部门', width: 30, get: (r) => str(r.subject) },
    { header: '代码', width: 22, get: (r) => str(r.code) },
    { header: '位置', width: 22, get: (r) => str(r.path) },
    { header: '说明', width: 80, get: (r) => str(r.message) },
  ];
  const warningSheet = addSheet(workbook, '警告', warningColumns);
  let count = 0;
  for await (const record of source.records) {
    const form = forms.get(String(record.formType));
    if (!form) continue;
    count++;
    addRow(form.main.sheet, form.main.columns, record);
    for (const { part, columns, sheet } of form.parts)
      part.rows(record).forEach((row, i) => addRow(sheet, columns, { ...row, id: record.id, n: i + 1 }));
    const subject = record.projectName ?? record.departmentName ?? null;
    for (const w of await source.warnings(record))
      addRow(warningSheet, warningColumns, {
        id: record.id,
        form: byType.get(String(record.formType))?.title.text,
        subject,
        code: w.code,
        path: w.path,
        message: w.message,
      });
  }
  for (const f of forms.values()) {
    f.main.sheet.commit();
    for (const p of f.parts) p.sheet.commit();
  }
  warningSheet.commit();
  await workbook.commit();
  return count;
}

function addSheet(workbook: ExcelJS.stream.xlsx.WorkbookWriter, name: string, columns: Column[]) {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c, i) => ({
    header: c.header,
    key: String(i),
    width: c.width,
    style: c.format
      ? { numFmt: c.format }
      : { alignment: { wrapText: c.width >= WRAP_WIDTH, vertical: 'top' } },
  }));
  sheet.getRow(1).font = { bold: true };
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  return sheet;
}

/** Points per line of the default 11 pt text; CJK lines need a little more than Excel's 15. */
const LINE_HEIGHT = 16;

/**
 * Rows are as tall as their longest wrapped text. Excel sizes rows itself, LibreOffice keeps the
 * default height of a row written without one and shows only its first line.
 */
function addRow(sheet: ExcelJS.Worksheet, columns: Column[], row: JsonObject): void {
  const values = columns.map((c) => c.get(row));
  const lines = Math.max(
    1,
    ...values.map((v, i) =>
      typeof v === 'string' && columns[i].width >= WRAP_WIDTH
        ? v
            .split('\n')
            .reduce((n, line) => n + Math.max(1, Math.ceil(textWidth(line) / (columns[i].width - 1))), 0)
        : 1,
    ),
  );
  const added = sheet.addRow(values);
  if (lines > 1) added.height = lines * LINE_HEIGHT;
  added.commit();
}

/**
 * The warnings stored with each record's source document, narrowed to the record's own form.
 * Records come in id order, so those of one document mostly follow each other: its warnings are
 * read once for them.
 */
export function storedWarnings(storage: Storage): (record: PublicRecord) => Promise<JsonObject[]> {
  let last: { documentId: number; warnings: Promise<JsonObject[]> } | undefined;
  return async (record) => {
    const { documentId, formIndex } = record.source;
    if (documentId === null) return [];
    if (last?.documentId !== documentId)
      last = { documentId, warnings: storage.documents.warnings(documentId) };
    return (await last.warnings).filter((w) => w.recordIndex === formIndex);
  };
}
