/** Where something came from inside a Word document, for warnings that point back into it. */
export interface SourceLocation {
  /** Index of the table in document order (nested tables counted where they open). */
  table?: number;
  row?: number;
  cell?: number;
  /** Index of a body-level paragraph in document order. */
  paragraph?: number;
}

export interface WordParagraph {
  kind: 'paragraph';
  /** Body-level paragraph index; paragraphs inside cells keep -1. */
  index: number;
  /** Text with `\n` for line breaks and `\t` for tabs, exactly as typed. */
  text: string;
  /** A page or section break precedes or ends this paragraph. */
  breakBefore: boolean;
  breakAfter: boolean;
}

export interface WordCell {
  /** Text of the cell's own paragraphs joined with `\n` (nested tables excluded). */
  text: string;
  gridSpan: number;
  /** First grid column, counting `gridBefore`. */
  col: number;
  vMerge?: 'restart' | 'continue';
  tables: WordTable[];
  index: number;
}

export interface WordRow {
  cells: WordCell[];
  gridBefore: number;
  gridAfter: number;
  index: number;
}

export interface WordTable {
  kind: 'table';
  index: number;
  rows: WordRow[];
  /** `w:gridCol` widths in twips. */
  grid: number[];
}

export type WordBlock = WordParagraph | WordTable;

/** Text inside a content control that carries a `w:tag`. */
export interface TaggedText {
  tag: string;
  text: string;
  location: SourceLocation;
}

export interface WordDocument {
  blocks: WordBlock[];
  tagged: TaggedText[];
  /** docProps/custom.xml properties (name → text value). */
  customProperties: Record<string, string>;
  /** Parts read although their zip headers were wrong (the data itself was whole). */
  packageWarnings: PackageWarning[];
}

/** A part that was read although its zip headers were wrong: worth telling, not worth refusing. */
export interface PackageWarning {
  part: string;
  message: string;
}
