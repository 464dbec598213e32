import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '@formbridge/config';
import { generateDocx } from '@formbridge/forms';
import { PdfConverterPool } from '@formbridge/word';
import { ROOT } from './paths';

export interface PdfRun {
  seconds: number;
  pdfsPerSecond: number;
  /** Pages of every PDF written, in file order: both ways must draw the same pages. */
  pages: number[];
}

export interface PdfBench {
  files: number;
  /** Converters in the pool, and soffice processes run side by side by the baseline. */
  lanes: number;
  /** The pool, from a cold start (office start-up included). */
  pool: PdfRun;
  /** The same pool again, its offices already running: what a long-lived worker sees. */
  poolWarm: PdfRun;
  /**
   * One `soffice --convert-to pdf` per file, `lanes` at a time, each lane with its own reused
   * profile, with the pool's fonts.conf: like for like, so both ways must draw the same pages.
   */
  perFile: PdfRun;
  speedupCold: number;
  speedupWarm: number;
  samePages: boolean;
}

const GOLDEN = [
  'seed-1-special-fund-community.json',
  'seed-2-special-fund-villages.json',
  'seed-3-special-fund-huimin.json',
  'seed-4-department-overall.json',
];

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
const pagesOf = (pdf: Uint8Array) =>
  (
    Buffer.from(pdf)
      .toString('latin1')
      .match(/\/Type\s*\/Page[^s]/g) ?? []
  ).length;

function run(pages: number[], started: number): PdfRun {
  const seconds = (performance.now() - started) / 1000;
  return { seconds: round(seconds), pdfsPerSecond: round(pages.length / seconds), pages };
}

/** The pool's font substitutions (see README, Fonts): without them the same forms lay out differently. */
const FONT_CONFIG = join(ROOT, 'libreoffice', 'fonts.conf');

function sofficeToPdf(soffice: string, file: string, outDir: string, profile: string): Promise<void> {
  return new Promise((resolve, reject) =>
    execFile(
      soffice,
      [
        `-env:UserInstallation=${pathToFileURL(profile).href}`,
        '--headless',
        '--norestore',
        '--convert-to',
        'pdf',
        '--outdir',
        outDir,
        file,
      ],
      { timeout: 120_000, env: { ...process.env, FONTCONFIG_FILE: FONT_CONFIG } },
      (err) => (err ? reject(err) : resolve()),
    ),
  );
}

/**
 * PDFs per second from the pool of long-lived LibreOffice converters against one soffice process
 * per file, on the same forms (the four seed forms, round robin) in the same run.
 */
export async function benchPdf(files: number, log: (line: string) => void): Promise<PdfBench | string> {
  const config = loadConfig();
  const records = await Promise.all(
    GOLDEN.map(
      async (f) => JSON.parse(await readFile(join(ROOT, 'fixtures', 'golden', f), 'utf8')) as object,
    ),
  );
  const docs = Array.from({ length: files }, (_, i) => generateDocx([records[i % records.length]]));
  const lanes = config.PDF_CONVERTERS;
  const dir = await mkdtemp(join(tmpdir(), 'formbridge-bench-pdf-'));
  const pool = new PdfConverterPool({
    soffice: config.SOFFICE_PATH,
    python: config.UNO_PYTHON,
    size: lanes,
    timeoutMs: config.PDF_TIMEOUT_MS,
  });
  try {
    log(`pdf: ${files} forms through a pool of ${lanes} converters`);
    let started = performance.now();
    let pdfs: Uint8Array[];
    try {
      pdfs = await Promise.all(docs.map((d) => pool.convert(d)));
    } catch (err) {
      return `not run: ${err instanceof Error ? err.message : String(err)}`;
    }
    const cold = run(pdfs.map(pagesOf), started);
    started = performance.now();
    const warm = run((await Promise.all(docs.map((d) => pool.convert(d)))).map(pagesOf), started);

    log(`pdf: the same ${files} forms, one soffice --convert-to pdf per file, ${lanes} at a time`);
    await Promise.all(docs.map((d, i) => writeFile(join(dir, `form-${String(i).padStart(4, '0')}.docx`), d)));
    const outDir = join(dir, 'out');
    started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: lanes }, async (_, lane) => {
        for (let i = next++; i < files; i = next++) {
          const name = `form-${String(i).padStart(4, '0')}.docx`;
          await sofficeToPdf(config.SOFFICE_PATH, join(dir, name), outDir, join(dir, `profile-${lane}`));
        }
      }),
    );
    const written = (await readdir(outDir)).sort();
    const perFilePages = await Promise.all(
      written.map(async (f) => pagesOf(await readFile(join(outDir, f)))),
    );
    const perFile = run(perFilePages, started);
    return {
      files,
      lanes,
      pool: cold,
      poolWarm: warm,
      perFile,
      speedupCold: round(cold.pdfsPerSecond / perFile.pdfsPerSecond),
      speedupWarm: round(warm.pdfsPerSecond / perFile.pdfsPerSecond),
      samePages: [cold, warm].every((r) => JSON.stringify(r.pages) === JSON.stringify(perFile.pages)),
    };
  } finally {
    await pool.close();
    await rm(dir, { recursive: true, force: true });
  }
}

export function renderPdfBench(r: PdfBench | string): string {
  if (typeof r === 'string') return `PDF (LibreOffice): ${r}`;
  const line = (name: string, x: PdfRun) =>
    `  ${name.padEnd(44)} ${x.seconds.toFixed(1).padStart(6)} s  ${x.pdfsPerSecond.toFixed(2).padStart(6)} PDFs/s`;
  return [
    `PDF (LibreOffice), ${r.files} forms, ${r.lanes} at a time:`,
    line('pool of long-lived converters, cold start', r.pool),
    line('pool of long-lived converters, running', r.poolWarm),
    line('one soffice --convert-to pdf per file', r.perFile),
    `  speed-up: ${r.speedupCold}× from cold, ${r.speedupWarm}× running; same pages both ways: ${r.samePages ? 'yes' : 'NO'}`,
  ].join('\n');
}
