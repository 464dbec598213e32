import type { SourceLocation } from '@formbridge/word';

export enum WarningCode {
  NoFormFound = 'no-form-found',
  TitleMissing = 'title-missing',
  AttachmentLabelMissing = 'attachment-label-missing',
  YearMissing = 'year-missing',
  RequiredFieldEmpty = 'required-field-empty',
  InvalidAmount = 'invalid-amount',
  InvalidDate = 'invalid-date',
  InvalidNumber = 'invalid-number',
  InvalidUnit = 'invalid-unit',
  UnknownTerm = 'unknown-term',
  UnknownForm = 'unknown-form',
  AmbiguousChoice = 'ambiguous-choice',
  UnknownIndicatorLabel = 'unknown-indicator-label',
  GridHeaderMissing = 'grid-header-missing',
  UnconsumedText = 'unconsumed-text',
  DuplicateField = 'duplicate-field',
  SumMismatch = 'sum-mismatch',
  ScheduleOrder = 'schedule-order',
  RatioMismatch = 'ratio-mismatch',
  AboveLimit = 'above-limit',
  WeightMismatch = 'weight-mismatch',
  YearOutOfRange = 'year-out-of-range',
  ContractViolation = 'contract-violation',
  EditedLayer = 'edited-layer',
  /** A part of the package declared a wrong size in its zip headers; it was read as it is. */
  PackagePartSize = 'package-part-size',
}

export interface ParseWarning {
  code: WarningCode;
  message: string;
  /** Index into `records`, or null for a warning about the whole submission. */
  recordIndex: number | null;
  /** JSON path inside the record (`$.indicators[2].level2`), or null. */
  path: string | null;
  location: SourceLocation | null;
}

export interface ParseResult {
  records: Record<string, unknown>[];
  warnings: ParseWarning[];
  /** Which definition read each record: its form type and edition, in the order of `records`. */
  forms: Array<{ formType: string; edition: string }>;
}
