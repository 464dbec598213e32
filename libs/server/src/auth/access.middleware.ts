import type { NextFunction, Request, Response } from 'express';
import { ErrorCode, HTTP_STATUS_BY_CODE } from '@formbridge/common';
import type { AccessControl } from './access';

const MESSAGES = {
  unauthenticated: 'sign in on the page, or send Authorization: Bearer <FORMBRIDGE_API_TOKEN>',
  csrf: `a signed-in page must send its session's CSRF token in the X-CSRF-Token header`,
} as const;

export function accessError(reason: keyof typeof MESSAGES): { code: ErrorCode; message: string } {
  return {
    code: reason === 'csrf' ? ErrorCode.CsrfRejected : ErrorCode.Unauthorized,
    message: MESSAGES[reason],
  };
}

/** The same access rule for routes Nest does not own (the queue dashboard, the docs). */
export function accessMiddleware(access: AccessControl) {
  return (req: Request, res: Response, next: NextFunction): void => {
    access.check(req).then(
      (result) => {
        if (result.ok) return next();
        const { code, message } = accessError(result.reason);
        res.status(HTTP_STATUS_BY_CODE[code]).json({ statusCode: HTTP_STATUS_BY_CODE[code], code, message });
      },
      (err: unknown) => next(err),
    );
  };
}
