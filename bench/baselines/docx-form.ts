import {
  AlignmentType,
  BorderStyle,
  CheckBox,
  Document,
  HeightRule,
  Packer,
  Paragraph,
  ParagraphChild,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  Tab,
  TabStopType,
  TextRun,
  VerticalAlignTable,
  VerticalMergeType,
  WidthType,
} from 'docx';
import type {
  CellField,
  FieldDefinition,
  FormDefinition,
  GridField,
  KeyedField,
  LayoutRow,
  ReviewsField,
} from '@formbridge/definitions';
import { FormSource, Loop, RecordSource, VMerge } from './form-source';

/**
 * Baseline 1 of issue 5: the form built directly with npm `docx`, the obvious way — a
 * `Document` with the title paragraphs, the table (column spans, vertical merges, fixed column
 * widths, borders, row heights), fonts and sizes as paragraph styles, checkboxes as content
 * controls, and `Packer.toBuffer` for every record. It walks the same definition layout our
 * generator does, so it draws the same rows and cells; it leaves out only the content control
 * around every value and the custom document properties, which makes it do less than ours.
 */

const MM = 56.6929;
const PAGE = {
  width: 11906,
  height: 16838,
  top: Math.round(37 * MM),
  bottom: Math.round(35 * MM),
  left: Math.round(28 * MM),
  right: Math.round(26 * MM),
};
const BODY_FONT = '仿宋_GB2312';
const HEADING_FONT = '黑体';
const LATIN_FONT = 'Times New Roman';
const BOX_FONT = 'Segoe UI Symbol';
const COLON = '：';
const BLANK = '\u3000'.repeat(3);

const Style = {
  Attachment: 'Attachment',
  Title: 'Title',
  Year: 'Year',
  Line: 'Line',
  Label: 'Label',
  Value: 'Value',
  Centered: 'Centered',
  Seal: 'Seal',
} as const;
type StyleId = (typeof Style)[keyof typeof Style];

const border = { style: BorderStyle.SINGLE, size: 4, color: '000000' };

function styles() {
  const heading = { font: { eastAsia: HEADING_FONT, ascii: HEADING_FONT, hAnsi: HEADING_FONT } };
  const para = (id: StyleId, run: object, paragraph: object) => ({
    id,
    name: id,
    basedOn: 'Normal',
    quickFormat: true,
    run,
    paragraph,
  });
  return {
    default: {
      document: {
        run: {
          font: { eastAsia: BODY_FONT, ascii: LATIN_FONT, hAnsi: LATIN_FONT, cs: LATIN_FONT },
          size: 24,
        },
        paragraph: { spacing: { after: 0, line: 240 }, alignment: AlignmentType.JUSTIFIED },
      },
    },
    paragraphStyles: [
      para(
        Style.Attachment,
        { ...heading, size: 32 },
        { spacing: { after: 120 }, alignment: AlignmentType.LEFT },
      ),
      para(
        Style.Title,
        { ...heading, size: 44 },
        { keepNext: true, spacing: { before: 120, after: 120 }, alignment: AlignmentType.CENTER },
      ),
      para(
        Style.Year,
        { size: 32 },
        { keepNext: true, spacing: { after: 120 }, alignment: AlignmentType.CENTER },
      ),
      para(Style.Line, { size: 28 }, { spacing: { before: 60, after: 60 }, alignment: AlignmentType.LEFT }),
      para(Style.Label, { size: 24 }, { alignment: AlignmentType.CENTER }),
      para(Style.Value, { size: 24 }, { alignment: AlignmentType.LEFT }),
      para(Style.Centered, { size: 24 }, { alignment: AlignmentType.CENTER }),
      para(Style.Seal, { size: 24 }, { alignment: AlignmentType.RIGHT }),
    ],
  };
}

const text = (s: string) => new TextRun(s);

function para(
  style: StyleId,
  children: ParagraphChild[] = [],
  extra: { pageBreakBefore?: boolean } = {},
): Paragraph {
  return new Paragraph({ style, children, ...extra });
}

/** One paragraph per line; an empty value still gives one empty paragraph, as Word requires. */
function paras(lines: string[], style: StyleId, loop?: Loop, last = true): Paragraph[] {
  const items = lines.length ? lines : [''];
  return items.map((l, i) => {
    const before = loop && i === 0 ? loop.open : '';
    const after = loop && last && i === items.length - 1 ? loop.close : '';
    return para(style, [text(before + l + after)]);
  });
}

export class DocxForm {
  private readonly fields = new Map<string, FieldDefinition>();
  private readonly width: number;

  constructor(readonly def: FormDefinition) {
    for (const f of def.fields) this.fields.set(f.path, f);
    this.width = def.layout.grid.reduce((a, b) => a + b, 0);
  }

  /** The form for one record, as .docx bytes. */
  async render(record: object): Promise<Buffer> {
    return Packer.toBuffer(this.document(new RecordSource(this.def, record as Record<string, unknown>)));
  }

  document(source: FormSource): Document {
    const { def } = this;
    const [beforeYear, afterYear = ''] = def.yearLine.split('{year}');
    const children: Array<Paragraph | Table> = [
      para(Style.Attachment, [text(source.lines('attachmentLabel', 'text').join(''))]),
      para(Style.Title, [text(def.title.text)]),
      para(Style.Year, [text(beforeYear + source.lines('year', 'text').join('') + afterYear)]),
      ...def.layout.before.map((line) => this.line(line, source)),
      new Table({
        rows: def.layout.rows.flatMap((row) => this.rows(row, source)),
        width: { size: this.width, type: WidthType.DXA },
        columnWidths: def.layout.grid,
        layout: TableLayoutType.FIXED,
        alignment: AlignmentType.CENTER,
        borders: {
          top: border,
          bottom: border,
          left: border,
          right: border,
          insideHorizontal: border,
          insideVertical: border,
        },
        margins: { top: 28, bottom: 28, left: 85, right: 85 },
      }),
      ...def.layout.after.map((line) => this.line(line, source)),
    ];
    return new Document({
      creator: 'FormBridge benchmark',
      styles: styles(),
      sections: [
        {
          properties: {
            page: {
              size: { width: PAGE.width, height: PAGE.height },
              margin: {
                top: PAGE.top,
                right: PAGE.right,
                bottom: PAGE.bottom,
                left: PAGE.left,
                header: 851,
                footer: 992,
                gutter: 0,
              },
            },
          },
          children,
        },
      ],
    });
  }

  /** `label：value` pieces on one line at tab stops, as forms print their signature lines. */
  private line(paths: string[], source: FormSource): Paragraph {
    const children: ParagraphChild[] = [];
    paths.forEach((path, k) => {
      const field = this.field<CellField>(path);
      const lines = source.lines(path, field.type);
      if (k > 0) children.push(new TextRun({ children: [new Tab()] }));
      children.push(
        text(field.labels[0] + COLON),
        new TextRun({ text: lines.length ? lines.join(' ') : BLANK }),
      );
    });
    const tabStops = paths
      .slice(1)
      .map((_, k) =>
        k === paths.length - 2
          ? { type: TabStopType.RIGHT, position: this.width }
          : { type: TabStopType.CENTER, position: Math.round((this.width * (k + 1)) / (paths.length - 1)) },
      );
    return new Paragraph({ style: Style.Line, children, tabStops });
  }

  private cell(col: number, span: number, children: Paragraph[], vMerge?: VMerge): TableCell {
    const width = this.def.layout.grid.slice(col, col + span).reduce((a, b) => a + b, 0);
    return new TableCell({
      children,
      width: { size: width, type: WidthType.DXA },
      columnSpan: span > 1 ? span : undefined,
      verticalMerge:
        vMerge === 'restart'
          ? VerticalMergeType.RESTART
          : vMerge === 'continue'
            ? VerticalMergeType.CONTINUE
            : undefined,
      verticalAlign: VerticalAlignTable.CENTER,
    });
  }

  private label(col: number, span: number, label: string, vMerge?: VMerge): TableCell {
    return this.cell(col, span, [para(Style.Label, vMerge === 'continue' ? [] : [text(label)])], vMerge);
  }

  private row(cells: TableCell[], minHeight?: number): TableRow {
    return new TableRow({
      children: cells,
      height: minHeight ? { value: minHeight, rule: HeightRule.ATLEAST } : undefined,
    });
  }

  private rows(row: LayoutRow, source: FormSource): TableRow[] {
    if ('cells' in row) return [this.cellsRow(row.cells, source, row.minHeight)];
    if ('grid' in row)
      return this.gridRows(
        this.field<GridField>(row.grid),
        row.labelSpan ?? 1,
        row.spans,
        row.merge ?? [],
        source,
        row.minHeight,
      );
    if ('keyed' in row)
      return this.keyedRows(this.field<KeyedField>(row.keyed), row.rows, source, row.minHeight);
    if ('group' in row) return this.groupRows(row.group, row.fields, row.spans, source, row.minHeight);
    if ('reviews' in row)
      return this.reviewRows(this.field<ReviewsField>(row.reviews), row.spans, source, row.minHeight);
    // The baseline draws the two forms the benchmark measures; they have no matrix.
    throw new Error(`the docx baseline does not draw ${JSON.stringify(row)}`);
  }

  private cellsRow(
    cells: Extract<LayoutRow, { cells: unknown }>['cells'],
    source: FormSource,
    minHeight?: number,
  ): TableRow {
    let col = 0;
    const out = cells.map((c) => {
      const span = c.span ?? 1;
      let cell: TableCell;
      if ('label' in c) cell = this.label(col, span, this.field<CellField>(c.label).labels[0]);
      else {
        const field = this.field<CellField>(c.field);
        if (field.type === 'choice') {
          const runs: ParagraphChild[] = [];
          (field.options ?? []).forEach((o, k) => {
            if (k > 0) runs.push(text('\u3000'));
            runs.push(text(o.labels[0]));
            const box = source.box(field.path, o.value);
            runs.push(
              'checked' in box
                ? new CheckBox({
                    checked: box.checked,
                    checkedState: { value: '2611', font: BOX_FONT },
                    uncheckedState: { value: '2610', font: BOX_FONT },
                  })
                : text(box.placeholder),
            );
          });
          cell = this.cell(col, span, [para(Style.Centered, runs)]);
        } else {
          cell = this.cell(col, span, paras(source.lines(field.path, field.type), styleFor(field.type)));
        }
      }
      col += span;
      return cell;
    });
    return this.row(out, minHeight);
  }

  private gridRows(
    field: GridField,
    labelSpan: number,
    spans: Record<string, number>,
    mergeKeys: string[],
    source: FormSource,
    minHeight?: number,
  ): TableRow[] {
    let col = labelSpan;
    const header = [this.label(0, labelSpan, field.labels[0], 'restart')];
    const cols = field.columns.map((c) => {
      header.push(this.label(col, spans[c.key], c.labels[0]));
      const at = { col, span: spans[c.key], style: c.carryDown ? Style.Centered : styleFor(c.type) };
      col += spans[c.key];
      return { key: c.key, ...at };
    });
    const body = source.grid(field, mergeKeys).map((r) =>
      this.row(
        [
          this.label(0, labelSpan, '', 'continue'),
          ...cols.map((c, k) => {
            const vMerge = r.vMerge[c.key];
            const loop = r.loop && {
              open: k === 0 ? r.loop.open : '',
              close: k === cols.length - 1 ? r.loop.close : '',
            };
            return this.cell(
              c.col,
              c.span,
              vMerge === 'continue' ? [para(c.style)] : paras(r.cells[c.key], c.style, loop),
              vMerge,
            );
          }),
        ],
        minHeight,
      ),
    );
    return [this.row(header, minHeight), ...body];
  }

  private keyedRows(
    field: KeyedField,
    rows: Extract<LayoutRow, { keyed: unknown }>['rows'],
    source: FormSource,
    minHeight?: number,
  ): TableRow[] {
    return rows.map((cells, i) => {
      let col = 1;
      const out = [this.label(0, 1, field.labels[0], i === 0 ? 'restart' : 'continue')];
      for (const c of cells) {
        const span = c.span ?? 1;
        if ('caption' in c) out.push(this.cell(col, span, [para(Style.Centered, [text(c.caption)])]));
        else {
          const children = c.lead ? [para(Style.Value, [text(c.lead + COLON)])] : [];
          for (const k of c.keys) {
            const key = field.keys.find((x) => x.path === k);
            if (!key) throw new Error(`keyed ${field.path} has no key ${k}`);
            children.push(
              para(Style.Value, [
                text(key.labels[0] + COLON + source.lines(`${field.path}.${k}`, key.type).join(' ')),
              ]),
            );
          }
          out.push(this.cell(col, span, children));
        }
        col += span;
      }
      return this.row(out, minHeight);
    });
  }

  private groupRows(
    id: string,
    paths: string[],
    spans: { label: number; value: number },
    source: FormSource,
    minHeight?: number,
  ): TableRow[] {
    const group = this.def.groups.find((g) => g.id === id);
    if (!group) throw new Error(`no group ${id}`);
    const groupSpan = this.def.layout.grid.length - spans.label - spans.value;
    return paths.map((path, i) => {
      const field = this.field<CellField>(path);
      return this.row(
        [
          this.label(0, groupSpan, group.labels[0], i === 0 ? 'restart' : 'continue'),
          this.label(groupSpan, spans.label, field.labels[0]),
          this.cell(
            groupSpan + spans.label,
            spans.value,
            paras(source.lines(path, field.type), styleFor(field.type)),
          ),
        ],
        minHeight,
      );
    });
  }

  private reviewRows(
    field: ReviewsField,
    spans: { label: number; value: number },
    source: FormSource,
    minHeight?: number,
  ): TableRow[] {
    const groupSpan = this.def.layout.grid.length - spans.label - spans.value;
    const { seal } = this.def.layout.review;
    return source.reviews(field).map((r, i) => {
      const cells: TableCell[] = [];
      if (groupSpan > 0)
        cells.push(this.label(0, groupSpan, field.groupLabels?.[0] ?? '', i === 0 ? 'restart' : 'continue'));
      cells.push(
        this.cell(groupSpan, spans.label, [
          para(Style.Label, [text((r.loop?.open ?? '') + r.authority + field.labelSuffix)]),
        ]),
      );
      cells.push(
        this.cell(groupSpan + spans.label, spans.value, [
          ...paras(r.opinion, Style.Value),
          para(Style.Seal, [text(seal)]),
          para(Style.Seal, [text(r.date + (r.loop?.close ?? ''))]),
        ]),
      );
      return this.row(cells, minHeight);
    });
  }

  private field<T extends FieldDefinition>(path: string): T {
    const f = this.fields.get(path);
    if (!f) throw new Error(`${this.def.formType}: no field ${path}`);
    return f as T;
  }
}

function styleFor(type: string): StyleId {
  return type === 'month' || type === 'date' ? Style.Centered : Style.Value;
}
