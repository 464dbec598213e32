import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { ErrorCode, FieldError, FormBridgeError, HTTP_STATUS_BY_CODE } from '@formbridge/common';

/** The one error body every endpoint answers with. */
export interface ErrorBody {
  code: string;
  message: string;
  details?: { errors?: FieldError[] };
}

/** Codes for what only HTTP can get wrong (the rest are the domain's codes). */
const CODE_BY_STATUS: Record<number, string> = {
  [HttpStatus.BAD_REQUEST]: ErrorCode.InvalidInput,
  [HttpStatus.UNAUTHORIZED]: 'UNAUTHORIZED',
  [HttpStatus.FORBIDDEN]: 'FORBIDDEN',
  [HttpStatus.NOT_FOUND]: ErrorCode.NotFound,
  [HttpStatus.METHOD_NOT_ALLOWED]: 'METHOD_NOT_ALLOWED',
  [HttpStatus.CONFLICT]: ErrorCode.Conflict,
  [HttpStatus.PAYLOAD_TOO_LARGE]: ErrorCode.TooLarge,
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: ErrorCode.NotWord,
  [HttpStatus.SERVICE_UNAVAILABLE]: ErrorCode.Unavailable,
};

/** class-validator messages (`year must be an integer`) as field errors (`$.year`). */
function fieldErrorsOf(messages: string[]): FieldError[] {
  return messages.map((m) => {
    const field = /^([\w.[\]]+) /.exec(m)?.[1];
    return { path: field ? `$.${field}` : '$', reason: m };
  });
}

/** What Nest's HttpExceptions carry, in the shape of ErrorBody. */
function bodyOfHttpException(exception: HttpException): ErrorBody {
  const status = exception.getStatus();
  const code = CODE_BY_STATUS[status] ?? (status >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST');
  const response = exception.getResponse();
  const raw = typeof response === 'string' ? response : (response as { message?: unknown }).message;
  if (Array.isArray(raw)) {
    const errors = fieldErrorsOf(raw.map(String));
    return {
      code,
      message: errors.length === 1 ? errors[0].reason : `${errors.length} invalid fields`,
      details: { errors },
    };
  }
  return { code, message: typeof raw === 'string' && raw ? raw : exception.message };
}

/**
 * Every error answers `{code, message, details?}`: domain errors with the status of their code,
 * Nest's HTTP errors (validation, unknown routes, upload limits, the token) with a code for their
 * status, anything else as a 500 that leaks nothing.
 */
@Catch()
export class DomainExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(DomainExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (exception instanceof FormBridgeError) {
      const body: ErrorBody = { code: exception.code, message: exception.message };
      if (exception.details?.fieldErrors) body.details = { errors: exception.details.fieldErrors };
      res.status(HTTP_STATUS_BY_CODE[exception.code]).json(body);
      return;
    }
    if (exception instanceof HttpException) {
      res.status(exception.getStatus()).json(bodyOfHttpException(exception));
      return;
    }
    // Errors of Express's own middleware (a body too large or not JSON) carry their status.
    const status = (exception as { status?: unknown } | undefined)?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      res.status(status).json(bodyOfHttpException(new HttpException((exception as Error).message, status)));
      return;
    }
    this.logger.error(exception instanceof Error ? exception.message : String(exception));
    if (exception instanceof Error && exception.stack) this.logger.debug(exception.stack);
    res.status(500).json({ code: 'INTERNAL_ERROR', message: 'internal error' } satisfies ErrorBody);
  }
}
