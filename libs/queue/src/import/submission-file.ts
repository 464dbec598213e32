/** One file offered to an import: its bytes, or why it was refused before it was read. */
export interface SubmissionFile {
  /** Where it came from, for the report: a path, an upload name, or `archive.zip!/entry.docx`. */
  name: string;
  bytes?: Uint8Array;
  failure?: { code: string; reason: string };
}

const SUBMISSION_EXTENSIONS = ['.docx', '.doc', '.rtf'];

/** Whether a name found in a folder or archive looks like a Word submission worth importing. */
export function isSubmissionName(name: string): boolean {
  const base = name.split('/').pop() ?? name;
  if (!base || base.startsWith('.') || base.startsWith('~$')) return false; // hidden, Office lock files
  if (name.split('/').includes('__MACOSX')) return false;
  const lower = base.toLowerCase();
  return SUBMISSION_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

export function isArchiveName(name: string): boolean {
  return name.toLowerCase().endsWith('.zip');
}
