/**
 * Every failure FormBridge reports carries one of these codes. The HTTP exception filter and the
 * CLI both map codes (not exception classes) to a status / exit code, so the two stay in step.
 */
export enum ErrorCode {
  EmptyFile = 'EMPTY_FILE',
  NotWord = 'NOT_WORD',
  Encrypted = 'ENCRYPTED',
  CorruptFile = 'CORRUPT_FILE',
  MissingDocumentPart = 'MISSING_DOCUMENT_PART',
  TooLarge = 'TOO_LARGE',
  InflatedTooLarge = 'INFLATED_TOO_LARGE',
  UnsafeXml = 'UNSAFE_XML',
  UnsafePackage = 'UNSAFE_PACKAGE',
  ConverterMissing = 'CONVERTER_MISSING',
  ConversionFailed = 'CONVERSION_FAILED',
  InvalidRecord = 'INVALID_RECORD',
  UnknownFormType = 'UNKNOWN_FORM_TYPE',
  NotFound = 'NOT_FOUND',
  InvalidInput = 'INVALID_INPUT',
  /** The resource changed since the version the caller based its change on. */
  Conflict = 'CONFLICT',
  /** No valid token or session where the API requires one. */
  Unauthorized = 'UNAUTHORIZED',
  /** A signed-in page's data-changing request without its session's CSRF token. */
  CsrfRejected = 'CSRF_REJECTED',
  /** Redis or PostgreSQL is not answering (at start, or longer than OUTAGE_TIMEOUT_MS). */
  Unavailable = 'UNAVAILABLE',
  /** The embedded database is open in another process. */
  DatabaseInUse = 'DATABASE_IN_USE',
  /** Kept for a limited time, and that time is over (an export's files after retention). */
  Expired = 'EXPIRED',
}

export interface FieldError {
  path: string;
  reason: string;
}

export class FormBridgeError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: { fieldErrors?: FieldError[] },
  ) {
    super(message);
    this.name = 'FormBridgeError';
  }
}

/** Faults that may pass: retrying later can succeed. */
const TRANSIENT_CODES: ReadonlySet<ErrorCode> = new Set([
  ErrorCode.ConverterMissing,
  ErrorCode.Unavailable,
  ErrorCode.DatabaseInUse,
]);

/** Input that will never be readable however often it is retried. */
export function isPermanentInputError(err: unknown): boolean {
  return err instanceof FormBridgeError && !TRANSIENT_CODES.has(err.code);
}

export const HTTP_STATUS_BY_CODE: Record<ErrorCode, number> = {
  [ErrorCode.EmptyFile]: 400,
  [ErrorCode.NotWord]: 415,
  [ErrorCode.Encrypted]: 400,
  [ErrorCode.CorruptFile]: 400,
  [ErrorCode.MissingDocumentPart]: 400,
  [ErrorCode.TooLarge]: 413,
  [ErrorCode.InflatedTooLarge]: 413,
  [ErrorCode.UnsafeXml]: 400,
  [ErrorCode.UnsafePackage]: 400,
  [ErrorCode.ConverterMissing]: 501,
  [ErrorCode.ConversionFailed]: 400,
  [ErrorCode.InvalidRecord]: 400,
  [ErrorCode.UnknownFormType]: 400,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.InvalidInput]: 400,
  [ErrorCode.Conflict]: 409,
  [ErrorCode.Unauthorized]: 401,
  [ErrorCode.CsrfRejected]: 403,
  [ErrorCode.Unavailable]: 503,
  [ErrorCode.DatabaseInUse]: 503,
  [ErrorCode.Expired]: 410,
};

/** CLI exit codes: 0 success, 1 unexpected, 2 usage; input problems get their own numbers. */
export const EXIT_CODE_BY_CODE: Record<ErrorCode, number> = {
  [ErrorCode.EmptyFile]: 3,
  [ErrorCode.NotWord]: 4,
  [ErrorCode.Encrypted]: 5,
  [ErrorCode.CorruptFile]: 6,
  [ErrorCode.MissingDocumentPart]: 6,
  [ErrorCode.TooLarge]: 7,
  [ErrorCode.InflatedTooLarge]: 7,
  [ErrorCode.UnsafeXml]: 8,
  [ErrorCode.UnsafePackage]: 13,
  [ErrorCode.ConverterMissing]: 9,
  [ErrorCode.ConversionFailed]: 10,
  [ErrorCode.InvalidRecord]: 11,
  [ErrorCode.UnknownFormType]: 11,
  [ErrorCode.NotFound]: 12,
  [ErrorCode.InvalidInput]: 2,
  [ErrorCode.Conflict]: 14,
  [ErrorCode.Unavailable]: 15,
  [ErrorCode.DatabaseInUse]: 16,
  [ErrorCode.Expired]: 17,
  [ErrorCode.Unauthorized]: 18,
  [ErrorCode.CsrfRejected]: 18,
};
