import { readDocx } from '@formbridge/word';
import { FormParser } from './form-parser';
import { generateDocx } from './generate';
import { TaggedLayer } from './tagged-layer';
import { WarningCode } from './warnings';
import {
  editDocumentXml,
  editParts,
  setControlText,
  tableRows,
  textOf,
  withoutLayer,
} from '../../../test/support/docx-parts';
import { goldenRecords } from '../../../test/support/golden';

const parser = new FormParser();
const golden = goldenRecords();
type Rec = Record<string, unknown>;
const special = () => structuredClone(golden[0]) as Rec;

const codes = (warnings: Array<{ code: string }>) => warnings.map((w) => w.code);

describe('the tagged layer', () => {
  it('gives back a form edited in Word: a value changed inside its control and an indicator row copied below another', () => {
    const bytes = generateDocx([golden[0]]);
    const edited = editDocumentXml(bytes, (xml) => {
      let out = setControlText(xml, 'projectName', '基层政权建设（修订）');
      // Word's copy of a table row keeps its cells, merges and content controls.
      const quality = tableRows(out).find((r) => textOf(r).startsWith('质量指标'))!;
      const copy = setControlText(quality, 'indicators[].content', '新增的质量指标');
      out = out.replace(quality, quality + copy);
      return out;
    });
    const expected = special();
    expected.projectName = '基层政权建设（修订）';
    const indicators = expected.indicators as Rec[];
    indicators.splice(2, 0, { ...indicators[1], content: '新增的质量指标' });

    const result = parser.parseDocx(edited);
    expect(result.records).toEqual([expected]);
    expect(result.warnings).toEqual([]);
    // The labels agree once the tags are gone: the edit is a real edit of the printed form.
    expect(parser.parseDocx(withoutLayer(edited)).records).toEqual([expected]);
  });

  it('reads a box ticked in Word, and flags two ticked boxes', () => {
    const tick = (xml: string, option: string, on: boolean) =>
      xml.replace(
        new RegExp(
          `(<w:tag w:val="projectAttribute=${option}"/><w14:checkbox><w14:checked w14:val=")[01]("/>[\\s\\S]*?<w:t>)[☑☐]`,
        ),
        `$1${on ? 1 : 0}$2${on ? '☑' : '☐'}`,
      );
    const switched = editDocumentXml(generateDocx([golden[0]]), (xml) =>
      tick(tick(xml, 'continuing', false), 'new', true),
    );
    expect(parser.parseDocx(switched).records[0].projectAttribute).toBe('new');
    const both = editDocumentXml(generateDocx([golden[0]]), (xml) => tick(xml, 'new', true));
    const result = parser.parseDocx(both);
    expect(result.records[0].projectAttribute).toBeNull();
    expect(result.warnings).toContainEqual(
      expect.objectContaining({ code: WarningCode.AmbiguousChoice, path: '$.projectAttribute' }),
    );
  });

  it('keeps the tagged value over the printed text and says where they disagree', () => {
    // A sentence typed into the cell after the control: the labels see it, the tag does not.
    const edited = editDocumentXml(generateDocx([golden[0]]), (xml) => {
      const at = xml.indexOf('<w:tag w:val="basis"/>');
      const close = xml.indexOf('</w:p>', at) + '</w:p>'.length;
      return `${xml.slice(0, close)}<w:p><w:r><w:t>手写补充</w:t></w:r></w:p>${xml.slice(close)}`;
    });
    const result = parser.parseDocx(edited);
    expect(result.records[0].basis).toBe(golden[0].basis);
    expect(result.warnings).toEqual([
      expect.objectContaining({ code: WarningCode.EditedLayer, path: '$.basis', recordIndex: 0 }),
    ]);
    expect(parser.parseDocx(withoutLayer(edited)).records[0].basis).toBe(
      `${golden[0].basis as string}\n手写补充`,
    );
  });

  it('reads values exactly where the printed labels alone would be fooled', () => {
    const record = special();
    // A date inside the opinion text, with no review date: the label reader takes it for the date.
    record.reviews = [{ authority: '财政部门预算股', opinion: '请于2019年5月1日前补充材料', date: null }];
    const bytes = generateDocx([record]);
    const result = parser.parseDocx(bytes);
    expect(result.records).toEqual([record]);
    expect(result.warnings).toEqual([
      expect.objectContaining({ code: WarningCode.EditedLayer, path: '$.reviews' }),
    ]);
    expect(parser.parseDocx(withoutLayer(bytes)).records[0].reviews).not.toEqual(record.reviews);
  });

  it('reads a changed amount of the department form from its tagged control', () => {
    const edited = editDocumentXml(generateDocx([golden[3]]), (xml) =>
      setControlText(xml, 'budget.byExpenditure.project', '450.17万元'),
    );
    const result = parser.parseDocx(edited);
    const budget = result.records[0].budget as { byExpenditure: { project: string } };
    expect(budget.byExpenditure.project).toBe('450.17');
    expect(codes(result.warnings)).toEqual([WarningCode.SumMismatch]);
  });

  it('falls back to the printed labels, with a warning, when a re-save dropped the tags', () => {
    // LibreOffice 7.4 keeps content controls and custom properties but writes them without w:tag.
    const resaved = editDocumentXml(generateDocx(golden), (xml) =>
      xml.replace(/<w:tag w:val="[^"]*"\/>/g, ''),
    );
    const result = parser.parseDocx(resaved);
    expect(result.records).toEqual(golden);
    expect(result.warnings).toEqual([
      expect.objectContaining({
        code: WarningCode.EditedLayer,
        recordIndex: null,
        message: expect.stringContaining('lost'),
      }),
    ]);
  });

  it('does not trust properties that no longer match the forms, or a layer from another contract version', () => {
    const retitled = (name: string, value: string) =>
      editParts(generateDocx(golden.slice(0, 2)), (parts) =>
        parts.set(
          'docProps/custom.xml',
          parts
            .get('docProps/custom.xml')!
            .replace(new RegExp(`(name="${name}"><vt:lpwstr>)[^<]*`), `$1${value}`),
        ),
      );
    for (const bytes of [
      retitled('FormBridge.FormCount', '3'),
      retitled('FormBridge.ContractVersion', '0'),
    ]) {
      const doc = readDocx(bytes);
      expect(TaggedLayer.read(doc)?.form(doc.blocks, undefined as never, 0)).toBeUndefined();
      const result = parser.parseDocx(bytes);
      expect(result.records).toEqual(golden.slice(0, 2));
      expect(codes(result.warnings)).toEqual([WarningCode.EditedLayer]);
    }
    const swapped = retitled('FormBridge.Form1.Type', 'department-overall-performance-target');
    const result = parser.parseDocx(swapped);
    expect(result.records).toEqual(golden.slice(0, 2));
    expect(result.warnings).toEqual([
      expect.objectContaining({ code: WarningCode.EditedLayer, recordIndex: 0 }),
    ]);
  });

  it('is absent from documents FormBridge did not generate', () => {
    const doc = readDocx(withoutLayer(generateDocx([golden[0]])));
    expect(TaggedLayer.read(doc)).toBeUndefined();
  });
});
