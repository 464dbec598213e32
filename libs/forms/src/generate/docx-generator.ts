import { createHash } from 'node:crypto';
import { ErrorCode, FieldError, FormBridgeError } from '@formbridge/common';
import { CONTRACT_VERSION, ContractValidator, canonicalJson, contractValidator } from '@formbridge/contract';
import { DefinitionRegistry, definitions } from '@formbridge/definitions';
import { copyList, mapList } from '../arrays';
import { ReturnStamp, stampProperties } from '../return-stamp';
import { LayerProperty, formProperty } from '../tagged-layer';
import { FormRenderer } from './form-renderer';
import {
  APP_XML,
  CONTENT_TYPES_XML,
  DOCUMENT_CLOSE,
  DOCUMENT_OPEN,
  DOCUMENT_RELS_XML,
  FONT_TABLE_XML,
  ROOT_RELS_XML,
  SETTINGS_XML,
  STYLES_XML,
  coreXml,
  customXml,
} from './package-parts';
import { ZipEntry, writeZip, zipEntry } from './zip-writer';

export interface GenerateOptions {
  /** One id per record, stored in the document properties; by default a hash of the record. */
  recordIds?: string[];
  /**
   * For records generated from storage, one stamp per record (all of one deployment): the
   * record id, version and seal go into the properties, so the filled-in form can come back
   * as the record's next version.
   */
  stamps?: ReturnStamp[];
}

type Rec = Record<string, unknown>;

/**
 * Renders records as one .docx: each record an official form, a page break between forms,
 * every value in a content control tagged with its record path, and the form types, contract
 * version and record ids in docProps/custom.xml. Definitions are compiled on first use and the
 * static package parts compressed once, so a call costs one string build and one deflate.
 */
export class DocxGenerator {
  private readonly renderers = new Map<string, FormRenderer>();
  private staticParts?: ZipEntry[];

  private readonly validator: ContractValidator;

  constructor(private readonly registry: DefinitionRegistry = definitions()) {
    this.validator = registry === definitions() ? contractValidator() : new ContractValidator(registry);
  }

  generate(records: object[], options: GenerateOptions = {}): Uint8Array {
    if (!Array.isArray(records) || records.length === 0) {
      throw new FormBridgeError(ErrorCode.InvalidInput, 'there is no record to generate a form from');
    }
    assertValid(records, this.validator);
    const stamps = options.stamps;
    // A stamped form carries its stamp instead of a content id: the id is then not worked out
    // (a canonical JSON and a SHA-256 of every record exported). Copied onto one literal either
    // way (see mapList).
    const ids = options.recordIds
      ? copyList(options.recordIds)
      : stamps
        ? undefined
        : mapList(records, (r) => recordId(r));
    if ((ids && ids.length !== records.length) || (stamps && stamps.length !== records.length))
      throw new FormBridgeError(ErrorCode.InvalidInput, 'give one record id per record');
    const body: string[] = [DOCUMENT_OPEN];
    const properties: Array<[string, string]> = [
      [LayerProperty.ContractVersion, CONTRACT_VERSION],
      [LayerProperty.FormCount, String(records.length)],
    ];
    if (stamps) properties.push([LayerProperty.Deployment, stamps[0].deployment]);
    records.forEach((record, i) => {
      const renderer = this.renderer(record as Rec);
      renderer.render(record as Rec, body, i > 0);
      properties.push(
        [formProperty(i + 1, 'Type'), renderer.def.formType],
        [formProperty(i + 1, 'Edition'), renderer.def.edition],
      );
      if (stamps) for (const p of stampProperties(i + 1, stamps[i])) properties.push(p);
      else properties.push([formProperty(i + 1, 'RecordId'), (ids as string[])[i]]);
    });
    body.push(DOCUMENT_CLOSE);
    this.staticParts ??= [
      zipEntry('[Content_Types].xml', CONTENT_TYPES_XML),
      zipEntry('_rels/.rels', ROOT_RELS_XML),
      zipEntry('word/_rels/document.xml.rels', DOCUMENT_RELS_XML),
      zipEntry('word/styles.xml', STYLES_XML),
      zipEntry('word/settings.xml', SETTINGS_XML),
      zipEntry('word/fontTable.xml', FONT_TABLE_XML),
      zipEntry('docProps/app.xml', APP_XML),
    ];
    return writeZip([
      ...this.staticParts,
      // Level 1: the body is mostly repeated markup, which the fastest level already shrinks ~10×.
      zipEntry('word/document.xml', body.join(''), 1),
      zipEntry('docProps/core.xml', coreXml(documentTitle(records)), 1),
      zipEntry('docProps/custom.xml', customXml(properties), 1),
    ]);
  }

  /** The record's form in the edition its year uses (or the one it fits), compiled on first use. */
  private renderer(record: Rec): FormRenderer {
    const def = this.validator.editionFor(record);
    if (!def)
      throw new FormBridgeError(
        ErrorCode.UnknownFormType,
        `no form definition for ${String(record.formType)}`,
      );
    const key = `${def.formType}.${def.edition}`;
    let r = this.renderers.get(key);
    if (!r) {
      r = new FormRenderer(def);
      this.renderers.set(key, r);
    }
    return r;
  }
}

/** Checks every record against the contract; paths point into the array when there are several. */
function assertValid(records: object[], validator: ContractValidator): void {
  const errors: FieldError[] = [];
  records.forEach((r, i) => {
    for (const e of validator.validate(r))
      errors.push(records.length === 1 ? e : { path: e.path.replace(/^\$/, `$[${i}]`), reason: e.reason });
  });
  if (errors.length) throw invalidRecord(errors);
}

export function invalidRecord(errors: FieldError[]): FormBridgeError {
  return new FormBridgeError(
    ErrorCode.InvalidRecord,
    `the record is invalid (${errors.length} field error${errors.length === 1 ? '' : 's'})`,
    { fieldErrors: errors },
  );
}

/** A record's default id: derived from its content, so regenerating a record gives the same file. */
export function recordId(record: object): string {
  const h = createHash('sha256').update(canonicalJson(record)).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** What a person would call the document: the first form's project or department. */
export function documentTitle(records: object[]): string {
  const first = records[0] as Rec;
  const { project, department } = definitions().summaryOf(first);
  return String(project ?? department ?? first.formType);
}

/** A file name for the generated document, safe on every file system. */
export function documentFileName(records: object[]): string {
  const base = documentTitle(records)
    .replace(/[\\/:*?"<>|\u0000-\u001f]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 80);
  return `${base || 'forms'}${records.length > 1 ? ` +${records.length - 1}` : ''}.docx`;
}

let shared: DocxGenerator | undefined;

/** The .docx for one or more records (see DocxGenerator); throws INVALID_RECORD with field errors. */
export function generateDocx(records: object[], options?: GenerateOptions): Uint8Array {
  shared ??= new DocxGenerator();
  return shared.generate(records, options);
}
