import type { DefinitionRegistry } from './registry';

/**
 * Which filing a record is: its form type and the values of its definition's `filingIdentity`
 * paths, compared without spacing or width differences (`合江街道 办事处` and `合江街道办事处`
 * are one department). Undefined when one of them is empty: such a form names no filing.
 */
export function filingKey(record: Record<string, unknown>, registry: DefinitionRegistry): string | undefined {
  const formType = record.formType;
  if (typeof formType !== 'string') return undefined;
  const def = registry.get(formType);
  if (!def) return undefined;
  const parts: string[] = [formType];
  for (const path of def.filingIdentity) {
    const value = path
      .split('.')
      .reduce<unknown>((v, k) => (v as Record<string, unknown> | null)?.[k], record);
    if (value === null || value === undefined || value === '') return undefined;
    parts.push(String(value).normalize('NFKC').replace(/\s+/gu, ''));
  }
  return JSON.stringify(parts);
}
