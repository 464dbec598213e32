import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { FormBridgeError } from '@formbridge/common';
import { FormParser } from '@formbridge/forms';
import { FIXTURES } from './support/golden';

const parser = new FormParser();
const seed = readFileSync(join(FIXTURES, 'legacy', 'word', 'seed-1.docx'));
const parts = unzipSync(seed);
const xml = strFromU8(parts['word/document.xml']);

/** Either records or a FormBridgeError with a code: never another exception. */
function parsesOrRefuses(bytes: Uint8Array): void {
  try {
    const result = parser.parseDocx(bytes);
    expect(Array.isArray(result.records)).toBe(true);
  } catch (err) {
    if (!(err instanceof FormBridgeError)) throw err;
    expect(err.code).toEqual(expect.any(String));
  }
}

describe('damaged input never crashes the parser', () => {
  it('survives random byte corruption of a real submission', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(seed.length - 1), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 20,
        }),
        (edits) => {
          const bytes = Uint8Array.from(seed);
          for (const [at, value] of edits) bytes[at] = value;
          parsesOrRefuses(bytes);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('survives document.xml cut short, spliced or with tags deleted', () => {
    fc.assert(
      fc.property(fc.nat(xml.length), fc.nat(xml.length), fc.nat(xml.length), (a, b, c) => {
        const [lo, hi] = a < b ? [a, b] : [b, a];
        for (const variant of [
          xml.slice(0, lo),
          xml.slice(0, lo) + xml.slice(hi),
          xml.slice(0, c) + '<' + xml.slice(c),
        ]) {
          parsesOrRefuses(zipSync({ ...parts, 'word/document.xml': strToU8(variant) }));
        }
      }),
      { numRuns: 150 },
    );
  });
});
