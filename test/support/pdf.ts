import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Whether poppler's pdftotext and pdffonts are installed (CI installs poppler-utils). */
export const popplerAvailable = ['pdftotext', 'pdffonts'].every(
  (tool) => spawnSync(tool, ['-v'], { encoding: 'utf8' }).error === undefined,
);

function withFile<T>(pdf: Uint8Array | string, use: (file: string) => T): T {
  if (typeof pdf === 'string') return use(pdf);
  const dir = mkdtempSync(join(tmpdir(), 'fb-pdf-'));
  try {
    const file = join(dir, 'x.pdf');
    writeFileSync(file, pdf);
    return use(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function poppler(tool: string, args: string[]): string {
  const run = spawnSync(tool, args, { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`${tool} failed: ${run.stderr}`);
  return run.stdout;
}

/** The PDF's pages as text, whitespace removed (LibreOffice wraps lines wherever a cell ends). */
export function pdfPages(pdf: Uint8Array | string): string[] {
  return withFile(pdf, (file) => poppler('pdftotext', [file, '-']))
    .split('\f')
    .map((p) => p.replace(/\s+/g, ''))
    .filter((p, i, all) => p.length > 0 || i < all.length - 1);
}

/** The fonts embedded in the PDF, without their subset prefix (`NotoSerifCJKjp-Regular-VKana`). */
export function pdfFonts(pdf: Uint8Array | string): string[] {
  const lines = withFile(pdf, (file) => poppler('pdffonts', [file]))
    .split('\n')
    .slice(2);
  const names = lines.filter((l) => l.trim()).map((l) => l.split(/\s+/)[0].replace(/^[A-Z]{6}\+/, ''));
  return [...new Set(names)].sort();
}

/**
 * Whether `needle` is printed in order in `page`. pdftotext interleaves the lines of cells that sit
 * side by side, so a value wrapped inside its cell comes out with its neighbours' lines between
 * its own; its characters still come in order.
 */
export function inOrder(page: string, needle: string): boolean {
  let at = 0;
  for (const ch of needle) {
    at = page.indexOf(ch, at);
    if (at < 0) return false;
    at += ch.length;
  }
  return true;
}
