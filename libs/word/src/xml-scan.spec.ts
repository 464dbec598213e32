import { ErrorCode } from '@formbridge/common';
import { attr, scanXml } from './xml-scan';

function events(xml: string): string[] {
  const out: string[] = [];
  scanXml(xml, {
    open: (name, attrs, selfClosing) => out.push(`<${name}${selfClosing ? '/' : ''}|${attrs.trim()}`),
    close: (name) => out.push(`</${name}`),
    text: (t) => out.push(`"${t}"`),
  });
  return out;
}

describe('scanXml', () => {
  it('reports tags, attributes and decoded text, skipping comments and processing instructions', () => {
    expect(
      events(
        '<?xml version="1.0"?><!-- c --><a x="1 &amp; 2"><b/>&lt;&#x4E2D;&#25991;&gt;<![CDATA[<raw>]]></a>',
      ),
    ).toEqual(['<a|x="1 &amp; 2"', '<b/|', '</b', '"<中文>"', '"<raw>"', '</a']);
  });

  it('finds the end of a tag past a ">" inside a quoted attribute', () => {
    expect(events('<a t="x>y"><b/></a>')).toEqual(['<a|t="x>y"', '<b/|', '</b', '</a']);
  });

  it('reads attribute values exactly, by whole name', () => {
    expect(attr(' w:val="restart" w:valx="no"', 'w:val')).toBe('restart');
    expect(attr(' xw:val="no" w:val = \'yes\'', 'w:val')).toBe('yes');
    expect(attr(' w:val="a&quot;b"', 'w:val')).toBe('a"b');
    expect(attr(' w:other="1"', 'w:val')).toBeUndefined();
  });

  it.each([
    ['a DOCTYPE', '<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>', ErrorCode.UnsafeXml],
    ['an undeclared entity', '<a>&e;</a>', ErrorCode.UnsafeXml],
    ['mismatched tags', '<a><b></a></b>', ErrorCode.CorruptFile],
    ['a truncated document', '<a><b>text', ErrorCode.CorruptFile],
    ['two roots', '<a/><b/>', ErrorCode.CorruptFile],
    ['no root', '   ', ErrorCode.CorruptFile],
    ['a bare ampersand', '<a>R&D</a>', ErrorCode.CorruptFile],
  ])('refuses %s', (_what, xml, code) => {
    expect(() => events(xml)).toThrow(expect.objectContaining({ code }));
  });
});
