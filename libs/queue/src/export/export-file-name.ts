import { definitions } from '@formbridge/definitions';

type Json = Record<string, unknown>;

/** Characters Windows refuses in a file name, control characters, and what reads as a path. */
const UNSAFE = /[\\/:*?"<>|\u0000-\u001f\u007f]+/g;

function clean(text: string, max: number): string {
  const cleaned = text.normalize('NFC').replace(UNSAFE, '_').replace(/\s+/g, ' ').trim().replace(/^\.+/, '');
  // Windows drops trailing dots and spaces, which would make two names one.
  return [...cleaned]
    .slice(0, max)
    .join('')
    .replace(/[. ]+$/, '');
}

/** The form's printed title (专项资金绩效目标申报表), or its type code when no definition knows it. */
export function formTitle(formType: unknown): string {
  if (typeof formType !== 'string') return '表';
  return definitions().get(formType)?.title.text ?? formType;
}

/**
 * A file name a clerk can read and every file system accepts, unique within an export (it ends
 * with the record id): `2020年_专项资金绩效目标申报表_基层政权和社区建设_r42.docx`. Windows'
 * reserved names (CON, NUL…) cannot occur, since every name starts with the year.
 */
export function exportFileName(recordId: number, record: Json, extension: 'docx' | 'pdf' = 'docx'): string {
  return fileNameOf(
    recordId,
    { year: record.year, formType: record.formType, ...definitions().summaryOf(record) },
    extension,
  );
}

/** What a file's name is made of: the record's `year` and `formType`, and its summary. */
export interface FileNameFields {
  year: unknown;
  formType: unknown;
  department: string | null;
  project: string | null;
}

/** exportFileName from the fields it uses, when they are at hand without the whole record. */
export function fileNameOf(
  recordId: number,
  fields: FileNameFields,
  extension: 'docx' | 'pdf' = 'docx',
): string {
  const year = typeof fields.year === 'number' ? `${fields.year}年` : '无年度';
  const subject = fields.project ?? fields.department ?? undefined;
  const parts = [
    year,
    clean(formTitle(fields.formType), 40),
    subject ? clean(subject, 60) : '',
    `r${recordId}`,
  ];
  return `${parts.filter(Boolean).join('_')}.${extension}`;
}

/** The PDF beside an exported .docx. */
export function pdfFileName(docxName: string): string {
  return docxName.replace(/\.docx$/, '') + '.pdf';
}
