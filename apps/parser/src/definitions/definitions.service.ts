import { Injectable } from '@nestjs/common';
import { ErrorCode, FormBridgeError } from '@formbridge/common';
import { recordSchema } from '@formbridge/contract';
import { FormDefinition, definitions, primaryAmountPath } from '@formbridge/definitions';

/** A definition as clients see it: everything but the generator's layout, plus its record schema. */
/** `amountPath`: the amount that sums up a record (its first amount field); lists total it. */
export type PublicDefinition = Omit<FormDefinition, 'layout'> & { schema: object; amountPath: string | null };

function publish({ layout: _layout, ...def }: FormDefinition): PublicDefinition {
  return {
    ...def,
    schema: recordSchema({ ...def, layout: _layout }),
    amountPath: primaryAmountPath({ ...def, layout: _layout }),
  };
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
