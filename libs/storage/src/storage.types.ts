export type BatchKind = 'import' | 'export';
export type BatchStatus = 'queuing' | 'running' | 'completed';
export type ItemStatus = 'pending' | 'done' | 'failed';
export type JsonObject = Record<string, unknown>;

export interface BatchRow {
  id: number;
  kind: BatchKind;
  status: BatchStatus;
  options: JsonObject;
  total: number;
  note: string | null;
  createdAt: Date;
  sealedAt: Date | null;
  finishedAt: Date | null;
  /** When an export's generated files were deleted (retention); its report stays. */
  filesDeletedAt: Date | null;
}

export interface BatchCounts {
  pending: number;
  done: number;
  failed: number;
}

/** One file of an import or one record of an export, with what became of it. */
export interface BatchItemRow {
  id: number;
  position: number;
  name: string;
  status: ItemStatus;
  errorCode: string | null;
  reason: string | null;
  recordCount: number | null;
  newRecords: number | null;
  documentId: number | null;
  sha256: string | null;
  warnings: JsonObject[] | null;
  recordId: number | null;
  outputSha256: string | null;
  outputName: string | null;
}

export interface NewItem {
  position: number;
  name: string;
  documentId?: number | null;
  recordId?: number | null;
  /** An item refused before it was queued (too large, unreadable) is stored as failed. */
  failure?: { code: string; reason: string };
}

export interface NewDocument {
  sha256: string;
  byteSize: number;
  format: string;
  name: string;
}

/** What a parse job needs to know about its file. */
export interface ParseItem {
  id: number;
  batchId: number;
  status: ItemStatus;
  name: string;
  documentId: number;
  sha256: string;
  format: string;
  formCount: number | null;
  errorCode: string | null;
  errorMessage: string | null;
  /** The file's bytes, when asked for and kept in the database. */
  content?: Uint8Array | null;
}

export interface ParsedDocument {
  itemId: number;
  documentId: number;
  records: readonly JsonObject[];
  warnings: readonly JsonObject[];
}

export interface RecordSource {
  documentId: number | null;
  sha256: string | null;
  file: string | null;
  formIndex: number | null;
}

export interface StoredRecord {
  id: number;
  version: number;
  formType: string;
  year: number | null;
  department: string | null;
  project: string | null;
  data: JsonObject;
  source: RecordSource;
  createdAt: Date;
  updatedAt: Date;
}

export interface RecordVersionRow {
  version: number;
  origin: 'import' | 'edit';
  data: JsonObject;
  createdAt: Date;
}

export interface RecordFilter {
  year?: number;
  formType?: string;
  /** Substring of the department name. */
  department?: string;
  /** Substring of the project name. */
  project?: string;
  /** Records that came from the files of this import batch. */
  batchId?: number;
}

export interface ExportItem {
  id: number;
  batchId: number;
  status: ItemStatus;
  recordId: number | null;
  /** The batch's options (`asYear`…). */
  options?: JsonObject;
  /** The record's current data; null when the record was deleted. */
  data?: JsonObject | null;
}

export interface ExportRow {
  position: number;
  status: ItemStatus;
  errorCode: string | null;
  reason: string | null;
  outputSha256: string | null;
  outputName: string | null;
  /** The form as PDF, when the export asked for PDFs. */
  pdfSha256: string | null;
  recordId: number | null;
  formType: string | null;
  year: number | null;
  department: string | null;
  project: string | null;
}
