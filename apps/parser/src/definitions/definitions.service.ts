import { Injectable } from '@nestjs/common';
import { ErrorCode, FormBridgeError } from '@formbridge/common';
import { definitions, FormDefinition, primaryAmountPath } from '@formbridge/definitions';

export interface DefinitionSummary {
  formType: string;
  edition: string;
  title: string;
  attachmentLabel: string;
  /** The amount that sums up a record of this form (null: the form has none). */
  amountPath: string | null;
}

export type ServedDefinition = FormDefinition & { amountPath: string | null };

/** The form definitions as clients (the review page) build their fields from them. */
@Injectable()
export class DefinitionsService {
  list(): DefinitionSummary[] {
    return definitions()
      .formTypes()
      .map((t) => {
        const d = this.get(t);
        return {
          formType: d.formType,
          edition: d.edition,
          title: d.title.text,
          attachmentLabel: d.attachmentLabel.default,
          amountPath: d.amountPath,
        };
      });
  }

  get(formType: string): ServedDefinition {
    const def = definitions().get(formType);
    if (!def) throw new FormBridgeError(ErrorCode.NotFound, `no form type ${formType}`);
    return { ...def, amountPath: primaryAmountPath(def) };
  }
}
