import { InvalidArgumentError } from 'commander';
import type { Command } from 'commander';
import { FORM_TYPES } from '@formbridge/contract';
import type { RecordFilter } from '@formbridge/storage';

export function parseYear(value: string): number {
  if (!/^\d{4}$/.test(value)) throw new InvalidArgumentError('a year is four digits, e.g. 2019');
  return Number(value);
}

function parseFormType(value: string): string {
  if (!(FORM_TYPES as readonly string[]).includes(value))
    throw new InvalidArgumentError(`one of: ${FORM_TYPES.join(', ')}`);
  return value;
}

export interface FilterOptions {
  year?: number;
  formType?: string;
  department?: string;
  project?: string;
}

/** The record filters `records` and `export` share. */
export function addFilterOptions(command: Command): Command {
  return command
    .option('--year <year>', 'only records of this year', parseYear)
    .option('--form-type <type>', `only this form type (${FORM_TYPES.join(', ')})`, parseFormType)
    .option('--department <text>', 'only departments whose name contains this')
    .option('--project <text>', 'only projects whose name contains this');
}

export function filterOf(opts: FilterOptions): RecordFilter {
  return { year: opts.year, formType: opts.formType, department: opts.department, project: opts.project };
}
