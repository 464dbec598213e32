import { Type } from 'class-transformer';
import {
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsString,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  OptionalAmount,
  OptionalDate,
  OptionalMonth,
  OptionalText,
  RequiredAmount,
  RequiredText,
} from './validators';

export const SPECIAL_FUND = 'special-fund-performance-target';
export const DEPARTMENT_OVERALL = 'department-overall-performance-target';
export const FORM_TYPES = [SPECIAL_FUND, DEPARTMENT_OVERALL] as const;
export type FormType = (typeof FORM_TYPES)[number];
/** Version of the record contract (shared/spec/RECORDS.md) these classes implement. */
export const CONTRACT_VERSION = '1';

export class ReviewDto {
  @RequiredText() authority!: string;
  @OptionalText() opinion!: string | null;
  @OptionalDate() date!: string | null;
}

abstract class RecordBase {
  @RequiredText() attachmentLabel!: string;
  @IsInt() @Min(1949) @Max(2999) year!: number;
  @OptionalText() fillingUnit!: string | null;
  @IsArray() @ValidateNested({ each: true }) @Type(() => ReviewDto) reviews!: ReviewDto[];
  @OptionalText() filledBy!: string | null;
  @OptionalText() phone!: string | null;
  @OptionalDate() filledOn!: string | null;
}

export class ScheduleItemDto {
  @OptionalText() content!: string | null;
  @OptionalMonth() start!: string | null;
  @OptionalMonth() end!: string | null;
}

export class IndicatorDto {
  @RequiredText() level1!: string;
  @RequiredText() level2!: string;
  @OptionalText() content!: string | null;
  @OptionalText() value!: string | null;
  @OptionalText() remark!: string | null;
}

export class SpecialFundRecordDto extends RecordBase {
  @IsIn([SPECIAL_FUND]) formType!: typeof SPECIAL_FUND;
  @RequiredText() projectName!: string;
  @ValidateIf((_o, v) => v !== null) @IsIn(['continuing', 'new']) projectAttribute!:
    'continuing' | 'new' | null;
  @OptionalText() departmentName!: string | null;
  @OptionalAmount() totalFunds!: string | null;
  @OptionalText() departmentDuties!: string | null;
  @OptionalText() basis!: string | null;
  @IsArray() @ValidateNested({ each: true }) @Type(() => ScheduleItemDto) schedule!: ScheduleItemDto[];
  @OptionalText() longTermGoal!: string | null;
  @OptionalText() annualGoal!: string | null;
  @IsArray() @ValidateNested({ each: true }) @Type(() => IndicatorDto) indicators!: IndicatorDto[];
  @OptionalText() safeguards!: string | null;
}

export class IncomeBudgetDto {
  @OptionalAmount() publicFinance!: string | null;
  @OptionalAmount() governmentFund!: string | null;
  @OptionalAmount() nonTaxSpecialAccount!: string | null;
  @OptionalAmount() other!: string | null;
}

export class ExpenditureBudgetDto {
  @OptionalAmount() basic!: string | null;
  @OptionalAmount() project!: string | null;
}

export class BudgetDto {
  @RequiredAmount() total!: string;
  @IsObject() @ValidateNested() @Type(() => IncomeBudgetDto) byIncome!: IncomeBudgetDto;
  @IsObject() @ValidateNested() @Type(() => ExpenditureBudgetDto) byExpenditure!: ExpenditureBudgetDto;
}

export class DepartmentIndicatorsDto {
  @IsArray() @IsString({ each: true }) output!: string[];
  @IsArray() @IsString({ each: true }) effect!: string[];
}

export class DepartmentOverallRecordDto extends RecordBase {
  @IsIn([DEPARTMENT_OVERALL]) formType!: typeof DEPARTMENT_OVERALL;
  @OptionalText() unitHead!: string | null;
  @RequiredText() departmentName!: string;
  @IsObject() @ValidateNested() @Type(() => BudgetDto) budget!: BudgetDto;
  @IsArray() @IsString({ each: true }) duties!: string[];
  @IsArray() @IsString({ each: true }) overallGoals!: string[];
  @IsObject() @ValidateNested() @Type(() => DepartmentIndicatorsDto) indicators!: DepartmentIndicatorsDto;
}

export type SpecialFundRecord = Omit<SpecialFundRecordDto, never>;
export type DepartmentOverallRecord = Omit<DepartmentOverallRecordDto, never>;
export type FormRecord = SpecialFundRecordDto | DepartmentOverallRecordDto;

export const RECORD_CLASSES: Record<FormType, new () => FormRecord> = {
  [SPECIAL_FUND]: SpecialFundRecordDto,
  [DEPARTMENT_OVERALL]: DepartmentOverallRecordDto,
};
