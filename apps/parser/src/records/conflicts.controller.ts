import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { strictValidation } from '@formbridge/server';
import type { RecordConflict, RecordConflictSides } from '@formbridge/storage';
import { ConflictQueryDto, ResolveConflictDto } from './conflicts.dto';
import { RecordsService } from './records.service';

/** Returned forms whose changes clash with edits made since they were generated, for review. */
@ApiTags('records')
@ApiBearerAuth()
@Controller('conflicts')
export class ConflictsController {
  constructor(private readonly service: RecordsService) {}

  @Get()
  @ApiOkResponse({
    description:
      'Conflicts, newest first: {id, recordId, status, file, documentId, formIndex, batchId, baseVersion, currentVersion, paths, createdAt, resolvedAt}',
  })
  list(@Query(strictValidation) q: ConflictQueryDto): Promise<RecordConflict[]> {
    return this.service.conflicts(q);
  }

  @Get(':id')
  @ApiOkResponse({
    description:
      'One conflict with both sides: base (the version the form was generated from), current (the record when the form came back) and returned (what the form says)',
  })
  get(@Param('id', ParseIntPipe) id: number): Promise<RecordConflictSides> {
    return this.service.conflict(id);
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @ApiOkResponse({
    description: 'Closes the conflict; a `record` in the body is stored first as an edit of the record',
  })
  resolve(
    @Param('id', ParseIntPipe) id: number,
    @Body(strictValidation) body: ResolveConflictDto,
  ): Promise<RecordConflictSides> {
    return this.service.resolveConflict(id, body);
  }
}
