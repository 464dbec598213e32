import { Injectable } from '@nestjs/common';
import { ErrorCode, FormBridgeError } from '@formbridge/common';
import {
  definitions,
  DefinitionSummary,
  serveDefinition,
  ServedDefinition,
  summarise,
} from '@formbridge/definitions';

/** The form definitions as clients (the review page) build their fields from them. */
@Injectable()
export class DefinitionsService {
  list(): DefinitionSummary[] {
    const registry = definitions();
    return registry.formTypes().map((t) => summarise(registry.get(t)!));
  }

  get(formType: string): ServedDefinition {
    const def = definitions().get(formType);
    if (!def) throw new FormBridgeError(ErrorCode.NotFound, `no form type ${formType}`);
    return serveDefinition(def);
  }
}
