import { timingSafeEqual } from 'node:crypto';
import type { Session, SessionStore } from './session-store';

export const SESSION_COOKIE = 'formbridge_session';
export const CSRF_HEADER = 'x-csrf-token';

/** What access checks need of a request, whatever the framework around it. */
export interface AccessRequest {
  method: string;
  headers: Record<string, string | string[] | undefined>;
}

export type Access =
  | { ok: true; via: 'open' | 'bearer' }
  | { ok: true; via: 'session'; sessionId: string; session: Session }
  | { ok: false; reason: 'unauthenticated' | 'csrf' };

function sameSecret(given: string, wanted: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(wanted);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Whether an Authorization header carries the token; constant-time, so it leaks no prefix. */
export function hasToken(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(.+)$/i.exec(header ?? '');
  return !!m && sameSecret(m[1].trim(), token);
}

/** Compares a token typed on the sign-in page; constant-time like the header check. */
export function isToken(given: unknown, token: string): boolean {
  return typeof given === 'string' && sameSecret(given, token);
}

export function cookieValue(header: string | string[] | undefined, name: string): string | undefined {
  for (const part of (Array.isArray(header) ? header.join(';') : (header ?? '')).split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * One access rule for the API, the queue dashboard and the docs. Without a token everything is
 * open. With one, a request needs `Authorization: Bearer <token>` (scripts, the CLI) or the
 * review page's session cookie; a cookie request that changes data must also carry the session's
 * CSRF token in a header, which a page on another site can neither read nor send.
 */
export class AccessControl {
  constructor(
    readonly token: string | undefined,
    readonly sessions: SessionStore,
  ) {}

  async check(req: AccessRequest): Promise<Access> {
    if (!this.token) return { ok: true, via: 'open' };
    const auth = req.headers.authorization;
    if (hasToken(Array.isArray(auth) ? auth[0] : auth, this.token)) return { ok: true, via: 'bearer' };
    const sessionId = cookieValue(req.headers.cookie, SESSION_COOKIE);
    const session = sessionId ? await this.sessions.get(sessionId) : undefined;
    if (!sessionId || !session) return { ok: false, reason: 'unauthenticated' };
    if (!SAFE_METHODS.has(req.method.toUpperCase())) {
      const sent = req.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !sameSecret(sent, session.csrf)) return { ok: false, reason: 'csrf' };
    }
    return { ok: true, via: 'session', sessionId, session };
  }
}
