import type { OpenAPIObject } from '@nestjs/swagger';
import { contractValidator } from '@formbridge/contract';

/** Name of the OpenAPI schema that is any record of the contract. */
export const FORM_RECORD_SCHEMA = 'FormRecord';

/**
 * The records' schemas on the OpenAPI page, one per form type, compiled from the definitions
 * (the same JSON Schemas the validator runs), and `FormRecord`: any one of them.
 */
export function addRecordSchemas(doc: OpenAPIObject): OpenAPIObject {
  const validator = contractValidator();
  doc.components ??= {};
  doc.components.schemas ??= {};
  const refs: Array<{ $ref: string }> = [];
  for (const [formType, schema] of validator.schemas) {
    doc.components.schemas[formType] = schema as object;
    refs.push({ $ref: `#/components/schemas/${formType}` });
  }
  doc.components.schemas[FORM_RECORD_SCHEMA] = {
    description: 'A record of the FormBridge contract (RECORDS.md); its formType says which schema applies',
    oneOf: refs,
    discriminator: { propertyName: 'formType' },
  };
  return doc;
}
