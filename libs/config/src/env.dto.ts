import 'reflect-metadata';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength } from './validators';

const toBoolean = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? ['1', 'true', 'yes', 'on'].includes(value.toLowerCase()) : value;

/**
 * Every environment variable FormBridge reads, validated once at start-up. Nothing else in the
 * code base reads process.env. Optional settings without a default are initialised to undefined
 * so that parseEnv sees them as known keys.
 */
export class EnvDto {
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(65535) PARSER_PORT = 3001;
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(65535) GENERATOR_PORT = 3002;
  @IsOptional() @IsString() HOST = '0.0.0.0';
  /** Largest uploaded or imported file, in bytes. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1024) MAX_FILE_BYTES = 20 * 1024 * 1024;
  /** Largest inflated document part, in bytes (decompression-bomb cap). */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1024) MAX_INFLATED_BYTES = 64 * 1024 * 1024;
  /** The LibreOffice executable used for .doc/.rtf. */
  @IsOptional() @IsString() SOFFICE_PATH = 'soffice';
  @IsOptional() @Type(() => Number) @IsInt() @Min(1000) CONVERT_TIMEOUT_MS = 120_000;
  /** A Python 3 with LibreOffice's UNO bridge (Debian: python3-uno), which drives the PDF converters. */
  @IsOptional() @IsString() UNO_PYTHON = '/usr/bin/python3';
  /** Long-lived LibreOffice processes rendering PDFs, per process that renders them. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(32) PDF_CONVERTERS = 2;
  /** Longest one PDF may take before its converter is killed and replaced. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1000) PDF_TIMEOUT_MS = 60_000;
  /** Unset: `log` for the services, `warn` for the command line (its output is the summary). */
  @IsOptional() @IsIn(['error', 'warn', 'log', 'debug']) LOG_LEVEL?: 'error' | 'warn' | 'log' | 'debug' =
    undefined;
  /** `json`: one JSON object per log line (for log collectors); `text`: one readable line. */
  @IsOptional() @IsIn(['text', 'json']) LOG_FORMAT: 'text' | 'json' = 'text';

  // --- storage ---
  /** A PostgreSQL server (postgres://…). Unset: an embedded PostgreSQL (PGlite) in PGLITE_DIR. */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string = undefined;
  /** The schema FormBridge's tables live in (created when missing). */
  @IsOptional()
  @Matches(/^[a-z_][a-z0-9_]{0,62}$/, { message: 'DATABASE_SCHEMA must be a lower-case SQL identifier' })
  DATABASE_SCHEMA = 'public';
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) DATABASE_POOL_SIZE = 10;
  /**
   * The statements every storing job runs are prepared once per connection. false: every statement
   * goes unnamed, for a connection pooler that cannot keep them (PgBouncer before 1.21 in
   * transaction mode, or without max_prepared_statements).
   */
  @IsOptional() @Transform(toBoolean) @IsIn([true, false]) DATABASE_PREPARED_STATEMENTS = true;
  /** Data folder of the embedded database when DATABASE_URL is unset. */
  @IsOptional() @IsString() PGLITE_DIR = './data/pglite';
  /** Folder for submission and export file bytes; unset: PostgreSQL keeps them, the embedded database in its folder. */
  @IsOptional() @IsString() BLOB_DIR?: string = undefined;

  // --- queues ---
  @IsOptional() @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must be a redis:// URL' }) REDIS_URL =
    'redis://127.0.0.1:6379';
  /** Redis key prefix of every queue; two deployments on one Redis use two prefixes. */
  @IsOptional() @Matches(/^[A-Za-z0-9_.-]{1,64}$/) QUEUE_PREFIX = 'formbridge';
  /**
   * Parse jobs one process works on at once (parsing is CPU-bound; >1 overlaps database waits).
   * Four jobs of up to 100 files kept two parse threads as busy as eight, with less memory.
   */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(256) PARSE_CONCURRENCY = 4;
  /** Threads one process parses on (HTTP and queue alike); 0: one per core. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(64) PARSE_THREADS = 0;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(256) GENERATE_CONCURRENCY = 4;
  /** Threads one process renders .docx files on (every export of the process); 0: one per core. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(64) GENERATE_THREADS = 0;
  /** Tries per job for faults that may pass (unreadable input fails at once). */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) JOB_ATTEMPTS = 5;
  /** First retry delay; doubles on each further try. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(10) JOB_BACKOFF_MS = 2000;
  /** A job whose worker stops renewing its lock this long is taken to have died and is run again. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1000) JOB_LOCK_MS = 30_000;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1000) JOB_STALLED_CHECK_MS = 30_000;
  /** A batch whose producer stopped before it queued every file is closed after this long. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1000) BATCH_SEAL_TIMEOUT_MS = 60 * 60 * 1000;
  /**
   * How long a lost Redis or PostgreSQL is waited for, mid-batch, before a command stops (naming
   * the batch and how to resume it); at start-up a server that does not answer within
   * CONNECT_TIMEOUT_MS is reported at once.
   */
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) OUTAGE_TIMEOUT_MS = 120_000;
  @IsOptional() @Type(() => Number) @IsInt() @Min(100) CONNECT_TIMEOUT_MS = 5000;
  /** After SIGINT/SIGTERM, running jobs get this long to finish before the process exits anyway. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) SHUTDOWN_TIMEOUT_MS = 10_000;
  /** Failed jobs stay in Redis this long (their reasons are in the batch report for good). */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) FAILED_JOB_RETENTION_DAYS = 30;
  /** Generated export files (the bytes, not the report) are deleted this long after their export. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) EXPORT_RETENTION_DAYS = 7;
  /** Whether a service runs queue workers (false: HTTP only). */
  @IsOptional() @Transform(toBoolean) @IsIn([true, false]) WORKERS_ENABLED = true;

  // --- HTTP API ---
  /** When set, every endpoint but /health requires `Authorization: Bearer <token>`. */
  @IsOptional() @IsString() @MinLength(16) FORMBRIDGE_API_TOKEN?: string = undefined;
  /** Most files one import accepts (uploaded parts plus the entries of uploaded archives). */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) MAX_IMPORT_FILES = 1000;
  /** How long a sign-in on the review page lasts, in minutes. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(60 * 24 * 30) SESSION_TTL_MINUTES = 12 * 60;
  /** The port of `formbridge serve` (the whole app in one process). */
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(65535) PORT = 3000;
  /** Largest uploaded .zip archive, in bytes. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1024) MAX_ARCHIVE_BYTES = 256 * 1024 * 1024;
}
