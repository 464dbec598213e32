import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { wordBreaks } from '@formbridge/forms';

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

/** A piece of text pdftotext found on one line, with its box in points. */
interface PdfWord {
  page: number;
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

function pdfWords(pdf: Uint8Array | string): PdfWord[] {
  const html = withFile(pdf, (file) => poppler('pdftotext', ['-bbox', file, '-']));
  const unescape = (s: string) =>
    s
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&');
  return html
    .split('<page ')
    .flatMap((page, n) =>
      [
        ...page.matchAll(
          /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g,
        ),
      ].map((m) => ({ page: n, text: unescape(m[5]), xMin: +m[1], yMin: +m[2], xMax: +m[3], yMax: +m[4] })),
    );
}

/**
 * The text of every column of lines in the PDF: a piece followed by the piece on the next line
 * whose box overlaps it horizontally, as the lines of one table cell sit. Each text comes with
 * the offsets where a line ends inside it.
 */
export function pdfLineRuns(pdf: Uint8Array | string): Array<{ text: string; breaks: number[] }> {
  const words = pdfWords(pdf);
  const next = new Map<PdfWord, PdfWord>();
  for (const a of words) {
    const height = a.yMax - a.yMin;
    const below = words
      .filter(
        (b) =>
          b.page === a.page &&
          b.yMin - a.yMin > height / 2 &&
          b.yMin - a.yMin < height * 1.6 &&
          Math.max(a.xMin, b.xMin) < Math.min(a.xMax, b.xMax),
      )
      .sort((x, y) => x.yMin - y.yMin);
    if (below.length) next.set(a, below[0]);
  }
  const followers = new Set(next.values());
  return words
    .filter((w) => !followers.has(w))
    .map((w) => {
      let text = w.text;
      const breaks: number[] = [];
      for (let b = next.get(w); b; b = next.get(b)) {
        breaks.push(text.length);
        text += b.text;
      }
      return { text, breaks };
    });
}

/**
 * How each label is printed: for every place it appears, the pieces its lines cut it into
 * (`['二级指', '标']`). A label that appears nowhere maps to an empty list.
 */
export function printedLabels(pdf: Uint8Array | string, labels: string[]): Map<string, string[][]> {
  const runs = pdfLineRuns(pdf);
  return new Map(
    labels.map((label) => {
      const found: string[][] = [];
      for (const run of runs)
        for (let at = run.text.indexOf(label); at >= 0; at = run.text.indexOf(label, at + 1)) {
          const cuts = run.breaks.filter((b) => b > at && b < at + label.length).map((b) => b - at);
          found.push([0, ...cuts].map((c, k, all) => label.slice(c, all[k + 1])));
        }
      return [label, found];
    }),
  );
}

/** The printings of `label` that end a line inside a word (`['二级指', '标']`). */
export function brokenInsideWords(label: string, printings: string[][]): string[][] {
  const allowed = wordBreaks(label);
  return printings.filter((pieces) => {
    let at = 0;
    return pieces.slice(0, -1).some((p) => !allowed.includes((at += p.length)));
  });
}
