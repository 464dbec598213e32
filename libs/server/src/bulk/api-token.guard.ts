import { timingSafeEqual } from 'node:crypto';
import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { loadConfig } from '@formbridge/config';
import { HealthController } from '../health.controller';

/** Whether an Authorization header carries the token; constant-time, so it leaks no prefix. */
export function hasToken(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(.+)$/i.exec(header ?? '');
  if (!m) return false;
  const given = Buffer.from(m[1].trim());
  const wanted = Buffer.from(token);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/**
 * When FORMBRIDGE_API_TOKEN is set, every route but /health needs `Authorization: Bearer <token>`
 * (health stays open for load balancers and compose health checks).
 */
@Injectable()
export class ApiTokenGuard implements CanActivate {
  private readonly token = loadConfig().FORMBRIDGE_API_TOKEN;

  canActivate(context: ExecutionContext): boolean {
    if (!this.token || context.getClass() === HealthController) return true;
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>();
    if (hasToken(request.headers.authorization, this.token)) return true;
    throw new UnauthorizedException('send Authorization: Bearer <FORMBRIDGE_API_TOKEN>');
  }
}
