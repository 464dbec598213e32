import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { DefinitionSummary, ServedDefinition } from '@formbridge/definitions';
import { DefinitionsService } from './definitions.service';

@ApiTags('definitions')
@ApiBearerAuth()
@Controller('definitions')
export class DefinitionsController {
  constructor(private readonly service: DefinitionsService) {}

  @Get()
  @ApiOkResponse({ description: 'Every form type: formType, edition, title, attachment label, amount path' })
  list(): DefinitionSummary[] {
    return this.service.list();
  }

  @Get(':formType')
  @ApiOkResponse({ description: "The form type's definition (templates/), plus amountPath" })
  get(@Param('formType') formType: string): ServedDefinition {
    return this.service.get(formType);
  }
}
