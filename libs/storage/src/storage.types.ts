import type { FieldChange } from '@formbridge/contract';

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

/** A form that came back from this deployment: the record and version it was generated from. */
export interface ReturnClaim {
  recordId: number;
  version: number;
}

export interface ParsedDocument {
  itemId: number;
  documentId: number;
  records: readonly JsonObject[];
  warnings: readonly JsonObject[];
  /** Per record, the verified stamp of a returned form (null: an ordinary form). */
  returns?: ReadonlyArray<ReturnClaim | null>;
}

export interface RecordSource {
  documentId: number | null;
  sha256: string | null;
  file: string | null;
  formIndex: number | null;
}

/** A form, in a document, whose content is (or was) this record's. */
export interface RecordSourceEntry {
  documentId: number;
  sha256: string;
  /** The name the file came under when this form was first seen. */
  file: string;
  formIndex: number;
  /** The version whose content the form carried. */
  version: number;
  firstSeen: Date;
}

/** A warning about a record: from the parse of its form, or about the record itself (`possible-duplicate`). */
export interface RecordWarning {
  code: string;
  message: string;
  path: string | null;
  location?: unknown;
  /** `possible-duplicate`: the other records of the same filing. */
  records?: number[];
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
  sources: RecordSourceEntry[];
  warnings: RecordWarning[];
  createdAt: Date;
  updatedAt: Date;
}

export type VersionOrigin = 'import' | 'edit' | 'return';

export interface RecordVersionRow {
  version: number;
  /** What made it: an imported form, an edit (PUT /records/:id) or a returned form. */
  origin: VersionOrigin;
  createdAt: Date;
  /** The form it came from (import, return); null for an edit. */
  source: { documentId: number; file: string | null; formIndex: number } | null;
  /** A returned form: the version it was generated from. */
  baseVersion: number | null;
  /** Field by field, what this version changed in the one before (empty for version 1). */
  changes: FieldChange[];
  warnings: RecordWarning[];
  data: JsonObject;
}

/** A returned form whose changes clash with edits made since it was generated. */
export interface RecordConflict {
  id: number;
  recordId: number;
  status: 'open' | 'resolved';
  file: string;
  documentId: number;
  formIndex: number;
  batchId: number | null;
  /** The version the form was generated from, and the record's version when it came back. */
  baseVersion: number;
  currentVersion: number;
  /** Fields changed on both sides to different values. */
  paths: string[];
  createdAt: Date;
  resolvedAt: Date | null;
}

/** Both sides of a conflict, and the version they both started from. */
export interface RecordConflictSides extends RecordConflict {
  base: JsonObject;
  /** The record as it was when the form came back (version `currentVersion`). */
  current: JsonObject;
  returned: JsonObject;
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
  /** Text anywhere in the record (names, goals, indicators…). */
  q?: string;
  /** Records whose source form was read with (true) or without (false) warnings. */
  hasWarnings?: boolean;
  /** What made the record's current version: `import`, `edit`, `return`. */
  origin?: string;
}

export const RECORD_SORT_KEYS = ['id', 'year', 'department', 'project', 'amount', 'updatedAt'] as const;
export type RecordSortKey = (typeof RECORD_SORT_KEYS)[number];

export interface RecordSort {
  key: RecordSortKey;
  descending?: boolean;
}

export interface ExportItem {
  id: number;
  batchId: number;
  status: ItemStatus;
  recordId: number | null;
  /** The batch's options (`asYear`…). */
  options?: JsonObject;
  /**
   * The record's current data as JSON text (null when the record was deleted): a generate thread
   * parses it, not the main thread (docs/bench.md).
   */
  dataJson?: string | null;
  /** Its data's `year`, as the data holds it (any JSON value): the file's name. */
  dataYear?: unknown;
  /** Its summary columns (the registry's summaryOf its data): the file's name. */
  department?: string | null;
  project?: string | null;
  version?: number | null;
  formType?: string | null;
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
