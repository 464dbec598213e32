import type { DeriveRule, GridColumn, ValueType } from '@formbridge/definitions';
import type { CompiledDefinition } from './compiled-definition';
import {
  AmountUnit,
  amountUnit,
  cleanText,
  labelKey,
  normaliseAmount,
  normaliseDate,
  normaliseDecimal,
  toItem,
  toList,
} from './text';
import { WarningCode } from './warnings';

export type Report = (code: WarningCode, message: string) => void;

/**
 * A value of the given type from the text of its cell, by the contract's normalisation rules.
 * Text that does not read as its type is null, and reported (flag, never reject): a record
 * never carries a value its type does not allow. Choices need their options and are read by
 * the extractor itself. `unit` is the unit of a figure written without one.
 */
export function convertValue(
  c: CompiledDefinition,
  type: Exclude<ValueType, 'choice'>,
  raw: string,
  report: Report,
  unit: string = '万元',
): unknown {
  const prefixes = c.def.listItemPrefixes;
  switch (type) {
    case 'amount': {
      const known = amountUnit(unit);
      const r = normaliseAmount(raw, known ?? '万元');
      if (!r.ok) report(WarningCode.InvalidAmount, `"${r.value}" is not an amount; left empty`);
      return r.ok ? r.value : null;
    }
    case 'decimal':
    case 'percent': {
      const r = normaliseDecimal(raw, type === 'percent');
      if (!r.ok)
        report(
          WarningCode.InvalidNumber,
          `"${r.value}" is not a ${type === 'percent' ? 'percentage' : 'number'}; left empty`,
        );
      return r.ok ? r.value : null;
    }
    case 'month':
    case 'date': {
      const r = normaliseDate(c.stripBoilerplate(raw), type === 'date');
      if (!r.ok) report(WarningCode.InvalidDate, `"${r.value}" is not a ${type}; left empty`);
      return r.ok ? r.value : null;
    }
    case 'list':
      return toList(raw, prefixes);
    case 'item':
      return toItem(raw, prefixes);
    default:
      return cleanText(raw);
  }
}

/** A unit line's value (`元`, `（万元）`); an unknown unit is reported and amounts stay in 万元. */
export function readUnit(raw: string, report: Report): AmountUnit {
  const text = cleanText(raw) ?? '';
  const unit = amountUnit(text);
  if (!unit)
    report(
      WarningCode.InvalidUnit,
      `"${text}" is not a unit amounts can be read in (元 or 万元); read them as 万元`,
    );
  return unit ?? '万元';
}

/** A column's official term for a value (`计划` → `计划标准`); unknown values are kept and reported. */
export function officialTerm(column: GridColumn, value: unknown, report: Report): unknown {
  if (!column.terms || typeof value !== 'string') return value;
  const key = labelKey(value);
  for (const [term, variants] of Object.entries(column.terms)) {
    if (labelKey(term) === key || variants.some((v) => labelKey(v) === key)) return term;
  }
  report(
    WarningCode.UnknownTerm,
    `"${value}" is not one of ${Object.keys(column.terms).join(', ')}; kept verbatim`,
  );
  return value;
}

/** `产出指标（50分）` → `产出指标` and its weight `50.00`. */
export function splitLabelWeight(value: unknown): { value: unknown; weight?: string } {
  if (typeof value !== 'string') return { value };
  const m = /^(.*?)[\s\u3000]*[(（][\s\u3000]*(\d+(?:\.\d+)?)[\s\u3000]*分[\s\u3000]*[)）]$/u.exec(
    value.normalize('NFKC'),
  );
  if (!m || !m[1]) return { value };
  const weight = normaliseDecimal(m[2], false).value ?? undefined;
  return { value: cleanText(m[1]), weight };
}

/**
 * `comparison`: `≥95%` → `{ op: "≥", number: "95", unit: "%" }`, `不低于90%` likewise, `5个` →
 * `{ op: "=", number: "5", unit: "个" }`; a value that is not a figure (`逐步提高`) → null.
 */
export function derive(rule: DeriveRule, source: unknown): unknown {
  if (typeof source !== 'string') return null;
  let s = source.normalize('NFKC').replace(/[\s\u3000]+/gu, '');
  let op = rule.default;
  const variants = Object.entries(rule.operators)
    .flatMap(([o, vs]) => [o, ...vs].map((v) => ({ o, v: v.normalize('NFKC') })))
    .sort((a, b) => b.v.length - a.v.length);
  const hit = variants.find((x) => s.startsWith(x.v));
  if (hit) {
    op = hit.o;
    s = s.slice(hit.v.length);
  }
  const m = /^([-+]?\d[\d,]*(?:\.\d+)?)(.*)$/u.exec(s);
  if (!m) return null;
  const number = m[1].replace(/,/g, '').replace(/^\+/, '');
  const unit = m[2];
  // A figure followed by more figures or an operator is not one target (`2023年12月底前`).
  if (/[\d<>=≥≤]/u.test(unit)) return null;
  return { op, number, unit: unit || null };
}
