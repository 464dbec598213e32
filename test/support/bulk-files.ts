import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { ROOT } from './cli';

export const WORD_FIXTURES = join(ROOT, 'fixtures', 'legacy', 'word');
export const BAD_FIXTURES = join(ROOT, 'fixtures', 'bad');

/** The run of seed 1's 专项名称 cell that the variants change (the name is split over runs). */
const PROJECT_RUN = '<w:t>基层政权和社区</w:t>';

/**
 * Seed 1 with its project name made unique (`基层政权和社区<tag>建设`): different bytes, a
 * different record, so many distinct files come from one fixture without committing them.
 */
export function seedVariant(tag: string): Uint8Array {
  const parts = unzipSync(readFileSync(join(WORD_FIXTURES, 'seed-1.docx')));
  const xml = strFromU8(parts['word/document.xml']);
  if (!xml.includes(PROJECT_RUN))
    throw new Error('fixture seed-1.docx changed: the project-name run is not where the variants expect it');
  parts['word/document.xml'] = strToU8(xml.replace(PROJECT_RUN, `<w:t>基层政权和社区${tag}</w:t>`));
  return zipSync(parts);
}

export const variantProject = (tag: string) => `基层政权和社区${tag}建设`;

/** Writes `count` distinct seed-1 variants into `dir`, named variant-0001.docx … */
export function writeVariants(dir: string, count: number, prefix = 'v'): string[] {
  mkdirSync(dir, { recursive: true });
  const names: string[] = [];
  for (let i = 1; i <= count; i++) {
    const name = `variant-${String(i).padStart(4, '0')}.docx`;
    writeFileSync(join(dir, name), seedVariant(`${prefix}${i}`));
    names.push(name);
  }
  return names;
}

/** A .zip archive of the given entries, in memory. */
export function zipOf(entries: Record<string, Uint8Array>): Uint8Array {
  return zipSync(entries, { level: 0 });
}
