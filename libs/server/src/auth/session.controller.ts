import { Body, Controller, Delete, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ErrorCode, FormBridgeError } from '@formbridge/common';
import { AccessControl, cookieValue, isToken, SESSION_COOKIE } from './access';

export interface SessionState {
  /** `token`: FORMBRIDGE_API_TOKEN is set and the API needs it; `open`: anyone who reaches it may use it. */
  auth: 'open' | 'token';
  signedIn: boolean;
  /** Send back as X-CSRF-Token on requests that change data (signed in with the cookie only). */
  csrfToken: string | null;
}

function isHttps(req: Request): boolean {
  return req.secure || String(req.headers['x-forwarded-proto'] ?? '').startsWith('https');
}

/**
 * The review page's sign-in: the API token typed once is exchanged for an HttpOnly, SameSite
 * session cookie (the page never keeps the token), which also opens /queues and /docs.
 */
@ApiTags('session')
@Controller('session')
export class SessionController {
  constructor(private readonly access: AccessControl) {}

  @Get()
  @ApiOkResponse({ description: 'Whether the API needs a token and whether this browser is signed in' })
  async state(@Req() req: Request): Promise<SessionState> {
    const result = await this.access.check(req);
    const auth = this.access.token ? 'token' : 'open';
    if (!result.ok) return { auth, signedIn: false, csrfToken: null };
    return { auth, signedIn: true, csrfToken: result.via === 'session' ? result.session.csrf : null };
  }

  @Post()
  @HttpCode(200)
  @ApiBody({ schema: { type: 'object', properties: { token: { type: 'string' } }, required: ['token'] } })
  @ApiOkResponse({ description: 'Signed in: sets the session cookie; 401 UNAUTHORIZED for a wrong token' })
  async signIn(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @Body() body: { token?: unknown },
  ): Promise<SessionState> {
    const token = this.access.token;
    if (!token) return { auth: 'open', signedIn: true, csrfToken: null };
    if (!isToken(body?.token, token)) {
      throw new FormBridgeError(ErrorCode.Unauthorized, 'the access token is not right');
    }
    const { id, session } = await this.access.sessions.create();
    res.cookie(SESSION_COOKIE, id, {
      httpOnly: true,
      sameSite: 'strict',
      secure: isHttps(req),
      path: '/',
      maxAge: this.access.sessions.ttlSeconds * 1000,
    });
    return { auth: 'token', signedIn: true, csrfToken: session.csrf };
  }

  @Delete()
  @HttpCode(204)
  @ApiOkResponse({ description: 'Signs out: the session ends on the server and the cookie is cleared' })
  async signOut(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    const id = cookieValue(req.headers.cookie, SESSION_COOKIE);
    if (id) await this.access.sessions.delete(id);
    res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', secure: isHttps(req), path: '/' });
  }
}
