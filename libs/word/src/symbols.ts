/**
 * Word stores ticked boxes typed from Insert > Symbol as `w:sym` with a symbol font and a
 * private-use code (F0xx); the glyph the reader sees is fixed by font + low byte.
 * Sources: the Wingdings / Wingdings 2 / Symbol code charts.
 */
const SYMBOL_FONTS: Record<string, Record<number, string>> = {
  wingdings: {
    0xfe: '☑',
    0xfd: '☒',
    0xfc: '✓',
    0xfb: '✗',
    0xa8: '□',
    0x6f: '□',
    0x71: '□',
    0x6e: '■',
    0xa7: '▪',
  },
  'wingdings 2': { 0x52: '☑', 0x53: '☒', 0x54: '☒', 0x50: '✓', 0x51: '✗', 0xa3: '□', 0x2a: '□', 0xa2: '□' },
  symbol: { 0xd6: '√', 0xb7: '•' },
};

export function symbolGlyph(font: string | undefined, code: string | undefined): string {
  if (!code) return '';
  const n = parseInt(code, 16);
  if (Number.isNaN(n)) return '';
  const table = SYMBOL_FONTS[(font ?? '').trim().toLowerCase()];
  if (table) return table[n & 0xff] ?? '';
  // Not a symbol font: the code is an ordinary Unicode character.
  return n >= 0x20 && (n < 0xf000 || n > 0xf0ff) ? String.fromCodePoint(n) : '';
}

export const CHECKED_GLYPH = '☑';
export const UNCHECKED_GLYPH = '☐';
