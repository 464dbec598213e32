import { editParts, partText } from '../../../test/support/docx-parts';
import { goldenRecords } from '../../../test/support/golden';
import { FormParser } from './form-parser';
import { generateDocx } from './generate';
import { generateStoredDocx, isOwnStamp } from './return-stamp';
import { WarningCode } from './warnings';

const parser = new FormParser();
const golden = goldenRecords();
const deployment = { id: 'a1b2c3d4e5f6', secret: 'f'.repeat(64) };
const stored = (i: number, id: number, version: number) => ({
  id,
  version,
  formType: String(golden[i].formType),
  data: golden[i],
});

describe('return stamps', () => {
  it('reads back which record and version each form was generated from, sealed by its deployment', () => {
    const result = parser.parseDocx(generateStoredDocx([stored(0, 7, 3), stored(3, 9, 1)], deployment));
    expect(result.records).toEqual([golden[0], golden[3]]);
    expect(result.stamps?.map((s) => s && [s.recordId, s.version, s.formType])).toEqual([
      [7, 3, golden[0].formType],
      [9, 1, golden[3].formType],
    ]);
    expect(result.stamps?.every((s) => s && isOwnStamp(s, deployment))).toBe(true);
    expect(result.stamps?.some((s) => s && isOwnStamp(s, { ...deployment, secret: 'e'.repeat(64) }))).toBe(
      false,
    );
    expect(result.stamps?.some((s) => s && isOwnStamp(s, { ...deployment, id: 'another' }))).toBe(false);
  });

  it('breaks the seal when a property is changed', () => {
    const bytes = editParts(generateStoredDocx([stored(0, 7, 3)], deployment), (parts) =>
      parts.set('docProps/custom.xml', (parts.get('docProps/custom.xml') ?? '').replace('>7<', '>8<')),
    );
    const [stamp] = parser.parseDocx(bytes).stamps ?? [];
    expect(stamp).toMatchObject({ recordId: 8 });
    expect(isOwnStamp(stamp!, deployment)).toBe(false);
  });

  it('matches no stamp to any form once the document holds other forms than it was generated with', () => {
    const two = generateStoredDocx([stored(0, 7, 3), stored(1, 8, 1)], deployment);
    // The second form replaced by a form of another type, as pasting one over it would.
    const otherBody = partText(generateDocx([golden[0], golden[3]]), 'word/document.xml');
    const swapped = editParts(two, (parts) => parts.set('word/document.xml', otherBody));
    expect(parser.parseDocx(swapped).stamps?.map((s) => s?.recordId ?? null)).toEqual([7, null]);
    // A form added or removed: the properties no longer line up with the forms at all.
    const result = parser.parseDocx(
      editParts(two, (parts) => {
        const custom = parts.get('docProps/custom.xml') ?? '';
        parts.set('docProps/custom.xml', custom.replace(/(FormBridge\.FormCount"[^>]*><vt:lpwstr>)2/, '$13'));
      }),
    );
    expect(result.stamps).toEqual([null, null]);
    expect(result.warnings).toContainEqual(expect.objectContaining({ code: WarningCode.ReturnRefused }));
  });

  it('leaves forms generated from plain records without stamps', () => {
    expect(parser.parseDocx(generateDocx([golden[0]])).stamps).toBeUndefined();
  });
});
