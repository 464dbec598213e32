import { ValidationPipe } from '@nestjs/common';

/** Request DTOs: converted to their classes, and a property they do not declare is refused. */
export const strictValidation = new ValidationPipe({
  transform: true,
  whitelist: true,
  forbidNonWhitelisted: true,
});
