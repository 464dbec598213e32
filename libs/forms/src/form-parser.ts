import { ContractValidator, contractValidator } from '@formbridge/contract';
import { DefinitionRegistry, FormDefinition, definitions } from '@formbridge/definitions';
import { ReadOptions, WordBlock, WordDocument, readDocx, readSubmission } from '@formbridge/word';
import { mapList } from './arrays';
import { runChecks } from './checks';
import { CompiledDefinition, FormExtractor } from './extract';
import { readStamps } from './return-stamp';
import { TaggedLayer } from './tagged-layer';
import { labelKey, looksLikeFormTitle } from './text';
import { ParseResult, ParseWarning, WarningCode } from './warnings';

interface FormSlice {
  compiled: CompiledDefinition;
  /** Index of the form's first block in the document's blocks. */
  start: number;
  blocks: WordBlock[];
  titled: boolean;
}

/** Where a form begins: a known title (one or more editions carry it) or a title no definition knows. */
interface FormStart {
  at: number;
  candidates: CompiledDefinition[];
}

/** Longer cell texts are never a label (the longest, with the spaces people put in, are far shorter). */
const LABEL_TEXT_MAX = 64;

/** An attachment label of any form (`附件2`, `附件 3-1`), pulled along with the title below it. */
const ANY_ATTACHMENT = /^附件[\d\-－—–]+$/u;

/**
 * Turns a Word submission into one record per form, in document order. Forms are found by
 * their titles (in a paragraph or in the first rows of a table); everything up to the next
 * title belongs to the form, including the attachment label printed just above it.
 */
export class FormParser {
  private readonly compiled: CompiledDefinition[];
  private readonly validator: ContractValidator;

  constructor(registry: DefinitionRegistry = definitions()) {
    this.compiled = registry.definitions.map((d) => new CompiledDefinition(d));
    this.validator = registry === definitions() ? contractValidator() : new ContractValidator(registry);
  }

  /** Any submission format; legacy ones go through the converter. */
  async parse(bytes: Uint8Array, options?: ReadOptions): Promise<ParseResult> {
    return this.parseDocument(await readSubmission(bytes, options));
  }

  /** A .docx in memory, synchronously: the fast path bulk imports and the benchmark use. */
  parseDocx(bytes: Uint8Array, options?: ReadOptions): ParseResult {
    return this.parseDocument(readDocx(bytes, options));
  }

  /**
   * Which of the document's blocks (body paragraphs and tables, in order) each form read from it
   * spans, in record order: `[start, end)`. For showing one form of a document that holds several.
   */
  formBlocks(doc: WordDocument): Array<{ start: number; end: number }> {
    return this.split(doc.blocks, []).map((s) => ({ start: s.start, end: s.start + s.blocks.length }));
  }

  parseDocument(doc: WordDocument): ParseResult {
    const warnings: ParseWarning[] = doc.packageWarnings.map((w) => ({
      code: WarningCode.PackagePartSize,
      message: w.message,
      recordIndex: null,
      path: null,
      location: null,
    }));
    const slices = this.split(doc.blocks, warnings);
    const records: Record<string, unknown>[] = [];
    const forms: ParseResult['forms'] = [];
    const layer = TaggedLayer.read(doc);
    if (layer) for (const w of layer.warnings) warnings.push(w);
    if (!slices.length) {
      warnings.push({
        code: WarningCode.NoFormFound,
        message: 'no known form was found in this document',
        recordIndex: null,
        path: null,
        location: null,
      });
    }
    slices.forEach((slice, index) => {
      const result = new FormExtractor(slice.compiled, index).extract(slice.blocks);
      // Generated forms carry their values in tagged controls; where present, those win.
      layer?.overlay(slice.blocks, slice.compiled, index, result);
      if (!slice.titled) {
        result.warnings.unshift({
          code: WarningCode.TitleMissing,
          message: `no title found; the labels match ${slice.compiled.def.title.text}`,
          recordIndex: index,
          path: null,
          location: null,
        });
      }
      // Pushed one by one: a spread of the two lists sent arrays of two hidden classes through one
      // call, and the optimised code was thrown away (docs/bench.md, "Thirteenth look").
      for (const w of result.warnings) warnings.push(w);
      const checked = runChecks(
        slice.compiled.def,
        result.record,
        index,
        result.locations,
        undefined,
        result.labelWeights,
      );
      for (const w of checked) warnings.push(w);
      for (const e of this.validator.validate(result.record)) {
        if (warnings.some((w) => w.recordIndex === index && w.path === e.path)) continue;
        warnings.push({
          code: WarningCode.ContractViolation,
          message: e.reason,
          recordIndex: index,
          path: e.path,
          location: result.locations.get(e.path.slice(2).replace(/\[\d+\].*$/, '')) ?? null,
        });
      }
      records.push(result.record);
      forms.push({ formType: slice.compiled.def.formType, edition: slice.compiled.def.edition });
    });
    const stamps = readStamps(
      doc,
      records.map((r) => String(r.formType)),
    );
    if (stamps?.length && stamps.every((s) => s === null)) {
      warnings.push({
        code: WarningCode.ReturnRefused,
        message:
          'the document was generated from stored records, but its forms no longer match the forms it was generated with; read as ordinary forms',
        recordIndex: null,
        path: null,
        location: null,
      });
    }
    return stamps ? { records, warnings, forms, stamps } : { records, warnings, forms };
  }

  /** The definitions whose title a block carries; `[]` for a form title no definition knows. */
  private titleOf(block: WordBlock): CompiledDefinition[] | undefined {
    if (block.kind === 'paragraph') {
      const found = this.compiled.filter((c) => c.isTitle(block.text));
      if (found.length) return found;
      // A form ends where the next form's title begins, whether FormBridge knows that form or not.
      const unknown = looksLikeFormTitle(block.text) && !this.compiled.some((c) => c.target(block.text));
      return unknown ? [] : undefined;
    }
    for (const row of block.rows.slice(0, 2)) {
      for (const cell of row.cells) {
        const found = this.compiled.filter((c) => c.isTitle(cell.text));
        if (found.length) return found;
      }
    }
    return undefined;
  }

  private split(blocks: WordBlock[], warnings: ParseWarning[]): FormSlice[] {
    const starts: FormStart[] = [];
    blocks.forEach((b, i) => {
      const candidates = this.titleOf(b);
      if (candidates) starts.push({ at: i, candidates });
    });
    if (!starts.some((s) => s.candidates.length)) {
      const guess = this.guessByLabels(blocks, this.compiled);
      return guess ? [{ compiled: guess, start: 0, blocks, titled: false }] : [];
    }
    // Pull each form's start back over the attachment label printed above its title.
    const beginOf = ({ at, candidates }: (typeof starts)[number], k: number): number => {
      const floor = k > 0 ? starts[k - 1].at + 1 : 0;
      for (let j = at - 1; j >= floor && at - j <= 4; j--) {
        const b = blocks[j];
        if (b.kind !== 'paragraph') break;
        if (candidates.some((c) => c.isAttachment(b.text)) || ANY_ATTACHMENT.test(labelKey(b.text))) return j;
        if (b.text.trim()) break;
      }
      return at;
    };
    // mapList, not `map`: a result of `map` made in optimised code has another hidden class than
    // one made by the builtin, and the code reading it was thrown away.
    const begins = mapList(starts, beginOf);
    const slices: FormSlice[] = [];
    starts.forEach(({ at, candidates }, k) => {
      const slice = blocks.slice(begins[k], k + 1 < begins.length ? begins[k + 1] : blocks.length);
      if (!candidates.length) {
        const title = blocks[at];
        warnings.push({
          code: WarningCode.UnknownForm,
          message: `"${title.kind === 'paragraph' ? title.text.trim() : ''}" is not a form FormBridge knows; its pages were skipped`,
          recordIndex: null,
          path: null,
          location: title.kind === 'paragraph' ? { paragraph: title.index } : null,
        });
        return;
      }
      // Editions that share a title are told apart by how many of their labels the form carries.
      const compiled =
        candidates.length === 1 ? candidates[0] : (this.guessByLabels(slice, candidates, 0) ?? candidates[0]);
      slices.push({ compiled, start: begins[k], blocks: slice, titled: true });
    });
    return slices;
  }

  /**
   * A form without its title is still recognised when its table carries enough of its labels.
   * Among definitions that read as many of the form's labels, the one that prints more of them
   * as they stand wins (editions accept each other's labels as variants), then the newer edition.
   */
  private guessByLabels(
    blocks: WordBlock[],
    among: CompiledDefinition[],
    minimum = 4,
  ): CompiledDefinition | undefined {
    let best: CompiledDefinition | undefined;
    let bestScore = minimum - 1;
    let bestPrinted = -1;
    // Labels are short; the free text of long cells (most of a form's bytes) is no label of any form.
    const keys = new Set<string>();
    for (const b of blocks)
      if (b.kind === 'table')
        for (const r of b.rows)
          for (const c of r.cells) if (c.text.length <= LABEL_TEXT_MAX) keys.add(labelKey(c.text));
    for (const c of among) {
      const read = new Set<unknown>();
      const printed = new Set<unknown>();
      for (const key of keys) {
        const target = c.targetOfKey(key)?.target;
        if (target === undefined) continue;
        read.add(target);
        if (c.isPrintedKey(key)) printed.add(target);
      }
      const better =
        read.size > bestScore ||
        (read.size === bestScore &&
          best !== undefined &&
          (printed.size > bestPrinted ||
            (printed.size === bestPrinted &&
              best.def.formType === c.def.formType &&
              c.def.edition > best.def.edition)));
      if (better) {
        bestScore = read.size;
        bestPrinted = printed.size;
        best = c;
      }
    }
    return best;
  }

  definitionFor(formType: string): FormDefinition | undefined {
    return this.compiled.find((c) => c.def.formType === formType)?.def;
  }
}
