import { validateRecord } from '@formbridge/contract';
import { DefinitionRegistry, FormDefinition, definitions } from '@formbridge/definitions';
import { ReadOptions, WordBlock, WordDocument, readDocx, readSubmission } from '@formbridge/word';
import { runChecks } from './checks';
import { CompiledDefinition, FormExtractor } from './extract';
import { TaggedLayer } from './tagged-layer';
import { labelKey } from './text';
import { ParseResult, ParseWarning, WarningCode } from './warnings';

interface FormSlice {
  compiled: CompiledDefinition;
  blocks: WordBlock[];
  titled: boolean;
}

/**
 * Turns a Word submission into one record per form, in document order. Forms are found by
 * their titles (in a paragraph or in the first rows of a table); everything up to the next
 * title belongs to the form, including the attachment label printed just above it.
 */
export class FormParser {
  private readonly compiled: CompiledDefinition[];

  constructor(registry: DefinitionRegistry = definitions()) {
    this.compiled = registry.definitions.map((d) => new CompiledDefinition(d));
  }

  /** Any submission format; legacy ones go through the converter. */
  async parse(bytes: Uint8Array, options?: ReadOptions): Promise<ParseResult> {
    return this.parseDocument(await readSubmission(bytes, options));
  }

  /** A .docx in memory, synchronously: the fast path bulk imports and the benchmark use. */
  parseDocx(bytes: Uint8Array, options?: ReadOptions): ParseResult {
    return this.parseDocument(readDocx(bytes, options));
  }

  parseDocument(doc: WordDocument): ParseResult {
    const slices = this.split(doc.blocks);
    const records: Record<string, unknown>[] = [];
    const warnings: ParseWarning[] = doc.packageWarnings.map((w) => ({
      code: WarningCode.PackagePartSize,
      message: w.message,
      recordIndex: null,
      path: null,
      location: null,
    }));
    const layer = TaggedLayer.read(doc);
    if (layer) warnings.push(...layer.warnings);
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
      warnings.push(
        ...result.warnings,
        ...runChecks(slice.compiled.def, result.record, index, result.locations),
      );
      for (const e of validateRecord(result.record)) {
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
    });
    return { records, warnings };
  }

  private titleOf(block: WordBlock): CompiledDefinition | undefined {
    if (block.kind === 'paragraph') return this.compiled.find((c) => c.isTitle(block.text));
    for (const row of block.rows.slice(0, 2)) {
      for (const cell of row.cells) {
        const found = this.compiled.find((c) => c.isTitle(cell.text));
        if (found) return found;
      }
    }
    return undefined;
  }

  private split(blocks: WordBlock[]): FormSlice[] {
    const starts: Array<{ at: number; compiled: CompiledDefinition }> = [];
    blocks.forEach((b, i) => {
      const compiled = this.titleOf(b);
      if (compiled) starts.push({ at: i, compiled });
    });
    if (!starts.length) {
      const guess = this.guessByLabels(blocks);
      return guess ? [{ compiled: guess, blocks, titled: false }] : [];
    }
    // Pull each form's start back over the attachment label printed above its title.
    const begins = starts.map(({ at, compiled }, k) => {
      const floor = k > 0 ? starts[k - 1].at + 1 : 0;
      for (let j = at - 1; j >= floor && at - j <= 4; j--) {
        const b = blocks[j];
        if (b.kind !== 'paragraph') break;
        if (compiled.isAttachment(b.text)) return j;
        if (b.text.trim()) break;
      }
      return at;
    });
    return starts.map(({ compiled }, k) => ({
      compiled,
      blocks: blocks.slice(begins[k], begins[k + 1] ?? blocks.length),
      titled: true,
    }));
  }

  /** A form without its title is still recognised when its table carries enough of its labels. */
  private guessByLabels(blocks: WordBlock[]): CompiledDefinition | undefined {
    let best: CompiledDefinition | undefined;
    let bestScore = 0;
    const cells = blocks.flatMap((b) =>
      b.kind === 'table' ? b.rows.flatMap((r) => r.cells.map((c) => labelKey(c.text))) : [],
    );
    for (const c of this.compiled) {
      const score = new Set(cells.filter((k) => c.labels.has(k)).map((k) => c.labels.get(k))).size;
      if (score > bestScore) {
        bestScore = score;
        best = c;
      }
    }
    return bestScore >= 4 ? best : undefined;
  }

  definitionFor(formType: string): FormDefinition | undefined {
    return this.compiled.find((c) => c.def.formType === formType)?.def;
  }
}
