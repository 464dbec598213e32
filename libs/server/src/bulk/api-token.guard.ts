import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { FormBridgeError } from '@formbridge/common';
import { AccessControl } from '../auth/access';
import { accessError } from '../auth/access.middleware';
import { SessionController } from '../auth/session.controller';
import { HealthController } from '../health.controller';

/** Routes anyone may call: load balancers' health checks, and signing in itself. */
const PUBLIC = new Set<unknown>([HealthController, SessionController]);

/**
 * When FORMBRIDGE_API_TOKEN is set, every route but /health and /session needs the token
 * (`Authorization: Bearer`) or the review page's session cookie (AccessControl).
 */
@Injectable()
export class ApiTokenGuard implements CanActivate {
  constructor(private readonly access: AccessControl) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (!this.access.token || PUBLIC.has(context.getClass())) return true;
    const result = await this.access.check(context.switchToHttp().getRequest<Request>());
    if (result.ok) return true;
    const { code, message } = accessError(result.reason);
    throw new FormBridgeError(code, message);
  }
}
