import { Injectable } from '@nestjs/common';
import { ErrorCode, FormBridgeError } from '@formbridge/common';
import { recordSchema } from '@formbridge/contract';
import { FormDefinition, definitions } from '@formbridge/definitions';

/** A definition as clients see it: everything but the generator's layout, plus its record schema. */
export type PublicDefinition = Omit<FormDefinition, 'layout'> & { schema: object };

function publish({ layout: _layout, ...def }: FormDefinition): PublicDefinition {
  return { ...def, schema: recordSchema({ ...def, layout: _layout }) };
}

/**
 * The form definitions under templates/, for clients that build their pages from them (the
 * review page draws every field of a record from its definition, with no code per form type).
 */
@Injectable()
export class DefinitionsService {
  list(): PublicDefinition[] {
    return definitions().definitions.map(publish);
  }

  get(formType: string): { formType: string; editions: PublicDefinition[] } {
    const editions = definitions().editions(formType);
    if (!editions.length) throw new FormBridgeError(ErrorCode.NotFound, `no form type ${formType}`);
    return { formType, editions: editions.map(publish) };
  }
}
