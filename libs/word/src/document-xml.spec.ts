import { ErrorCode } from '@formbridge/common';
import { documentXml, p, r, tbl, tc, tr } from '../../../test/support/ooxml';
import { readDocumentXml } from './document-xml';
import type { WordParagraph, WordTable } from './model';

const texts = (body: string) =>
  readDocumentXml(documentXml(body))
    .blocks.filter((b): b is WordParagraph => b.kind === 'paragraph')
    .map((b) => b.text);
const table = (body: string) =>
  readDocumentXml(documentXml(body)).blocks.find((b): b is WordTable => b.kind === 'table')!;

describe('readDocumentXml', () => {
  it('joins text split across runs, proofing marks, bookmarks, smart tags and fields without losing a character', () => {
    const body = p(
      `<w:r w:rsidR="00A1"><w:t>专</w:t></w:r><w:proofErr w:type="spellStart"/><w:r><w:rPr><w:b/></w:rPr><w:t>项</w:t></w:r>` +
        `<w:bookmarkStart w:id="0" w:name="_GoBack"/><w:bookmarkEnd w:id="0"/><w:proofErr w:type="spellEnd"/>` +
        `<w:smartTag w:uri="urn:x" w:element="place"><w:r><w:t>名</w:t></w:r></w:smartTag>` +
        `<w:fldSimple w:instr=" PAGE "><w:r><w:t>称</w:t></w:r></w:fldSimple>` +
        `<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> MERGEFIELD name </w:instrText></w:r>` +
        `<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>：值</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>`,
    );
    expect(texts(body)).toEqual(['专项名称：值']);
  });

  it('keeps tracked insertions and drops deletions and moved-away text', () => {
    const body = p(
      `<w:r><w:t>保障</w:t></w:r><w:del w:id="1" w:author="a"><w:r><w:rPr><w:b/><w:i/></w:rPr><w:delText>旧</w:delText></w:r><w:r><w:rPr><w:b/></w:rPr><w:delText>的</w:delText></w:r></w:del>` +
        `<w:ins w:id="2" w:author="a"><w:r><w:t>基层</w:t></w:r></w:ins>` +
        `<w:moveFrom w:id="3"><w:r><w:t>挪走</w:t></w:r></w:moveFrom><w:moveTo w:id="4"><w:r><w:t>政权</w:t></w:r></w:moveTo>`,
    );
    expect(texts(body)).toEqual(['保障基层政权']);
  });

  it('reads a text box once although Word stores it twice (choice and VML fallback)', () => {
    const box =
      `<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent>${p(r('附件2-1'))}</w:txbxContent></wps:txbx></w:drawing></mc:Choice>` +
      `<mc:Fallback><w:pict><v:textbox><w:txbxContent>${p(r('附件2-1'))}</w:txbxContent></v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r>`;
    expect(texts(p(box + r('专项资金绩效目标申报表')))).toEqual(['附件2-1', '专项资金绩效目标申报表']);
  });

  it('turns symbol-font, content-control and legacy form-field checkboxes into ☑/☐ glyphs', () => {
    const sym = (font: string, ch: string) => `<w:r><w:sym w:font="${font}" w:char="${ch}"/></w:r>`;
    const control = (checked: boolean) =>
      `<w:sdt><w:sdtPr><w14:checkbox><w14:checked w14:val="${checked ? 1 : 0}"/></w14:checkbox></w:sdtPr><w:sdtContent><w:r><w:t>${checked ? '☒' : '☐'}</w:t></w:r></w:sdtContent></w:sdt>`;
    const formField = (on: boolean) =>
      `<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:checkBox><w:sizeAuto/><w:default w:val="${on ? 1 : 0}"/></w:checkBox></w:ffData></w:fldChar></w:r>` +
      `<w:r><w:instrText> FORMCHECKBOX </w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>`;
    expect(
      texts(
        p(r('A') + sym('Wingdings', 'F0FE') + r('B') + sym('Wingdings', 'F0A8')) +
          p(
            r('A') + sym('Wingdings 2', 'F052') + r('B') + sym('Wingdings 2', 'F0A3') + sym('Symbol', 'F0D6'),
          ) +
          p(r('A') + control(true) + r('B') + control(false)) +
          p(r('A') + formField(true) + r('B') + formField(false)),
      ),
    ).toEqual(['A☑B□', 'A☑B□√', 'A☑B☐', 'A☑B☐']);
  });

  it('turns line breaks and carriage returns into newlines and notes page breaks', () => {
    const body =
      p(
        r('专项立项') +
          '<w:r><w:br/></w:r>' +
          r('依据') +
          '<w:r><w:cr/></w:r>' +
          r('x') +
          '<w:r><w:tab/></w:r>' +
          r('y'),
      ) + p('<w:r><w:br w:type="page"/></w:r>' + r('附件2-1'));
    const blocks = readDocumentXml(documentXml(body)).blocks as WordParagraph[];
    expect(blocks.map((b) => b.text)).toEqual(['专项立项\n依据\nx\ty', '附件2-1']);
    expect(blocks[1].breakBefore).toBe(true);
  });

  it('ignores tab stop definitions in paragraph properties', () => {
    expect(
      texts(p('<w:pPr><w:tabs><w:tab w:val="left" w:pos="420"/></w:tabs></w:pPr>' + r('填报人：'))),
    ).toEqual(['填报人：']);
  });

  it('resolves gridSpan, legacy hMerge, vMerge (bare means continue) and gridBefore into grid columns', () => {
    const t = table(
      tbl(
        tr(tc(p(r('A')), '<w:vMerge w:val="restart"/>') + tc(p(r('B')), '<w:gridSpan w:val="2"/>')) +
          tr(
            tc(p(''), '<w:vMerge/>') +
              tc(p(r('C')), '<w:hMerge w:val="restart"/>') +
              tc(p(r('')), '<w:hMerge/>'),
          ) +
          tr(tc(p(r('D'))) + tc(p(r('E'))), '<w:gridBefore w:val="1"/><w:wBefore w:w="100" w:type="dxa"/>'),
        [100, 200, 300],
      ),
    );
    expect(t.grid).toEqual([100, 200, 300]);
    expect(t.rows.map((row) => row.cells.map((c) => [c.text, c.col, c.gridSpan, c.vMerge ?? null]))).toEqual([
      [
        ['A', 0, 1, 'restart'],
        ['B', 1, 2, null],
      ],
      [
        ['', 0, 1, 'continue'],
        ['C', 1, 2, null],
      ],
      [
        ['D', 1, 1, null],
        ['E', 2, 1, null],
      ],
    ]);
  });

  it('keeps nested tables inside their cell', () => {
    const inner = tbl(tr(tc(p(r('一级指标'))) + tc(p(r('二级指标')))), [50, 50]);
    const t = table(tbl(tr(tc(p(r('专项年度绩效指标'))) + tc(inner + p(''))), [100, 100]));
    expect(t.rows[0].cells[1].tables[0].rows[0].cells.map((c) => c.text)).toEqual(['一级指标', '二级指标']);
    expect(t.rows[0].cells[1].text).toBe('');
  });

  it('collects tagged content controls with where they sit, and hides placeholder text', () => {
    const doc = readDocumentXml(
      documentXml(
        tbl(
          tr(
            tc(p(r('专项名称'))) +
              tc(
                p(
                  `<w:sdt><w:sdtPr><w:tag w:val="projectName"/></w:sdtPr><w:sdtContent>${r('惠民')}${r('项目')}</w:sdtContent></w:sdt>`,
                ),
              ),
          ),
          [100, 100],
        ) +
          p(
            `<w:sdt><w:sdtPr><w:tag w:val="phone"/><w:showingPlcHdr/></w:sdtPr><w:sdtContent>${r('单击此处输入文字')}</w:sdtContent></w:sdt>`,
          ),
      ),
    );
    expect(doc.tagged).toEqual([
      { tag: 'projectName', text: '惠民项目', location: { table: 0, row: 0, cell: 1 } },
      { tag: 'phone', text: '', location: { paragraph: 0 } },
    ]);
    expect((doc.blocks[1] as WordParagraph).text).toBe('');
  });

  it('reads documents whose WordprocessingML namespace uses another prefix', () => {
    const xml =
      '<?xml version="1.0"?><x:document xmlns:x="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><x:body>' +
      '<x:p><x:r><x:t>部门名称</x:t></x:r><x:r><x:br x:type="page"/></x:r></x:p></x:body></x:document>';
    const [para] = readDocumentXml(xml).blocks as WordParagraph[];
    expect(para.text).toBe('部门名称');
    expect(para.breakAfter).toBe(true);
  });

  it('refuses a DOCTYPE (entity expansion and external entities are never attempted)', () => {
    const laughs =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>' +
      '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>';
    const external =
      '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>';
    for (const xml of [laughs, external]) {
      expect(() => readDocumentXml(xml)).toThrow(expect.objectContaining({ code: ErrorCode.UnsafeXml }));
    }
  });

  it('reports malformed XML as a corrupt file', () => {
    expect(() => readDocumentXml('<w:document><w:body><w:p>')).toThrow(
      expect.objectContaining({ code: ErrorCode.CorruptFile }),
    );
  });
});
