import mammoth from 'mammoth';
import { ErrorCode, FormBridgeError } from '@formbridge/common';
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
