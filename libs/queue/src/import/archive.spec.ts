import { strToU8, zipSync } from 'fflate';
import { ErrorCode } from '@formbridge/common';
import { archiveEntries } from './archive';
import { isSubmissionName } from './submission-file';

const limits = { maxFileBytes: 1024, maxEntries: 100 };

describe('archiveEntries', () => {
  it('yields the Word entries of an archive by name, skipping folders, other files and junk', () => {
    const zip = zipSync({
      'a.docx': strToU8('one'),
      'sub/B.DOC': strToU8('two'),
      'notes.txt': strToU8('x'),
      '__MACOSX/sub/._B.DOC': strToU8('x'),
      'sub/~$a.docx': strToU8('lock'),
    });
    const entries = [...archiveEntries(zip, 'in.zip', limits)];
    expect(entries.map((e) => [e.name, e.bytes && Buffer.from(e.bytes).toString()])).toEqual([
      ['in.zip!/a.docx', 'one'],
      ['in.zip!/sub/B.DOC', 'two'],
    ]);
  });

  it('refuses an entry larger than a file may be, and an unreadable archive as one refused file', () => {
    const zip = zipSync({ 'big.docx': new Uint8Array(4096), 'ok.docx': strToU8('ok') });
    const [big, ok] = [...archiveEntries(zip, 'in.zip', limits)];
    expect(big).toMatchObject({ name: 'in.zip!/big.docx', failure: { code: ErrorCode.TooLarge } });
    expect(ok.bytes).toBeDefined();
    expect([...archiveEntries(strToU8('not a zip'), 'bad.zip', limits)]).toEqual([
      {
        name: 'bad.zip',
        failure: { code: ErrorCode.CorruptFile, reason: expect.stringContaining('cannot be read') },
      },
    ]);
  });

  it('takes only Word names from folders', () => {
    expect(['a.docx', 'b.doc', 'c.rtf', 'd.DOCX'].every(isSubmissionName)).toBe(true);
    expect(
      ['a.pdf', '.hidden.docx', '~$lock.docx', 'x/__MACOSX/a.docx', 'a.zip'].some(isSubmissionName),
    ).toBe(false);
  });
});
