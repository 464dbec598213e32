import mammoth from 'mammoth';
import { ErrorCode, FormBridgeError } from '@formbridge/common';
import { convertToDocx, ConverterOptions } from './convert';
import { detectFormat } from './detect';
import { ZipPackage } from './zip';

/**
 * An HTML rendering of a submission for people to look at (mammoth). Not used for reading forms:
 * mammoth drops content-control tags, gridBefore/gridAfter and East Asian fonts. The package is
 * opened with our own bounded reader first, so a hostile zip is refused before mammoth sees it.
 */
export async function renderHtml(bytes: Uint8Array): Promise<{ html: string; messages: string[] }> {
  if (detectFormat(bytes) !== 'docx') {
    throw new FormBridgeError(ErrorCode.NotWord, 'only .docx files can be previewed');
  }
  const zip = new ZipPackage(bytes);
  if (!zip.has('word/document.xml')) {
    throw new FormBridgeError(ErrorCode.MissingDocumentPart, 'the file is a zip but holds no Word document');
  }
  zip.read('word/document.xml');
  const result = await mammoth.convertToHtml({ buffer: Buffer.from(bytes) });
  return { html: result.value, messages: result.messages.map((m) => `${m.type}: ${m.message}`) };
}

/** A stored submission for people to look at: .doc and .rtf are converted (LibreOffice) first. */
export async function renderSubmissionHtml(
  bytes: Uint8Array,
  converter?: ConverterOptions,
): Promise<{ html: string; messages: string[] }> {
  const format = detectFormat(bytes);
  if (format === 'doc' || format === 'rtf') return renderHtml(await convertToDocx(bytes, format, converter));
  return renderHtml(bytes);
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
