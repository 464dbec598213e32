import { ErrorCode } from '@formbridge/common';
import { attr, scanXml, scanXmlBytes, utf8 } from './xml-scan';

function stringEvents(xml: string): string[] {
  const out: string[] = [];
  scanXml(xml, {
    open: (name, attrs, selfClosing) => out.push(`<${name}${selfClosing ? '/' : ''}|${attrs.trim()}`),
    close: (name) => out.push(`</${name}`),
    text: (t) => out.push(`"${t}"`),
  });
  return out;
}

/** The byte scanner's events in the string scanner's shape: both must read every input alike. */
function byteEvents(xml: string): string[] {
  const bytes = Buffer.from(xml, 'utf8');
  const out: string[] = [];
  scanXmlBytes(bytes, {
    open: (name, start, end, selfClosing) =>
      out.push(`<${name}${selfClosing ? '/' : ''}|${utf8(bytes, start, end).trim()}`),
    close: (name) => out.push(`</${name}`),
    text: (start, end, decoded) => out.push(`"${decoded ?? utf8(bytes, start, end)}"`),
  });
  return out;
}

describe.each([
  ['scanXml', stringEvents],
  ['scanXmlBytes', byteEvents],
])('%s', (_name, events) => {
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

  it('reads multi-byte names, text and attributes, and names that recur, exactly', () => {
    expect(events('\ufeff<文档 属性="值"><段 a="x>y">中文&amp;字</段 ><段/></文档>')).toEqual([
      '<文档|属性="值"',
      '<段|a="x>y"',
      '"中文&字"',
      '</段',
      '<段/|',
      '</段',
      '</文档',
    ]);
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
    ['an undeclared entity in text no reader keeps', '<a><b>x</b>&e;</a>', ErrorCode.UnsafeXml],
    ['text after the root', '<a/>x', ErrorCode.CorruptFile],
    ['an unterminated comment', '<a><!-- x</a>', ErrorCode.CorruptFile],
    ['an unterminated attribute', '<a t="x></a>', ErrorCode.CorruptFile],
  ])('refuses %s', (_what, xml, code) => {
    expect(() => events(xml)).toThrow(expect.objectContaining({ code }));
  });
});
