import { ErrorCode, FormBridgeError } from './errors';
import type { Log } from './log';

/** Errors that mean "the server is not reachable right now", not "the request was wrong". */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  // PostgreSQL: admin_shutdown, crash_shutdown, cannot_connect_now, connection exceptions
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
]);
const CONNECTION_MESSAGES =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Connection is closed|shutting down|Client has encountered a connection error|not queryable|ECONNREFUSED|ECONNRESET/i;

export function isConnectionError(err: unknown): boolean {
  if (err instanceof FormBridgeError) return err.code === ErrorCode.Unavailable;
  const e = err as { code?: unknown; message?: unknown; errors?: unknown[] } | undefined;
  if (!e) return false;
  if (typeof e.code === 'string' && CONNECTION_CODES.has(e.code)) return true;
  if (Array.isArray(e.errors) && e.errors.some(isConnectionError)) return true; // AggregateError
  return typeof e.message === 'string' && CONNECTION_MESSAGES.test(e.message);
}

/**
 * Reports the outages of one server (Redis, PostgreSQL) once each: "lost" when it goes, "back"
 * when it answers again, instead of an error line per failed attempt. `deadline()` says how long
 * this outage may still last before callers give up.
 */
export class OutageMonitor {
  private since?: number;
  /**
   * After a server comes back, connections a pool opened before the outage fail one by one as
   * they are used: that is the same outage ending, not a new one, so it is not said again.
   */
  private static readonly SETTLE_MS = 10_000;
  private settledAt = 0;
  private lastSince = 0;
  private quiet = false;

  constructor(
    readonly server: string,
    private readonly timeoutMs: number,
    private readonly log: Log,
  ) {}

  get down(): boolean {
    return this.since !== undefined;
  }

  /** Milliseconds the current outage has lasted (0 when up). */
  get elapsedMs(): number {
    return this.since === undefined ? 0 : Date.now() - this.since;
  }

  get timedOut(): boolean {
    return this.down && this.elapsedMs >= this.timeoutMs;
  }

  lost(err: unknown): void {
    if (this.since !== undefined) return;
    if (Date.now() < this.settledAt + OutageMonitor.SETTLE_MS) {
      this.since = this.lastSince;
      this.quiet = true;
      return;
    }
    this.since = Date.now();
    const reason = err instanceof Error ? err.message : String(err);
    this.log.warn(
      `lost ${this.server} (${reason.split('\n')[0]}); waiting up to ${Math.round(this.timeoutMs / 1000)} s for it to come back`,
      { server: this.server },
    );
  }

  restored(): void {
    if (this.since === undefined) return;
    const seconds = Math.round((Date.now() - this.since) / 100) / 10;
    this.lastSince = this.since;
    this.since = undefined;
    this.settledAt = Date.now();
    if (this.quiet) {
      this.quiet = false;
      return;
    }
    this.log.warn(`${this.server} is back after ${seconds} s; carrying on`, { server: this.server });
  }

  /** The error callers throw once the outage outlasted OUTAGE_TIMEOUT_MS. */
  gaveUp(): FormBridgeError {
    return new FormBridgeError(
      ErrorCode.Unavailable,
      `${this.server} has not answered for ${Math.round(this.elapsedMs / 1000)} s`,
    );
  }
}
