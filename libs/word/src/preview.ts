import { ErrorCode, FormBridgeError } from '@formbridge/common';
import { convertToDocx, ConverterOptions } from './convert';
import { detectFormat } from './detect';
import { ZipPackage } from './zip';

/**
 * Part of a document to show: blocks `[start, end)` of the `blocks` body paragraphs and tables
 * our reader found (one form of a document that holds several).
 */
export interface PreviewPart {
  start: number;
  end: number;
  blocks: number;
}

/**
 * An HTML rendering of a submission for people to look at (mammoth). Not used for reading forms:
 * mammoth drops content-control tags, gridBefore/gridAfter and East Asian fonts. The package is
 * opened with our own bounded reader first, so a hostile zip is refused before mammoth sees it.
 * With `partOf`, only that part is rendered, when mammoth sees the same body blocks as our reader
 * (else the whole document: better too much than the wrong form).
 */
export async function renderHtml(
  bytes: Uint8Array,
  partOf?: (docx: Uint8Array) => PreviewPart | undefined,
): Promise<{ html: string; messages: string[]; part: boolean }> {
  if (detectFormat(bytes) !== 'docx') {
    throw new FormBridgeError(ErrorCode.NotWord, 'only .docx files can be previewed');
  }
  const zip = new ZipPackage(bytes);
  if (!zip.has('word/document.xml')) {
    throw new FormBridgeError(ErrorCode.MissingDocumentPart, 'the file is a zip but holds no Word document');
  }
  zip.read('word/document.xml');
  const range = partOf?.(bytes);
  let part = false;
  // Loaded on first use: mammoth's jszip makes a Blob when it loads, which in Node 20 disables
  // V8's fast typed-array access (a "was it detached" check on every byte) for the whole
  // process, so a parser or parse thread that never previews reads documents without it.
  const { default: mammoth } = await import('mammoth');
  const result = await mammoth.convertToHtml(
    { buffer: Buffer.from(bytes) },
    {
      transformDocument: (doc: { children: unknown[] }) => {
        if (!range || doc.children.length !== range.blocks) return doc;
        part = true;
        return { ...doc, children: doc.children.slice(range.start, range.end) };
      },
    },
  );
  return { html: result.value, messages: result.messages.map((m) => `${m.type}: ${m.message}`), part };
}

/** A stored submission for people to look at: .doc and .rtf are converted (LibreOffice) first. */
export async function renderSubmissionHtml(
  bytes: Uint8Array,
  converter?: ConverterOptions,
  partOf?: (docx: Uint8Array) => PreviewPart | undefined,
): Promise<{ html: string; messages: string[]; part: boolean }> {
  const format = detectFormat(bytes);
  if (format === 'doc' || format === 'rtf')
    return renderHtml(await convertToDocx(bytes, format, converter), partOf);
  return renderHtml(bytes, partOf);
}

const MEDIA_TYPES: Partial<Record<ReturnType<typeof detectFormat>, { type: string; extension: string }>> = {
  docx: {
    type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    extension: 'docx',
  },
  doc: { type: 'application/msword', extension: 'doc' },
  rtf: { type: 'application/rtf', extension: 'rtf' },
};

/** The media type and file extension a submission's bytes call for. */
export function submissionMediaType(bytes: Uint8Array): { type: string; extension: string } {
  return MEDIA_TYPES[detectFormat(bytes)] ?? { type: 'application/octet-stream', extension: 'bin' };
}
