import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ErrorCode, FormBridgeError } from '@formbridge/common';

export interface ConverterOptions {
  /** The LibreOffice executable; found on PATH when not given. */
  command?: string;
  timeoutMs?: number;
}

const INSTALL_HINT =
  'legacy .doc/.rtf files need LibreOffice to convert them: install it (Debian/Ubuntu: apt-get install libreoffice-writer-nogui) and make sure `soffice` is on PATH';

/**
 * Converts a legacy Word file to .docx with LibreOffice. The file is written under a fixed name
 * in a private temporary folder, so no name from a user ever reaches a command line, and each
 * conversion gets its own LibreOffice profile so concurrent conversions do not collide.
 */
export async function convertToDocx(
  bytes: Uint8Array,
  extension: 'doc' | 'rtf',
  options: ConverterOptions = {},
): Promise<Uint8Array> {
  const command = options.command ?? 'soffice';
  const dir = await mkdtemp(join(tmpdir(), 'formbridge-convert-'));
  try {
    const input = join(dir, `submission.${extension}`);
    await writeFile(input, bytes);
    await new Promise<void>((resolve, reject) => {
      execFile(
        command,
        [
          '--headless',
          '--norestore',
          `-env:UserInstallation=${pathToFileURL(join(dir, 'profile')).href}`,
          '--convert-to',
          'docx:MS Word 2007 XML',
          '--outdir',
          dir,
          input,
        ],
        { timeout: options.timeoutMs ?? 120_000, killSignal: 'SIGKILL' },
        (err) => {
          if (!err) return resolve();
          if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
            return reject(new FormBridgeError(ErrorCode.ConverterMissing, INSTALL_HINT));
          }
          reject(
            new FormBridgeError(
              ErrorCode.ConversionFailed,
              `LibreOffice could not convert the file: ${err.message.split('\n')[0]}`,
            ),
          );
        },
      );
    });
    try {
      return await readFile(join(dir, 'submission.docx'));
    } catch {
      throw new FormBridgeError(
        ErrorCode.ConversionFailed,
        'LibreOffice produced no .docx for this file (damaged or not a Word file)',
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
