import { ErrorCode, FieldError, FormBridgeError } from '@formbridge/common';
import { validateRecord } from '@formbridge/contract';
import { invalidRecord } from './docx-generator';

const SHAPE = 'send one record, or {"records": [record, …]}';

/**
 * The records of a generate request (an HTTP body or a CLI input file): one record, or
 * `{"records": [...]}`. Each is checked against the contract; field errors carry paths into the
 * input as sent (`$.budget.total`, `$.records[2].year`).
 */
export function recordsFromInput(input: unknown): object[] {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new FormBridgeError(ErrorCode.InvalidInput, `the input is not a JSON object; ${SHAPE}`);
  }
  const wrapper = !('formType' in input) && 'records' in input;
  const records = wrapper ? (input as { records: unknown }).records : [input];
  if (!Array.isArray(records) || records.length === 0) {
    throw new FormBridgeError(ErrorCode.InvalidInput, `"records" must be a non-empty array; ${SHAPE}`);
  }
  const errors: FieldError[] = [];
  records.forEach((r: unknown, i) => {
    const prefix = wrapper ? `$.records[${i}]` : '$';
    for (const e of validateRecord(r)) errors.push({ path: prefix + e.path.slice(1), reason: e.reason });
  });
  if (errors.length) throw invalidRecord(errors);
  return records as object[];
}
