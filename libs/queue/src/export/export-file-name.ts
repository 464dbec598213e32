import { definitions } from '@formbridge/definitions';

type Json = Record<string, unknown>;

const UNSAFE = /[\\/:*?"<>|\u0000-\u001f\u007f]+/g;

function clean(text: string, max: number): string {
  const cleaned = text.normalize('NFC').replace(UNSAFE, '_').replace(/\s+/g, ' ').trim().replace(/^\.+/, '');
  return [...cleaned].slice(0, max).join('');
}

/**
 * A file name that is safe on every file system and unique within an export (it ends with the
 * record id): `2020_special-fund-performance-target_基层政权和社区建设_r42.docx`.
 */
export function exportFileName(recordId: number, record: Json): string {
  const year = typeof record.year === 'number' ? String(record.year) : 'undated';
  const formType = typeof record.formType === 'string' ? clean(record.formType, 60) : 'form';
  const { project, department } = definitions().summaryOf(record);
  const subject = project ?? department ?? undefined;
  const parts = [year, formType, subject ? clean(subject, 60) : '', `r${recordId}`].filter(Boolean);
  return `${parts.join('_')}.docx`;
}
