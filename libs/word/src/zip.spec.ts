import { ErrorCode } from '@formbridge/common';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Deflate, strToU8, zipSync } from 'fflate';
import { documentXml, packageOf, p, r } from '../../../test/support/ooxml';
import { withDeclaredSize } from '../../../test/support/zip-headers';
import { readDocx, readSubmission } from './word-reader';
import { ZipPackage } from './zip';

/** A zip whose one entry inflates to `size` spaces, built without holding them in memory. */
function bombZip(size: number, declaredSize = size): Uint8Array {
  const chunks: Uint8Array[] = [];
  const deflate = new Deflate({ level: 9 }, (c) => chunks.push(c));
  const block = new Uint8Array(1 << 20).fill(0x20);
  for (let done = 0; done < size; done += block.length) deflate.push(block, done + block.length >= size);
  const data = Buffer.concat(chunks);
  const name = Buffer.from('word/document.xml');
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(declaredSize, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(declaredSize, 24);
  central.writeUInt16LE(name.length, 28);
  central.writeUInt32LE(0, 42);
  const cdOffset = local.length + name.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + name.length, 12);
  end.writeUInt32LE(cdOffset, 16);
  return Buffer.concat([local, name, data, central, name, end]);
}

describe('ZipPackage', () => {
  it('refuses a part whose declared inflated size is over the cap before inflating it', () => {
    const zip = new ZipPackage(bombZip(8 << 20), { maxEntryBytes: 1 << 20, maxEntries: 10 });
    expect(() => zip.read('word/document.xml')).toThrow(
      expect.objectContaining({ code: ErrorCode.InflatedTooLarge }),
    );
  });

  it('stops inflating at the cap when a part outgrows the size its directory declared (a lying bomb)', () => {
    // 256 MB of spaces deflate to ~250 KB; the directory claims 300 KB inflated. Only reading
    // the part is timed, not building the bomb.
    const zip = new ZipPackage(bombZip(256 << 20, 300_000), { maxEntryBytes: 8 << 20, maxEntries: 10 });
    const started = Date.now();
    expect(() => zip.read('word/document.xml')).toThrow(
      expect.objectContaining({ code: ErrorCode.InflatedTooLarge }),
    );
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('refuses a part that declares less than its compressed data when it inflates past the cap', () => {
    const zip = new ZipPackage(bombZip(4 << 20, 1000), { maxEntryBytes: 1 << 20, maxEntries: 10 });
    expect(() => zip.read('word/document.xml')).toThrow(
      expect.objectContaining({ code: ErrorCode.InflatedTooLarge }),
    );
  });

  it('reads a part whose declared size is wrong but whose data inflates within the cap, with a warning', () => {
    for (const declared of [1000, 5 << 20]) {
      const zip = new ZipPackage(bombZip(4 << 20, declared), { maxEntryBytes: 8 << 20, maxEntries: 10 });
      expect(zip.read('word/document.xml')?.length).toBe(4 << 20);
      expect(zip.warnings).toEqual([
        { part: 'word/document.xml', message: expect.stringContaining(`declares ${declared} bytes`) },
      ]);
    }
  });

  it('does not look at parts it does not read (a wrong size in docProps/core.xml, Apache POI bug 55733)', () => {
    const word = readFileSync(join(__dirname, '../../../fixtures/legacy/word/seed-1.docx'));
    const doc = readDocx(withDeclaredSize(word, 'docProps/core.xml', 100));
    expect(doc.packageWarnings).toEqual([]);
    expect(doc.blocks.length).toBeGreaterThan(0);
  });

  it('reads a small part whose bytes it has met before with the checks of this file: its own declared size and cap', () => {
    const word = packageOf(documentXml(p(r('x'))));
    const honest = new ZipPackage(word);
    const text = honest.readText('[Content_Types].xml');
    expect(text).toContain('<Types');
    expect(honest.warnings).toEqual([]);
    // The same compressed bytes again, in a package whose directory lies about their size.
    const lying = new ZipPackage(withDeclaredSize(word, '[Content_Types].xml', 10));
    expect(lying.readText('[Content_Types].xml')).toBe(text);
    expect(lying.warnings).toEqual([
      {
        part: '[Content_Types].xml',
        message: `part [Content_Types].xml declares 10 bytes but holds ${Buffer.byteLength(text!)}; read as it is`,
      },
    ]);
    const capped = new ZipPackage(word, { maxEntryBytes: 100, maxEntries: 100 });
    expect(() => capped.readText('[Content_Types].xml')).toThrow(
      expect.objectContaining({ code: ErrorCode.InflatedTooLarge }),
    );
  });

  it('reports a truncated package as corrupt', () => {
    const whole = packageOf(documentXml(p(r('x'))));
    expect(() => readDocx(whole.subarray(0, Math.floor(whole.length / 2)))).toThrow(
      expect.objectContaining({ code: ErrorCode.CorruptFile }),
    );
  });

  it.each(['../../evil.txt', '/etc/evil', 'word\\..\\x', 'C:/x', 'a/../../b'])(
    'refuses a package with an entry named %s (nothing is ever extracted to disk either way)',
    (name) => {
      const pkg = packageOf(documentXml(p(r('部门名称'))), { [name]: 'x' });
      expect(() => readDocx(pkg)).toThrow(expect.objectContaining({ code: ErrorCode.UnsafePackage }));
    },
  );

  it('accepts ordinary part names with dots', () => {
    const pkg = packageOf(documentXml(p(r('部门名称'))), {
      'word/media/image1..png': 'x',
      'docProps/.hidden': 'y',
    });
    expect(readDocx(pkg).blocks).toHaveLength(1);
  });

  it('finds the main part through the package relationships', () => {
    const rels =
      '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="r1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/word/document2.xml"/></Relationships>';
    const pkg = zipSync({
      '_rels/.rels': strToU8(rels),
      'word/document2.xml': strToU8(documentXml(p(r('附件3-1')))),
    });
    expect(readDocx(pkg).blocks).toEqual([expect.objectContaining({ text: '附件3-1' })]);
  });

  it('says which part is missing when the zip holds no Word document', () => {
    expect(() => readDocx(zipSync({ 'hello.txt': strToU8('hi') }))).toThrow(
      expect.objectContaining({ code: ErrorCode.MissingDocumentPart }),
    );
  });
});

describe('readSubmission', () => {
  it.each([
    ['an empty file', new Uint8Array(0), ErrorCode.EmptyFile],
    ['plain text', strToU8('这不是Word文件'), ErrorCode.NotWord],
    ['a PNG', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]), ErrorCode.NotWord],
  ])('refuses %s with its own error', async (_what, bytes, code) => {
    await expect(readSubmission(bytes)).rejects.toMatchObject({ code });
  });

  it('refuses a file over the size limit before reading it', async () => {
    await expect(readSubmission(new Uint8Array(2048), { maxBytes: 1024 })).rejects.toMatchObject({
      code: ErrorCode.TooLarge,
    });
  });

  it('says a password-protected file is encrypted', async () => {
    const ole = Buffer.alloc(1024);
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(ole);
    Buffer.from('EncryptedPackage', 'utf16le').copy(ole, 600);
    await expect(readSubmission(ole)).rejects.toMatchObject({ code: ErrorCode.Encrypted });
  });

  it('says what to install when a .doc needs LibreOffice and it is missing', async () => {
    const ole = Buffer.alloc(1024);
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(ole);
    Buffer.from('WordDocument', 'utf16le').copy(ole, 600);
    await expect(
      readSubmission(ole, { converter: { command: '/nonexistent/soffice' } }),
    ).rejects.toMatchObject({
      code: ErrorCode.ConverterMissing,
      message: expect.stringContaining('apt-get install libreoffice-writer-nogui'),
    });
  });
});
