import type {
  CellField,
  FormDefinition,
  GridField,
  KeyedField,
  MatrixField,
  ReviewsField,
} from '@formbridge/definitions';
import { copyList } from './arrays';
import { BLANK_DATE, labelKey, labelPattern, labelUnit } from './text';

export type Target =
  | { kind: 'field'; field: CellField }
  | { kind: 'grid'; field: GridField }
  | { kind: 'header'; field: GridField }
  | { kind: 'keyed'; field: KeyedField }
  | { kind: 'matrix'; field: MatrixField }
  | { kind: 'matrixPart'; field: MatrixField }
  | { kind: 'group' }
  | { kind: 'structural' }
  | { kind: 'unit' };

/** A column of a grid or matrix, or a row of a matrix: a key and the labels that name it. */
export type Named = { readonly key: string; readonly labels: readonly string[] };

/** Path of the pseudo-field `单位：元` is read into: the unit of the form's amounts. */
export const UNIT_PATH = '$unit';

function labelsOfList(list: readonly Named[]): Map<string, Named> {
  const map = new Map<string, Named>();
  for (const item of list) for (const l of item.labels) if (!map.has(labelKey(l))) map.set(labelKey(l), item);
  return map;
}

/** Everything about a definition the reader needs, compiled once. */
export class CompiledDefinition {
  readonly labels = new Map<string, Target>();
  readonly titleKeys: string[];
  readonly attachment: RegExp;
  readonly year: RegExp;
  readonly reviews?: ReviewsField;
  readonly inline: RegExp;
  readonly inlineFields = new Map<string, CellField>();
  readonly boilerplate: RegExp[];
  /** Whether a text holds any boilerplate or a blank date line, in one pass. */
  private readonly anyBoilerplate: RegExp;
  readonly keyPatterns = new Map<string, RegExp[]>();
  /** The structural labels as printed (any spacing, either bracket width), for removal from a text. */
  readonly structural: RegExp[];
  /** `target` by label key: a form's cells repeat the same few hundred texts. */
  private readonly targets = new Map<string, { target: Target; unit?: string } | null>();
  private readonly reviewSuffix?: string;
  private readonly choices = new WeakMap<object, Array<{ value: string; patterns: RegExp[] }>>();
  /**
   * The labels this edition prints (the first of each label list, as the generator draws them).
   * Editions copied from one another accept each other's labels as variants; what each prints
   * is what tells a form of one from a form of the other.
   */
  private readonly printed = new Set<string>();
  /** Each label key of a column (or row) list → the first of them carrying it, by list. */
  private readonly listLabels = new Map<readonly Named[], Map<string, Named>>();
  /** The columns of each grid read from the document (a derived column is computed). */
  private readonly readColumnsOf = new Map<GridField, GridField['columns']>();
  private readonly keptOf = new Map<GridField, readonly string[]>();

  constructor(readonly def: FormDefinition) {
    this.titleKeys = def.title.variants.map(labelKey).sort((a, b) => b.length - a.length);
    this.attachment = new RegExp(def.attachmentLabel.pattern, 'u');
    this.year = new RegExp(def.yearPattern, 'u');
    const add = (label: string, t: Target, labels?: string[]) => {
      const k = labelKey(label);
      if (!this.labels.has(k)) this.labels.set(k, t);
      if (labels?.[0] === label) this.printed.add(k);
    };
    const inlineLabels: string[] = [];
    for (const f of def.fields) {
      switch (f.kind) {
        case 'cell':
        case 'line':
          for (const l of f.labels) {
            add(l, { kind: 'field', field: f }, f.labels);
            this.inlineFields.set(labelKey(l), f);
            inlineLabels.push(l);
          }
          break;
        case 'grid': {
          f.labels.forEach((l) => add(l, { kind: 'grid', field: f }, f.labels));
          // A derived column is never read from the document: its name is no label.
          const read = f.columns.filter((c) => !c.derive);
          this.readColumnsOf.set(f, read);
          this.keptOf.set(f, keptKeys(f, read));
          this.listLabels.set(f.columns, labelsOfList(f.columns));
          this.listLabels.set(read, labelsOfList(read));
          read.forEach((c) => c.labels.forEach((l) => add(l, { kind: 'header', field: f }, c.labels)));
          break;
        }
        case 'matrix':
          this.listLabels.set(f.columns, labelsOfList(f.columns));
          this.listLabels.set(f.rows, labelsOfList(f.rows));
          f.labels.forEach((l) => add(l, { kind: 'matrix', field: f }, f.labels));
          [...f.rows, ...f.columns].forEach((c) =>
            c.labels.forEach((l) => add(l, { kind: 'matrixPart', field: f }, c.labels)),
          );
          break;
        case 'keyed':
          f.labels.forEach((l) => add(l, { kind: 'keyed', field: f }, f.labels));
          for (const k of f.keys) {
            this.keyPatterns.set(
              k.path,
              [...k.labels]
                .sort((a, b) => b.length - a.length)
                .map(
                  (l) =>
                    new RegExp(
                      `${labelPattern(l)}[\\s\\u3000]*[:：]?[\\s\\u3000]*([-+]?[0-9０-９][0-9０-９,，.．]*[\\s\\u3000]*(?:万元|万|元)?)?`,
                      'u',
                    ),
                ),
            );
          }
          break;
        case 'reviews':
          this.reviews = f;
          f.groupLabels?.forEach((l) => add(l, { kind: 'group' }, f.groupLabels));
          break;
      }
    }
    def.groups.forEach((g) => g.labels.forEach((l) => add(l, { kind: 'group' }, g.labels)));
    def.structuralLabels.forEach((l) => add(l, { kind: 'structural' }));
    for (const l of def.amountUnit?.labels ?? []) {
      this.inlineFields.set(labelKey(l), { kind: 'line', path: UNIT_PATH, labels: [l], type: 'text' });
      inlineLabels.push(l);
    }
    inlineLabels.sort((a, b) => labelKey(b).length - labelKey(a).length);
    this.inline = new RegExp(`(${inlineLabels.map(labelPattern).join('|')})[\\s\\u3000]*[:：]`, 'gu');
    this.structural = [...this.labels]
      .filter(([, t]) => t.kind === 'structural')
      .map(([k]) => new RegExp(labelPattern(k), 'gu'));
    this.reviewSuffix = this.reviews && labelKey(this.reviews.labelSuffix);
    this.boilerplate = [...def.boilerplate]
      .sort((a, b) => b.length - a.length)
      .map((b) => new RegExp(labelPattern(b), 'gu'));
    this.anyBoilerplate = new RegExp(
      [...this.boilerplate, BLANK_DATE].map((r) => `(?:${r.source})`).join('|'),
      'u',
    );
  }

  /** Label key → the first column (or row) of one of the definition's lists carrying that label. */
  labelsOf(list: readonly Named[]): Map<string, Named> {
    return this.listLabels.get(list) ?? labelsOfList(list);
  }

  /** The columns of a grid that are read from the document (a derived column is computed). */
  readColumns(field: GridField): GridField['columns'] {
    return this.readColumnsOf.get(field) ?? field.columns.filter((c) => !c.derive);
  }

  /** The columns of which one must hold a value for a grid's row to be kept. */
  keptColumns(field: GridField): readonly string[] {
    return this.keptOf.get(field) ?? keptKeys(field, this.readColumns(field));
  }

  /**
   * What a cell's text is a label of, if anything. A label may carry its unit in brackets
   * (`年初预算数（元）`): then it is the label without them, and `unit` says what it was.
   */
  target(text: string): { target: Target; unit?: string } | undefined {
    return this.targetOfKey(labelKey(text));
  }

  /** `target` of a text already keyed (`labelKey`): when many definitions look at the same cells. */
  targetOfKey(key: string): { target: Target; unit?: string } | undefined {
    if (!key) return undefined;
    let found = this.targets.get(key);
    if (found === undefined) {
      const exact = this.labels.get(key);
      const unit = labelUnit(key);
      const base = unit && this.labels.get(unit.base);
      found = exact ? { target: exact, unit: unit?.unit } : base ? { target: base, unit: unit.unit } : null;
      // Free text is worth no entry; the labels and their variants are few.
      if (key.length <= 64) {
        if (this.targets.size > 20_000) this.targets.clear();
        this.targets.set(key, found);
      }
    }
    return found ?? undefined;
  }

  /** A choice field's options, each with its labels as printed, longest label first. */
  choicePatterns(
    options: ReadonlyArray<{ value: string; labels: string[] }>,
  ): Array<{ value: string; patterns: RegExp[] }> {
    let compiled = this.choices.get(options);
    if (!compiled) {
      compiled = options.map((o) => ({
        value: o.value,
        patterns: [...o.labels]
          .sort((a, b) => b.length - a.length)
          .map((l) => new RegExp(labelPattern(l), 'u')),
      }));
      this.choices.set(options, compiled);
    }
    return compiled;
  }

  /** Whether a keyed cell text is a label as this edition prints it (not one of its variants). */
  isPrintedKey(key: string): boolean {
    if (this.printed.has(key)) return true;
    const base = labelUnit(key)?.base;
    return base !== undefined && this.printed.has(base);
  }

  isTitle(text: string): boolean {
    const key = labelKey(text);
    if (!key) return false;
    return this.titleKeys.some((t) => key.includes(t) && key.length <= t.length + 16);
  }

  isAttachment(text: string): boolean {
    return this.attachment.test(labelKey(text));
  }

  reviewAuthority(text: string): string | undefined {
    const suffix = this.reviewSuffix;
    if (suffix === undefined) return undefined;
    const key = labelKey(text);
    return key.length > suffix.length && key.endsWith(suffix) ? key.slice(0, -suffix.length) : undefined;
  }

  /**
   * Every match of `inline` in a text, as `text.matchAll(inline)` gives them: matchAll clones the
   * regex, and V8 re-reads a clone's source (all of the form's inline labels) every time.
   */
  inlineMatches(text: string): RegExpExecArray[] {
    const re = this.inline;
    const out: RegExpExecArray[] = [];
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) out.push(m);
    re.lastIndex = 0;
    return out;
  }

  stripBoilerplate(text: string): string {
    // Most texts hold none; then no replacement below would change them.
    if (!this.anyBoilerplate.test(text)) return text;
    let s = text;
    for (const b of this.boilerplate) s = s.replace(b, ' ');
    return s.replace(BLANK_DATE, ' ');
  }
}

/**
 * The keys of a grid's kept columns, copied by copyList once per definition: the grid reader's
 * hot loop then always sees arrays of one hidden class, where a definition's own (frozen) array
 * and a `map` result gave it two, and the optimised code was thrown away (docs/bench.md).
 */
function keptKeys(field: GridField, read: GridField['columns']): string[] {
  return copyList(field.keepRowWhenAny ?? read.map((c) => c.key));
}
