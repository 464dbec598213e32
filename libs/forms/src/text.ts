/**
 * Normalisation rules of the record contract (RECORDS.md), applied to every text value.
 * Pure functions over strings: no labels live here, only the format rules of Chinese forms.
 */

/** ASCII whitespace, full-width space (U+3000), NBSP and the zero-width characters Word leaves. */
const EDGE_SPACE = /^[\s\u3000\u00a0\u200b\ufeff]+|[\s\u3000\u00a0\u200b\ufeff]+$/gu;
const ANY_SPACE = /[\s\u3000\u00a0\u200b\ufeff]+/gu;

export const CHECKED_GLYPHS = '☑■√✓✔☒▣⊠';
export const UNCHECKED_GLYPHS = '□☐';

/** A character that is surely not an edge space: printable ASCII or a CJK ideograph. */
const solid = (code: number) => (code > 0x20 && code < 0x7f) || (code >= 0x4e00 && code <= 0x9fff);

export function trimText(s: string): string {
  if (s.length === 0 || (solid(s.charCodeAt(0)) && solid(s.charCodeAt(s.length - 1)))) return s;
  return s.replace(EDGE_SPACE, '');
}

const LINE_BREAK = /\r\n|[\n\r\v\f\u2028\u2029]/u;

/** NFC, trimmed lines, empty lines dropped, joined with `\n`; empty → null. */
export function cleanText(raw: string | null | undefined): string | null {
  if (raw == null) return null;
  const text = raw.normalize('NFC');
  if (!LINE_BREAK.test(text)) {
    const line = trimText(text);
    return line.length ? line : null;
  }
  // A loop onto one array literal rather than split().map().filter(): the arrays those built
  // reached the optimised code with hidden classes it had not seen, and it was compiled again
  // in every parse thread (docs/bench.md, "Thirteenth look").
  const lines: string[] = [];
  for (const part of text.split(LINE_BREAK)) {
    const line = trimText(part);
    if (line.length > 0) lines.push(line);
  }
  return lines.length ? lines.join('\n') : null;
}

/** The form a label is compared in: no spaces or breaks, half-width brackets, no trailing colon. */
const labelKeys = new Map<string, string>();
/**
 * Longer texts (free text in cells and paragraphs) are asked about several times within one
 * parse (is it a title of any definition, a label, a review authority?) but not across files:
 * only the last few hundred are kept.
 */
const recentLongKeys = new Map<string, string>();

/** Keeps a key in a cache of at most `limit` entries, emptied when full. */
function remember(cache: Map<string, string>, limit: number, s: string, key: string): void {
  if (cache.size >= limit) cache.clear();
  cache.set(s, key);
}
// Once at load, full: the optimised code of labelKey's callers then knows the emptying branch,
// which a parse thread first takes thousands of files in, and is not thrown away there and
// compiled again (docs/bench.md, "Thirteenth look").
remember(new Map(), 0, '', '');

export function labelKey(s: string): string {
  let key = s.length <= 64 ? labelKeys.get(s) : recentLongKeys.get(s);
  if (key === undefined) {
    key = s
      .normalize('NFKC')
      .replace(ANY_SPACE, '')
      .replace(/[:：]+$/u, '');
    // Labels repeat across thousands of forms; long free texts are not worth keeping.
    if (s.length <= 64) remember(labelKeys, 20_000, s, key);
    else if (s.length <= 4096) remember(recentLongKeys, 512, s, key);
  }
  return key;
}

/** A regex source matching a label as printed: any spacing between characters, either bracket width. */
export function labelPattern(label: string): string {
  const chars = [...labelKey(label)].map((c) => {
    if (c === '(') return '[(（]';
    if (c === ')') return '[)）]';
    return c.replace(/[.*+?^${}|[\]\\-]/g, '\\$&');
  });
  return chars.join('[\\s\\u3000\\u00a0]*');
}

const UNIT_WAN = /万元?$/u;

/** The units amounts are written in, and how many places the decimal point moves to reach 万元. */
export type AmountUnit = '万元' | '元';

/** `万元`, `元`, `（元）`, `人民币元` → the unit; anything else (`千元`) → undefined. */
export function amountUnit(raw: string): AmountUnit | undefined {
  const s = raw
    .normalize('NFKC')
    .replace(/[\s()（）:：]/gu, '')
    .replace(/^人民币/u, '');
  return s === '万元' || s === '元' ? s : undefined;
}

/** A unit in brackets at the end of a label: `年初预算数（元）` → `元`. */
export function labelUnit(key: string): { base: string; unit: string } | undefined {
  // Nearly every key asked about ends otherwise: no need to run the pattern.
  const last = key.charCodeAt(key.length - 1);
  if (last !== 0x29 /* ) */ && last !== 0xff09 /* ） */) return undefined;
  const m = /^(.+?)[(（]([^()（）]*元)[)）]$/u.exec(key);
  return m ? { base: m[1], unit: m[2] } : undefined;
}

/** Cells that say "not applicable" (`—`, `/`, `-`) rather than a figure. */
export function isNotApplicable(raw: string | null): boolean {
  const text = cleanText(raw);
  return text !== null && /^[-—–－―/／\\×xX*＊]+$/u.test(text);
}

/**
 * Amounts are decimal strings in 万元 with two fraction digits, never floats.
 * `226.00万元` → `226.00`, `25万` → `25.00`, `0` → `0.00`, `2,260,000元` → `226.00`.
 * A figure without a unit of its own is in `unit` (the form's or its column's).
 */
export function normaliseAmount(
  raw: string | null,
  unit: AmountUnit = '万元',
): { value: string | null; ok: boolean } {
  const text = cleanText(raw);
  if (text === null || isNotApplicable(text)) return { value: null, ok: true };
  let s = text
    .normalize('NFKC')
    .replace(/[\s,，]/gu, '')
    .replace(/^[¥￥]/u, '')
    // 226.00(万元): the unit in brackets after the figure.
    .replace(/[(（](万?元)[)）]$/u, '$1');
  let shift = unit === '元' ? 4 : 0;
  if (UNIT_WAN.test(s)) {
    s = s.replace(UNIT_WAN, '');
    shift = 0;
  } else if (s.endsWith('元')) {
    s = s.slice(0, -1);
    shift = 4;
  }
  const m = /^(-?)(\d+)(?:\.(\d+))?$/u.exec(s);
  if (!m) return { value: text, ok: false };
  const [, sign, int, frac = ''] = m;
  const value = shiftPoint(sign, int, frac, shift, false);
  return value === undefined ? { value: text, ok: false } : { value, ok: true };
}

/**
 * The decimal `sign int.frac` divided by 10^shift, with two fraction digits, by moving the point
 * in the string (no float rounding). More digits are refused (undefined) unless `round`.
 */
function shiftPoint(sign: string, int: string, frac: string, shift: number, round: true): string;
function shiftPoint(sign: string, int: string, frac: string, shift: number, round: false): string | undefined;
function shiftPoint(
  sign: string,
  int: string,
  frac: string,
  shift: number,
  round: boolean,
): string | undefined {
  // Shift the decimal point in the string itself: yuan → 万元 without float rounding.
  let digits = int + frac;
  let point = int.length - shift;
  if (point < 1) {
    digits = '0'.repeat(1 - point) + digits;
    point = 1;
  }
  let whole = digits.slice(0, point).replace(/^0+(?=\d)/u, '');
  let fraction = digits.slice(point);
  if (fraction.length > 2) {
    if (round) {
      // Half up, on the digits themselves.
      const up = Number(fraction[2]) >= 5;
      fraction = fraction.slice(0, 2);
      if (up) {
        const cents = (BigInt(whole + fraction) + 1n).toString().padStart(3, '0');
        whole = cents.slice(0, -2);
        fraction = cents.slice(-2);
      }
    } else if (/[1-9]/u.test(fraction.slice(2))) return undefined;
    else fraction = fraction.slice(0, 2);
  }
  return `${sign}${whole}.${fraction.padEnd(2, '0')}`;
}

/**
 * Weights, scores and percentages: `10` → `10.00`, `9.72分` → `9.72`, `97.5%` → `97.50`
 * (rounded half up to two places, as a computed rate may run longer).
 */
export function normaliseDecimal(
  raw: string | null,
  percent: boolean,
): { value: string | null; ok: boolean } {
  const text = cleanText(raw);
  if (text === null || isNotApplicable(text)) return { value: null, ok: true };
  const s = text
    .normalize('NFKC')
    .replace(/[\s,，]/gu, '')
    .replace(percent ? /%$/u : /分$/u, '');
  const m = /^(-?)(\d+)(?:\.(\d+))?$/u.exec(s);
  if (!m) return { value: text, ok: false };
  return { value: shiftPoint(m[1], m[2], m[3] ?? '', 0, true), ok: true };
}

const pad = (n: string) => n.padStart(2, '0');

function validMonth(m: number): boolean {
  return m >= 1 && m <= 12;
}

function validDay(y: number, m: number, d: number): boolean {
  return d >= 1 && d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/**
 * `2019.1`, `2019年1月`, `2019-01`, `2019/1` → `2019-01`; full dates → `YYYY-MM-DD`.
 * `dateOnly` refuses a bare month.
 */
const CN_DIGITS: Record<string, number> = Object.fromEntries(
  [...'〇一二三四五六七八九']
    .map((c, i) => [c, i])
    .concat([
      ['○', 0],
      ['零', 0],
    ]),
);

/** 一 → 1, 十 → 10, 十二 → 12, 二十 → 20, 三十一 → 31. */
function chineseNumber(s: string): number {
  const ten = s.indexOf('十');
  if (ten < 0) return CN_DIGITS[s] ?? NaN;
  const tens = ten === 0 ? 1 : CN_DIGITS[s.slice(0, ten)];
  const units = ten === s.length - 1 ? 0 : CN_DIGITS[s.slice(ten + 1)];
  return tens * 10 + units;
}

/** A date written in Chinese numerals, as seals and official lines often are: 二〇一九年四月二日. */
export const CHINESE_DATE =
  /([〇○零一二三四五六七八九]{4})[\s\u3000]*年[\s\u3000]*([一二三四五六七八九十]{1,3})[\s\u3000]*月(?:[\s\u3000]*([一二三四五六七八九十]{1,3})[\s\u3000]*[日号])?/u;

/** The same date in Arabic numerals (`2019年4月2日`), or undefined when `m` is not one. */
export function arabicDate(m: RegExpExecArray): string | undefined {
  const year = [...m[1]].map((c) => CN_DIGITS[c]).join('');
  const month = chineseNumber(m[2]);
  const day = m[3] === undefined ? undefined : chineseNumber(m[3]);
  if (Number.isNaN(month) || (day !== undefined && Number.isNaN(day))) return undefined;
  return `${year}年${month}月${day === undefined ? '' : `${day}日`}`;
}

export function normaliseDate(raw: string | null, dateOnly = false): { value: string | null; ok: boolean } {
  const text = cleanText(raw);
  if (text === null) return { value: null, ok: true };
  let s = text.normalize('NFKC').replace(/\s+/gu, '');
  const cn = CHINESE_DATE.exec(s);
  if (cn && cn.index === 0 && cn[0].length === s.length) s = arabicDate(cn) ?? s;
  const m = /^(\d{4})(?:年|[.\-/])(\d{1,2})(?:月|[.\-/])?(?:(\d{1,2})(?:日|号)?)?$/u.exec(s);
  if (m) {
    const [, y, mo, d] = m;
    if (validMonth(Number(mo))) {
      if (d !== undefined && validDay(Number(y), Number(mo), Number(d))) {
        return { value: `${y}-${pad(mo)}-${pad(d)}`, ok: true };
      }
      if (d === undefined && !dateOnly) return { value: `${y}-${pad(mo)}`, ok: true };
    }
  }
  const compact = /^(\d{4})(\d{2})(\d{2})$/u.exec(s);
  if (
    compact &&
    validMonth(Number(compact[2])) &&
    validDay(Number(compact[1]), Number(compact[2]), Number(compact[3]))
  ) {
    return { value: `${compact[1]}-${compact[2]}-${compact[3]}`, ok: true };
  }
  return { value: text, ok: false };
}

/** Finds a date written anywhere inside a text (as review cells carry them after the seal). */
export const EMBEDDED_DATE =
  /(\d{4})[\s\u3000]*(?:年|[.\-/])[\s\u3000]*(\d{1,2})[\s\u3000]*(?:月|[.\-/])[\s\u3000]*(\d{1,2})[\s\u3000]*[日号]?/u;
/**
 * The shape of a form's title, known or not: a short line of its own that names a table
 * (`…表`), with no colon (not a `label：value` line) and no sentence punctuation.
 */
export function looksLikeFormTitle(text: string): boolean {
  const key = text.normalize('NFKC').replace(/[\s\u3000]+/gu, '');
  return (
    key.length >= 6 &&
    key.length <= 40 &&
    /表$/u.test(key) &&
    !/[:：,，。;；、]/u.test(key) &&
    /^[\p{Script=Han}\d()（）\-—]+$/u.test(key)
  );
}

/** A printed date line nobody filled in: `年   月   日`. */
export const BLANK_DATE = /(?:^|[\s\u3000])年[\s\u3000]+月[\s\u3000]+日/gu;

const NUMBERING = [
  /^[(（][\s\u3000]*[0-9０-９一二三四五六七八九十]+[\s\u3000]*[)）][、.．]?/u,
  /^[0-9０-９]+[\s\u3000]*[.．、)）](?![0-9])/u,
  /^[一二三四五六七八九十]+[、.．]/u,
  /^[①-⑳⑴-⒇⒈-⒛]/u,
];
/** The numbering patterns for a definition's prefixes, built once per prefix list. */
const numberingFor = new WeakMap<string[], RegExp[]>();

/** Presentation numbering that list items drop: `1.` `1、` `（1）` `①` `一、` and `目标1：`-style prefixes. */
export function stripNumbering(line: string, prefixes: string[]): string {
  let patterns = numberingFor.get(prefixes);
  if (!patterns) {
    const words = prefixes.map((p) => p.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')).join('|');
    patterns = words
      ? [
          new RegExp(
            `^(?:${words})[\\s\\u3000]*[0-9０-９一二三四五六七八九十]+[\\s\\u3000]*[:：.、．]?`,
            'u',
          ),
          ...NUMBERING,
        ]
      : NUMBERING;
    numberingFor.set(prefixes, patterns);
  }
  for (const p of patterns) {
    const m = p.exec(line);
    if (m) return trimText(line.slice(m[0].length));
  }
  return line;
}

export function toList(raw: string | null, prefixes: string[]): string[] {
  const text = cleanText(raw);
  const items: string[] = [];
  if (text === null) return items;
  for (const line of text.split('\n')) {
    const item = stripNumbering(line, prefixes);
    if (item.length > 0) items.push(item);
  }
  return items;
}

/** One item of a list-typed column: a single value without its numbering. */
export function toItem(raw: string | null, prefixes: string[]): string | null {
  const items = toList(raw, prefixes);
  return items.length ? items.join('\n') : null;
}

export function isCheckedGlyph(c: string): boolean {
  return CHECKED_GLYPHS.includes(c);
}

export function isCheckboxGlyph(c: string): boolean {
  return CHECKED_GLYPHS.includes(c) || UNCHECKED_GLYPHS.includes(c);
}
