import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { FormBridgeError, HTTP_STATUS_BY_CODE } from '@formbridge/common';

/** Maps domain error codes to HTTP statuses, in one place; HTTP errors pass through. */
@Catch()
export class DomainExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(DomainExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    if (exception instanceof FormBridgeError) {
      res.status(HTTP_STATUS_BY_CODE[exception.code]).json({
        statusCode: HTTP_STATUS_BY_CODE[exception.code],
        code: exception.code,
        message: exception.message,
        ...(exception.details?.fieldErrors ? { errors: exception.details.fieldErrors } : {}),
      });
      return;
    }
    if (exception instanceof HttpException) {
      const body = exception.getResponse();
      res
        .status(exception.getStatus())
        .json(typeof body === 'string' ? { statusCode: exception.getStatus(), message: body } : body);
      return;
    }
    this.logger.error(
      exception instanceof Error ? (exception.stack ?? exception.message) : String(exception),
    );
    res.status(500).json({ statusCode: 500, message: 'internal error' });
  }
}
