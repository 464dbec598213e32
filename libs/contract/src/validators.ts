import { IsString, Matches, ValidateIf, ValidationOptions } from 'class-validator';

export const AMOUNT_PATTERN = /^-?\d+\.\d{2}$/;
export const MONTH_OR_DATE_PATTERN = /^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$/;
export const DATE_PATTERN = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
function applyDecorators(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => decorators.forEach((d) => d(target, key));
}

/** Values are trimmed by the normaliser; a blank string is never a value (it is null). */
const NOT_BLANK = /\S/u;

/** A text the record must hold (may not be null). */
export function RequiredText(options?: ValidationOptions) {
  return applyDecorators(
    IsString(options),
    Matches(NOT_BLANK, { message: '$property must not be blank', ...options }),
  );
}

/** A text that is null when the form leaves it empty; present (not undefined) either way. */
export function OptionalText(pattern?: RegExp, message?: string) {
  const checks = [
    IsString(),
    Matches(pattern ?? NOT_BLANK, { message: message ?? '$property must not be blank (use null)' }),
  ];
  return applyDecorators(
    ValidateIf((_o, v) => v !== null),
    ...checks,
  );
}

export const OptionalAmount = () =>
  OptionalText(AMOUNT_PATTERN, '$property must be an amount in 万元 with two decimals, e.g. "226.00"');
export const RequiredAmount = () =>
  applyDecorators(
    IsString(),
    Matches(AMOUNT_PATTERN, {
      message: '$property must be an amount in 万元 with two decimals, e.g. "226.00"',
    }),
  );
export const OptionalMonth = () =>
  OptionalText(MONTH_OR_DATE_PATTERN, '$property must be a month "YYYY-MM" or a date "YYYY-MM-DD"');
export const OptionalDate = () => OptionalText(DATE_PATTERN, '$property must be a date "YYYY-MM-DD"');
