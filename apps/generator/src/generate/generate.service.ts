import { Injectable } from '@nestjs/common';
import { documentFileName, generateDocx, recordsFromInput } from '@formbridge/forms';

export interface GeneratedDocument {
  bytes: Uint8Array;
  fileName: string;
  forms: number;
}

@Injectable()
export class GenerateService {
  /** One record or `{"records": [...]}` → one .docx; INVALID_RECORD (400) lists every field error. */
  generate(body: unknown): GeneratedDocument {
    const records = recordsFromInput(body);
    return { bytes: generateDocx(records), fileName: documentFileName(records), forms: records.length };
  }
}
