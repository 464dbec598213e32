import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { DefinitionsService, PublicDefinition } from './definitions.service';

@ApiTags('definitions')
@Controller('definitions')
export class DefinitionsController {
  constructor(private readonly service: DefinitionsService) {}

  @Get()
  @ApiOkResponse({
    description:
      'Every form definition (each form type and edition): labels, fields and their types, grid columns, checks, and the JSON Schema of its records',
  })
  list(): PublicDefinition[] {
    return this.service.list();
  }

  @Get(':formType')
  @ApiOkResponse({ description: "{formType, editions}: the form type's definitions, oldest edition first" })
  get(@Param('formType') formType: string): { formType: string; editions: PublicDefinition[] } {
    return this.service.get(formType);
  }
}
