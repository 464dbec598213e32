import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

export interface Session {
  /** Sent back by the page in a header on every request that changes data (double submit). */
  csrf: string;
}

/**
 * Review-page sign-ins, kept in Redis so that every replica of a service sees them and signing
 * out ends a session everywhere. Only a hash of the session id is stored: a copy of Redis does
 * not hand out valid cookies.
 */
export class SessionStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlMs: number,
  ) {}

  private key(id: string): string {
    return `${this.prefix}:session:${createHash('sha256').update(id).digest('hex')}`;
  }

  async create(): Promise<{ id: string; session: Session }> {
    const id = randomBytes(32).toString('base64url');
    const session: Session = { csrf: randomBytes(24).toString('base64url') };
    await this.redis.set(this.key(id), JSON.stringify(session), 'PX', this.ttlMs);
    return { id, session };
  }

  async get(id: string): Promise<Session | undefined> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(id)) return undefined;
    const raw = await this.redis.get(this.key(id));
    return raw ? (JSON.parse(raw) as Session) : undefined;
  }

  async delete(id: string): Promise<void> {
    await this.redis.del(this.key(id));
  }

  get ttlSeconds(): number {
    return Math.floor(this.ttlMs / 1000);
  }
}
