import { ErrorCode, FormBridgeError } from '@formbridge/common';
import { convertToDocx, ConverterOptions } from './convert';
import { detectFormat } from './detect';
import { readDocumentXml } from './document-xml';
import type { WordDocument } from './model';
import { allAttrs, scanXml } from './xml-scan';
import { DEFAULT_ZIP_LIMITS, ZipLimits, ZipPackage } from './zip';

export interface ReadOptions {
  /** Largest submission accepted, in bytes. */
  maxBytes?: number;
  zip?: ZipLimits;
  converter?: ConverterOptions;
}

export const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;

const OFFICE_DOCUMENT = /\/officeDocument$/;

/** Reads the small XML parts that only need attributes and text (relationships, properties). */
function scanPart(
  xml: string,
  onOpen: (name: string, attrs: Record<string, string>) => void,
  onText?: (t: string) => void,
): void {
  scanXml(xml, {
    open: (name, attrs) => onOpen(name.slice(name.indexOf(':') + 1), allAttrs(attrs)),
    close: () => undefined,
    text: (t) => onText?.(t),
  });
}

/** Word's main part types: document, template, macro-enabled (ms-word…main+xml). */
const WORD_MAIN_TYPE =
  /wordprocessingml\.(document|template)\.main|ms-word\.(document|template)\.macroEnabled/i;

/**
 * What a small package part says, by its text: the parts that name the main part recur byte for
 * byte across the files one producer writes (ZipPackage.readText hands back the same string).
 */
function remembered<T>(memo: Map<string, T>, xml: string, read: (xml: string) => T): T {
  if (memo.has(xml)) return memo.get(xml) as T;
  const value = read(xml);
  if (xml.length > 16 * 1024) return value;
  if (memo.size >= 64) memo.clear();
  memo.set(xml, value);
  return value;
}

const overridesByText = new Map<string, Map<string, string | undefined>>();
const mainTargetByText = new Map<string, string | undefined>();

/** The declared content type of a part (an .xlsx or .pptx names its own), if the package says. */
function contentTypeOf(zip: ZipPackage, part: string): string | undefined {
  const xml = zip.readText('[Content_Types].xml');
  if (!xml) return undefined;
  const overrides = remembered(overridesByText, xml, (text) => {
    // The last Override of a part name counts, as it always has here.
    const types = new Map<string, string | undefined>();
    scanPart(text, (name, attrs) => {
      if (name === 'Override') types.set((attrs.PartName ?? '').replace(/^\/+/, ''), attrs.ContentType);
    });
    return types;
  });
  return overrides.get(part);
}

function mainPartName(zip: ZipPackage): string {
  const rels = zip.readText('_rels/.rels');
  const target = rels
    ? remembered(mainTargetByText, rels, (text) => {
        let found: string | undefined;
        scanPart(text, (name, attrs) => {
          if (name === 'Relationship' && OFFICE_DOCUMENT.test(attrs.Type ?? '') && !found)
            found = attrs.Target;
        });
        return found;
      })
    : undefined;
  const part = (target ?? 'word/document.xml').replace(/^\/+/, '');
  const type = contentTypeOf(zip, part);
  if (type && !WORD_MAIN_TYPE.test(type)) {
    throw new FormBridgeError(
      ErrorCode.NotWord,
      `the file is an Office package but not a Word document (its main part is ${type.replace(/^application\//, '')}): .docx, .doc or .rtf only`,
    );
  }
  if (!zip.has(part)) {
    throw new FormBridgeError(
      ErrorCode.MissingDocumentPart,
      'the file is a zip but holds no Word document (word/document.xml is missing)',
    );
  }
  return part;
}

function readCustomProperties(zip: ZipPackage): Record<string, string> {
  const xml = zip.readText('docProps/custom.xml');
  const props: Record<string, string> = {};
  if (!xml) return props;
  let current: string | undefined;
  scanPart(
    xml,
    (name, attrs) => {
      if (name === 'property') current = attrs.name;
    },
    (text) => {
      if (current !== undefined) props[current] = (props[current] ?? '') + text;
    },
  );
  return props;
}

/** Reads a .docx held in memory. Synchronous and allocation-light: this is the hot path. */
export function readDocx(bytes: Uint8Array, options: ReadOptions = {}): WordDocument {
  const zip = new ZipPackage(bytes, options.zip ?? DEFAULT_ZIP_LIMITS);
  const part = mainPartName(zip);
  const { blocks, tagged } = readDocumentXml(zip.read(part) ?? '');
  const customProperties = readCustomProperties(zip);
  return { blocks, tagged, customProperties, packageWarnings: zip.warnings };
}

/**
 * Opens any submission: .docx directly; .doc and .rtf through LibreOffice when it is installed;
 * everything else is refused with an error that says what the file is.
 */
export async function readSubmission(bytes: Uint8Array, options: ReadOptions = {}): Promise<WordDocument> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (bytes.length > maxBytes) {
    throw new FormBridgeError(
      ErrorCode.TooLarge,
      `the file is ${bytes.length} bytes; the limit is ${maxBytes}`,
    );
  }
  const format = detectFormat(bytes);
  switch (format) {
    case 'docx':
      return readDocx(bytes, options);
    case 'doc':
    case 'rtf':
      return readDocx(await convertToDocx(bytes, format, options.converter), options);
    case 'encrypted':
      throw new FormBridgeError(
        ErrorCode.Encrypted,
        'the file is password-protected (encrypted); open it in Word, remove the password and submit it again',
      );
    case 'empty':
      throw new FormBridgeError(ErrorCode.EmptyFile, 'the file is empty');
    default:
      throw new FormBridgeError(ErrorCode.NotWord, 'the file is not a Word document (.docx, .doc or .rtf)');
  }
}
